"""``ShipNotice``: an advance ship notice (X12 856) in its HL hierarchy: shipment, orders, packs, items.

Items sit under a pack when the supplier packs (pick and pack structure ``0001``) and directly under the
order otherwise; either way every item keeps its lots with expiry dates, which hospitals must record on
receipt (recalls, FDA UDI).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .common import DateReference, Document, HasProductIds, Party, ProductId, Reference


@dataclass(frozen=True, slots=True)
class Lot(Document):
    """A lot (batch) of an item with its expiry date and the quantity shipped from it."""

    number: str
    expiration_date: date | None = None
    production_date: date | None = None
    quantity: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ShipItem(HasProductIds, Document):
    """An item level (HL I): LIN identifiers, SN1 quantity shipped (and ordered), lots, serials."""

    hl_id: str
    line_number: str | None = None
    product_ids: tuple[ProductId, ...] = ()
    quantity: Decimal | None = None
    unit: str | None = None
    ordered_quantity: Decimal | None = None
    ordered_unit: str | None = None
    status: str | None = None  # SN108 line item status (AC, BP, IS...)
    description: str | None = None
    lots: tuple[Lot, ...] = ()
    serial_numbers: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    dates: tuple[DateReference, ...] = ()


@dataclass(frozen=True, slots=True)
class Pack(Document):
    """A pack or tare level (HL P / T): SSCC-18 from MAN*GM, other marks, and what it holds."""

    hl_id: str
    level: str = "P"  # P pack, T tare (pallet)
    sscc: str | None = None
    marks: tuple[Reference, ...] = ()  # MAN qualifier/value pairs other than the SSCC
    packaging_code: str | None = None
    weight: Decimal | None = None
    weight_unit: str | None = None
    items: tuple[ShipItem, ...] = ()
    packs: tuple[Pack, ...] = ()  # packs inside a tare


@dataclass(frozen=True, slots=True)
class ShipOrder(Document):
    """An order level (HL O): the purchase order shipped against (PRF) and its packs or items."""

    hl_id: str
    po_number: str | None = None
    po_date: date | None = None
    release_number: str | None = None
    references: tuple[Reference, ...] = ()
    parties: tuple[Party, ...] = ()
    packs: tuple[Pack, ...] = ()
    items: tuple[ShipItem, ...] = ()


@dataclass(frozen=True, slots=True)
class Carrier(Document):
    """TD5 routing: SCAC or other carrier code, transport method, routing text."""

    id_qualifier: str | None = None
    id: str | None = None
    transport_method: str | None = None
    routing: str | None = None
    service_level: str | None = None


@dataclass(frozen=True, slots=True)
class ShipNotice(Document):
    """856 BSN and the shipment level (HL S): carrier, tracking and bill of lading, dates, parties, orders."""

    purpose: str
    shipment_id: str
    notice_date: date
    notice_time: str | None = None
    structure_code: str | None = None
    shipment_hl_id: str | None = None
    packaging_code: str | None = None
    lading_quantity: Decimal | None = None
    weight: Decimal | None = None
    weight_unit: str | None = None
    carriers: tuple[Carrier, ...] = ()
    equipment: tuple[Reference, ...] = ()  # TD3: equipment code and number
    references: tuple[Reference, ...] = ()  # BM bill of lading, CN carrier's (PRO) tracking number...
    dates: tuple[DateReference, ...] = ()  # 011 shipped, 017 estimated delivery
    parties: tuple[Party, ...] = ()
    orders: tuple[ShipOrder, ...] = ()
    declared_hl_count: int | None = None  # CTT01

    @property
    def tracking_numbers(self) -> tuple[str, ...]:
        return tuple(r.value for r in self.references if r.qualifier in ("CN", "2I"))

    @property
    def bill_of_lading(self) -> str | None:
        return next((r.value for r in self.references if r.qualifier == "BM"), None)
