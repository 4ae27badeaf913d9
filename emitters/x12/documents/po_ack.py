"""855 body segments (BAK .. CTT, without ST/SE) from a ``PurchaseOrderAck``, per MAPPING.md.

Standard order for 004010 and 005010: BAK, CUR, REF*, DTM*, N1 loops; per line PO1, PID, REF*, DTM*, then one
ACK per status; CTT.
"""

from __future__ import annotations

from parsers.documents import AckLine, LineStatus, PurchaseOrderAck
from parsers.errors import WriterError

from .common import (
    Limits,
    Seg,
    add_dates,
    add_parties,
    add_references,
    currency_segment,
    date_text,
    decimal,
    description_segment,
    limits_for,
    line_count,
    pair,
    product_id_elements,
    required_date,
    required_text,
    text,
    within,
)
from .purchase_order import PO1_MAX_PAIRS, po1_segment

ACK_MAX_PAIRS = 10  # ACK07/ACK08 .. ACK25/ACK26


def po_ack_segments(ack: PurchaseOrderAck, version: str) -> list[Seg]:
    """The 855 body for ``version``; WriterError names the failing field."""
    limits = limits_for(version)
    try:
        return _segments(ack, limits)
    except WriterError as error:
        raise within(error, "PurchaseOrderAck") from None


def _segments(ack: PurchaseOrderAck, limits: Limits) -> list[Seg]:
    out: list[Seg] = [
        [
            "BAK",
            required_text(ack.purpose, "purpose", 2, 2),
            required_text(ack.ack_type, "ack_type", 2, 2),
            required_text(ack.po_number, "po_number", 22),
            required_date(ack.po_date, "po_date"),
            text(ack.release_number, "release_number", 30),
            "",
            "",
            text(ack.ack_number, "ack_number", limits.reference_value),
            date_text(ack.ack_date, "ack_date"),
        ]
    ]
    currency = currency_segment("SE", ack.currency)
    if currency is not None:
        out.append(currency)
    add_references(out, ack.references, limits)
    add_dates(out, ack.dates)
    add_parties(out, ack.parties, limits)
    for index, line in enumerate(ack.lines):
        try:
            _line_segments(out, line, limits)
        except WriterError as error:
            raise within(error, f"lines[{index}]") from None
    out.append(["CTT", line_count(ack.declared_line_count, len(ack.lines), "declared_line_count")])
    return out


def _line_segments(out: list[Seg], line: AckLine, limits: Limits) -> None:
    out.append(
        po1_segment(
            line.line_number,
            decimal(line.quantity, "quantity", 15),
            text(line.unit, "unit", 2, 2),
            decimal(line.unit_price, "unit_price", 17),
            line.price_basis,
            product_id_elements(line.product_ids, PO1_MAX_PAIRS),
        )
    )
    description = description_segment(line.description)
    if description is not None:
        out.append(description)
    add_references(out, line.references, limits)
    add_dates(out, line.dates)
    for index, status in enumerate(line.statuses):
        try:
            out.append(status_segment(status))
        except WriterError as error:
            raise within(error, f"statuses[{index}]") from None


def status_segment(status: LineStatus) -> Seg:
    """ACK: status, quantity and unit (together), date qualifier and date (together), product id pairs."""
    quantity = decimal(status.quantity, "quantity", 15)
    unit = text(status.unit, "unit", 2, 2)
    pair(quantity, unit, "quantity", "unit")
    qualifier = text(status.date_qualifier, "date_qualifier", 3, 3)
    when = date_text(status.date, "date")
    pair(qualifier, when, "date_qualifier", "date")
    segment = ["ACK", required_text(status.status, "status", 2, 2), quantity, unit, qualifier, when, ""]
    segment += product_id_elements(status.product_ids, ACK_MAX_PAIRS)
    return segment
