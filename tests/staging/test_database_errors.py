"""Database failures come out in the project's tree: locked, full, unreachable -> StagingUnavailable."""

from __future__ import annotations

import sqlite3
import threading

import pytest
import sqlalchemy as sa

from gateway.errors import StagingIntegrityError, StagingUnavailable
from gateway.staging import files
from gateway.staging.database import Database, open_database
from tests.staging_databases import DatabaseFactory, require_postgres

from .helpers import sha256


def test_sqlite_locked_by_another_process_is_retryable(database_factory: DatabaseFactory) -> None:
    database = database_factory("sqlite", busy_timeout=0.2)
    path = database.engine.url.database
    assert path is not None
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StagingUnavailable, match="locked"), database.begin() as connection:
            files.start_attempt(connection, 1, "ingest")  # type: ignore[arg-type]
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with database.begin() as connection:  # the cause is gone: work resumes
        connection.exec_driver_sql("SELECT 1")


def test_sqlite_disk_full_is_retryable_and_commits_nothing(database_factory: DatabaseFactory) -> None:
    database = database_factory("sqlite")
    with pytest.raises(StagingUnavailable, match="full"), database.begin() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
        connection.exec_driver_sql(f"PRAGMA max_page_count = {pages}")
        for number in range(200):
            data = f"file {number}".encode() * 200
            files.insert_received_file(
                connection, source="local:inbox", name="x" * 2000, sha256=sha256(data), size_bytes=len(data)
            )
    with database.read() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM received_files").scalar() == 0


def test_integrity_errors_name_the_constraint_not_the_values(database: Database) -> None:
    with pytest.raises(StagingIntegrityError) as raised, database.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO attempts (file_id, number, trigger, started_at, stage) VALUES (:f, 1, 'ingest', :t, 'x')"
            ),
            {"f": 424242, "t": "2026-12-01 10:00:00"},
        )
    assert "424242" not in str(raised.value)
    # PostgreSQL's DETAIL quotes the value: the driver's error is not chained, so no traceback shows it.
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_postgresql_unreachable_is_retryable() -> None:
    database = open_database("postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2")
    try:
        with pytest.raises(StagingUnavailable, match="reached"), database.begin():
            pass
    finally:
        database.dispose()


def test_postgresql_lock_timeout_is_retryable(database_factory: DatabaseFactory) -> None:
    require_postgres()
    database = database_factory("postgresql")
    with database.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO control_counters (scope, kind, last_value, updated_at) VALUES ('p', 'group', 0, now())"
            )
        )
    locked = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with database.begin() as connection:
            connection.exec_driver_sql("SELECT * FROM control_counters FOR UPDATE")
            locked.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(10)
        with pytest.raises(StagingUnavailable, match="55P03"), database.begin() as connection:
            connection.exec_driver_sql("SET LOCAL lock_timeout = '100ms'")
            connection.exec_driver_sql("UPDATE control_counters SET last_value = 1")
    finally:
        release.set()
        holder.join()
