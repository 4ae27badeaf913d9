"""The X12 stager on the golden files and the corpus: envelopes, documents, typed lines, issues, statuses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import orjson
import pytest
import sqlalchemy as sa

from gateway.staging.body import document_json, dumps
from gateway.staging.database import Database
from gateway.staging.models import Base
from parsers.x12.parse import parse_x12
from tests.corpus import X12_CORPUS, x12_corpus_files

from .helpers import GOLDEN, stage_bytes, stage_golden

T = Base.metadata.tables


def select(
    database: Database, table: str, *columns: str, order: str = "id", **where: Any
) -> list[tuple[Any, ...]]:
    model = T[table]
    statement = sa.select(*(model.c[name] for name in columns)).order_by(model.c[order])
    for name, value in where.items():
        statement = statement.where(model.c[name] == value)
    with database.read() as connection:
        return [tuple(row) for row in connection.execute(statement)]


def test_purchase_order_envelopes_document_and_lines(database: Database) -> None:
    file_id, attempt_id, summary = stage_golden(database, "hospital_850_medsurg.edi")
    assert (summary.interchanges, summary.groups, summary.transactions, summary.documents) == (1, 1, 1, 1)
    assert select(
        database,
        "interchanges",
        "file_id", "attempt_id", "ordinal", "sender_qualifier", "sender_id", "receiver_id", "control_number",
        "version", "date", "usage", "ack_requested", "declared_group_count", "group_count", "status",
    ) == [
        (file_id, attempt_id, 1, "ZZ", "MERCYGENERAL", "MEDSUPPLYCO", "000004417", "00501", "261116", "P", False, 1,
         1, "accepted"),
    ]  # fmt: skip
    assert select(
        database, "functional_groups", "functional_id", "sender", "control_number", "version", "declared_count",
        "received_count", "accepted_count", "status",
    ) == [("PO", "MERCYGENERAL", "4417", "005010", 1, 1, 1, "A")]  # fmt: skip
    assert select(
        database, "transaction_sets", "set_id", "control_number", "implementation", "segment_count",
        "first_segment", "status",
    ) == [("850", "0001", "005010", 40, 3, "A")]  # fmt: skip
    [(kind, number, order, partner, day, currency, total, count, body)] = select(
        database, "documents", "kind", "number", "order_number", "partner_id", "document_date", "currency",
        "total_amount", "line_count", "body",
    )  # fmt: skip
    assert (kind, number, order, partner, day, currency, total, count) == (
        "purchase_order", "MGH-PO-2026-004417", "MGH-PO-2026-004417", "medsupplyco", date(2026, 11, 16), "USD",
        Decimal("2165.34"), 6,
    )  # fmt: skip
    assert (
        body
        == parse_x12(GOLDEN / "hospital_850_medsurg.edi")
        .interchanges[0]
        .groups[0]
        .transactions[0]
        .document.to_json()
    )  # type: ignore[union-attr]
    lines = select(
        database, "purchase_order_lines", "position", "line_number", "quantity", "unit", "unit_price",
        "vendor_part", "buyer_part", "gtin", "ndc", "hibc", "description", "requested_date",
    )  # fmt: skip
    assert lines[0] == (
        1, "1", Decimal("20"), "BX", Decimal("11.85"), "NG-5001-M", "MGH-100233", "10614141000019", None, None,
        "NITRILE EXAM GLOVES POWDER-FREE SIZE M 100/BX", date(2026, 11, 23),
    )  # fmt: skip
    assert lines[2][5:10] == ("SY-3ML-LL", "MGH-200871", None, None, "H730SY3MLLL1")
    assert lines[4][11] == date(2026, 11, 20)  # the line's own DTM*002 wins over the order's
    assert lines[5][2:10] == (
        Decimal("24"),
        "EA",
        Decimal("2.31"),
        "NS-10ML-FL",
        None,
        None,
        "00409488820",
        None,
    )


def test_line_product_columns_read_like_the_document_properties(database: Database) -> None:
    stage_golden(database, "hospital_850_medsurg.edi")
    document = (
        parse_x12(GOLDEN / "hospital_850_medsurg.edi").interchanges[0].groups[0].transactions[0].document
    )
    expected = [(ln.vendor_part, ln.buyer_part, ln.gtin, ln.ndc, ln.hibc) for ln in document.lines]  # type: ignore[union-attr]
    assert (
        select(database, "purchase_order_lines", "vendor_part", "buyer_part", "gtin", "ndc", "hibc")
        == expected
    )


def test_ship_notice_packs_items_and_lots_with_expiry(database: Database) -> None:
    stage_golden(database, "distributor_856_lots.edi")
    [(number, count)] = select(database, "documents", "number", "line_count")
    assert (number, count) == ("ASN-2026-55120", 4)
    packs = select(database, "ship_notice_packs", "id", "order_number", "hl_id", "level", "sscc", "weight")
    assert [pack[1:] for pack in packs] == [
        ("MGH-PO-2026-004417", "3", "P", "00306141410000118803", Decimal("12.2")),
        ("MGH-PO-2026-004417", "6", "P", "00306141410000118810", Decimal("9.2")),
    ]
    items = select(
        database, "ship_notice_items", "id", "pack_id", "hl_id", "line_number", "quantity", "unit",
        "ordered_quantity", "status", "vendor_part", "gtin", "ndc", "hibc",
    )  # fmt: skip
    assert [item[1:] for item in items] == [
        (packs[0][0], "4", "1", Decimal("20"), "BX", Decimal("20"), "AC", "NG-5001-M", "10614141000019", None, None),
        (packs[0][0], "5", "2", Decimal("8"), "BX", Decimal("10"), "IQ", "NG-5001-L", "10614141000026", None, None),
        (packs[1][0], "7", "3", Decimal("1"), "CA", Decimal("4"), "BP", "SY-3ML-LL", None, None, "H730SY3MLLL1"),
        (packs[1][0], "8", "6", Decimal("24"), "EA", Decimal("24"), "AC", "NS-10ML-FL", None, "00409488820", None),
    ]  # fmt: skip
    lots = select(database, "ship_notice_lots", "item_id", "lot_number", "expiry_date", "production_date")
    assert lots == [
        (items[0][0], "NG26K041", date(2029, 10, 31), date(2026, 10, 2)),
        (items[1][0], "NG26K057", date(2029, 11, 30), None),
        (items[2][0], "SY2609A12", date(2031, 6, 30), None),
        (items[3][0], "NS6Q118", date(2028, 2, 28), None),
    ]


def test_invoice_lines_and_allowances(database: Database) -> None:
    stage_golden(database, "distributor_810_allowances.edi")
    [(number, order, total)] = select(database, "documents", "number", "order_number", "total_amount")
    assert (number, order, total) == ("MS-INV-2026-310077", "MGH-PO-2026-004417", Decimal("460.02"))
    lines = select(
        database, "invoice_lines", "id", "line_number", "quantity", "unit_price", "vendor_part", "ndc"
    )
    assert [line[1:] for line in lines] == [
        ("1", Decimal("20"), Decimal("11.85"), "NG-5001-M", None),
        ("2", Decimal("8"), Decimal("11.85"), "NG-5001-L", None),
        ("3", Decimal("1"), Decimal("64.2"), "SY-3ML-LL", None),
        ("4", Decimal("24"), Decimal("2.31"), "NS-10ML-FL", "00409488820"),
    ]
    allowances = select(
        database, "invoice_allowances", "line_id", "indicator", "code", "amount", "percent", "handling_code",
        "description",
    )  # fmt: skip
    assert allowances == [
        (None, "C", "D240", Decimal("25.00"), None, "06", "FREIGHT"),
        (None, "A", "C310", Decimal("10.00"), None, "02", "GPO VOLUME REBATE"),
        (lines[2][0], "A", "C310", Decimal("6.42"), Decimal("10"), "02", "CONTRACT TIER DISCOUNT"),
    ]


def test_po_ack_one_row_per_line_status(database: Database) -> None:
    stage_golden(database, "supplier_855_changes.edi")
    [(number, day, count)] = select(database, "documents", "number", "document_date", "line_count")
    assert (number, day, count) == ("MGH-PO-2026-004417", date(2026, 11, 17), 5)
    rows = select(
        database, "po_ack_lines", "position", "quantity", "status", "status_quantity", "date_qualifier",
        "status_date", "vendor_part",
    )  # fmt: skip
    assert rows == [
        (1, Decimal("20"), "IA", Decimal("20"), "068", date(2026, 11, 20), "NG-5001-M"),
        (2, Decimal("10"), "IQ", Decimal("8"), "068", date(2026, 11, 20), "NG-5001-L"),
        (3, Decimal("4"), "IA", Decimal("1"), "068", date(2026, 11, 20), "SY-3ML-LL"),
        (3, Decimal("4"), "IB", Decimal("3"), "068", date(2026, 12, 4), "SY-3ML-LL"),
        (4, Decimal("6"), "IR", Decimal("6"), None, None, "IV-22G-1"),
        (5, Decimal("12"), "IP", Decimal("12"), "068", date(2026, 11, 20), "SU-30-VIO"),
    ]


def test_acknowledgements_received_are_documents_and_ack_rows(database: Database) -> None:
    file_id, _, _ = stage_golden(database, "supplier_999_partial.edi")
    ta1_file, _, summary = stage_golden(database, "supplier_ta1_rejected.edi")
    assert (summary.transactions, summary.documents) == (0, 1)
    assert select(database, "documents", "kind", "number", "transaction_id", "line_count") == [
        ("functional_ack", "4418", 1, 2),
        ("interchange_ack", "000004419", None, 0),
    ]
    assert select(
        database, "acknowledgements", "direction", "kind", "file_id", "interchange_control_number",
        "group_control_number", "acknowledged_interchange", "acknowledged_group", "verdict", "status",
    ) == [
        ("received", "999", file_id, "000088110", "88110", None, "4418", "P", "delivered"),
        ("received", "TA1", ta1_file, "000088111", None, "000004419", None, "R", "delivered"),
    ]  # fmt: skip


def test_errors_with_positions_from_the_corpus(database: Database) -> None:
    path = X12_CORPUS / "edi-engine__850.SyntaxNotes.ERR.edi"
    if not path.exists():
        pytest.skip(f"{path.name} is not in the shared corpus")
    _, _, summary = stage_bytes(database, path.read_bytes(), name=path.name)
    assert summary.errors == 4
    [(transaction_id, status)] = select(database, "transaction_sets", "id", "status")
    assert status == "R"
    assert select(database, "functional_groups", "accepted_count", "status") == [(0, "R")]
    issues = select(
        database, "issues", "transaction_id", "code", "severity", "segment", "segment_id", "loop_id", "element",
        "data_element",
    )  # fmt: skip
    assert issues == [
        (transaction_id, "AK3.8", "error", 13, "PO1", "PO1", None, None),
        (transaction_id, "AK4.2", "error", 13, "PO1", "PO1", 7, "234"),
        (transaction_id, "AK3.8", "error", 30, "PO4", "PO1", None, None),
        (transaction_id, "AK4.2", "error", 30, "PO4", "PO1", 6, "384"),
    ]


def test_bad_values_are_never_stored(database: Database) -> None:
    data = (
        (GOLDEN / "hospital_850_medsurg.edi").read_bytes().replace(b"PO1*4*6*BX*152.4", b"PO1*4*6*BX*15Z.4")
    )
    _, _, summary = stage_bytes(database, data)
    assert summary.errors >= 1
    columns = [c.name for c in T["issues"].columns]
    assert not any("15Z.4" in str(value) for row in select(database, "issues", *columns) for value in row)


def test_envelope_level_issues_and_statuses(database: Database) -> None:
    data = (GOLDEN / "hospital_850_medsurg.edi").read_bytes()
    broken = data.replace(b"GE*1*4417~", b"GE*2*4417~").replace(b"IEA*1*000004417", b"IEA*1*000004499")
    stage_bytes(database, broken)
    assert select(database, "interchanges", "status", "declared_group_count") == [("accepted_with_errors", 1)]
    assert select(database, "functional_groups", "declared_count", "accepted_count", "status") == [
        (2, 1, "R")
    ]
    issues = select(database, "issues", "code", "interchange_id", "group_id", "transaction_id", "segment_id")
    assert sorted(issues) == [("AK9.5", 1, 1, None, "GE"), ("TA1.001", 1, None, None, "IEA")]


def _many_orders(count: int) -> bytes:
    text = (GOLDEN / "hospital_850_medsurg.edi").read_text()
    head, rest = text.split("ST*850*0001*005010~", 1)
    body, _trailer = rest.split("SE*40*0001~", 1)
    sets = "".join(f"ST*850*{n:04d}*005010~{body}SE*40*{n:04d}~" for n in range(1, count + 1))
    return (head + sets + f"GE*{count}*4417~\nIEA*1*000004417~\n").encode()


def test_batches_and_trailers_written_after_the_first_flush(database: Database) -> None:
    _, _, summary = stage_bytes(database, _many_orders(7), batch_size=2)
    assert (summary.transactions, summary.documents, summary.errors) == (7, 7, 0)
    assert select(
        database, "functional_groups", "declared_count", "received_count", "accepted_count", "status"
    ) == [(7, 7, 7, "A")]
    assert select(database, "interchanges", "declared_group_count", "status") == [(1, "accepted")]
    firsts = [row[0] for row in select(database, "transaction_sets", "first_segment")]
    assert firsts == [3 + 40 * n for n in range(7)]
    assert len(select(database, "purchase_order_lines", "id")) == 42


def test_a_transaction_outside_any_group(database: Database) -> None:
    data = (GOLDEN / "hospital_850_medsurg.edi").read_bytes()
    data = data.replace(b"GS*PO*MERCYGENERAL*MEDSUPPLYCO*20261116*0815*4417*X*005010~\n", b"")
    data = data.replace(b"GE*1*4417~\n", b"").replace(b"IEA*1*", b"IEA*0*")
    _, _, summary = stage_bytes(database, data)
    assert summary.transactions == 1
    assert select(database, "transaction_sets", "group_id", "status") == [(None, "A")]
    assert ("TA1.024",) in select(database, "issues", "code")


def test_a_reprocess_stages_again_under_a_new_attempt(database: Database) -> None:
    file_id, first, _ = stage_golden(database, "hospital_850_medsurg.edi")
    _, second, _ = stage_golden(database, "hospital_850_medsurg.edi", file_id=file_id, parent_id=first)
    assert select(database, "documents", "attempt_id") == [(first,), (second,)]
    assert len(select(database, "purchase_order_lines", "id")) == 12


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.edi")) + x12_corpus_files(), ids=lambda p: p.name)
def test_document_bodies_equal_to_json(path: Any) -> None:
    try:
        result = parse_x12(path)
    except Exception:  # files that are not X12 at all: nothing to compare
        pytest.skip("not readable as X12")
    for interchange in result.interchanges:
        for group in interchange.groups:
            for transaction in group.transactions:
                document = transaction.document
                if document is not None:
                    assert orjson.loads(dumps(document_json(document))) == document.to_json()  # type: ignore[attr-defined]
                    assert orjson.loads(dumps(document)) == document.to_json()  # type: ignore[attr-defined]
