"""One CSV row to one ``CatalogItem``, or the reason it is refused.

A row is refused whole (``RowRejected``: reason and column, never the value) when any mapped cell cannot be
read exactly, when a required field is empty, when its cells do not line up with the header (a delimiter
inside an unquoted description shifts every column after it: the price read would be another column's),
or when an earlier row of the file has the same key (part, unit, contract, tier: the diff would have two
prices for one row). The other rows of the file are not affected.

This is the hot loop of catalog reading (the benchmark's target is 100,000 rows a second), hence the
inlined cells, the bounded caches of values that repeat from row to row (eaches, codes, dates; the GTINs of
the previous row, which the other rows of the same item repeat), and ``_new_item``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from operator import itemgetter
from typing import Any, Final, NoReturn, TypeVar

from ..documents.catalog import CatalogItem, PackagingGtin
from .layout import Header
from .mapping import CatalogMapping
from .units import EACHES_BY_DEFINITION, unit_table
from .values import (
    ValueProblem,
    is_excel_scientific,
    normalise_gtin,
    parse_currency,
    parse_date,
    parse_hcpcs,
    parse_ndc,
    parse_number,
    parse_unspsc,
    price_per_each,
)

__all__ = ["RowConverter", "RowRejected"]

_NOT_MAPPED: Final = -1
CACHE_SIZE: Final = 4096  # per cache: values past it are computed each time, so memory stays flat
_V = TypeVar("_V")
ItemKey = tuple[str, str, str, str]


class RowRejected(Exception):
    """Why a row is refused, and the column concerned (its header name, or "column N")."""

    def __init__(self, reason: str, column: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.column = column


class RowConverter:
    """Converts the rows of one file, with the indexes its header resolved; one instance per file."""

    def __init__(self, mapping: CatalogMapping, header: Header) -> None:
        self._labels = header.labels
        # Every single-column field, in one order: their cells are fetched (and stripped) by one itemgetter
        # call; a field the mapping leaves out reads index -1, the empty cell appended to each row.
        self._cells = itemgetter(*(header.indexes.get(name, _NOT_MAPPED) for name in _FIELD_ORDER))
        self._gtin_levels = tuple(level for level, _index in header.gtin_indexes)
        self._gtin_of_unit = None in self._gtin_levels  # a column with the GTIN of each row's own unit
        gtin_indexes = [index for _level, index in header.gtin_indexes]
        # With one index itemgetter returns the cell itself, not a tuple: both are hashable cache keys.
        self._gtin_cells: Callable[[list[str]], object] | None = (
            itemgetter(*gtin_indexes) if gtin_indexes else None
        )
        self._needed = 1 + max([*header.indexes.values(), *gtin_indexes])
        self._width = header.width
        self._units = unit_table(mapping.unit_aliases)
        self._default_unit = (
            None if mapping.default_unit is None else self._units[mapping.default_unit.strip().upper()]
        )
        self._default_currency = (
            None if mapping.default_currency is None else mapping.default_currency.strip().upper()
        )
        self._decimal = mapping.decimal_separator
        self._thousands = mapping.thousands_separator
        self._date_format = mapping.date_format or ""
        self._required = tuple(sorted(mapping.required))
        self._seen: dict[ItemKey, int] = {}
        # Values read from a cell's text, by the text (bounded: CACHE_SIZE): catalogs repeat them row on row.
        self._quantities: dict[str, Decimal] = {}
        self._dates: dict[str, date] = {}
        self._last_gtin_cells: object = None
        self._last_gtin_unit = ""
        self._last_gtins: tuple[PackagingGtin, ...] = ()
        self._codes: dict[str, dict[str, str]] = {"unspsc": {}, "ndc": {}, "hcpcs": {}, "currency": {}}

    def __call__(self, row: list[str], line: int) -> CatalogItem:
        """The item of ``row`` (which starts on physical ``line``); ``RowRejected`` when it is refused."""
        if len(row) < self._needed or (self._width is not None and len(row) > self._width):
            self._check_width(row)
        row.append("")
        (
            part,
            unit_cell,
            each_cell,
            description,
            manufacturer,
            manufacturer_part,
            unspsc_cell,
            ndc_cell,
            hcpcs_cell,
            contract,
            tier,
            price_cell,
            currency_cell,
            effective_cell,
            expiry_cell,
            minimum_cell,
        ) = map(str.strip, self._cells(row))
        if not part:
            raise RowRejected("supplier part number missing", self._labels["supplier_part"])
        if ("E" in part or "e" in part) and is_excel_scientific(part):
            raise RowRejected(
                "supplier part number in scientific notation (Excel)", self._labels["supplier_part"]
            )
        if ("E" in manufacturer_part or "e" in manufacturer_part) and is_excel_scientific(manufacturer_part):
            raise RowRejected(
                "manufacturer part number in scientific notation (Excel)", self._labels["manufacturer_part"]
            )
        unit = self._units.get(unit_cell.upper()) if unit_cell else self._default_unit
        if unit is None:
            self._reject_unit(unit_cell)
        gtins = self._read_gtins(row, unit) if self._gtin_cells is not None else ()
        if each_cell:
            each = self._quantities.get(each_cell) or self._quantity(each_cell, "each_per_unit")
            by_definition = EACHES_BY_DEFINITION.get(unit)
            if by_definition is not None and each != by_definition:
                raise RowRejected(
                    f"each per unit contradicts the unit ({unit} is {by_definition} by definition)",
                    self._labels["each_per_unit"],
                )
        else:
            each = self._each_by_definition(unit)
        codes = self._codes
        currency = (
            codes["currency"].get(currency_cell) or self._code(parse_currency, currency_cell, "currency")
            if currency_cell
            else self._default_currency
        )
        price: Decimal | None = None
        per_each: Decimal | None = None
        if price_cell:
            try:
                price, named = parse_number(price_cell, self._decimal, self._thousands)
            except ValueProblem as problem:
                raise RowRejected(f"price: {problem.reason}", self._labels["price"]) from None
            if named is not None:
                if currency is not None and named != currency:
                    raise RowRejected("price names another currency than the row's", self._labels["price"])
                currency = named
            per_each = price_per_each(price, each)
        dates = self._dates
        effective = (
            dates.get(effective_cell) or self._date(effective_cell, "effective_date")
            if effective_cell
            else None
        )
        expiry = dates.get(expiry_cell) or self._date(expiry_cell, "expiry_date") if expiry_cell else None
        if effective is not None and expiry is not None and expiry < effective:
            raise RowRejected("expiry date before effective date", self._labels["expiry_date"])
        item = _new_item(
            line,
            part,
            unit,
            each,
            description or None,
            manufacturer or None,
            manufacturer_part or None,
            gtins,
            codes["unspsc"].get(unspsc_cell) or self._code(parse_unspsc, unspsc_cell, "unspsc")
            if unspsc_cell
            else None,
            codes["ndc"].get(ndc_cell) or self._code(parse_ndc, ndc_cell, "ndc") if ndc_cell else None,
            codes["hcpcs"].get(hcpcs_cell) or self._code(parse_hcpcs, hcpcs_cell, "hcpcs")
            if hcpcs_cell
            else None,
            contract or None,
            tier or None,
            price,
            currency,
            per_each,
            effective,
            expiry,
            self._quantities.get(minimum_cell) or self._quantity(minimum_cell, "minimum_quantity")
            if minimum_cell
            else None,
        )
        for name in self._required:
            if getattr(item, name) is None:
                raise RowRejected(f"{name.replace('_', ' ')} missing", self._labels.get(name))
        first = self._seen.setdefault((part, unit, contract, tier), line)
        if first != line:
            raise RowRejected(f"same part, unit, contract and tier as line {first}")
        return item

    # -- the less travelled paths ----------------------------------------------------------------------------

    def _check_width(self, row: list[str]) -> None:
        if len(row) < self._needed:
            raise RowRejected(f"row has {len(row)} fields, the mapping reads up to field {self._needed}")
        assert self._width is not None
        if any(row[self._width :]):
            raise RowRejected(
                f"row has {len(row)} fields, the header {self._width}: a delimiter in an unquoted value?"
            )

    def _reject_unit(self, cell: str) -> NoReturn:
        if not cell:
            raise RowRejected("unit of measure missing", self._labels.get("unit"))
        raise RowRejected(
            "unit of measure not in the unit table or the partner's aliases", self._labels["unit"]
        )

    def _each_by_definition(self, unit: str) -> Decimal:
        by_definition = EACHES_BY_DEFINITION.get(unit)
        if by_definition is None:
            raise RowRejected(
                f"each per unit missing (how many eaches a {unit} holds)", self._labels.get("each_per_unit")
            )
        return _EACHES[by_definition]

    def _read_gtins(self, row: list[str], unit: str) -> tuple[PackagingGtin, ...]:
        assert self._gtin_cells is not None
        cells = self._gtin_cells(row)
        if cells == self._last_gtin_cells and (unit == self._last_gtin_unit or not self._gtin_of_unit):
            return self._last_gtins  # the EA, BX and CS rows of an item (and its tiers) repeat its GTINs
        gtins: dict[str, PackagingGtin] = {}
        texts = cells if isinstance(cells, tuple) else (cells,)
        for level, cell in zip(self._gtin_levels, texts, strict=True):
            text = cell.strip()
            if not text:
                continue
            label = self._labels["gtin" if level is None else f"gtins[{level}]"]
            try:
                gtin = _new_gtin(level or unit, normalise_gtin(text))
            except ValueProblem as problem:
                raise RowRejected(problem.reason, label) from None
            other = gtins.setdefault(gtin.level, gtin)
            if other.gtin != gtin.gtin:
                raise RowRejected(f"two different GTINs for the row's unit {unit}", label)
        self._last_gtin_cells, self._last_gtin_unit = cells, unit
        self._last_gtins = tuple(gtins.values())
        return self._last_gtins

    def _code(self, read: Callable[[str], str], cell: str, name: str) -> str:
        try:
            return _remember(self._codes[name], cell, read(cell))
        except ValueProblem as problem:
            raise RowRejected(problem.reason, self._labels[name]) from None

    def _date(self, cell: str, name: str) -> date:
        try:
            return _remember(self._dates, cell, parse_date(cell, self._date_format))
        except ValueProblem as problem:
            raise RowRejected(f"{name.replace('_', ' ')}: {problem.reason}", self._labels[name]) from None

    def _quantity(self, cell: str, name: str) -> Decimal:
        try:
            value, named = parse_number(cell, self._decimal, self._thousands)
        except ValueProblem as problem:
            raise RowRejected(f"{name.replace('_', ' ')}: {problem.reason}", self._labels[name]) from None
        if named is not None or value <= 0:
            raise RowRejected(f"{name.replace('_', ' ')}: not a positive quantity", self._labels[name])
        return _remember(self._quantities, cell, value)


_FIELD_ORDER: Final = (
    "supplier_part",
    "unit",
    "each_per_unit",
    "description",
    "manufacturer",
    "manufacturer_part",
    "unspsc",
    "ndc",
    "hcpcs",
    "contract_id",
    "contract_tier",
    "price",
    "currency",
    "effective_date",
    "expiry_date",
    "minimum_quantity",
)
_EACHES: Final = {count: Decimal(count) for count in set(EACHES_BY_DEFINITION.values())}


def _remember(cache: dict[Any, _V], key: object, value: _V) -> _V:
    if len(cache) < CACHE_SIZE:
        cache[key] = value
    return value


# ``CatalogItem`` and ``PackagingGtin`` are frozen dataclasses: their generated ``__init__`` sets each field
# through ``object.__setattr__``, which was about a quarter of the cost of a row. The slots' own setters do
# the same work directly. tests/catalog/test_rows.py checks that ``_new_item`` and ``CatalogItem(...)`` build
# equal items with every field set, so a field added to the document cannot be forgotten here.
def _slot_setters(cls: type) -> dict[str, Callable[[Any, object], None]]:
    """The setter of each field's slot of a frozen, slotted dataclass."""
    return {field.name: getattr(cls, field.name).__set__ for field in dataclasses.fields(cls)}


