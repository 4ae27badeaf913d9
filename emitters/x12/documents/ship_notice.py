"""856 body segments (BSN, the HL tree, CTT, without ST/SE) from a ``ShipNotice``, per MAPPING.md.

HL ids are renumbered 1..n in tree order (the document's ``hl_id`` values are not written); HL02 is the
parent's new id and HL04 says whether children follow. Tree order: the shipment, then per order its packs
(each pack: its items, then its inner packs) and then its loose items, following the dataclasses' field order.

X12 carries one lot per item level: an item with several lots becomes one item level per lot (same line number
and identifiers, each lot's quantity in SN102). Within each level the standard order is kept: shipment TD1,
TD5*, TD3*, REF*, DTM*, N1 loops; order PRF, REF*, N1 loops; pack TD1, MAN*; item LIN, SN1, PID, REF*, DTM*.
"""

from __future__ import annotations

from decimal import Decimal

from parsers.documents import Carrier, Lot, Pack, ShipItem, ShipNotice, ShipOrder
from parsers.errors import WriterError

from .common import (
    Limits,
    Seg,
    add_dates,
    add_parties,
    add_references,
    date_text,
    decimal,
    description_segment,
    field_error,
    limits_for,
    line_count,
    pair,
    product_id_elements,
    required_date,
    required_text,
    text,
    time_text,
    whole_number,
    within,
)

LIN_MAX_PAIRS = 15  # LIN02/LIN03 .. LIN30/LIN31
LOT_QUALIFIER = "LT"
LOT_DATE_QUALIFIERS = ("036", "405")  # expiration, production: the lot's, not the item's
ITEM_REFERENCE_QUALIFIERS = ("LT", "SE")  # read back as the lot number and serial numbers


def ship_notice_segments(notice: ShipNotice, version: str) -> list[Seg]:
    """The 856 body for ``version``; WriterError names the failing field."""
    limits = limits_for(version)
    try:
        return _HlTree(limits).notice(notice)
    except WriterError as error:
        raise within(error, "ShipNotice") from None


