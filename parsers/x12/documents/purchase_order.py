"""850 purchase order -> ``PurchaseOrder`` (field mapping: MAPPING.md, section 850).

One pass over the segments with an if-chain on the segment id, most frequent first (PO1, PID): orders with
thousands of lines are common and this is the hot path of a full parse.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Final

from ...documents.common import DateReference, ProductId, Reference
from ...documents.purchase_order import PaymentTerms, PurchaseOrder, PurchaseOrderLine
from ..model import Segment, TransactionSet
from .common import (
    DECIMALS,
    BadValue,
    PartyBuilder,
    date_reference,
    document_error,
    fast_constructor,
    missing,
    optional_decimal,
    optional_integer,
    payment_terms,
    product_ids,
    reference,
    required,
    required_date,
    required_decimal,
)

__all__ = ["map_purchase_order"]

new_order: Final = fast_constructor(PurchaseOrder)
new_line: Final = fast_constructor(PurchaseOrderLine)  # called with positional fields: the hot path
cached_decimal: Final = DECIMALS.get


def map_purchase_order(transaction: TransactionSet) -> PurchaseOrder:
    segments = transaction.segments
    index = 0
    beg: Segment | None = None
    order_date: date | None = None
    currency: str | None = None
    references: list[Reference] = []
    dates: list[DateReference] = []
    terms: list[PaymentTerms] = []
    notes: list[str] = []
    parties: list[PartyBuilder] = []
    party: PartyBuilder | None = None
    lines: list[PurchaseOrderLine] = []
    declared_line_count: int | None = None
    total_amount: Decimal | None = None
    # The PO1 loop being read: PO1 values, then what PID/REF/DTM/MSG add.
    in_line = False
    line_number: str | None = None
    quantity = Decimal(0)
    unit = ""
    unit_price: Decimal | None = None
    price_basis: str | None = None
    ids: tuple[ProductId, ...] = ()
    line_description: str | None = None
    line_dates: list[DateReference] | None = None
    line_references: list[Reference] | None = None
    line_notes: list[str] | None = None

    def finished_line() -> PurchaseOrderLine:
        """The PO1 loop read so far, as a line (at the next PO1, at CTT, at the end of the set)."""
        return new_line(
            line_number,
            quantity,
            unit,
            unit_price,
            price_basis,
            ids,
            line_description,
            tuple(line_dates) if line_dates else (),
            tuple(line_references) if line_references else (),
            tuple(line_notes) if line_notes else (),
        )

    try:
        for index, segment in enumerate(segments):  # noqa: B007 - index names the segment in errors
            segment_id = segment[0]
            if segment_id == "PO1":
                if in_line:
                    lines.append(finished_line())
                    line_description = line_dates = line_references = line_notes = None
                in_line = True
                party = None
                if len(segment) < 6:
                    segment = [*segment, "", "", "", "", ""]
                line_number = segment[1] or None
                found_decimal = cached_decimal(segment[2])
                quantity = found_decimal if found_decimal is not None else required_decimal(segment, 2)
                unit = segment[3] or required(segment, 3)
                found_decimal = cached_decimal(segment[4])
                unit_price = found_decimal if found_decimal is not None else optional_decimal(segment, 4)
                price_basis = segment[5] or None
                ids = product_ids(segment, 6) if len(segment) > 7 else ()
            elif segment_id == "PID":
                if in_line and line_description is None and len(segment) > 5 and segment[1] == "F":
                    line_description = segment[5] or None
            elif segment_id == "REF":
                if party is not None:
                    party.references.append(reference(segment))
                elif in_line:
                    if line_references is None:
                        line_references = []
                    line_references.append(reference(segment))
                else:
                    references.append(reference(segment))
            elif segment_id == "DTM":
                found = date_reference(segment)
                party = None
                if in_line:
                    if found is not None:
                        if line_dates is None:
                            line_dates = []
                        line_dates.append(found)
                elif found is not None:
                    dates.append(found)
            elif segment_id == "MSG" or segment_id == "NTE":
                n = 1 if segment_id == "MSG" else 2
                text = segment[n] if len(segment) > n else ""
                party = None
                if text:
                    if in_line:
                        if line_notes is None:
                            line_notes = []
                        line_notes.append(text)
                    else:
                        notes.append(text)
            elif segment_id == "N1":
                party = PartyBuilder(segment)
                if not in_line:
                    parties.append(party)
                # else: a line-level ship-to, which the canonical line does not keep; its REFs stay with it
            elif segment_id == "BEG":
                if beg is None:
                    beg = segment
                    order_date = required_date(segment, 5)
                    required(segment, 3)
            elif segment_id == "CUR":
                if currency is None and len(segment) > 2:
                    currency = segment[2] or None
                party = None
            elif segment_id == "ITD":
                party = None
                terms.append(payment_terms(segment))
            elif segment_id == "CTT":
                if in_line:
                    lines.append(finished_line())
                    in_line = False
                    line_description = line_dates = line_references = line_notes = None
                party = None
                declared_line_count = optional_integer(segment, 1)
            elif segment_id == "AMT":
                if len(segment) > 2 and segment[1] == "TT":
                    total_amount = optional_decimal(segment, 2)
            elif party is not None:
                party.add(segment)
        if in_line:
            lines.append(finished_line())
        if beg is None or order_date is None:
            raise missing("BEG", "850")
    except BadValue as bad:
        at = None if bad.code == "AK3.3" else index
        raise document_error(transaction, at, bad.message, bad.element, bad.code) from None
    size = len(beg)
    return new_order(
        purpose=beg[1] if size > 1 else "",
        order_type=beg[2] if size > 2 else "",
        number=beg[3],
        order_date=order_date,
        release_number=(beg[4] or None) if size > 4 else None,
        contract_number=(beg[6] or None) if size > 6 else None,
        currency=currency,
        references=tuple(references),
        dates=tuple(dates),
        parties=tuple(p.build() for p in parties),
        terms=tuple(terms),
        notes=tuple(notes),
        lines=tuple(lines),
        declared_line_count=declared_line_count,
        total_amount=total_amount,
    )
