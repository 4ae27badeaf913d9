"""``diff_catalogs``: two deliveries of a GPO contract file, and what changed between them."""

from __future__ import annotations

import gc
from datetime import date
from decimal import Decimal

from parsers.catalog import CatalogMapping, ChangeKind, diff_catalogs, parse_catalog
from parsers.documents.catalog import CatalogChange

MAPPING = CatalogMapping(
    supplier_part="Item",
    unit="UOM",
    each_per_unit="Each",
    contract_id="Contract",
    contract_tier="Tier",
    price="Price",
    default_currency="USD",
    effective_date="From",
    expiry_date="To",
    date_format="%m/%d/%Y",
    delimiter=",",
)
HEADER = "Item,UOM,Each,Contract,Tier,Price,From,To\r\n"
MARCH = HEADER + (
    "MS-44021,EA,1,GPO-118,1,0.12,03/01/2026,02/28/2027\r\n"
    "MS-44021,BX,100,GPO-118,1,11.95,03/01/2026,02/28/2027\r\n"
    "MS-44021,BX,100,GPO-118,2,12.40,03/01/2026,02/28/2027\r\n"
    "BD-0165L16,EA,1,GPO-118,1,18.73,03/01/2026,02/28/2027\r\n"
    "CV-441403,BX,25,GPO-118,1,7.45,03/01/2026,02/28/2027\r\n"
)
APRIL = HEADER + (
    "MS-44021,EA,1,GPO-118,1,0.120,03/01/2026,02/28/2027\r\n"  # same price, written differently
    "MS-44021,BX,100,GPO-118,1,11.50,03/01/2026,02/28/2027\r\n"  # price down
    "MS-44021,BX,100,GPO-118,2,12.40,04/01/2026,03/31/2027\r\n"  # dates moved
    "BD-0165L16,EA,1,GPO-118,1,19.10,04/01/2026,02/28/2027\r\n"  # both
    "3M-1860,BX,20,GPO-118,1,21.60,04/01/2026,02/28/2027\r\n"  # new
)  # CV-441403 removed


def test_two_deliveries() -> None:
    march, april = parse_catalog(MARCH.encode(), MAPPING), parse_catalog(APRIL.encode(), MAPPING)
    changes = diff_catalogs(march, april)
    assert [(c.kind, c.supplier_part, c.unit, c.contract_tier) for c in changes] == [
        ("price_changed", "MS-44021", "BX", "1"),
        ("dates_changed", "MS-44021", "BX", "2"),
        ("price_changed", "BD-0165L16", "EA", "1"),
        ("dates_changed", "BD-0165L16", "EA", "1"),
        ("new", "3M-1860", "BX", "1"),
        ("removed", "CV-441403", "BX", "1"),
    ]
    assert changes[0] == CatalogChange(
        kind="price_changed",
        supplier_part="MS-44021",
        unit="BX",
        contract_id="GPO-118",
        contract_tier="1",
        old_price=Decimal("11.95"),
        new_price=Decimal("11.50"),
        old_effective_date=date(2026, 3, 1),
        new_effective_date=date(2026, 3, 1),
        old_expiry_date=date(2027, 2, 28),
        new_expiry_date=date(2027, 2, 28),
    )
    assert (changes[1].old_effective_date, changes[1].new_effective_date) == (
        date(2026, 3, 1),
        date(2026, 4, 1),
    )
    assert (changes[4].old_price, changes[4].new_price) == (None, Decimal("21.60"))
    assert (changes[5].old_price, changes[5].new_price, changes[5].new_expiry_date) == (
        Decimal("7.45"),
        None,
        None,
    )
    assert {c.kind for c in changes} == {kind.value for kind in ChangeKind}
    assert [c.to_json()["kind"] for c in changes][:2] == ["price_changed", "dates_changed"]


def test_previous_items_from_staging_and_eaches_changes() -> None:
    march = parse_catalog(MARCH.encode(), MAPPING)
    repacked = parse_catalog(MARCH.replace("CV-441403,BX,25", "CV-441403,BX,50").encode(), MAPPING)
    changes = diff_catalogs(iter(march.items), repacked)  # what the gateway loads back from staging
    assert [(c.kind, c.supplier_part, c.old_price, c.new_price) for c in changes] == [
        ("price_changed", "CV-441403", Decimal("7.45"), Decimal("7.45"))  # same box price, twice the gauze
    ]
    assert diff_catalogs(march, march) == []


def test_the_garbage_collector_is_resumed_after_parsing_and_diffing() -> None:
    assert gc.isenabled()
    march = parse_catalog(MARCH.encode(), MAPPING)
    diff_catalogs(march, march)
    assert gc.isenabled()
    gc.disable()
    try:
        parse_catalog(MARCH.encode(), MAPPING)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
