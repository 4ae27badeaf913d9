"""856 ship notice -> ``ShipNotice`` (field mapping: MAPPING.md, section 856).

The HL levels are read into builders, each attached to a container that can hold it: an order to the
shipment, a tare to an order, a pack to a tare or an order, an item to a pack, a tare or an order. The
container is found by walking up from the HL02 parent (or, when HL02 is missing or unknown, from the level
just before), so that partners who skip HL02 or nest levels unusually still give a sensible tree. Levels
we do not model (HL03 other than S, O, T, P, I) are walked through.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Final

from ...documents.common import DateReference, ProductId, Reference
from ...documents.ship_notice import Carrier, Lot, Pack, ShipItem, ShipNotice, ShipOrder
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
    product_ids_without_lot,
    reference,
    required,
    required_date,
)

__all__ = ["map_ship_notice"]

new_item: Final = fast_constructor(ShipItem)
new_pack: Final = fast_constructor(Pack)
new_order: Final = fast_constructor(ShipOrder)

EXPIRATION_DATE: Final = "036"
PRODUCTION_DATE: Final = "405"


class _Level:
    """An HL level we walk through but do not keep."""

    __slots__ = ("hl_id", "parent")
    kind = ""

    def __init__(self, hl_id: str, parent: _Level | None) -> None:
        self.hl_id = hl_id
        self.parent = parent


class _Shipment(_Level):
    __slots__ = ()
    kind = "S"


class _Order(_Level):
    __slots__ = ("items", "packs", "parties", "po_date", "po_number", "references", "release_number")
    kind = "O"

    def __init__(self, hl_id: str, parent: _Level | None) -> None:
        super().__init__(hl_id, parent)
        self.po_number: str | None = None
        self.po_date: date | None = None
        self.release_number: str | None = None
        self.references: list[Reference] = []
        self.parties: list[PartyBuilder] = []
        self.packs: list[_Pack] = []
        self.items: list[_Item] = []

    def build(self) -> ShipOrder:
        return new_order(
            hl_id=self.hl_id,
            po_number=self.po_number,
            po_date=self.po_date,
            release_number=self.release_number,
            references=tuple(self.references),
            parties=tuple(p.build() for p in self.parties),
            packs=tuple(p.build() for p in self.packs),
            items=tuple(i.build() for i in self.items),
        )


class _Pack(_Level):
    __slots__ = ("items", "level", "marks", "packaging_code", "packs", "sscc", "td1", "weight", "weight_unit")
    kind = "P"

    def __init__(self, hl_id: str, parent: _Level | None, level: str) -> None:
        super().__init__(hl_id, parent)
        self.level = level
        self.sscc: str | None = None
        self.marks: list[Reference] = []
        self.td1 = False
        self.packaging_code: str | None = None
        self.weight: Decimal | None = None
        self.weight_unit: str | None = None
        self.items: list[_Item] = []
        self.packs: list[_Pack] = []

    def build(self) -> Pack:
        return new_pack(
            hl_id=self.hl_id,
            level=self.level,
            sscc=self.sscc,
            marks=tuple(self.marks),
            packaging_code=self.packaging_code,
            weight=self.weight,
            weight_unit=self.weight_unit,
            items=tuple(i.build() for i in self.items),
            packs=tuple(p.build() for p in self.packs),
        )


class _Item(_Level):
    __slots__ = ("dates", "description", "lin", "lot_number", "references", "serial_numbers", "sn1")
    kind = "I"

    def __init__(self, hl_id: str, parent: _Level | None) -> None:
        super().__init__(hl_id, parent)
        self.lin: tuple[str | None, tuple[ProductId, ...], str | None] | None = None
        self.sn1: tuple[Decimal | None, str | None, Decimal | None, str | None, str | None] | None = None
        self.description: str | None = None
        self.lot_number: str | None = None
        self.serial_numbers: list[str] = []
        self.references: list[Reference] = []
        self.dates: list[DateReference] = []

    def add_lin(self, segment: Segment) -> None:
        if self.lin is not None:
            return
        size = len(segment)
        lot = next(
            (segment[n + 1] for n in range(2, size - 1, 2) if segment[n] == "LT" and segment[n + 1]), None
        )
        self.lin = ((segment[1] or None) if size > 1 else None, product_ids_without_lot(segment, 2), lot)

    def add_sn1(self, segment: Segment) -> None:
        if self.sn1 is not None:
            return
        size = len(segment)
        self.sn1 = (
            optional_decimal(segment, 2),
            (segment[3] or None) if size > 3 else None,
            optional_decimal(segment, 5),
            (segment[6] or None) if size > 6 else None,
            (segment[8] or None) if size > 8 else None,
        )

    def add_reference(self, segment: Segment) -> None:
        found = reference(segment)
        if found.qualifier == "LT" and found.value and self.lot_number in (None, found.value):
            self.lot_number = found.value
        elif found.qualifier == "SE" and found.value:
            self.serial_numbers.append(found.value)
        else:
            self.references.append(found)

    def build(self) -> ShipItem:
        line_number, ids, lin_lot = self.lin if self.lin is not None else (None, (), None)
        quantity, unit, ordered_quantity, ordered_unit, status = (
            self.sn1 if self.sn1 is not None else (None, None, None, None, None)
        )
        references = self.references
        lot_number = lin_lot or self.lot_number
        if lin_lot and self.lot_number and self.lot_number != lin_lot:
            # A second, different lot on one level: keep it as a reference rather than lose it.
            references = [*references, Reference("LT", self.lot_number)]
        lots: tuple[Lot, ...] = ()
        dates = self.dates
        if lot_number:
            expiration: date | None = None
            production: date | None = None
            other_dates: list[DateReference] = []
            for found in dates:
                if found.qualifier == EXPIRATION_DATE and expiration is None:
                    expiration = found.date
                elif found.qualifier == PRODUCTION_DATE and production is None:
                    production = found.date
                else:
                    other_dates.append(found)
            dates = other_dates
            lots = (Lot(lot_number, expiration, production, quantity),)
        return new_item(
            hl_id=self.hl_id,
            line_number=line_number,
            product_ids=ids,
            quantity=quantity,
            unit=unit,
            ordered_quantity=ordered_quantity,
            ordered_unit=ordered_unit,
            status=status,
            description=self.description,
            lots=lots,
            serial_numbers=tuple(self.serial_numbers),
            references=tuple(references),
            dates=tuple(dates),
        )


# Which levels can hold which: the container is the nearest ancestor of one of these kinds.
_CONTAINERS: Final = {"O": ("S",), "T": ("O",), "P": ("T", "O"), "I": ("P", "T", "O")}


def _container(start: _Level | None, kind: str) -> _Level | None:
    allowed = _CONTAINERS[kind]
    node = start
    while node is not None:
        level = node.level if isinstance(node, _Pack) else node.kind
        if level in allowed:
            return node
        node = node.parent
    return None


def map_ship_notice(transaction: TransactionSet) -> ShipNotice:
    segments = transaction.segments
    index = 0
    bsn: Segment | None = None
    notice_date: date | None = None
    shipment = _Shipment("", None)
    shipment_hl_id: str | None = None
    td1: tuple[str | None, Decimal | None, Decimal | None, str | None] | None = None
    carriers: list[Carrier] = []
    equipment: list[Reference] = []
    references: list[Reference] = []
    dates: list[DateReference] = []
    parties: list[PartyBuilder] = []
    orders: list[_Order] = []
    loose_order: _Order | None = None  # holds packs and items that have no order level above them
    levels: dict[str, _Level] = {}
    current: _Level = shipment
    party: PartyBuilder | None = None
    declared_hl_count: int | None = None
    try:
        for index, segment in enumerate(segments):  # noqa: B007 - index names the segment in errors
            segment_id = segment[0]
            if segment_id == "HL":
                party = None
                size = len(segment)
                hl_id = segment[1] if size > 1 else ""
                parent_id = segment[2] if size > 2 else ""
                kind = segment[3] if size > 3 else ""
                start = levels.get(parent_id) if parent_id else None
                if start is None:
                    start = current
                node: _Level
                if kind == "S":
                    node = shipment
                    if shipment_hl_id is None:
                        shipment_hl_id = hl_id
                elif kind == "O":
                    node = _Order(hl_id, shipment)
                    orders.append(node)
                elif kind in _CONTAINERS:
                    container = _container(start, kind)
                    if container is None:
                        if loose_order is None:
                            loose_order = _Order("", shipment)
                            orders.append(loose_order)
                        container = loose_order
                    if kind == "I":
                        node = _Item(hl_id, container)
                        assert isinstance(container, _Order | _Pack)
                        container.items.append(node)
                    else:
                        node = _Pack(hl_id, container, kind)
                        if isinstance(container, _Pack):
                            container.packs.append(node)
                        else:
                            assert isinstance(container, _Order)
                            container.packs.append(node)
                else:
                    node = _Level(hl_id, start)
                if hl_id:
                    levels.setdefault(hl_id, node)
                current = node
            elif segment_id == "LIN":
                if isinstance(current, _Item):
                    current.add_lin(segment)
            elif segment_id == "SN1":
                if isinstance(current, _Item):
                    current.add_sn1(segment)
            elif segment_id == "PID":
                if (
                    isinstance(current, _Item)
                    and current.description is None
                    and len(segment) > 5
                    and segment[1] == "F"
                ):
                    current.description = segment[5] or None
            elif segment_id == "REF":
                if party is not None:
                    party.references.append(reference(segment))
                elif isinstance(current, _Item):
                    current.add_reference(segment)
                elif isinstance(current, _Order):
                    current.references.append(reference(segment))
                elif current is shipment:
                    references.append(reference(segment))
            elif segment_id == "DTM":
                party = None
                found = date_reference(segment)
                if found is not None:
                    if isinstance(current, _Item):
                        current.dates.append(found)
                    elif current is shipment:
                        dates.append(found)
            elif segment_id == "MAN":
                if isinstance(current, _Pack):
                    size = len(segment)
                    for n in (1, 4):
                        qualifier = segment[n] if size > n else ""
                        value = segment[n + 1] if size > n + 1 else ""
                        if not value:
                            continue
                        if qualifier == "GM" and current.sscc is None:
                            current.sscc = value
                        else:
                            current.marks.append(Reference(qualifier, value))
            elif segment_id == "TD1":
                party = None
                if isinstance(current, _Pack):
                    if not current.td1:
                        current.td1 = True
                        current.packaging_code = (segment[1] or None) if len(segment) > 1 else None
                        current.weight = optional_decimal(segment, 7)
                        current.weight_unit = (segment[8] or None) if len(segment) > 8 else None
                elif current is shipment and td1 is None:
                    td1 = (
                        (segment[1] or None) if len(segment) > 1 else None,
                        optional_decimal(segment, 2),
                        optional_decimal(segment, 7),
                        (segment[8] or None) if len(segment) > 8 else None,
                    )
            elif segment_id == "PRF":
                if isinstance(current, _Order) and current.po_number is None:
                    size = len(segment)
                    current.po_number = (segment[1] or None) if size > 1 else None
                    current.release_number = (segment[2] or None) if size > 2 else None
                    current.po_date = optional_date(segment, 4)
            elif segment_id == "N1":
                party = PartyBuilder(segment)
                if isinstance(current, _Order):
                    current.parties.append(party)
                elif current is shipment:
                    parties.append(party)
            elif segment_id == "TD5":
                party = None
                size = len(segment)
                carriers.append(
                    Carrier(
                        id_qualifier=(segment[2] or None) if size > 2 else None,
                        id=(segment[3] or None) if size > 3 else None,
                        transport_method=(segment[4] or None) if size > 4 else None,
                        routing=(segment[5] or None) if size > 5 else None,
                        service_level=(segment[12] or None) if size > 12 else None,
                    )
                )
            elif segment_id == "TD3":
                party = None
                size = len(segment)
                equipment.append(Reference(segment[1] if size > 1 else "", segment[3] if size > 3 else ""))
            elif segment_id == "BSN":
                if bsn is None:
                    bsn = segment
                    required(segment, 2)
                    notice_date = required_date(segment, 3)
            elif segment_id == "CTT":
                party = None
                declared_hl_count = optional_integer(segment, 1)
            elif party is not None:
                party.add(segment)
        if bsn is None or notice_date is None:
            raise missing("BSN", "856")
    except BadValue as bad:
        at = None if bad.code == "AK3.3" else index
        raise document_error(transaction, at, bad.message, bad.element, bad.code) from None
    size = len(bsn)
    packaging_code, lading_quantity, weight, weight_unit = (
        td1 if td1 is not None else (None, None, None, None)
    )
    return ShipNotice(
        purpose=bsn[1] if size > 1 else "",
        shipment_id=bsn[2],
        notice_date=notice_date,
        notice_time=(bsn[4] or None) if size > 4 else None,
        structure_code=(bsn[5] or None) if size > 5 else None,
        shipment_hl_id=shipment_hl_id,
        packaging_code=packaging_code,
        lading_quantity=lading_quantity,
        weight=weight,
        weight_unit=weight_unit,
        carriers=tuple(carriers),
        equipment=tuple(equipment),
        references=tuple(references),
        dates=tuple(dates),
        parties=tuple(p.build() for p in parties),
        orders=tuple(o.build() for o in orders),
        declared_hl_count=declared_hl_count,
    )
