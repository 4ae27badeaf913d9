"""The operator views return one row per file, per current document, per exception (plain SQL)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from gateway.staging import files
from gateway.staging.database import Database
from gateway.staging.states import AttemptTrigger, Outcome, Stage
from tests.corpus import X12_CORPUS

from .helpers import sha256, stage_bytes, stage_golden


def query(database: Database, sql: str) -> list[dict[str, Any]]:
    with database.read() as connection:
        return [dict(row._mapping) for row in connection.execute(sa.text(sql))]


def _quarantine(database: Database) -> int:
    data = b"this is not X12"
    with database.begin() as connection:
        file_id = files.insert_received_file(
            connection, source="local:inbox", name="notes.txt", sha256=sha256(data), size_bytes=len(data)
        )
        attempt = files.start_attempt(connection, file_id, AttemptTrigger.INGEST)
        files.set_state(
            connection, file_id, attempt, Stage.RECEIVED, Outcome.QUARANTINED, "not X12 (TA1.024)"
        )
        files.mark_archived(connection, file_id, "quarantine/notes.txt")
    return file_id


def test_v_files(database: Database) -> None:
    order, _, _ = stage_golden(database, "hospital_850_medsurg.edi")
    notes = _quarantine(database)
    with database.begin() as connection:
        duplicate = files.insert_duplicate(
            connection,
            source="local:inbox",
            name="again.edi",
            sha256="a" * 64,
            size_bytes=1,
            duplicate_of_id=order,
        )
    rows = query(
        database,
        "SELECT id, name, partner, kind, stage, outcome, reason, attempts, interchanges, transactions, errors,"
        " duplicate_of, stored_path FROM v_files ORDER BY id",
    )
    assert rows == [
        {"id": order, "name": "hospital_850_medsurg.edi", "partner": "medsupplyco", "kind": "x12",
         "stage": "staged", "outcome": "ok", "reason": None, "attempts": 1, "interchanges": 1, "transactions": 1,
         "errors": 0, "duplicate_of": None, "stored_path": None},
        {"id": notes, "name": "notes.txt", "partner": None, "kind": "x12", "stage": "archived",
         "outcome": "quarantined", "reason": "not X12 (TA1.024)", "attempts": 1, "interchanges": 0,
         "transactions": 0, "errors": 0, "duplicate_of": None, "stored_path": "quarantine/notes.txt"},
        {"id": duplicate, "name": "again.edi", "partner": None, "kind": "x12", "stage": "received",
         "outcome": "duplicate", "reason": None, "attempts": 0, "interchanges": 0, "transactions": 0,
         "errors": 0, "duplicate_of": order, "stored_path": None},
    ]  # fmt: skip


def test_v_documents_shows_the_latest_attempt(database: Database) -> None:
    order, first, _ = stage_golden(database, "hospital_850_medsurg.edi")
    stage_golden(database, "distributor_856_lots.edi")
    _, second, _ = stage_golden(database, "hospital_850_medsurg.edi", file_id=order, parent_id=first)
    rows = query(
        database,
        "SELECT kind, number, partner, file_id, file_name, interchange_control_number, group_control_number,"
        " set_id, transaction_control_number, line_count, status, attempt_id FROM v_documents ORDER BY id",
    )
    assert [row["attempt_id"] for row in rows if row["file_id"] == order] == [second]
    assert {row["kind"]: row["number"] for row in rows} == {
        "purchase_order": "MGH-PO-2026-004417",
        "ship_notice": "ASN-2026-55120",
    }
    ship = next(row for row in rows if row["kind"] == "ship_notice")
    assert ship | {"file_id": None, "attempt_id": None} == {
        "kind": "ship_notice", "number": "ASN-2026-55120", "partner": "medsupplyco", "file_id": None,
        "file_name": "distributor_856_lots.edi", "interchange_control_number": "000055120",
        "group_control_number": "55120", "set_id": "856", "transaction_control_number": "0001", "line_count": 4,
        "status": "A", "attempt_id": None,
    }  # fmt: skip


def test_v_exceptions_lists_errors_with_positions_and_quarantined_files(database: Database) -> None:
    stage_golden(database, "hospital_850_medsurg.edi")  # clean: nothing listed
    path = X12_CORPUS / "edi-engine__850.SyntaxNotes.ERR.edi"
    data = path.read_bytes() if path.exists() else b""
    broken = None
    if data:
        broken, _, _ = stage_bytes(database, data, name=path.name)
    notes = _quarantine(database)
    rows = query(
        database,
        "SELECT exception, file_id, file_name, interchange_control_number, group_control_number, set_id,"
        " transaction_control_number, code, message, segment, segment_id, element, data_element"
        " FROM v_exceptions ORDER BY file_id, issue_id",
    )
    quarantined = [row for row in rows if row["exception"] == "quarantined"]
    assert quarantined == [
        {"exception": "quarantined", "file_id": notes, "file_name": "notes.txt", "interchange_control_number": None,
         "group_control_number": None, "set_id": None, "transaction_control_number": None, "code": None,
         "message": "not X12 (TA1.024)", "segment": None, "segment_id": None, "element": None,
         "data_element": None},
    ]  # fmt: skip
    errors = [row for row in rows if row["exception"] == "error"]
    if broken is not None:
        assert [(r["file_id"], r["code"], r["segment"], r["segment_id"], r["element"]) for r in errors] == [
            (broken, "AK3.8", 13, "PO1", None),
            (broken, "AK4.2", 13, "PO1", 7),
            (broken, "AK3.8", 30, "PO4", None),
            (broken, "AK4.2", 30, "PO4", 6),
        ]
        assert {(r["interchange_control_number"], r["group_control_number"], r["transaction_control_number"])
                for r in errors} == {("000003438", "1421", "000000010")}  # fmt: skip


def test_the_documented_examples_run(database: Database) -> None:
    from pathlib import Path

    import gateway.staging

    stage_golden(database, "hospital_850_medsurg.edi")
    stage_golden(database, "distributor_856_lots.edi")
    stage_golden(database, "distributor_810_allowances.edi")
    _quarantine(database)
    text = (Path(gateway.staging.__file__).parent / "VIEWS.md").read_text()
    blocks = [block.split("```", 1)[0] for block in text.split("```sql\n")[1:]]
    statements = [s.strip() for block in blocks for s in block.split(";") if s.strip()]
    assert len(statements) >= 8
    results = {}
    with database.read() as connection:
        for statement in statements:
            results[statement.splitlines()[0]] = connection.execute(sa.text(statement)).all()
    assert len(results["-- Lines of an order with the products' identifiers"]) == 6
    assert len(results["-- Lots shipped that expire within a year (recalls, UDI)"]) == 0
    assert len(results["-- Invoice allowances and charges (line_id NULL: on the whole invoice)"]) == 3
