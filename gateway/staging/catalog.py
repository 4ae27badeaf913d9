"""Staging supplier catalogs: each delivery a new version of the partner's catalog, with what changed.

``stage_catalog`` numbers the delivery (1, 2, 3... per partner) and writes its rows as ``open_catalog``
yields them, in batches: items (GTINs in ``catalog_item_gtins``), rejected rows (also as ``CATALOG.ROW``
issues, for ``v_exceptions``), so that memory stays flat whatever the size of the file. The changes from
the partner's previous version are then computed by the database, between the two versions'
``catalog_items`` (``_changes_statement``: the semantics of ``parsers.catalog.diff_catalogs``). A first
version has no previous one, hence no changes. Two deliveries with equal content are two versions (the
second without changes): identical files are deduplicated before staging, so a second version of equal
content is a deliberate re-send.

Everything happens in the caller's transaction, never committed here (a file that turns out unreadable
halfway leaves nothing once the caller rolls back). On PostgreSQL a transaction-level advisory lock per
partner makes concurrent deliveries of one partner take their numbers one after the other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from parsers.catalog import CatalogRows
from parsers.catalog.diff import ChangeKind
from parsers.documents.catalog import CatalogItem, RejectedRow

from .bulk import RowWriter, allocate_ids, date_parameter, decimal_parameter
from .models import CatalogChangeRow, CatalogItemRow, CatalogVersion
from .sql import bound_values

__all__ = ["CatalogStaging", "stage_catalog"]

_PARTNER_LOCK_CLASS = 0x4547_0004  # pg_advisory_xact_lock(class, hashtext(partner)): one version at a time
_BATCH_ROWS = 2_000  # items (and rejected rows) held before they are written: what bounds the memory

_versions: sa.Table = CatalogVersion.__table__  # type: ignore[assignment]
_items: sa.Table = CatalogItemRow.__table__  # type: ignore[assignment]
_changes: sa.Table = CatalogChangeRow.__table__  # type: ignore[assignment]

_VERSION_DETAILS = ("item_count", "rejected_count", "encoding", "delimiter", "notes")
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
            *_VERSION_DETAILS,
        )
    )
    .returning(_versions.c.id)
)
_FINISH_VERSION = (
    sa.update(_versions)
    .where(_versions.c.id == sa.bindparam("version"))
    .values(bound_values(_versions, *_VERSION_DETAILS))
)
_COUNT_CHANGES = (
    sa.select(_changes.c.kind, sa.func.count())
    .where(_changes.c.version_id == sa.bindparam("version"))
    .group_by(_changes.c.kind)
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
    connection: Connection, *, file_id: int, attempt_id: int, partner_id: str, rows: CatalogRows
) -> CatalogStaging:
    """Stage the ``rows`` of an open catalog (``open_catalog``) as the partner's next version (see the
    module doc). ``rows`` is iterated here, once."""
    if connection.dialect.name == "postgresql":
        connection.execute(_LOCK_PARTNER, {"class": _PARTNER_LOCK_CLASS, "partner": partner_id})
    latest = connection.execute(_LATEST_VERSION, {"partner": partner_id}).one_or_none()
    previous_id = None if latest is None else int(latest.id)
    number = 1 if latest is None else int(latest.number) + 1
    # Inserted first, for the items to refer to; its counts are known at the end (_FINISH_VERSION).
    version_id = int(
        connection.execute(
            _INSERT_VERSION,
            {
                "partner_id": partner_id,
                "file_id": file_id,
                "attempt_id": attempt_id,
                "number": number,
                "previous_version_id": previous_id,
                **_details(rows, items=0, rejected=0),
            },
        ).scalar_one()
    )
    writer = _BatchWriter(connection, version_id, file_id, attempt_id)
    for row in rows:
        writer.add(row)
    writer.flush()
    connection.execute(
        _FINISH_VERSION,
        {"version": version_id, **_details(rows, items=writer.items, rejected=writer.rejected)},
    )
    counts = {kind.value: 0 for kind in ChangeKind}
    if previous_id is not None:
        counts.update(_stage_changes(connection, previous_id, version_id))
    return CatalogStaging(
        version_id=version_id, number=number, items=writer.items, rejected=writer.rejected, changes=counts
    )


def _details(rows: CatalogRows, *, items: int, rejected: int) -> dict[str, Any]:
    return {
        "item_count": items,
        "rejected_count": rejected,
        "encoding": rows.encoding,
        "delimiter": rows.delimiter,
        "notes": list(rows.notes),
    }


class _BatchWriter:
    """The rows of one version, written every ``_BATCH_ROWS`` rows with the multi-row INSERTs of ``bulk``."""

    def __init__(self, connection: Connection, version_id: int, file_id: int, attempt_id: int) -> None:
        self._connection = connection
        self._version_id = version_id
        self._file_id = file_id
        self._attempt_id = attempt_id
        self._pending_items: list[CatalogItem] = []
        self._pending_rejected: list[RejectedRow] = []
        self._item_writer = RowWriter(connection, "catalog_items", _ITEM_COLUMNS)
        self._gtin_writer = RowWriter(connection, "catalog_item_gtins", _GTIN_COLUMNS)
        self._rejected_writer = RowWriter(connection, "catalog_rejected_rows", _REJECTED_COLUMNS)
        self._issue_writer = RowWriter(connection, "issues", _ISSUE_COLUMNS)
        self.items = 0
        self.rejected = 0

    def add(self, row: CatalogItem | RejectedRow) -> None:
        if isinstance(row, CatalogItem):
            self._pending_items.append(row)
            self.items += 1
        else:
            self._pending_rejected.append(row)
            self.rejected += 1
        if len(self._pending_items) + len(self._pending_rejected) >= _BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if self._pending_items:
            self._write_items(self._pending_items)
            self._pending_items = []
        if self._pending_rejected:
            self._write_rejected(self._pending_rejected)
            self._pending_rejected = []

    def _write_rejected(self, rejected: list[RejectedRow]) -> None:
        version_id, file_id, attempt_id = self._version_id, self._file_id, self._attempt_id
        self._rejected_writer.write([(version_id, row.line, row.reason, row.column) for row in rejected])
        self._issue_writer.write([_issue_row(row, file_id, attempt_id) for row in rejected])

    def _write_items(self, items: list[CatalogItem]) -> None:
        # Allocated per batch: allocate_ids wants each batch written before the next allocation.
        item_ids = allocate_ids(self._connection, "catalog_items", len(items))
        version_id = self._version_id
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
        self._item_writer.write(rows)
        self._gtin_writer.write(gtins)


def _issue_row(row: RejectedRow, file_id: int, attempt_id: int) -> tuple[Any, ...]:
    # The reason and the column name say where and why, never the value (it may be a contract price).
    return (attempt_id, file_id, REJECTED_ROW_CODE, "error", row.reason, row.line, row.column)


# -- the diff, in SQL --------------------------------------------------------------------------------------


def _stage_changes(connection: Connection, previous_id: int, version_id: int) -> dict[str, int]:
    """Write the changes from version ``previous_id`` to ``version_id``; their count by kind."""
    connection.execute(_CHANGES[connection.dialect.name], {"previous": previous_id, "current": version_id})
    counts = connection.execute(_COUNT_CHANGES, {"version": version_id})
    return {str(kind): int(count) for kind, count in counts}


def _sqlite_number(column: str) -> str:
    """An exact decimal as SQLite keeps it (TEXT, ``format(value, "f")``: no exponent, no leading zeros),
    made comparable as ``Decimal`` compares: 12.5 and 12.50 are the same price, -0 is 0. NULL stays NULL."""
    trimmed = f"(CASE WHEN instr({column}, '.') > 0 THEN rtrim(rtrim({column}, '0'), '.') ELSE {column} END)"
    return f"(CASE WHEN {trimmed} = '-0' THEN '0' ELSE {trimmed} END)"


def _postgresql_number(column: str) -> str:
    return column  # NUMERIC: 12.5 = 12.50 already


def _changes_sql(number: Callable[[str], str], distinct: str) -> str:
    """INSERT INTO catalog_changes ... SELECT: what ``parsers.catalog.diff_catalogs`` gives, in its order.

    Rows of the current (c) and previous (p) version match by key: part, unit, contract or "", tier or ""
    (a NULL contract is the "" contract). A current row without a previous one is ``new``; with one,
    ``price_changed`` when (price, currency, eaches) differ and ``dates_changed`` when (effective, expiry)
    differ, both NULL-safe (``distinct``: IS DISTINCT FROM, which SQLite spells IS NOT); a previous row
    without a current one is ``removed``. Keys are unique within a version (``open_catalog`` refuses a
    second row with the key of an earlier one), so the join pairs rows one to one, as ``diff_catalogs``
    does. The order: new and changed rows in the current file's order (price before dates), then removed
    rows in the previous file's order: item ids follow the file, being allocated as the rows are read.
    The key join is served by the (version_id, supplier_part) index: a part has a row per unit, contract
    and tier, a handful to filter."""
    key = """c.supplier_part = p.supplier_part AND c.unit = p.unit
            AND coalesce(c.contract_id, '') = coalesce(p.contract_id, '')
            AND coalesce(c.contract_tier, '') = coalesce(p.contract_tier, '')"""
    price_differs = " OR ".join(
        (
            f"{number('p.price')} {distinct} {number('c.price')}",
            f"p.currency {distinct} c.currency",
            f"{number('p.each_per_unit')} {distinct} {number('c.each_per_unit')}",
        )
    )
    dates_differ = f"p.effective_date {distinct} c.effective_date OR p.expiry_date {distinct} c.expiry_date"
    both = """c.supplier_part, c.unit, c.contract_id, c.contract_tier, p.price, c.price,
            p.effective_date, c.effective_date, p.expiry_date, c.expiry_date"""
    return f"""
