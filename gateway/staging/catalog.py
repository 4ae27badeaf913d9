"""Staging supplier catalogs: each delivery a new version of the partner's catalog, with what changed.

``stage_catalog`` numbers the delivery (1, 2, 3... per partner), writes its items (GTINs in
``catalog_item_gtins``), its rejected rows (also as ``CATALOG.ROW`` issues, for ``v_exceptions``) and its
changes from the partner's previous version, computed by ``parsers.catalog.diff_catalogs`` on the previous
version's items read back from ``catalog_items``. A first version has no previous one, hence no changes.
Two deliveries with equal content are two versions (the second without changes): identical files are
deduplicated before staging, so a second version of equal content is a deliberate re-send.

Everything happens in the caller's transaction, never committed here. On PostgreSQL a transaction-level
advisory lock per partner makes concurrent deliveries of one partner take their numbers one after the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from parsers.catalog.diff import ChangeKind, diff_catalogs
from parsers.documents.catalog import Catalog, CatalogChange, CatalogItem, RejectedRow

from .bulk import RowWriter, allocate_ids, date_parameter, decimal_parameter
from .models import CatalogItemRow, CatalogVersion
from .sql import bound_values

__all__ = ["CatalogStaging", "stage_catalog"]

_PARTNER_LOCK_CLASS = 0x4547_0004  # pg_advisory_xact_lock(class, hashtext(partner)): one version at a time

_versions: sa.Table = CatalogVersion.__table__  # type: ignore[assignment]
_items: sa.Table = CatalogItemRow.__table__  # type: ignore[assignment]

_LOCK_PARTNER = sa.text("SELECT pg_advisory_xact_lock(:class, hashtext(:partner))")
_LATEST_VERSION = (
    sa.select(_versions.c.id, _versions.c.number)
    .where(_versions.c.partner_id == sa.bindparam("partner"))
    .order_by(_versions.c.number.desc())
    .limit(1)
)
_INSERT_VERSION = (
    sa.insert(_versions)
    .values(
        bound_values(
            _versions,
            "partner_id",
            "file_id",
            "attempt_id",
            "number",
            "previous_version_id",
            "item_count",
            "rejected_count",
            "encoding",
            "delimiter",
            "notes",
        )
    )
    .returning(_versions.c.id)
)
# What diff_catalogs compares (CatalogItem.key, price, currency, eaches, dates), in file order.
_DIFFED_ITEMS = (
    sa.select(
        _items.c.line,
        _items.c.supplier_part,
        _items.c.unit,
        _items.c.each_per_unit,
        _items.c.contract_id,
        _items.c.contract_tier,
        _items.c.price,
        _items.c.currency,
        _items.c.effective_date,
        _items.c.expiry_date,
    )
    .where(_items.c.version_id == sa.bindparam("version"))
    .order_by(_items.c.id)
)

_ITEM_COLUMNS = (
    "id", "version_id", "line", "supplier_part", "unit", "each_per_unit", "description", "manufacturer",
    "manufacturer_part", "unspsc", "ndc", "hcpcs", "contract_id", "contract_tier", "price", "currency",
    "price_per_each", "effective_date", "expiry_date", "minimum_quantity",
)  # fmt: skip
_GTIN_COLUMNS = ("item_id", "level", "gtin")
_REJECTED_COLUMNS = ("version_id", "line", "reason", "column")
_CHANGE_COLUMNS = (
    "version_id", "kind", "supplier_part", "unit", "contract_id", "contract_tier", "old_price", "new_price",
    "old_effective_date", "new_effective_date", "old_expiry_date", "new_expiry_date",
)  # fmt: skip
_ISSUE_COLUMNS = ("attempt_id", "file_id", "code", "severity", "message", "segment", "segment_id")
REJECTED_ROW_CODE = "CATALOG.ROW"


@dataclass(frozen=True, slots=True)
class CatalogStaging:
    """The version staged: its id and number, its counts, and its changes by kind (every kind, 0 too)."""

    version_id: int
    number: int
    items: int
    rejected: int
    changes: dict[str, int]  # kind -> count


def stage_catalog(
    connection: Connection, *, file_id: int, attempt_id: int, partner_id: str, catalog: Catalog
) -> CatalogStaging:
    """Stage ``catalog`` as the partner's next version (see the module doc)."""
    if connection.dialect.name == "postgresql":
        connection.execute(_LOCK_PARTNER, {"class": _PARTNER_LOCK_CLASS, "partner": partner_id})
    latest = connection.execute(_LATEST_VERSION, {"partner": partner_id}).one_or_none()
    previous_id = None if latest is None else int(latest.id)
    number = 1 if latest is None else int(latest.number) + 1
    version_id = int(
        connection.execute(
            _INSERT_VERSION,
            {
                "partner_id": partner_id,
                "file_id": file_id,
                "attempt_id": attempt_id,
                "number": number,
                "previous_version_id": previous_id,
                "item_count": len(catalog.items),
                "rejected_count": len(catalog.rejected),
                "encoding": catalog.encoding,
                "delimiter": catalog.delimiter,
                "notes": list(catalog.notes),
            },
        ).scalar_one()
    )
    # Read before this version's items are written: the previous version is all there is to compare with.
    changes = [] if previous_id is None else diff_catalogs(_previous_items(connection, previous_id), catalog)
    _write_items(connection, version_id, catalog.items)
    RowWriter(connection, "catalog_rejected_rows", _REJECTED_COLUMNS).write(
        [(version_id, row.line, row.reason, row.column) for row in catalog.rejected]
    )
    RowWriter(connection, "catalog_changes", _CHANGE_COLUMNS).write(
        [_change_row(change, version_id) for change in changes]
    )
    RowWriter(connection, "issues", _ISSUE_COLUMNS).write(
        [_issue_row(row, file_id, attempt_id) for row in catalog.rejected]
    )
    counts = {kind.value: 0 for kind in ChangeKind}
    for change in changes:
        counts[change.kind] += 1
    return CatalogStaging(
        version_id=version_id,
        number=number,
        items=len(catalog.items),
        rejected=len(catalog.rejected),
        changes=counts,
    )


