"""810 invoice -> ``Invoice`` (field mapping: MAPPING.md, section 810).

TXI and SAC belong to the IT1 line they follow; before the first IT1 and from TDS on (the summary) they are
the invoice's own taxes and allowances/charges.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Final

from ...documents.common import DateReference, Reference
from ...documents.invoice import AllowanceCharge, AllowanceOrCharge, Invoice, InvoiceLine, Tax
from ...documents.purchase_order import PaymentTerms
from ..model import Segment, TransactionSet
from .common import (
    BadValue,
    PartyBuilder,
    date_reference,
    document_error,
    fast_constructor,
    missing,
    optional_date,
    optional_decimal,
    optional_implied_decimal,
    optional_integer,
    payment_terms,
    product_ids,
    reference,
    required,
    required_date,
    required_decimal,
)

__all__ = ["allowance_charge", "map_invoice", "tax"]

new_invoice: Final = fast_constructor(Invoice)
new_line: Final = fast_constructor(InvoiceLine)

_INDICATORS: Final[dict[str, AllowanceOrCharge]] = {"A": "A", "C": "C", "N": "N"}


def tax(segment: Segment) -> Tax:
    """TXI: 01 type, 02 amount, 03 percent, 04 jurisdiction qualifier, 05 jurisdiction, 06 exempt code."""
    size = len(segment)
    return Tax(
        type_code=segment[1] if size > 1 else "",
        amount=optional_decimal(segment, 2),
        percent=optional_decimal(segment, 3),
        jurisdiction_qualifier=(segment[4] or None) if size > 4 else None,
        jurisdiction=(segment[5] or None) if size > 5 else None,
        exempt_code=(segment[6] or None) if size > 6 else None,
    )


def allowance_charge(segment: Segment) -> AllowanceCharge:
    """SAC: 01 indicator, 02 code, 05 amount (N2), 06 percent qualifier, 07 percent, 08 rate, 09 unit,
    10 quantity, 12 handling, 15 description."""
    size = len(segment)
    indicator = _INDICATORS.get(segment[1] if size > 1 else "")
    if indicator is None:
        raise BadValue("SAC01 is not A, C or N", 1, "AK4.7")
    return AllowanceCharge(
        indicator=indicator,
        code=(segment[2] or None) if size > 2 else None,
        amount=optional_implied_decimal(segment, 5),
        percent_qualifier=(segment[6] or None) if size > 6 else None,
        percent=optional_decimal(segment, 7),
        rate=optional_decimal(segment, 8),
        unit=(segment[9] or None) if size > 9 else None,
        quantity=optional_decimal(segment, 10),
        handling_code=(segment[12] or None) if size > 12 else None,
        description=(segment[15] or None) if size > 15 else None,
    )


class _LineBuilder:
    """An IT1 loop being read."""

    __slots__ = ("allowances_charges", "dates", "description", "head", "references", "taxes")

    def __init__(self, segment: Segment) -> None:
        size = len(segment)
        self.head = (
            (segment[1] or None) if size > 1 else None,
            required_decimal(segment, 2),
            required(segment, 3),
            required_decimal(segment, 4),
            (segment[5] or None) if size > 5 else None,
            product_ids(segment, 6) if size > 7 else (),
        )
        self.description: str | None = None
        self.allowances_charges: list[AllowanceCharge] = []
        self.taxes: list[Tax] = []
        self.references: list[Reference] = []
        self.dates: list[DateReference] = []

    def build(self) -> InvoiceLine:
        line_number, quantity, unit, unit_price, price_basis, ids = self.head
        return new_line(
            line_number=line_number,
            quantity=quantity,
            unit=unit,
            unit_price=unit_price,
            price_basis=price_basis,
            product_ids=ids,
            description=self.description,
            allowances_charges=tuple(self.allowances_charges),
            taxes=tuple(self.taxes),
            references=tuple(self.references),
            dates=tuple(self.dates),
        )


def map_invoice(transaction: TransactionSet) -> Invoice:
    segments = transaction.segments
    index = 0
    big: Segment | None = None
    invoice_date: date | None = None
    po_date: date | None = None
    currency: str | None = None
    references: list[Reference] = []
    dates: list[DateReference] = []
    parties: list[PartyBuilder] = []
    party: PartyBuilder | None = None
    terms: list[PaymentTerms] = []
    lines: list[InvoiceLine] = []
    line: _LineBuilder | None = None
    totals: tuple[Decimal | None, ...] = (None, None, None, None)
    taxes: list[Tax] = []
    allowances_charges: list[AllowanceCharge] = []
    declared_line_count: int | None = None
    try:
        for index, segment in enumerate(segments):  # noqa: B007 - index names the segment in errors
            segment_id = segment[0]
            if segment_id == "IT1":
                if line is not None:
                    lines.append(line.build())
                party = None
                line = _LineBuilder(segment)
            elif segment_id == "PID":
                if line is not None and line.description is None and len(segment) > 5 and segment[1] == "F":
                    line.description = segment[5] or None
            elif segment_id == "SAC":
                party = None
                (line.allowances_charges if line is not None else allowances_charges).append(
                    allowance_charge(segment)
                )
            elif segment_id == "TXI":
                party = None
                (line.taxes if line is not None else taxes).append(tax(segment))
            elif segment_id == "REF":
                if party is not None:
                    party.references.append(reference(segment))
                elif line is not None:
                    line.references.append(reference(segment))
                else:
                    references.append(reference(segment))
            elif segment_id == "DTM":
                found = date_reference(segment)
                party = None
                if found is not None:
                    (line.dates if line is not None else dates).append(found)
            elif segment_id == "N1":
                party = PartyBuilder(segment)
                if line is None:
                    parties.append(party)
            elif segment_id == "ITD":
                party = None
                terms.append(payment_terms(segment))
            elif segment_id == "BIG":
                if big is None:
                    big = segment
                    invoice_date = required_date(segment, 1)
                    required(segment, 2)
                    po_date = optional_date(segment, 3)
            elif segment_id == "CUR":
                if currency is None and len(segment) > 2:
                    currency = segment[2] or None
                party = None
            elif segment_id == "TDS":
                # The summary starts: what follows (TXI, SAC) is the invoice's own.
                if line is not None:
                    lines.append(line.build())
                    line = None
                party = None
                totals = tuple(optional_implied_decimal(segment, n) for n in (1, 2, 3, 4))
            elif segment_id == "CTT":
                if line is not None:
                    lines.append(line.build())
                    line = None
                declared_line_count = optional_integer(segment, 1)
            elif party is not None:
                party.add(segment)
        if line is not None:
            lines.append(line.build())
        if big is None or invoice_date is None:
            raise missing("BIG", "810")
    except BadValue as bad:
        at = None if bad.code == "AK3.3" else index
        raise document_error(transaction, at, bad.message, bad.element, bad.code) from None
    size = len(big)
    total_amount, subject_to_discount, discounted_amount_due, terms_discount = totals
    return new_invoice(
        number=big[2],
        invoice_date=invoice_date,
        po_number=(big[4] or None) if size > 4 else None,
        po_date=po_date,
        release_number=(big[5] or None) if size > 5 else None,
        transaction_type=(big[7] or None) if size > 7 else None,
        purpose=(big[8] or None) if size > 8 else None,
        currency=currency,
        references=tuple(references),
        dates=tuple(dates),
        parties=tuple(p.build() for p in parties),
        terms=tuple(terms),
        lines=tuple(lines),
        total_amount=total_amount,
        amount_subject_to_discount=subject_to_discount,
        discounted_amount_due=discounted_amount_due,
        terms_discount_amount=terms_discount,
        taxes=tuple(taxes),
        allowances_charges=tuple(allowances_charges),
        declared_line_count=declared_line_count,
    )