class _HlTree:
    """Writes the HL levels depth first, numbering them as it goes."""

    __slots__ = ("count", "limits", "out")

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.out: list[Seg] = []
        self.count = 0

    def hl(self, parent: str, level: str, has_children: bool) -> str:
        self.count += 1
        number = str(self.count)
        self.out.append(["HL", number, parent, level, "1" if has_children else "0"])
        return number

    def notice(self, notice: ShipNotice) -> list[Seg]:
        out = self.out
        out.append(
            [
                "BSN",
                required_text(notice.purpose, "purpose", 2, 2),
                required_text(notice.shipment_id, "shipment_id", 30, 2),
                required_date(notice.notice_date, "notice_date"),
                time_text(notice.notice_time, "notice_time") or _missing("notice_time"),
                text(notice.structure_code, "structure_code", 4, 4),
            ]
        )
        shipment = self.hl("", "S", bool(notice.orders))
        measures = _td1(notice.packaging_code, notice.weight, notice.weight_unit)
        lading = whole_number(notice.lading_quantity, "lading_quantity", 7)
        if measures[1] and not lading:
            raise field_error(
                "lading_quantity", "required with packaging_code (TD1 rule C0102)", "X12.PAIRED"
            )
        measures[2] = lading
        if any(measures[1:]):
            out.append(measures)
        for index, carrier in enumerate(notice.carriers):
            try:
                out.append(_td5(carrier))
            except WriterError as error:
                raise within(error, f"carriers[{index}]") from None
        for index, equipment in enumerate(notice.equipment):
            try:
                if equipment.description:
                    raise field_error("description", "not carried by TD3", "X12.NOT_CARRIED")
                out.append(
                    [
                        "TD3",
                        required_text(equipment.qualifier, "qualifier", 2, 2),
                        "",
                        required_text(equipment.value, "value", 10),
                    ]
                )
            except WriterError as error:
                raise within(error, f"equipment[{index}]") from None
        add_references(out, notice.references, self.limits)
        add_dates(out, notice.dates)
        add_parties(out, notice.parties, self.limits)
        for index, order in enumerate(notice.orders):
            try:
                self.order(order, shipment)
            except WriterError as error:
                raise within(error, f"orders[{index}]") from None
        out.append(["CTT", line_count(notice.declared_hl_count, self.count, "declared_hl_count")])
        return out

    def order(self, order: ShipOrder, parent: str) -> None:
        out = self.out
        number = self.hl(parent, "O", bool(order.packs or order.items))
        po_number = text(order.po_number, "po_number", 22)
        release = text(order.release_number, "release_number", 30)
        po_date = date_text(order.po_date, "po_date")
        if po_number:
            out.append(["PRF", po_number, release, "", po_date])
        elif release or po_date:
            raise field_error("po_number", "required with release_number or po_date (PRF01)", "X12.MANDATORY")
        add_references(out, order.references, self.limits)
        add_parties(out, order.parties, self.limits)
        for index, pack in enumerate(order.packs):
            try:
                self.pack(pack, number)
            except WriterError as error:
                raise within(error, f"packs[{index}]") from None
        self.items(order.items, number)

    def pack(self, pack: Pack, parent: str) -> None:
        out = self.out
        if pack.level not in ("P", "T"):
            raise field_error("level", "not P (pack) or T (tare)", "X12.CODE")
        number = self.hl(parent, pack.level, bool(pack.items or pack.packs))
        measures = _td1(pack.packaging_code, pack.weight, pack.weight_unit)
        if measures[1]:
            measures[2] = "1"  # a pack level is one package (TD102 is required with TD101)
        if any(measures[1:]):
            out.append(measures)
        if pack.sscc:
            out.append(["MAN", "GM", text(pack.sscc, "sscc", 48)])
        for index, mark in enumerate(pack.marks):
            try:
                if mark.description:
                    raise field_error("description", "not carried by MAN", "X12.NOT_CARRIED")
                out.append(
                    [
                        "MAN",
                        required_text(mark.qualifier, "qualifier", 2, 1),
                        required_text(mark.value, "value", 48),
                    ]
                )
            except WriterError as error:
                raise within(error, f"marks[{index}]") from None
        self.items(pack.items, number)
        for index, inner in enumerate(pack.packs):
            try:
                self.pack(inner, number)
            except WriterError as error:
                raise within(error, f"packs[{index}]") from None

    def items(self, items: tuple[ShipItem, ...], parent: str) -> None:
        for index, item in enumerate(items):
            try:
                self.item(item, parent)
            except WriterError as error:
                raise within(error, f"items[{index}]") from None

    def item(self, item: ShipItem, parent: str) -> None:
        """One item level per lot (or one without lots)."""
        lots = item.lots
        if len(lots) <= 1:
            lot = lots[0] if lots else None
            quantity = item.quantity
            if lot is not None and lot.quantity is not None:
                if quantity is not None and quantity != lot.quantity:
                    raise field_error("lots[0].quantity", "differs from the item's quantity", "X12.CONFLICT")
                quantity = lot.quantity
            self.item_level(item, parent, lot, quantity, item.serial_numbers)
            return
        if item.serial_numbers:
            raise field_error("serial_numbers", "cannot be given to one of several lots", "X12.NOT_CARRIED")
        total = Decimal(0)
        for index, lot in enumerate(lots):
            if lot.quantity is None:
                raise field_error(
                    f"lots[{index}].quantity", "required when an item has several lots", "X12.MANDATORY"
                )
            total += lot.quantity
        if item.quantity is not None and item.quantity != total:
            raise field_error("quantity", "differs from the sum of its lots' quantities", "X12.CONFLICT")
        for index, lot in enumerate(lots):
            try:
                self.item_level(item, parent, lot, lot.quantity, ())
            except WriterError as error:
                raise within(error, f"lots[{index}]") from None

    def item_level(
        self, item: ShipItem, parent: str, lot: Lot | None, quantity: Decimal | None, serials: tuple[str, ...]
    ) -> None:
        out = self.out
        limits = self.limits
        self.hl(parent, "I", False)
        ids = item.product_ids
        for index, product_id in enumerate(ids):
            if product_id.qualifier == LOT_QUALIFIER:
                raise field_error(
                    f"product_ids[{index}].qualifier", "LT is the lot number: use lots", "X12.NOT_CARRIED"
                )
        elements = product_id_elements(ids, LIN_MAX_PAIRS - (lot is not None))
        if lot is not None:
            elements.append(LOT_QUALIFIER)
            elements.append(required_text(lot.number, "lot.number", 48))
        line_number = text(item.line_number, "line_number", 20)
        if elements:
            out.append(["LIN", line_number, *elements])
        elif line_number:
            raise field_error(
                "product_ids", "a LIN with a line number needs an identifier or a lot", "X12.MANDATORY"
            )
        shipped = decimal(quantity, "quantity", 10)
        unit = text(item.unit, "unit", 2, 2)
        ordered = decimal(item.ordered_quantity, "ordered_quantity", 15)
        ordered_unit = text(item.ordered_unit, "ordered_unit", 2, 2)
        status = text(item.status, "status", 2, 2)
        pair(ordered, ordered_unit, "ordered_quantity", "ordered_unit")
        if shipped or unit:
            pair(shipped, unit, "quantity", "unit")
            out.append(["SN1", "", shipped, unit, "", ordered, ordered_unit, "", status])
        elif ordered or status:
            raise field_error("quantity", "required with ordered_quantity or status (SN102)", "X12.MANDATORY")
        description = description_segment(item.description)
        if description is not None:
            out.append(description)
        for index, reference in enumerate(item.references):
            if reference.qualifier in ITEM_REFERENCE_QUALIFIERS:
                raise field_error(
                    f"references[{index}].qualifier",
                    "LT and SE are read as lot and serial numbers",
                    "X12.NOT_CARRIED",
                )
        add_references(out, item.references, limits)
        for index, serial in enumerate(serials):
            out.append(
                ["REF", "SE", required_text(serial, f"serial_numbers[{index}]", limits.reference_value)]
            )
        for index, item_date in enumerate(item.dates):
            if item_date.qualifier in LOT_DATE_QUALIFIERS:
                raise field_error(
                    f"dates[{index}].qualifier",
                    "036 and 405 are the lot's dates: use lots",
                    "X12.NOT_CARRIED",
                )
        add_dates(out, item.dates)
        if lot is not None:
            if lot.expiration_date is not None:
                out.append(["DTM", "036", date_text(lot.expiration_date, "lot.expiration_date")])
            if lot.production_date is not None:
                out.append(["DTM", "405", date_text(lot.production_date, "lot.production_date")])


