"""The per-file staging calls: few statements each (built once), the same rows and errors as before."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection

from gateway.errors import CounterExhausted, StagingStateError
from gateway.staging import acks, audit, files
from gateway.staging.counters import allocate
from gateway.staging.database import Database
from gateway.staging.states import AckKind, AttemptTrigger, AuditEvent, CounterKind, Outcome, Stage

from .helpers import sha256


@contextmanager
def counted(connection: Connection) -> Iterator[list[str]]:
    """The SQL statements the block runs on ``connection``."""
    statements: list[str] = []

    def record(*arguments: object) -> None:
        statements.append(str(arguments[2]))

    event.listen(connection, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(connection, "before_cursor_execute", record)


def _file(connection: Connection, source: str = "local:inbox") -> tuple[int, int]:
    file_id = files.insert_received_file(
        connection, source=source, name="po.edi", sha256=sha256(source.encode()), size_bytes=1
    )
    return file_id, files.start_attempt(connection, file_id, AttemptTrigger.INGEST)


def test_set_state_is_two_statements_and_still_refuses(database: Database) -> None:
    with database.begin() as connection:
        file_id, attempt_id = _file(connection)
        with counted(connection) as statements:
            files.set_state(connection, file_id, attempt_id, Stage.STAGED, Outcome.OK)
        assert len(statements) == 2
        with pytest.raises(StagingStateError, match="cannot go back from staged to received"):
            files.set_state(connection, file_id, attempt_id, Stage.RECEIVED, Outcome.RETRYING)
        with pytest.raises(StagingStateError, match=f"attempt {attempt_id} is not an attempt of file"):
            files.set_state(connection, file_id + 1, attempt_id, Stage.ARCHIVED, Outcome.OK)
        with pytest.raises(StagingStateError, match="attempt 999 is not an attempt"):
            files.set_state(connection, file_id, 999, Stage.STAGED, Outcome.OK)
        attempt = files.latest_attempt(connection, file_id)
        row = files.get_file(connection, file_id)
    assert attempt is not None and (attempt.stage, attempt.outcome) == (Stage.STAGED, Outcome.OK)
    assert attempt.finished_at is not None
    assert row is not None and (row.stage, row.outcome) == (Stage.STAGED, Outcome.OK)


def test_mark_acknowledged_moves_the_latest_attempt_and_its_file(database: Database) -> None:
    with database.begin() as connection:
        file_id, first = _file(connection)
        files.set_state(connection, file_id, first, Stage.STAGED, Outcome.ERRORS, "X12.SOME: segment 3")
        with counted(connection) as statements:
            files.mark_acknowledged(connection, file_id)
        assert len(statements) == 2
        attempt = files.latest_attempt(connection, file_id)
        row = files.get_file(connection, file_id)
        files.mark_acknowledged(connection, file_id)  # there already: nothing changes
        again = files.latest_attempt(connection, file_id)
        retrying, second = _file(connection, "local:other")
        files.set_state(connection, retrying, second, Stage.STAGED, Outcome.RETRYING)
        files.mark_acknowledged(connection, retrying)
        unfinished = files.latest_attempt(connection, retrying)
    assert attempt is not None and row is not None
    assert (attempt.stage, attempt.outcome, attempt.reason) == (
        Stage.ACKNOWLEDGED,
        Outcome.ERRORS,
        "X12.SOME: segment 3",
    )
    assert attempt.finished_at is not None
    assert (row.stage, row.outcome, row.reason) == (Stage.ACKNOWLEDGED, Outcome.ERRORS, "X12.SOME: segment 3")
    assert again == attempt
    assert (
        unfinished is not None and unfinished.stage == Stage.ACKNOWLEDGED and unfinished.finished_at is None
    )


def test_mark_archived_is_two_statements_and_leaves_an_attempt_further_on(database: Database) -> None:
    with database.begin() as connection:
        file_id, attempt_id = _file(connection)
        files.set_state(connection, file_id, attempt_id, Stage.MATCHED, Outcome.OK)
        with counted(connection) as statements:
            files.mark_archived(connection, file_id, "archive/2026/12/01/1-po.edi")
        assert len(statements) == 2
        attempt = files.latest_attempt(connection, file_id)
        row = files.get_file(connection, file_id)
        with pytest.raises(StagingStateError, match="no received file"):
            files.mark_archived(connection, file_id + 1, "archive/x")
    assert attempt is not None and attempt.stage == Stage.MATCHED
    assert row is not None and (row.stage, row.stored_path) == (Stage.ARCHIVED, "archive/2026/12/01/1-po.edi")


def test_attempt_numbers_come_from_the_insert_itself(database: Database) -> None:
    with database.begin() as connection:
        file_id, first = _file(connection)
        with counted(connection) as statements:
            second = files.start_attempt(connection, file_id, AttemptTrigger.REPROCESS, parent_id=first)
        assert len(statements) == 1
        latest = files.latest_attempt(connection, file_id)
    assert latest is not None and (latest.id, latest.number, latest.parent_id) == (second, 2, first)


def test_allocate_is_one_statement_and_never_passes_the_maximum(database: Database) -> None:
    with database.begin() as connection:
        with counted(connection) as statements:
            assert allocate(connection, "p", CounterKind.GROUP) == 1
            assert allocate(connection, "p", CounterKind.GROUP, 3) == 2
        assert len(statements) == 2
        with pytest.raises(CounterExhausted):
            allocate(connection, "new", CounterKind.GROUP, 11, maximum=10)
        with pytest.raises(CounterExhausted):
            allocate(connection, "p", CounterKind.GROUP, 7, maximum=10)
        assert allocate(connection, "p", CounterKind.GROUP, 6, maximum=10) == 5
        counters = connection.execute(
            sa.text("SELECT scope, last_value FROM control_counters ORDER BY scope")
        ).all()
    assert [tuple(row) for row in counters] == [("p", 10)]


def test_appends_in_one_transaction_read_the_chain_once(database: Database) -> None:
    with database.begin() as connection:
        audit.append(connection, AuditEvent.RECOVERY)
        with counted(connection) as statements:
            audit.append(connection, AuditEvent.FILE_ARCHIVED, details={"path": "archive/x"})
        assert len(statements) == 1
    with database.begin() as connection:
        with counted(connection) as statements:
            audit.append(connection, AuditEvent.RECOVERY)
        # A new transaction reads the last hash again (and takes the lock on PostgreSQL).
        assert len(statements) == (3 if database.dialect == "postgresql" else 2)
        assert audit.verify_chain(connection) == []


def test_an_append_undone_with_its_savepoint_leaves_the_chain_intact(database: Database) -> None:
    with database.begin() as connection:
        first = audit.append(connection, AuditEvent.RECOVERY)
        savepoint = connection.begin_nested()
        audit.append(connection, AuditEvent.FILE_FAILED)
        savepoint.rollback()
        last = audit.append(connection, AuditEvent.FILE_ARCHIVED)
        rows = connection.execute(sa.text("SELECT id, prev_hash, hash FROM audit_log ORDER BY id")).all()
        assert audit.verify_chain(connection) == []
    assert [row.id for row in rows] == [first, last]
    assert rows[1].prev_hash == rows[0].hash


def test_a_recorded_acknowledgement_is_the_row_read_back(database: Database) -> None:
    with database.begin() as connection:
        file_id, _ = _file(connection)
        other, _ = _file(connection, "local:other")
        recorded = acks.record_sent_row(
            connection,
            kind=AckKind.FA_997,
            partner_id="medsupplyco",
            file_id=file_id,
            content=b"ISA*...~",
            path="medsupplyco/ack-000000001.x12",
            interchange_control_number="000000001",
            group_control_number="1",
            acknowledged_interchange="000004417",
        )
        acks.record_sent(
            connection,
            kind=AckKind.TA1,
            partner_id=None,
            file_id=other,
            content=b"ISA*...TA1~",
            path="unknown-ZZ-X/ack-000000001.x12",
            interchange_control_number="000000001",
        )
    with database.read() as connection:
        of_file = acks.unwritten(connection, file_id)
        everything = acks.unwritten(connection)
    assert of_file == [recorded]
    assert recorded.created_at <= datetime.now(UTC)
    assert [ack.file_id for ack in everything] == [file_id, other]
