"""``diff_catalogs``: what changed from one delivery of a catalog to the next.

Rows are matched by ``CatalogItem.key`` (supplier part, unit, contract, tier). A row only in the current
delivery is ``new``, only in the previous one ``removed``; a row in both is ``price_changed`` when what is
paid per each changed (the price, its currency or the eaches in the unit) and ``dates_changed`` when its
effective or expiry date moved; both changes are listed when both happened. Prices compare as numbers
(12.5 and 12.50 are the same price).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from ..documents.catalog import Catalog, CatalogChange, CatalogItem
from .collector import collector_paused

__all__ = ["ChangeKind", "diff_catalogs"]


class ChangeKind(StrEnum):
    NEW = "new"
    REMOVED = "removed"
    PRICE_CHANGED = "price_changed"
    DATES_CHANGED = "dates_changed"


def diff_catalogs(previous: Catalog | Iterable[CatalogItem], current: Catalog) -> list[CatalogChange]:
    """The changes from ``previous`` (a catalog, or the items staged from it) to ``current``: new and
    changed rows in the current delivery's order, then removed rows in the previous one's."""
    with collector_paused():
        return _diff(previous, current)


def _diff(previous: Catalog | Iterable[CatalogItem], current: Catalog) -> list[CatalogChange]:
    before: dict[tuple[str, str, str, str], CatalogItem] = {}
    for item in previous.items if isinstance(previous, Catalog) else previous:
        before.setdefault(item.key, item)
    changes: list[CatalogChange] = []
    seen: set[tuple[str, str, str, str]] = set()
    for item in current.items:
        key = item.key
        if key in seen:
            continue
        seen.add(key)
        old = before.get(key)
        if old is None:
            changes.append(_change(ChangeKind.NEW, None, item))
            continue
        if (old.price, old.currency, old.each_per_unit) != (item.price, item.currency, item.each_per_unit):
            changes.append(_change(ChangeKind.PRICE_CHANGED, old, item))
        if (old.effective_date, old.expiry_date) != (item.effective_date, item.expiry_date):
            changes.append(_change(ChangeKind.DATES_CHANGED, old, item))
    changes.extend(_change(ChangeKind.REMOVED, old, None) for key, old in before.items() if key not in seen)
    return changes


def _change(kind: ChangeKind, old: CatalogItem | None, new: CatalogItem | None) -> CatalogChange:
    either = new if new is not None else old
    assert either is not None
    return CatalogChange(
        kind=kind.value,
        supplier_part=either.supplier_part,
        unit=either.unit,
        contract_id=either.contract_id,
        contract_tier=either.contract_tier,
        old_price=None if old is None else old.price,
        new_price=None if new is None else new.price,
        old_effective_date=None if old is None else old.effective_date,
        new_effective_date=None if new is None else new.effective_date,
        old_expiry_date=None if old is None else old.expiry_date,
        new_expiry_date=None if new is None else new.expiry_date,
    )