def _missing(field: str) -> str:
    raise field_error(field, "mandatory value is empty", "X12.MANDATORY")


def _td1(packaging_code: str | None, weight: Decimal | None, weight_unit: str | None) -> Seg:
    """TD1 with packaging code (01), an empty lading quantity (02, filled by the caller) and the gross weight
    (06 ``G``, 07, 08)."""
    code = text(packaging_code, "packaging_code", 5, 3)
    written_weight = decimal(weight, "weight", 10)
    unit = text(weight_unit, "weight_unit", 2, 2)
    pair(written_weight, unit, "weight", "weight_unit")
    return ["TD1", code, "", "", "", "", "G" if written_weight else "", written_weight, unit]


def _td5(carrier: Carrier) -> Seg:
    """TD5: id qualifier and id (together), transport method, routing, service level."""
    qualifier = text(carrier.id_qualifier, "id_qualifier", 2, 1)
    identifier = text(carrier.id, "id", 80, 2)
    pair(qualifier, identifier, "id_qualifier", "id")
    method = text(carrier.transport_method, "transport_method", 2, 1)
    routing = text(carrier.routing, "routing", 35)
    service = text(carrier.service_level, "service_level", 2, 1)
    if not (qualifier or method or routing or service):
        raise field_error(
            "id", "a carrier needs an id, a transport method, a routing or a service level", "X12.MANDATORY"
        )
    return ["TD5", "", qualifier, identifier, method, routing, "", "", "", "", "", "", service]
