"""``Catalog``: a supplier's or GPO's item and contract-price file, as typed rows and the rows refused.

Healthcare catalogs list an item once per unit of measure (EA, BX, CS...) with how many eaches that unit
holds, the GTIN of each packaging level, and contract prices by contract and tier. Prices are exact
decimals; ``price_per_each`` is the price divided by the eaches per unit, so items sold by the box and by
the case compare. A row that cannot be read exactly is refused with its line and reason, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .common import Document


@dataclass(frozen=True, slots=True)
class PackagingGtin(Document):
    """The GTIN-14 (check digit verified) of one packaging level of an item."""

    level: str  # the unit of measure it identifies: EA, BX, CS, CA, PK...
    gtin: str


@dataclass(frozen=True, slots=True)
class CatalogItem(Document):
    """One row of a catalog: an item in one unit of measure, with its contract price if any."""

    line: int  # the physical line of the file it came from (1-based, the header counted)
    supplier_part: str
    unit: str  # unit of measure of the price: EA, BX, CS, CA...
    each_per_unit: Decimal = Decimal(1)
    description: str | None = None
    manufacturer: str | None = None
    manufacturer_part: str | None = None
    gtins: tuple[PackagingGtin, ...] = ()
    unspsc: str | None = None
    ndc: str | None = None
    hcpcs: str | None = None
    contract_id: str | None = None
    contract_tier: str | None = None
    price: Decimal | None = None
    currency: str | None = None
    price_per_each: Decimal | None = None
    effective_date: date | None = None
    expiry_date: date | None = None
    minimum_quantity: Decimal | None = None

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What identifies the row from one delivery to the next: part, unit, contract and tier."""
        return (self.supplier_part, self.unit, self.contract_id or "", self.contract_tier or "")


@dataclass(frozen=True, slots=True)
class RejectedRow(Document):
    """A row refused, with where and why (no values from the row: they may be contract prices)."""

    line: int
    reason: str
    column: str | None = None


@dataclass(frozen=True, slots=True)
class Catalog(Document):
    """One delivery of a catalog: the rows read, the rows refused, and notes on how it was read."""

    items: tuple[CatalogItem, ...] = ()
    rejected: tuple[RejectedRow, ...] = ()
    notes: tuple[str, ...] = ()  # e.g. "delimiter sniffed: ';'", "encoding: cp1252"
    encoding: str | None = None
    delimiter: str | None = None


@dataclass(frozen=True, slots=True)
class CatalogChange(Document):
    """How one row differs from the previous version of the catalog."""

    kind: str  # "new", "removed", "price_changed", "dates_changed"
    supplier_part: str
    unit: str
    contract_id: str | None = None
    contract_tier: str | None = None
    old_price: Decimal | None = None
    new_price: Decimal | None = None
    old_effective_date: date | None = None
    new_effective_date: date | None = None
    old_expiry_date: date | None = None
    new_expiry_date: date | None = None
