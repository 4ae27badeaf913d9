"""The catalog stager with the real parser: versions per partner, items and GTINs, rejected rows (also as
issues), and the changes from the previous version; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from gateway.staging import catalog as catalog_stager
from gateway.staging.database import Database
from parsers.catalog import diff_catalogs, parse_catalog
from parsers.documents.catalog import CatalogChange
from tests.catalog.test_diff import APRIL, MAPPING, MARCH
from tests.catalog.test_golden import MAPPINGS

from .helpers import CATALOG_GOLDEN, stage_catalog_bytes

CASES = sorted(CATALOG_GOLDEN.glob("*.csv"))


def query(database: Database, sql: str, **parameters: Any) -> list[tuple[Any, ...]]:
    with database.read() as connection:
        return [tuple(row) for row in connection.execute(sa.text(sql), parameters)]


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


@pytest.mark.parametrize("batch", [2, None], ids=["batches of 2", "default batches"])
@pytest.mark.parametrize("case", CASES, ids=lambda path: path.name)
def test_golden_catalogs_stage_items_gtins_and_rejected_rows(
    database: Database, case: Path, batch: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if batch is not None:  # rows written over many batches: ids, GTINs and rejected rows still line up
        monkeypatch.setattr(catalog_stager, "_BATCH_ROWS", batch)
    data = case.read_bytes()
    catalog = parse_catalog(data, MAPPINGS[case.name])
    file_id, attempt_id, staging = stage_catalog_bytes(database, data, MAPPINGS[case.name], name=case.name)
    assert (staging.number, staging.items, staging.rejected) == (1, len(catalog.items), len(catalog.rejected))
    assert staging.changes == {"new": 0, "removed": 0, "price_changed": 0, "dates_changed": 0}
    [(number, previous, items, rejected, encoding, delimiter, notes)] = query(
        database,
        "SELECT number, previous_version_id, item_count, rejected_count, encoding, delimiter, notes"
        " FROM catalog_versions WHERE id = :v",
        v=staging.version_id,
    )
    notes = notes if isinstance(notes, list) else json.loads(notes)
    assert (number, previous, items, rejected) == (1, None, len(catalog.items), len(catalog.rejected))
    assert (encoding, delimiter, notes) == (catalog.encoding, catalog.delimiter, list(catalog.notes))
    rows = query(
        database,
        "SELECT line, supplier_part, unit, each_per_unit, contract_id, contract_tier, price, currency,"
        " price_per_each, effective_date, expiry_date, minimum_quantity, ndc, hcpcs, description"
        " FROM catalog_items WHERE version_id = :v ORDER BY id",
        v=staging.version_id,
    )
    assert [
        (row[0], row[1], row[2], _decimal(row[3]), row[4], row[5], _decimal(row[6]), row[7], _decimal(row[8]),
         _date(row[9]), _date(row[10]), _decimal(row[11]), row[12], row[13], row[14])
        for row in rows
    ] == [
        (i.line, i.supplier_part, i.unit, i.each_per_unit, i.contract_id, i.contract_tier, i.price, i.currency,
         i.price_per_each, i.effective_date, i.expiry_date, i.minimum_quantity, i.ndc, i.hcpcs, i.description)
        for i in catalog.items
    ]  # fmt: skip
    # Exact decimals: 0.120000 stays 0.120000 (no float, no trailing zeros lost) on both dialects.
    assert [None if row[8] is None else str(row[8]) for row in rows] == [
        None if i.price_per_each is None else format(i.price_per_each, "f") for i in catalog.items
    ]
    gtins = query(
        database,
        "SELECT i.line, g.level, g.gtin FROM catalog_item_gtins g JOIN catalog_items i ON i.id = g.item_id"
        " WHERE i.version_id = :v ORDER BY g.id",
        v=staging.version_id,
    )
    assert gtins == [(i.line, g.level, g.gtin) for i in catalog.items for g in i.gtins]
    assert query(
        database,
        'SELECT line, reason, "column" FROM catalog_rejected_rows WHERE version_id = :v ORDER BY id',
        v=staging.version_id,
    ) == [(row.line, row.reason, row.column) for row in catalog.rejected]
    assert query(
        database,
        "SELECT code, severity, message, segment, segment_id FROM issues WHERE attempt_id = :a ORDER BY id",
        a=attempt_id,
    ) == [("CATALOG.ROW", "error", row.reason, row.line, row.column) for row in catalog.rejected]
    exceptions = query(database, "SELECT count(*) FROM v_exceptions WHERE file_id = :f", f=file_id)
    assert exceptions == [(len(catalog.rejected),)]


def test_rejected_rows_keep_line_and_reason(database: Database) -> None:
    case = CATALOG_GOLDEN / "gpo_contract_tiers.csv"
    _, _, staging = stage_catalog_bytes(database, case.read_bytes(), MAPPINGS[case.name])
    rejected = query(
        database,
        'SELECT line, reason, "column" FROM catalog_rejected_rows WHERE version_id = :v ORDER BY line',
        v=staging.version_id,
    )
    assert staging.rejected == len(rejected) >= 5
    assert all(isinstance(line, int) and line > 4 and reason for line, reason, _ in rejected)


def test_second_version_has_exactly_the_changes(database: Database) -> None:
    _, _, first = stage_catalog_bytes(database, MARCH.encode(), MAPPING, name="march.csv")
    file_id, _, second = stage_catalog_bytes(database, APRIL.encode(), MAPPING, name="april.csv")
    assert (first.number, second.number) == (1, 2)
    assert second.changes == {"new": 1, "removed": 1, "price_changed": 2, "dates_changed": 2}
    assert query(
        database, "SELECT previous_version_id FROM catalog_versions WHERE id = :v", v=second.version_id
    ) == [(first.version_id,)]
    rows = query(
        database,
        "SELECT kind, supplier_part, unit, contract_id, contract_tier, old_price, new_price, old_effective_date,"
        " new_effective_date, old_expiry_date, new_expiry_date FROM catalog_changes WHERE version_id = :v"
        " ORDER BY id",
        v=second.version_id,
    )
    staged = [
        CatalogChange(
            kind=row[0], supplier_part=row[1], unit=row[2], contract_id=row[3], contract_tier=row[4],
            old_price=_decimal(row[5]), new_price=_decimal(row[6]), old_effective_date=_date(row[7]),
            new_effective_date=_date(row[8]), old_expiry_date=_date(row[9]), new_expiry_date=_date(row[10]),
        )
        for row in rows
    ]  # fmt: skip
    expected = diff_catalogs(parse_catalog(MARCH.encode(), MAPPING), parse_catalog(APRIL.encode(), MAPPING))
    assert staged == expected
    assert [(c.kind, c.supplier_part, c.unit, c.contract_tier) for c in staged] == [
        ("price_changed", "MS-44021", "BX", "1"),
        ("dates_changed", "MS-44021", "BX", "2"),
        ("price_changed", "BD-0165L16", "EA", "1"),
        ("dates_changed", "BD-0165L16", "EA", "1"),
        ("new", "3M-1860", "BX", "1"),
        ("removed", "CV-441403", "BX", "1"),
    ]
    assert query(
        database,
        "SELECT partner, version, kind, supplier_part, file_name, file_id FROM v_catalog_changes"
        " WHERE kind = 'new'",
    ) == [("medsupplyco", 2, "new", "3M-1860", "april.csv", file_id)]


def test_equal_content_is_a_new_version_without_changes(database: Database) -> None:
    stage_catalog_bytes(database, MARCH.encode(), MAPPING, source="local:catalogs")
    _, _, second = stage_catalog_bytes(database, MARCH.encode(), MAPPING, source="sftp:catalogs")
    assert (second.number, sum(second.changes.values())) == (2, 0)
    assert query(database, "SELECT count(*) FROM catalog_items") == [(10,)]


def test_versions_are_numbered_per_partner(database: Database) -> None:
    _, _, medline = stage_catalog_bytes(database, MARCH.encode(), MAPPING, partner_id="medline")
    _, _, owens = stage_catalog_bytes(database, APRIL.encode(), MAPPING, partner_id="owens")
    _, _, medline_2 = stage_catalog_bytes(
        database, APRIL.encode(), MAPPING, partner_id="medline", source="sftp:medline"
    )
    assert (medline.number, owens.number, medline_2.number) == (1, 1, 2)
    assert owens.changes["new"] == 0 and medline_2.changes["removed"] == 1
