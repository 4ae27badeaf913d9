"""The audit log: appended in a hash chain, verified, and append-only in the database itself."""

from __future__ import annotations

from itertools import pairwise

import pytest
import sqlalchemy as sa

from gateway.errors import StagingIntegrityError
from gateway.staging import audit
from gateway.staging.database import Database
from gateway.staging.states import AuditEvent

from .helpers import stage_golden


def _append_some(database: Database) -> list[int]:
    file_id, attempt_id, _ = stage_golden(database, "hospital_850_medsurg.edi")
    with database.begin() as connection:
        return [
            audit.append(connection, AuditEvent.FILE_RECEIVED, file_id=file_id, details={"size": 1739}),
            audit.append(connection, AuditEvent.ATTEMPT_STARTED, file_id=file_id, attempt_id=attempt_id),
            audit.append(
                connection,
                AuditEvent.FILE_STAGED,
                file_id=file_id,
                attempt_id=attempt_id,
                details={"transactions": 1, "errors": 0, "partner": "medsupplyco", "late": False, "x": None},
            ),
        ]


def test_an_intact_chain_verifies(database: Database) -> None:
    with database.read() as connection:
        assert audit.verify_chain(connection) == []
    ids = _append_some(database)
    with database.begin() as connection:
        audit.append(connection, AuditEvent.RECOVERY)
        rows = connection.execute(sa.text("SELECT id, prev_hash, hash FROM audit_log ORDER BY id")).all()
        assert audit.verify_chain(connection) == []
    assert [row.id for row in rows][:3] == ids
    assert rows[0].prev_hash == audit.GENESIS_HASH
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(rows))


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET details = NULL", "DELETE FROM audit_log"])
def test_the_database_refuses_to_change_the_log(database: Database, statement: str) -> None:
    _append_some(database)
    with pytest.raises(StagingIntegrityError, match="append-only"), database.begin() as connection:
        connection.exec_driver_sql(statement)
    with database.read() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM audit_log").scalar() == 3
        assert audit.verify_chain(connection) == []


def test_truncate_is_refused_on_postgresql(database: Database) -> None:
    if database.dialect != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    _append_some(database)
    with pytest.raises(StagingIntegrityError), database.begin() as connection:
        connection.exec_driver_sql("TRUNCATE audit_log")


def test_a_forged_record_breaks_the_chain(database: Database) -> None:
    ids = _append_some(database)
    with database.begin() as connection:
        last_hash = connection.execute(
            sa.text("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
        ).scalar()
        connection.execute(
            sa.text(
                "INSERT INTO audit_log (at, event, prev_hash, hash) VALUES (:at, 'file_archived', :prev, :hash)"
            ),
            {"at": "2026-12-01 10:00:00.000000", "prev": last_hash, "hash": "f" * 64},
        )
        audit.append(connection, AuditEvent.FILE_ARCHIVED)
        breaks = audit.verify_chain(connection)
    forged = ids[-1] + 1
    assert breaks == [audit.AuditBreak(forged, "hash does not match the record's content")]


def test_a_record_claiming_another_predecessor_breaks_the_chain(database: Database) -> None:
    _append_some(database)
    with database.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO audit_log (at, event, prev_hash, hash) VALUES (:at, 'recovery', :prev, :hash)"
            ),
            {"at": "2026-12-01 10:00:00.000000", "prev": audit.GENESIS_HASH, "hash": "0" * 64},
        )
        reasons = [found.reason for found in audit.verify_chain(connection)]
    assert reasons == [
        "prev_hash is not the previous record's hash",
        "hash does not match the record's content",
    ]


def test_details_stay_small_and_exact(database: Database) -> None:
    with pytest.raises(TypeError), database.begin() as connection:
        audit.append(connection, AuditEvent.RECOVERY, details={"amount": 12.5})  # type: ignore[dict-item]