def _previous_items(connection: Connection, version_id: int) -> list[CatalogItem]:
    """The previous version's items with what ``diff_catalogs`` compares (the rest is not needed)."""
    return [
        CatalogItem(
            line=row.line,
            supplier_part=row.supplier_part,
            unit=row.unit,
            each_per_unit=row.each_per_unit,
            contract_id=row.contract_id,
            contract_tier=row.contract_tier,
            price=row.price,
            currency=row.currency,
            effective_date=row.effective_date,
            expiry_date=row.expiry_date,
        )
        for row in connection.execute(_DIFFED_ITEMS, {"version": version_id})
    ]


def _write_items(connection: Connection, version_id: int, items: tuple[CatalogItem, ...]) -> None:
    item_ids = allocate_ids(connection, "catalog_items", len(items))
    rows: list[tuple[Any, ...]] = []
    gtins: list[tuple[Any, ...]] = []
    for item_id, item in zip(item_ids, items, strict=True):
        rows.append(
            (
                item_id,
                version_id,
                item.line,
                item.supplier_part,
                item.unit,
                decimal_parameter(item.each_per_unit),
                item.description,
                item.manufacturer,
                item.manufacturer_part,
                item.unspsc,
                item.ndc,
                item.hcpcs,
                item.contract_id,
                item.contract_tier,
                decimal_parameter(item.price),
                item.currency,
                decimal_parameter(item.price_per_each),
                date_parameter(item.effective_date),
                date_parameter(item.expiry_date),
                decimal_parameter(item.minimum_quantity),
            )
        )
        gtins.extend((item_id, gtin.level, gtin.gtin) for gtin in item.gtins)
    RowWriter(connection, "catalog_items", _ITEM_COLUMNS).write(rows)
    RowWriter(connection, "catalog_item_gtins", _GTIN_COLUMNS).write(gtins)


def _change_row(change: CatalogChange, version_id: int) -> tuple[Any, ...]:
    return (
        version_id,
        ChangeKind(change.kind).value,
        change.supplier_part,
        change.unit,
        change.contract_id,
        change.contract_tier,
        decimal_parameter(change.old_price),
        decimal_parameter(change.new_price),
        date_parameter(change.old_effective_date),
        date_parameter(change.new_effective_date),
        date_parameter(change.old_expiry_date),
        date_parameter(change.new_expiry_date),
    )


def _issue_row(row: RejectedRow, file_id: int, attempt_id: int) -> tuple[Any, ...]:
    # The reason and the column name say where and why, never the value (it may be a contract price).
    return (attempt_id, file_id, REJECTED_ROW_CODE, "error", row.reason, row.line, row.column)
