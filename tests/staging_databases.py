"""Fresh staging databases for tests: SQLite files in tmp_path, PostgreSQL schemas on the local server.

PostgreSQL: ``EDIGW_TEST_POSTGRES_URL`` (default the server on 127.0.0.1:5432, database ``test``, user
``postgres``, trust auth). Each database is a schema of its own, reached through ``search_path``, dropped
after the test. When the server cannot be reached the PostgreSQL cases skip, or fail when
``EDIGW_REQUIRE_POSTGRES=1`` (CI).
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from gateway.staging.database import Database, open_database

POSTGRES_URL = os.environ.get("EDIGW_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

DatabaseFactory = Callable[..., Database]


@functools.cache
def postgres_unreachable() -> str | None:
    """Why the test server cannot be used, or None when it can."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        with psycopg.connect(_libpq_url(POSTGRES_URL), connect_timeout=3):
            return None
    except psycopg.Error as error:
        return f"PostgreSQL at {POSTGRES_URL} is not reachable: {str(error).strip().splitlines()[0]}"


def _libpq_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def require_postgres() -> None:
    reason = postgres_unreachable()
    if reason is None:
        return
    if os.environ.get("EDIGW_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"EDIGW_REQUIRE_POSTGRES=1 but {reason}")
    pytest.skip(reason)


def schema_url(schema: str) -> str:
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'var' / 'staging.db'}"


@pytest.fixture
def database_factory(tmp_path: Path) -> Iterator[DatabaseFactory]:
    """``factory(dialect, migrate=True, **open_options)`` -> a fresh Database; all disposed afterwards."""
    import psycopg

    opened: list[Database] = []
    schemas: list[str] = []

    def factory(dialect: str, *, migrate: bool = True, **options: float) -> Database:
        if dialect == "sqlite":
            url = sqlite_url(tmp_path / f"db{len(opened)}")
        else:
            require_postgres()
            schema = f"edigw_test_{uuid.uuid4().hex[:12]}"
            with psycopg.connect(_libpq_url(POSTGRES_URL), autocommit=True) as connection:
                connection.execute(f'CREATE SCHEMA "{schema}"')
            schemas.append(schema)
            url = schema_url(schema)
        database = open_database(url, **options)
        opened.append(database)
        if migrate:
            database.upgrade()
        return database

    yield factory
    for database in opened:
        database.dispose()
    if schemas:
        with psycopg.connect(_libpq_url(POSTGRES_URL), autocommit=True) as connection:
            for schema in schemas:
                connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
