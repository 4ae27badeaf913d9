"""``PurchaseOrderAck``: a supplier's answer to an order (X12 855), header status and per-line statuses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .common import DateReference, Document, HasProductIds, Party, ProductId, Reference


@dataclass(frozen=True, slots=True)
class LineStatus(Document):
    """One ACK segment: status (``IA`` accepted, ``IC`` changed, ``IR`` rejected, ``IB`` backordered, ``IQ``
    quantity changed, ``IP`` price changed, ``DR`` date rescheduled...), the quantity it applies to, and the
    date it promises (``068`` ship, ``067`` delivery)."""

    status: str
    quantity: Decimal | None = None
    unit: str | None = None
    date_qualifier: str | None = None
    date: date | None = None
    product_ids: tuple[ProductId, ...] = ()


@dataclass(frozen=True, slots=True)
class AckLine(HasProductIds, Document):
    """A line of the acknowledgement (PO1 loop) as the supplier restates it, with its statuses."""

    line_number: str | None
    quantity: Decimal | None = None
    unit: str | None = None
    unit_price: Decimal | None = None
    price_basis: str | None = None
    product_ids: tuple[ProductId, ...] = ()
    description: str | None = None
    statuses: tuple[LineStatus, ...] = ()
    dates: tuple[DateReference, ...] = ()
    references: tuple[Reference, ...] = ()


@dataclass(frozen=True, slots=True)
class PurchaseOrderAck(Document):
    """855 BAK: purpose, acknowledgment type (``AC`` with detail and change, ``AD`` detail no change, ``AK``
    no detail, ``RJ`` rejected...), the order it answers and its date."""

    purpose: str
    ack_type: str
    po_number: str
    po_date: date
    ack_number: str | None = None
    ack_date: date | None = None
    release_number: str | None = None
    currency: str | None = None
    references: tuple[Reference, ...] = ()
    dates: tuple[DateReference, ...] = ()
    parties: tuple[Party, ...] = ()
    lines: tuple[AckLine, ...] = ()
    declared_line_count: int | None = None
