"""855 purchase order acknowledgment -> ``PurchaseOrderAck`` (field mapping: MAPPING.md, section 855).

Each PO1 loop restates an ordered line; every ACK in it is one status of that line (accepted, quantity
changed, backordered with a new date, rejected...), kept in order.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from ...documents.common import DateReference, Reference
from ...documents.po_ack import AckLine, LineStatus, PurchaseOrderAck
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
    optional_integer,
    product_ids,
    reference,
    required,
    required_date,
)

__all__ = ["map_po_ack"]

new_ack: Final = fast_constructor(PurchaseOrderAck)
new_line: Final = fast_constructor(AckLine)
new_status: Final = fast_constructor(LineStatus)


class _LineBuilder:
    """A PO1 loop being read."""

    __slots__ = ("dates", "description", "head", "references", "statuses")

    def __init__(self, segment: Segment) -> None:
        size = len(segment)
        self.head = (
            (segment[1] or None) if size > 1 else None,
            optional_decimal(segment, 2),
            (segment[3] or None) if size > 3 else None,
            optional_decimal(segment, 4),
            (segment[5] or None) if size > 5 else None,
            product_ids(segment, 6) if size > 7 else (),
        )
        self.description: str | None = None
        self.statuses: list[LineStatus] = []
        self.dates: list[DateReference] = []
        self.references: list[Reference] = []

    def build(self) -> AckLine:
        line_number, quantity, unit, unit_price, price_basis, ids = self.head
        return new_line(
            line_number=line_number,
            quantity=quantity,
            unit=unit,
            unit_price=unit_price,
            price_basis=price_basis,
            product_ids=ids,
            description=self.description,
            statuses=tuple(self.statuses),
            dates=tuple(self.dates),
            references=tuple(self.references),
        )


def line_status(segment: Segment) -> LineStatus:
    """ACK: 01 status, 02 quantity, 03 unit, 04 date qualifier, 05 date, 07/08.. product id pairs."""
    size = len(segment)
    return new_status(
        status=segment[1] if size > 1 else "",
        quantity=optional_decimal(segment, 2),
        unit=(segment[3] or None) if size > 3 else None,
        date_qualifier=(segment[4] or None) if size > 4 else None,
        date=optional_date(segment, 5),
        product_ids=product_ids(segment, 7) if size > 8 else (),
    )


def map_po_ack(transaction: TransactionSet) -> PurchaseOrderAck:
    segments = transaction.segments
    index = 0
    bak: Segment | None = None
    po_date: date | None = None
    ack_date: date | None = None
    currency: str | None = None
    references: list[Reference] = []
    dates: list[DateReference] = []
    parties: list[PartyBuilder] = []
    party: PartyBuilder | None = None
    lines: list[AckLine] = []
    line: _LineBuilder | None = None
    declared_line_count: int | None = None
    try:
        for index, segment in enumerate(segments):  # noqa: B007 - index names the segment in errors
            segment_id = segment[0]
            if segment_id == "PO1":
                if line is not None:
                    lines.append(line.build())
                party = None
                line = _LineBuilder(segment)
            elif segment_id == "ACK":
                party = None
                if line is not None:
                    line.statuses.append(line_status(segment))
            elif segment_id == "PID":
                if line is not None and line.description is None and len(segment) > 5 and segment[1] == "F":
                    line.description = segment[5] or None
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
            elif segment_id == "BAK":
                if bak is None:
                    bak = segment
                    required(segment, 3)
                    po_date = required_date(segment, 4)
                    ack_date = optional_date(segment, 9)
            elif segment_id == "CUR":
                if currency is None and len(segment) > 2:
                    currency = segment[2] or None
                party = None
            elif segment_id == "CTT":
                if line is not None:
                    lines.append(line.build())
                    line = None
                declared_line_count = optional_integer(segment, 1)
            elif party is not None:
                party.add(segment)
        if line is not None:
            lines.append(line.build())
        if bak is None or po_date is None:
            raise missing("BAK", "855")
    except BadValue as bad:
        at = None if bad.code == "AK3.3" else index
        raise document_error(transaction, at, bad.message, bad.element, bad.code) from None
    size = len(bak)
    return new_ack(
        purpose=bak[1] if size > 1 else "",
        ack_type=bak[2] if size > 2 else "",
        po_number=bak[3],
        po_date=po_date,
        ack_number=(bak[8] or None) if size > 8 else None,
        ack_date=ack_date,
        release_number=(bak[5] or None) if size > 5 else None,
        currency=currency,
        references=tuple(references),
        dates=tuple(dates),
        parties=tuple(p.build() for p in parties),
        lines=tuple(lines),
        declared_line_count=declared_line_count,
    )
