"""The changes ``stage_catalog`` computes in SQL are exactly those of ``parsers.catalog.diff_catalogs``: on
the golden catalogs and on generated pairs of deliveries (new, removed, price, currency, eaches and dates
changed, prices written differently, empty contracts and tiers), on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import itertools
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from gateway.staging.catalog import CatalogStaging, _sqlite_number
from gateway.staging.database import Database
from parsers.catalog import CatalogMapping, diff_catalogs, parse_catalog
from parsers.documents.catalog import CatalogChange
from tests.catalog.test_golden import MAPPINGS

from .helpers import CATALOG_GOLDEN, stage_catalog_bytes

GOLDEN = sorted(CATALOG_GOLDEN.glob("*.csv"))

MAPPING = CatalogMapping(
    supplier_part="Item",
    unit="UOM",
    each_per_unit="Each",
    contract_id="Contract",
    contract_tier="Tier",
    price="Price",
    currency="Currency",
    effective_date="From",
    expiry_date="To",
    date_format="%Y-%m-%d",
    delimiter=",",
    encoding="utf-8",
)
HEADER = ("Item", "UOM", "Each", "Contract", "Tier", "Price", "Currency", "From", "To")
KEYS = list(
    itertools.product([f"P-{n:02d}" for n in range(15)], ["EA", "BX", "CS"], ["", "GPO-1"], ["", "1", "2"])
)


def staged_changes(database: Database, version_id: int) -> list[CatalogChange]:
    """The version's ``catalog_changes`` in the order they were written."""
    with database.read() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT kind, supplier_part, unit, contract_id, contract_tier, old_price, new_price,"
                " old_effective_date, new_effective_date, old_expiry_date, new_expiry_date"
                " FROM catalog_changes WHERE version_id = :v ORDER BY id"
            ),
            {"v": version_id},
        ).all()
    return [
        CatalogChange(
            kind=row[0], supplier_part=row[1], unit=row[2], contract_id=row[3], contract_tier=row[4],
            old_price=_decimal(row[5]), new_price=_decimal(row[6]), old_effective_date=_date(row[7]),
            new_effective_date=_date(row[8]), old_expiry_date=_date(row[9]), new_expiry_date=_date(row[10]),
        )
        for row in rows
    ]  # fmt: skip


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def _counts(changes: list[CatalogChange]) -> dict[str, int]:
    counts = {"new": 0, "removed": 0, "price_changed": 0, "dates_changed": 0}
    for change in changes:
        counts[change.kind] += 1
    return counts


def _assert_same_as_diff_catalogs(
    database: Database, staged: CatalogStaging, expected: list[CatalogChange]
) -> None:
    assert staged_changes(database, staged.version_id) == expected
    assert staged.changes == _counts(expected)


@pytest.mark.parametrize(
    ("before", "after"), list(itertools.product(GOLDEN, GOLDEN)), ids=lambda path: Path(path).stem
)
def test_golden_catalogs_one_after_the_other(database: Database, before: Path, after: Path) -> None:
    old, new = before.read_bytes(), after.read_bytes()
    stage_catalog_bytes(database, old, MAPPINGS[before.name], source="local:before")
    _, _, staged = stage_catalog_bytes(database, new, MAPPINGS[after.name], source="local:after")
    expected = diff_catalogs(
        parse_catalog(old, MAPPINGS[before.name]), parse_catalog(new, MAPPINGS[after.name])
    )
    _assert_same_as_diff_catalogs(database, staged, expected)


def _row(key: tuple[str, str, str, str], rng: random.Random) -> list[str]:
    part, unit, contract, tier = key
    each = "1" if unit == "EA" else rng.choice(["10", "12", "100"])
    price = "" if rng.random() < 0.1 else f"{rng.randint(1, 5000) / 100:.2f}"
    currency = rng.choice(["USD", "USD", "EUR", ""])
    start = date(2026, 1, 1) + timedelta(days=rng.randint(0, 90))
    effective = "" if rng.random() < 0.2 else start.isoformat()
    expiry = "" if rng.random() < 0.2 else (start + timedelta(days=365)).isoformat()
    return [part, unit, each, contract, tier, price, currency, effective, expiry]


def _mutated(row: list[str], rng: random.Random) -> list[str]:
    """The row with one thing changed (or only written differently)."""
    row = list(row)
    what = rng.choice(["price", "same price", "currency", "eaches", "effective", "expiry", "dates", "none"])
    if what == "price":
        row[5] = "" if row[5] and rng.random() < 0.3 else f"{rng.randint(1, 5000) / 100:.2f}"
    elif what == "same price" and row[5]:
        row[5] = row[5].rstrip("0").rstrip(".") if rng.random() < 0.5 else row[5] + "0"  # 12.5, 12.500
    elif what == "currency":
        row[6] = rng.choice(["USD", "EUR", "GBP", ""])
    elif what == "eaches" and row[1] != "EA":
        row[2] = str(int(row[2]) * 2)
    elif what in ("effective", "dates"):
        row[7] = "" if row[7] and rng.random() < 0.3 else "2025-12-01"
    if what in ("expiry", "dates"):
        row[8] = "" if row[8] and rng.random() < 0.3 else "2028-01-31"
    return row


