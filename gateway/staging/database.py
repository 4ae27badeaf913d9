"""Opening the staging database, migrating it, and transactions whose failures speak the project's errors.

SQLite (the default) runs in WAL mode with ``synchronous=FULL`` and foreign keys on. Write transactions
start with ``BEGIN IMMEDIATE``: two processes then queue for the write lock (up to the busy timeout) instead
of one failing half-way when it first writes. PostgreSQL is used by URL (``postgresql+psycopg://...``).

Database failures come out as ``StagingUnavailable`` (retry later: locked, busy, disk full, connection
refused, serialization failure, deadlock) or ``StagingIntegrityError`` (a constraint the API does not
handle). Bound parameters are hidden from SQLAlchemy's messages: they may hold business data.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError

from parsers.errors import EdiGatewayError

from ..errors import StagingIntegrityError, StagingUnavailable
from .body import dumps

__all__ = ["DEFAULT_BUSY_TIMEOUT", "Database", "open_database", "translate_error"]

DEFAULT_BUSY_TIMEOUT = 10.0  # seconds a writer waits for another process's write lock
_AUTOCHECKPOINT_PAGES = 16384  # 64 MiB of WAL at SQLite's default page size
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_MIGRATION_LOCK = 0x4544_4757_0001  # pg_advisory_xact_lock key: one upgrade at a time ("EDGW" 1)

# PostgreSQL SQLSTATEs (and classes) worth retrying: the same transaction may succeed later.
_RETRYABLE_SQLSTATES = {"40001", "40P01", "55P03", "57014", "57P01", "57P02", "57P03"}
_RETRYABLE_CLASSES = {"08", "53"}  # connection exceptions; insufficient resources (53100: disk full)
_SQLITE_UNAVAILABLE = {
    "database is locked": "the staging database is locked by another process",
    "database table is locked": "the staging database is locked by another process",
    "database or disk is full": "the staging database or its disk is full",
    "disk i/o error": "the staging database cannot be written (disk I/O error)",
    "unable to open database file": "the staging database cannot be opened",
}


def translate_error(error: DBAPIError) -> EdiGatewayError | None:
    """The project's error for a database failure, or None when it is not one we classify."""
    original: Any = error.orig
    if isinstance(original, sqlite3.Error):
        text = str(original).lower()
        for fragment, message in _SQLITE_UNAVAILABLE.items():
            if fragment in text:
                return StagingUnavailable(message, code="STAGING.UNAVAILABLE")
        if isinstance(original, sqlite3.IntegrityError):
            # SQLite names the constraint and its columns, never the values.
            return StagingIntegrityError(f"integrity error: {original}", code="STAGING.INTEGRITY")
        return None
    sqlstate: str | None = getattr(original, "sqlstate", None)
    if sqlstate is None:
        if error.connection_invalidated or isinstance(error, sa.exc.OperationalError):
            return StagingUnavailable("the staging database cannot be reached", code="STAGING.UNAVAILABLE")
        return None
    if sqlstate in _RETRYABLE_SQLSTATES or sqlstate[:2] in _RETRYABLE_CLASSES:
        return StagingUnavailable(
            f"the staging database asked to retry (SQLSTATE {sqlstate})", code="STAGING.UNAVAILABLE"
        )
    if sqlstate.startswith("23"):
        # The primary message names the constraint; the values are only in DETAIL, left out here.
        diagnostic = getattr(original, "diag", None)
        primary = getattr(diagnostic, "message_primary", None) or "constraint violated"
        return StagingIntegrityError(
            f"integrity error: {primary} (SQLSTATE {sqlstate})", code="STAGING.INTEGRITY"
        )
    return None


@contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except DBAPIError as error:
        translated = translate_error(error)
        if translated is None:
            raise
        # Not chained: the driver's text may quote values (PostgreSQL's DETAIL), which tracebacks would log.
        raise translated from None


@dataclass(frozen=True, slots=True)
class Database:
    """The staging database: its engine, migrations, and transactions."""

    engine: Engine

    @property
    def dialect(self) -> str:
        """ "sqlite" or "postgresql"."""
        return self.engine.dialect.name

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One write transaction (``BEGIN IMMEDIATE`` on SQLite), committed when the block ends cleanly."""
        with _translated(), self.engine.begin() as connection:
            yield connection

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """One read transaction: a consistent snapshot that takes no write lock."""
        with _translated(), self.engine.connect() as connection:
            connection = connection.execution_options(edigw_sqlite_begin="DEFERRED")
            with connection.begin():
                yield connection

    def upgrade(self, revision: str = "head") -> None:
        """Migrate to ``revision`` (the newest by default); safe to run from several processes at once."""
        with self.begin() as connection:
            if self.dialect == "postgresql":
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            command.upgrade(_alembic_config(connection), revision)

    def downgrade(self, revision: str) -> None:
        """Migrate back to ``revision`` ("base": nothing left). For tests and operators who mean it."""
        with self.begin() as connection:
            if self.dialect == "postgresql":
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            command.downgrade(_alembic_config(connection), revision)

    def current_revision(self) -> str | None:
        """The revision the database is at (None when it was never migrated)."""
        with self.read() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def head_revision(self) -> str | None:
        """The newest revision this code knows."""
        return ScriptDirectory.from_config(_alembic_config(None)).get_current_head()

    def checkpoint(self) -> None:
        """Copy the SQLite write-ahead log into the database file (PASSIVE: never waits for readers).

        The service calls it when it is idle; PostgreSQL needs nothing of the kind."""
        if self.dialect != "sqlite":
            return
        with _translated(), self.engine.connect() as connection:
            # On the driver's connection: SQLAlchemy would open a transaction, inside which SQLite refuses.
            driver = connection.connection.driver_connection
            assert isinstance(driver, sqlite3.Connection)
            try:
                driver.execute("PRAGMA wal_checkpoint(PASSIVE)").close()
            except sqlite3.Error as error:
                raise StagingUnavailable(
                    f"checkpoint not possible now: {error}", code="STAGING.UNAVAILABLE"
                ) from None

    def dispose(self) -> None:
        self.engine.dispose()


def _alembic_config(connection: Connection | None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def open_database(url: str, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Database:
    """Open (without migrating) the database at ``url``: ``sqlite:///path`` or ``postgresql+psycopg://...``.

    For SQLite the parent folder is created. ``busy_timeout`` is how long a writer waits for the lock.
    """
    parsed = make_url(url)
    common: dict[str, Any] = {
        "hide_parameters": True,
        "json_serializer": dumps,
        "json_deserializer": orjson.loads,
    }
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(parsed, connect_args={"timeout": busy_timeout}, **common)
        _configure_sqlite(engine, busy_timeout)
    else:
        engine = sa.create_engine(parsed, pool_pre_ping=True, **common)
    return Database(engine)


def _configure_sqlite(engine: Engine, busy_timeout: float) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # We issue BEGIN ourselves (below): the sqlite3 module's implicit transactions are off.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # Checkpoints (copying the WAL into the database) run when the gateway is idle (``checkpoint``),
        # not inside a commit in the middle of a burst; this bound only stops the WAL growing forever.
        cursor.execute(f"PRAGMA wal_autocheckpoint = {_AUTOCHECKPOINT_PAGES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("edigw_sqlite_begin", "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")