_SET: Final = _slot_setters(CatalogItem)
_set_line = _SET["line"]
_set_supplier_part = _SET["supplier_part"]
_set_unit = _SET["unit"]
_set_each_per_unit = _SET["each_per_unit"]
_set_description = _SET["description"]
_set_manufacturer = _SET["manufacturer"]
_set_manufacturer_part = _SET["manufacturer_part"]
_set_gtins = _SET["gtins"]
_set_unspsc = _SET["unspsc"]
_set_ndc = _SET["ndc"]
_set_hcpcs = _SET["hcpcs"]
_set_contract_id = _SET["contract_id"]
_set_contract_tier = _SET["contract_tier"]
_set_price = _SET["price"]
_set_currency = _SET["currency"]
_set_price_per_each = _SET["price_per_each"]
_set_effective_date = _SET["effective_date"]
_set_expiry_date = _SET["expiry_date"]
_set_minimum_quantity = _SET["minimum_quantity"]
_set_level, _set_gtin = _slot_setters(PackagingGtin).values()


def _new_gtin(level: str, gtin: str) -> PackagingGtin:
    """``PackagingGtin(level, gtin)``, the same way as ``_new_item``."""
    packaging: PackagingGtin = object.__new__(PackagingGtin)
    _set_level(packaging, level)
    _set_gtin(packaging, gtin)
    return packaging