def _csv(rows: list[list[str]]) -> bytes:
    return ("\r\n".join(",".join(row) for row in [list(HEADER), *rows]) + "\r\n").encode()


def _pair(seed: int) -> tuple[bytes, bytes]:
    """Two deliveries: some rows removed, some new, some changed, the order partly shuffled."""
    rng = random.Random(seed)
    keys = rng.sample(KEYS, 120)
    previous = {key: _row(key, rng) for key in keys[:90]}
    current: list[list[str]] = []
    for row in previous.values():
        if rng.random() < 0.15:
            continue  # removed
        current.append(_mutated(row, rng) if rng.random() < 0.6 else row)
    current.extend(_row(key, rng) for key in keys[90:])  # new
    rng.shuffle(current)
    return _csv(list(previous.values())), _csv(current)


@pytest.mark.parametrize("seed", range(8))
def test_generated_pairs(database: Database, seed: int) -> None:
    old, new = _pair(seed)
    first = stage_catalog_bytes(database, old, MAPPING, source="local:before")[2]
    _, _, staged = stage_catalog_bytes(database, new, MAPPING, source="local:after")
    assert (first.rejected, staged.rejected) == (0, 0)
    expected = diff_catalogs(parse_catalog(old, MAPPING), parse_catalog(new, MAPPING))
    assert {change.kind for change in expected} == {"new", "removed", "price_changed", "dates_changed"}
    _assert_same_as_diff_catalogs(database, staged, expected)


def test_an_empty_contract_is_the_null_contract(database: Database) -> None:
    """Rows staged with "" as contract and tier (by another writer) match rows without them, as in
    ``CatalogItem.key``; the removed rows keep the contract as staged."""
    old, new = _pair(99)
    first = stage_catalog_bytes(database, old, MAPPING, source="local:before")[2]
    with database.begin() as connection:
        for column in ("contract_id", "contract_tier"):
            connection.execute(
                sa.text(f"UPDATE catalog_items SET {column} = '' WHERE version_id = :v AND {column} IS NULL"),
                {"v": first.version_id},
            )
    _, _, staged = stage_catalog_bytes(database, new, MAPPING, source="local:after")
    previous = [
        dataclasses.replace(item, contract_id=item.contract_id or "", contract_tier=item.contract_tier or "")
        for item in parse_catalog(old, MAPPING).items
    ]
    expected = diff_catalogs(previous, parse_catalog(new, MAPPING))
    assert any(change.contract_id is None for change in expected if change.kind != "removed")
    assert any(change.contract_id == "" for change in expected if change.kind == "removed")
    _assert_same_as_diff_catalogs(database, staged, expected)


def test_a_third_version_is_compared_with_the_second_only(database: Database) -> None:
    first, second = _pair(7)
    stage_catalog_bytes(database, first, MAPPING, source="local:one")
    stage_catalog_bytes(database, second, MAPPING, source="local:two")
    _, _, third = stage_catalog_bytes(database, first, MAPPING, source="local:three")
    assert third.number == 3
    expected = diff_catalogs(parse_catalog(second, MAPPING), parse_catalog(first, MAPPING))
    _assert_same_as_diff_catalogs(database, third, expected)


def test_sqlite_compares_exact_decimals_as_numbers() -> None:
    """SQLite keeps decimals as their text: the comparison form makes equal numbers equal, only them."""
    values = ["0", "-0", "0.000", "-0.00", "12.5", "12.50", "12.500", "125", "1250", "12.05", "100", "100.0"]
    values += ["0.120", "0.12", "-3.10", "-3.1", "3.1", "1000000.000001", "1000000.00000100"]
    texts = [format(Decimal(value), "f") for value in values]
    markers = _sqlite_number("?").count("?")  # the column is repeated in the expression
    engine = sa.create_engine("sqlite://")
    with engine.connect() as connection:
        for left, right in itertools.product(texts, texts):
            same = connection.exec_driver_sql(
                f"SELECT {_sqlite_number('?')} IS {_sqlite_number('?')}",
                (left,) * markers + (right,) * markers,
            ).scalar_one()
            assert bool(same) == (Decimal(left) == Decimal(right)), (left, right)
        assert connection.exec_driver_sql(f"SELECT {_sqlite_number('NULL')} IS NULL").scalar_one() == 1
    engine.dispose()
