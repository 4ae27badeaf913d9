"""810 body segments (BIG .. CTT, without ST/SE) from an ``Invoice``, per MAPPING.md.

Standard order for 004010 and 005010: BIG, CUR, REF*, N1 loops, ITD*, DTM*; per line IT1, TXI*, PID, REF*,
DTM*, SAC* (the standard puts the line's TXI, position 040, right after IT1 and before PID); summary TDS
(N2 amounts), TXI*, SAC*, CTT.
"""

from __future__ import annotations

from parsers.documents import Invoice, InvoiceLine
from parsers.errors import WriterError

from .common import (
    Limits,
    Seg,
    add_allowances_charges,
    add_dates,
    add_parties,
    add_references,
    add_taxes,
    add_terms,
    amount,
    currency_segment,
    date_text,
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

IT1_MAX_PAIRS = 10  # IT106/IT107 .. IT124/IT125


def invoice_segments(invoice: Invoice, version: str) -> list[Seg]:
    """The 810 body for ``version``; WriterError names the failing field."""
    limits = limits_for(version)
    try:
        return _segments(invoice, limits)
    except WriterError as error:
        raise within(error, "Invoice") from None


def _segments(invoice: Invoice, limits: Limits) -> list[Seg]:
    out: list[Seg] = [
        [
            "BIG",
            required_date(invoice.invoice_date, "invoice_date"),
            required_text(invoice.number, "number", 22),
            date_text(invoice.po_date, "po_date"),
            text(invoice.po_number, "po_number", 22),
            text(invoice.release_number, "release_number", 30),
            "",
            text(invoice.transaction_type, "transaction_type", 2, 2),
            text(invoice.purpose, "purpose", 2, 2),
        ]
    ]
    currency = currency_segment("SE", invoice.currency)
    if currency is not None:
        out.append(currency)
    add_references(out, invoice.references, limits)
    add_parties(out, invoice.parties, limits)
    add_terms(out, invoice.terms)
    add_dates(out, invoice.dates)
    for index, line in enumerate(invoice.lines):
        try:
            _line_segments(out, line, limits)
        except WriterError as error:
            raise within(error, f"lines[{index}]") from None
    total = amount(invoice.total_amount, "total_amount")
    if not total:
        raise field_error("total_amount", "mandatory value is empty (TDS01)", "X12.MANDATORY")
    out.append(
        [
            "TDS",
            total,
            amount(invoice.amount_subject_to_discount, "amount_subject_to_discount"),
            amount(invoice.discounted_amount_due, "discounted_amount_due"),
            amount(invoice.terms_discount_amount, "terms_discount_amount"),
        ]
    )
    add_taxes(out, invoice.taxes)
    add_allowances_charges(out, invoice.allowances_charges)
    out.append(["CTT", line_count(invoice.declared_line_count, len(invoice.lines), "declared_line_count")])
    return out


def _line_segments(out: list[Seg], line: InvoiceLine, limits: Limits) -> None:
    """One IT1 loop: IT1, TXI*, PID, REF*, DTM*, SAC*."""
    out.append(
        [
            "IT1",
            text(line.line_number, "line_number", 20),
            required_decimal(line.quantity, "quantity", 10),
            required_text(line.unit, "unit", 2, 2),
            required_decimal(line.unit_price, "unit_price", 17),
            text(line.price_basis, "price_basis", 2, 2),
            *product_id_elements(line.product_ids, IT1_MAX_PAIRS),
        ]
    )
    add_taxes(out, line.taxes)
    description = description_segment(line.description)
    if description is not None:
        out.append(description)
    add_references(out, line.references, limits)
    add_dates(out, line.dates)
    add_allowances_charges(out, line.allowances_charges)
