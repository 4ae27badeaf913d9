"""The bank statement stager on the golden files, with the real parsers: statements, deduplicated lines,
re-deliveries, overlaps, pending lines that get booked, issues; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from gateway.staging import files, stage_statements
from gateway.staging.audit import verify_chain
from gateway.staging.database import Database
from gateway.staging.states import AttemptTrigger
from parsers.bank import parse_statements

from .helpers import BANK_GOLDEN, stage_bank_bytes

CASES = sorted(path for path in BANK_GOLDEN.iterdir() if not path.name.endswith(".json"))
OFX_XML = BANK_GOLDEN / "ofx_clinic_network_xml.ofx"
CAMT_053 = BANK_GOLDEN / "camt_053_hospital_insurer_eft.xml"
PENDING_ID = "DE89370400440532013000:2024032800001240"
_PENDING_ENTRY = b"<Sts><Cd>PDNG</Cd></Sts>\n        <ValDt><Dt>2024-03-29</Dt></ValDt>"


def query(database: Database, sql: str, **parameters: Any) -> list[tuple[Any, ...]]:
    with database.read() as connection:
        return [tuple(row) for row in connection.execute(sa.text(sql), parameters)]


def booked_camt_053() -> bytes:
    """The camt.053 golden file, delivered again once its pending entry is booked (for 0.50 less)."""
    data = CAMT_053.read_bytes()
    booked = data.replace(
        _PENDING_ENTRY,
        b"<Sts><Cd>BOOK</Cd></Sts>\n        <BookgDt><Dt>2024-03-29</Dt></BookgDt>\n"
        b"        <ValDt><Dt>2024-03-29</Dt></ValDt>",
    ).replace(b'<Amt Ccy="EUR">12000.00</Amt>', b'<Amt Ccy="EUR">11999.50</Amt>')
    assert booked.count(b"11999.50") == 1 and b"PDNG" not in booked
    return booked


def overlapping_ofx() -> bytes:
    """The OFX golden statement again with one more transaction: six lines known, one new."""
    data = OFX_XML.read_bytes()
    extra = (
        b"<STMTTRN>\n            <TRNTYPE>DEBIT</TRNTYPE>\n"
        b"            <DTPOSTED>20260301120000.000[+10:AEST]</DTPOSTED>\n"
        b"            <TRNAMT>-45.00</TRNAMT>\n            <FITID>AU2026030100020</FITID>\n"
        b"            <NAME>BANK FEES</NAME>\n          </STMTTRN>\n        </BANKTRANLIST>"
    )
    return data.replace(b"</BANKTRANLIST>", extra, 1)


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.name)
def test_golden_files_stage_statements_lines_and_issues(database: Database, case: Path) -> None:
    data = case.read_bytes()
    result = parse_statements(data)
    distinct = {(s.account, line.import_id) for s in result.statements for line in s.lines}
    file_id, attempt_id, staging = stage_bank_bytes(database, data, name=case.name)
    assert staging.statements == len(result.statements)
    assert staging.lines_new == len(distinct)
    assert staging.lines_known == sum(len(s.lines) for s in result.statements) - len(distinct)
    assert (staging.lines_upgraded, staging.errors) == (0, result.error_count)
    statements = query(
        database,
        "SELECT ordinal, format, account, currency, line_count, lines_new FROM bank_statements"
        " WHERE file_id = :file ORDER BY ordinal",
        file=file_id,
    )
    assert [row[:5] for row in statements] == [
        (index, s.format, s.account, s.currency, len(s.lines))
        for index, s in enumerate(result.statements, start=1)
    ]
    assert sum(row[5] for row in statements) == len(distinct)
    assert query(
        database, "SELECT count(*) FROM bank_statement_lines WHERE first_seen_file_id = :f", f=file_id
    ) == [(len(distinct),)]
    issues = query(
        database,
        "SELECT code, severity, message, segment, segment_id, loop_id FROM issues WHERE attempt_id = :a"
        " ORDER BY id",
        a=attempt_id,
    )
    assert issues == [
        (i.code, i.severity, i.message, i.line, i.record, None if i.statement is None else str(i.statement))
        for i in result.issues
    ]


def test_ofx_lines_columns_and_body(database: Database) -> None:
    file_id, _, staging = stage_bank_bytes(database, OFX_XML.read_bytes(), name="clinic.ofx")
    assert (staging.statements, staging.lines_new, staging.lines_known) == (1, 6, 0)
    [(statement_id, account, currency, closing, closing_date, opening, body)] = query(
        database,
        "SELECT id, account, currency, closing_balance, closing_date, opening_balance, body FROM bank_statements",
    )
    assert (account, currency, Decimal(str(closing)), str(closing_date), opening) == (
        "10448812", "AUD", Decimal("120455.12"), "2026-03-01", None,
    )  # fmt: skip
    body = body if isinstance(body, dict) else json.loads(body)
    assert "lines" not in body and body["balances"][0]["code"] == "LEDGERBAL"
    rows = query(
        database,
        "SELECT import_id, status, amount, booking_date, bank_reference, counterparty_name, counterparty_account,"
        " reversal, statement_id, first_seen_file_id, last_seen_file_id FROM bank_statement_lines ORDER BY id",
    )
    assert [(row[0], row[1], Decimal(str(row[2]))) for row in rows] == [
        ("10448812:AU2026030100017", "booked", Decimal("18450.00")),
        ("10448812:AU2026030100018", "booked", Decimal("6210.35")),
        ("10448812:AU2026030100019", "booked", Decimal("-9876.50")),
        # Two equal payments with no bank id: two lines, told apart by their occurrence.
        ("10448812:h:7d9bebba41d5150899ca7a40:1", "booked", Decimal("212.40")),
        ("10448812:h:7d9bebba41d5150899ca7a40:2", "booked", Decimal("212.40")),
        ("10448812:h:e1187c2d1f9f62b49a52c242:1", "pending", Decimal("3300.00")),
    ]
    transfer = rows[2]
    assert (transfer[5], transfer[6], bool(transfer[7])) == ("Zürich Medizintechnik GmbH", "55120934", False)
    assert str(rows[0][3]) == "2026-03-01"
    assert {(row[8], row[9], row[10]) for row in rows} == {(statement_id, file_id, file_id)}


def test_redelivery_stages_no_line_twice(database: Database) -> None:
    data = OFX_XML.read_bytes()
    first, _, _ = stage_bank_bytes(database, data, source="local:bank")
    second, _, staging = stage_bank_bytes(database, data, source="sftp:bank")
    assert (staging.statements, staging.lines_new, staging.lines_known, staging.lines_upgraded) == (
        1,
        0,
        6,
        0,
    )
    assert query(
        database, "SELECT count(*), min(first_seen_file_id), max(last_seen_file_id) FROM bank_statement_lines"
    ) == [(6, first, second)]
    assert query(database, "SELECT file_id, lines_new, lines_known FROM bank_statements ORDER BY id") == [
        (first, 6, 0),
        (second, 0, 6),
    ]


def test_an_overlapping_statement_stages_only_the_new_lines(database: Database) -> None:
    first, _, _ = stage_bank_bytes(database, OFX_XML.read_bytes(), name="monday.ofx")
    second, _, staging = stage_bank_bytes(database, overlapping_ofx(), name="monday-again.ofx")
    assert (staging.lines_new, staging.lines_known) == (1, 6)
    assert query(
        database,
        "SELECT import_id, first_seen_file_id, last_seen_file_id FROM bank_statement_lines"
        " WHERE first_seen_file_id = :f",
        f=second,
    ) == [("10448812:AU2026030100020", second, second)]
    assert query(
        database, "SELECT count(*) FROM bank_statement_lines WHERE first_seen_file_id = :f", f=first
    ) == [(6,)]
    assert query(
        database, "SELECT count(*) FROM bank_statement_lines WHERE last_seen_file_id = :f", f=second
    ) == [(7,)]


def test_the_same_statement_twice_in_one_file(database: Database) -> None:
    result = parse_statements(OFX_XML.read_bytes())
    result.statements.append(result.statements[0])
    with database.begin() as connection:
        file_id = files.insert_received_file(
            connection, source="local:bank", name="twice.ofx", sha256="b" * 64, size_bytes=1
        )
        attempt_id = files.start_attempt(connection, file_id, AttemptTrigger.INGEST)
        staging = stage_statements(
            connection, file_id=file_id, attempt_id=attempt_id, partner_id=None, result=result
        )
    assert (staging.statements, staging.lines_new, staging.lines_known) == (2, 6, 6)
    assert query(database, "SELECT count(*) FROM bank_statement_lines") == [(6,)]


def test_pending_then_booked_is_upgraded_in_place_and_audited(database: Database) -> None:
    first, _, initial = stage_bank_bytes(database, CAMT_053.read_bytes(), name="march.xml")
    assert initial.lines_new == 9
    [(line_id, status, booking, amount)] = query(
        database,
        "SELECT id, status, booking_date, amount FROM bank_statement_lines WHERE import_id = :i",
        i=PENDING_ID,
    )
    assert (status, booking, Decimal(str(amount))) == ("pending", None, Decimal("12000.00"))
    second, attempt, staging = stage_bank_bytes(database, booked_camt_053(), name="march-final.xml")
    assert (staging.lines_new, staging.lines_known, staging.lines_upgraded) == (0, 8, 1)
    [(same_id, status, booking, value, amount, first_seen, last_seen)] = query(
        database,
        "SELECT id, status, booking_date, value_date, amount, first_seen_file_id, last_seen_file_id"
        " FROM bank_statement_lines WHERE import_id = :i",
        i=PENDING_ID,
    )
    assert (same_id, status, str(booking), str(value), Decimal(str(amount))) == (
        line_id, "booked", "2024-03-29", "2024-03-29", Decimal("11999.50"),
    )  # fmt: skip
    assert (first_seen, last_seen) == (first, second)
    events = query(
        database,
        "SELECT event, file_id, attempt_id, details FROM audit_log WHERE event = 'bank_lines_upgraded'",
    )
    assert [(event, file_id, attempt_id) for event, file_id, attempt_id, _ in events] == [
        ("bank_lines_upgraded", second, attempt)
    ]
    details = events[0][3]
    details = details if isinstance(details, dict) else json.loads(details)
    assert details == {"lines_upgraded": 1}
    # The pending version arriving again later leaves the line booked.
    _, _, again = stage_bank_bytes(database, CAMT_053.read_bytes(), name="march.xml", source="sftp:bank")
    assert (again.lines_new, again.lines_known, again.lines_upgraded) == (0, 9, 0)
    assert (
        query(database, "SELECT status, amount FROM bank_statement_lines WHERE import_id = :i", i=PENDING_ID)[
            0
        ][0]
        == "booked"
    )
    with database.read() as connection:
        assert verify_chain(connection) == []


def test_errors_reach_the_exceptions_view(database: Database) -> None:
    case = BANK_GOLDEN / "bai2_clinic_intraday_quirks.bai2"
    file_id, _, staging = stage_bank_bytes(database, case.read_bytes(), name=case.name)
    assert staging.errors == 1
    rows = query(
        database,
        "SELECT exception, code, segment, segment_id, loop_id FROM v_exceptions WHERE file_id = :f",
        f=file_id,
    )
    assert [(row[0], row[1]) for row in rows] == [("error", "BAI2.CONTROL_TOTAL")]
    assert query(database, "SELECT errors, outcome FROM v_files WHERE id = :f", f=file_id) == [(1, "errors")]


def test_v_bank_lines(database: Database) -> None:
    file_id, _, _ = stage_bank_bytes(database, OFX_XML.read_bytes(), name="clinic.ofx", partner_id="anz")
    stage_bank_bytes(database, overlapping_ofx(), name="clinic-2.ofx", partner_id="anz")
    rows = query(
        database,
        "SELECT account, currency, status, booking_date, amount, format, partner, file_name, file_id"
        " FROM v_bank_lines WHERE account = '10448812' AND booking_date >= '2026-03-01' ORDER BY id",
    )
    assert len(rows) == 7
    assert rows[0][:3] == ("10448812", "AUD", "booked") and str(rows[0][3]) == "2026-03-01"
    assert {row[5:8] for row in rows[:6]} == {("ofx", "anz", "clinic.ofx")}
    assert rows[6][7] == "clinic-2.ofx" and rows[0][8] == file_id
    assert sum(Decimal(str(row[4])) for row in rows if row[2] == "booked") == Decimal("15163.65")