def _new_item(
    line: int,
    supplier_part: str,
    unit: str,
    each_per_unit: Decimal,
    description: str | None,
    manufacturer: str | None,
    manufacturer_part: str | None,
    gtins: tuple[PackagingGtin, ...],
    unspsc: str | None,
    ndc: str | None,
    hcpcs: str | None,
    contract_id: str | None,
    contract_tier: str | None,
    price: Decimal | None,
    currency: str | None,
    price_per_each: Decimal | None,
    effective_date: date | None,
    expiry_date: date | None,
    minimum_quantity: Decimal | None,
    /,
) -> CatalogItem:
    """``CatalogItem(...)`` with every field given, in the dataclass's field order."""
    item: CatalogItem = object.__new__(CatalogItem)
    _set_line(item, line)
    _set_supplier_part(item, supplier_part)
    _set_unit(item, unit)
    _set_each_per_unit(item, each_per_unit)
    _set_description(item, description)
    _set_manufacturer(item, manufacturer)
    _set_manufacturer_part(item, manufacturer_part)
    _set_gtins(item, gtins)
    _set_unspsc(item, unspsc)
    _set_ndc(item, ndc)
    _set_hcpcs(item, hcpcs)
    _set_contract_id(item, contract_id)
    _set_contract_tier(item, contract_tier)
    _set_price(item, price)
    _set_currency(item, currency)
    _set_price_per_each(item, price_per_each)
    _set_effective_date(item, effective_date)
    _set_expiry_date(item, expiry_date)
    _set_minimum_quantity(item, minimum_quantity)
    return item
