"""850 body segments (BEG .. CTT/AMT, without ST/SE) from a ``PurchaseOrder``, per MAPPING.md.

Standard order for 004010 and 005010: BEG, CUR, REF*, ITD*, DTM*, N9/MSG (notes), N1 loops; per line PO1,
PID, REF*, DTM*, MSG*; then CTT and AMT*TT.
"""

from __future__ import annotations

from parsers.documents import PurchaseOrder, PurchaseOrderLine
from parsers.errors import WriterError

from .common import (
    Limits,
    Seg,
    add_dates,
    add_messages,
    add_parties,
    add_references,
    add_terms,
    currency_segment,
    decimal,
    description_segment,
    field_error,
    limits_for,
    line_count,
    product_id_elements,
    required_date,
    required_decimal,
    required_text,
    text,
    within,
)

PO1_MAX_PAIRS = 10  # PO106/PO107 .. PO124/PO125


def purchase_order_segments(order: PurchaseOrder, version: str) -> list[Seg]:
    """The 850 body for ``version`` ("004010", "005010"...); WriterError names the failing field."""
    limits = limits_for(version)
    try:
        return _segments(order, limits)
    except WriterError as error:
        raise within(error, "PurchaseOrder") from None


def _segments(order: PurchaseOrder, limits: Limits) -> list[Seg]:
    out: list[Seg] = [
        [
            "BEG",
            required_text(order.purpose, "purpose", 2, 2),
            required_text(order.order_type, "order_type", 2, 2),
            required_text(order.number, "number", 22),
            text(order.release_number, "release_number", 30),
            required_date(order.order_date, "order_date"),
            text(order.contract_number, "contract_number", 30),
        ]
    ]
    currency = currency_segment("BY", order.currency)
    if currency is not None:
        out.append(currency)
    add_references(out, order.references, limits)
    add_terms(out, order.terms)
    add_dates(out, order.dates)
    if order.notes:
        out.append(["N9", "L1", "NOTES"])
        add_messages(out, order.notes)
    add_parties(out, order.parties, limits)
    for index, line in enumerate(order.lines):
        try:
            line_segments(out, line, limits)
        except WriterError as error:
            raise within(error, f"lines[{index}]") from None
    out.append(["CTT", line_count(order.declared_line_count, len(order.lines), "declared_line_count")])
    if order.total_amount is not None:
        out.append(["AMT", "TT", decimal(order.total_amount, "total_amount", 18)])
    return out


def po1_segment(
    line_number: str | None,
    quantity: str,
    unit: str,
    unit_price: str,
    price_basis: str | None,
    product_ids: list[str],
) -> Seg:
    """PO1 from checked values (shared with the 855): PO103 needs PO102, PO105 needs PO104."""
    if bool(quantity) != bool(unit):
        raise field_error("unit" if quantity else "quantity", "quantity and unit go together", "X12.PAIRED")
    basis = text(price_basis, "price_basis", 2, 2)
    if basis and not unit_price:
        raise field_error("unit_price", "required with price_basis", "X12.PAIRED")
    segment = ["PO1", text(line_number, "line_number", 20), quantity, unit, unit_price, basis]
    segment += product_ids
    return segment


def line_segments(out: list[Seg], line: PurchaseOrderLine, limits: Limits) -> None:
    """One PO1 loop: PO1, PID, REF*, DTM*, MSG*."""
    out.append(
        po1_segment(
            line.line_number,
            required_decimal(line.quantity, "quantity", 15),
            required_text(line.unit, "unit", 2, 2),
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
    add_messages(out, line.notes)


__all__ = ["line_segments", "po1_segment", "purchase_order_segments"]