INSERT INTO catalog_changes ({", ".join(_CHANGE_COLUMNS)})
SELECT :current, kind, supplier_part, unit, contract_id, contract_tier, old_price, new_price,
    old_effective_date, new_effective_date, old_expiry_date, new_expiry_date
FROM (
    SELECT 0 AS part_order, c.id AS item_order, 0 AS kind_order,
            CASE WHEN p.id IS NULL THEN 'new' ELSE 'price_changed' END AS kind,
            c.supplier_part AS supplier_part, c.unit AS unit, c.contract_id AS contract_id,
            c.contract_tier AS contract_tier, p.price AS old_price, c.price AS new_price,
            p.effective_date AS old_effective_date, c.effective_date AS new_effective_date,
            p.expiry_date AS old_expiry_date, c.expiry_date AS new_expiry_date
        FROM catalog_items c
        LEFT JOIN catalog_items p ON p.version_id = :previous AND {key}
        WHERE c.version_id = :current AND (p.id IS NULL OR {price_differs})
    UNION ALL
    SELECT 0, c.id, 1, 'dates_changed', {both}
        FROM catalog_items c
        JOIN catalog_items p ON p.version_id = :previous AND {key}
        WHERE c.version_id = :current AND ({dates_differ})
    UNION ALL
    SELECT 1, p.id, 0, 'removed', p.supplier_part, p.unit, p.contract_id, p.contract_tier, p.price, NULL,
            p.effective_date, NULL, p.expiry_date, NULL
        FROM catalog_items p
        LEFT JOIN catalog_items c ON c.version_id = :current AND {key}
        WHERE p.version_id = :previous AND c.id IS NULL
) AS changes
ORDER BY part_order, item_order, kind_order"""


# The one statement that differs per dialect, built once (as ``sql.PerDialect`` does for its inserts).
_CHANGES = {
    "sqlite": sa.text(_changes_sql(_sqlite_number, "IS NOT")),
    "postgresql": sa.text(_changes_sql(_postgresql_number, "IS DISTINCT FROM")),
}
