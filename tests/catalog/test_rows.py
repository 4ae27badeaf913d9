"""Rows: every mapped field read exactly; a bad row rejected with its line, reason and column (never the
value), the good rows of the same file kept."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from parsers.catalog import CatalogMapping, parse_catalog
from parsers.catalog.rows import _new_gtin, _new_item
from parsers.documents.catalog import Catalog, CatalogItem, PackagingGtin

HEADER = "Item,Mfr,Mfr Part,Description,UOM,Each,GTIN EA,GTIN BX,GTIN CS,NDC,HCPCS,Contract,Tier,Price,Currency,From,To,Min\r\n"
FULL = CatalogMapping(
    supplier_part="Item",
    manufacturer="Mfr",
    manufacturer_part="Mfr Part",
    description="Description",
    unit="UOM",
    each_per_unit="Each",
    gtins={"EA": "GTIN EA", "BX": "GTIN BX", "CS": "GTIN CS"},
    ndc="NDC",
    hcpcs="HCPCS",
    contract_id="Contract",
    contract_tier="Tier",
    price="Price",
    currency="Currency",
    effective_date="From",
    expiry_date="To",
    minimum_quantity="Min",
    date_format="%m/%d/%Y",
    delimiter=",",
)
GLOVES = "MS-44021,Medline,MDS195084,Nitrile gloves M,{unit},{each},00884210440210,10884210440217,30884210440211,,A4927,GPO-118,{tier},{price},USD,03/04/2026,02/28/2027,1\r\n"


def _read(rows: str, mapping: CatalogMapping = FULL, header: str = HEADER) -> Catalog:
    return parse_catalog((header + rows).encode(), mapping)


def test_items_per_packaging_level_and_gpo_tier() -> None:
    rows = "".join(
        GLOVES.format(unit=unit, each=each, tier=tier, price=price)
        for unit, each, tier, price in [
            ("EA", 1, 1, "0.12"),
            ("BX", 100, 1, "11.95"),
            ("CS", 1000, 1, "109.00"),
            ("BX", 100, 2, "12.40"),
        ]
    )
    catalog = _read(rows)
    assert catalog.rejected == ()
    assert [(i.unit, i.each_per_unit, i.contract_tier, i.price, i.price_per_each) for i in catalog.items] == [
        ("EA", Decimal(1), "1", Decimal("0.12"), Decimal("0.120000")),
        ("BX", Decimal(100), "1", Decimal("11.95"), Decimal("0.119500")),
        ("CS", Decimal(1000), "1", Decimal("109.00"), Decimal("0.109000")),
        ("BX", Decimal(100), "2", Decimal("12.40"), Decimal("0.124000")),
    ]
    first = catalog.items[0]
    assert first.gtins == (
        PackagingGtin("EA", "00884210440210"),
        PackagingGtin("BX", "10884210440217"),
        PackagingGtin("CS", "30884210440211"),
    )
    assert (first.manufacturer, first.manufacturer_part, first.hcpcs, first.contract_id) == (
        "Medline",
        "MDS195084",
        "A4927",
        "GPO-118",
    )
    assert (first.effective_date, first.expiry_date, first.minimum_quantity, first.currency) == (
        date(2026, 3, 4),
        date(2027, 2, 28),
        Decimal(1),
        "USD",
    )
    assert [item.key for item in catalog.items][-1] == ("MS-44021", "BX", "GPO-118", "2")


def test_a_missing_price_is_kept_or_rejected_as_the_mapping_says() -> None:
    rows = GLOVES.format(unit="EA", each=1, tier=1, price="") + GLOVES.format(
        unit="BX", each=100, tier=1, price="11.95"
    )
    kept = _read(rows)
    assert [(item.price, item.price_per_each) for item in kept.items] == [
        (None, None),
        (Decimal("11.95"), Decimal("0.119500")),
    ]
    required = _read(rows, dataclasses.replace(FULL, required=frozenset({"price"})))
    assert [item.line for item in required.items] == [3]
    assert [(r.line, r.reason, r.column) for r in required.rejected] == [(2, "price missing", "Price")]


def test_ndc_and_hcpcs() -> None:
    rows = (
        "RX-1,Hospira,,Sodium chloride 0.9% 10 mL,BX,25,,,,0409-4888-02,J7050,340B,1,24.75,USD,,,\r\n"
        "RX-2,Pfizer,,Heparin 5000 units/mL,BX,25,,,,00069005801,j1644,340B,1,61.50,USD,,,\r\n"
        "RX-3,Sandoz,,Ceftriaxone 1 g,VL,1,,,,0781320795,J0696,340B,1,3.18,USD,,,\r\n"
        "RX-4,Sandoz,,Ampicillin 500 mg,VL,1,,,,0781-3404-85,J29,340B,1,2.10,USD,,,\r\n"
    )
    catalog = _read(rows)
    assert [(item.ndc, item.hcpcs) for item in catalog.items] == [
        ("00409488802", "J7050"),
        ("00069005801", "J1644"),
    ]
    assert [(r.line, r.column) for r in catalog.rejected] == [(4, "NDC"), (5, "HCPCS")]
    assert "ambiguous" in catalog.rejected[0].reason


@pytest.mark.parametrize(
    ("row", "reason", "column"),
    [
        (
            GLOVES.format(unit="EA", each=1, tier=1, price="1.2E+1"),
            "price: a number in scientific notation",
            "Price",
        ),
        (GLOVES.format(unit="EA", each=1, tier=1, price="-0.12"), "price: a negative number", "Price"),
        (
            GLOVES.format(unit="EA", each=1, tier=1, price="€0.12"),
            "price names another currency than the row's",
            "Price",
        ),
        (
            GLOVES.format(unit="EA", each=1, tier=1, price='"0,12"'),
            "price: a ',' in a number whose decimal separator is '.'",
            "Price",
        ),
        (
            GLOVES.format(unit="BX", each="", tier=1, price="11.95"),
            "each per unit missing (how many eaches a BX holds)",
            "Each",
        ),
        (
            GLOVES.format(unit="EA", each=12, tier=1, price="0.12"),
            "each per unit contradicts the unit (EA is 1 by definition)",
            "Each",
        ),
        (
            GLOVES.format(unit="BX", each=0, tier=1, price="11.95"),
            "each per unit: not a positive quantity",
            "Each",
        ),
        (
            GLOVES.format(unit="BUNDLE", each=5, tier=1, price="1"),
            "unit of measure not in the unit table",
            "UOM",
        ),
        (GLOVES.format(unit="", each=1, tier=1, price="1"), "unit of measure missing", "UOM"),
        (
            GLOVES.format(unit="EA", each=1, tier=1, price="1").replace("00884210440210", "6.14141E+11"),
            "GTIN: a number in scientific notation",
            "GTIN EA",
        ),
        (
            GLOVES.format(unit="EA", each=1, tier=1, price="1").replace("10884210440217", "10884210440218"),
            "GTIN check digit wrong",
            "GTIN BX",
        ),
        (
            GLOVES.format(unit="EA", each=1, tier=1, price="1").replace("MS-44021", "1.23E+05"),
            "supplier part number in scientific notation",
            "Item",
        ),
        (
            GLOVES.format(unit="EA", each=1, tier=1, price="1").replace("MS-44021", ""),
            "supplier part number missing",
            "Item",
        ),
        (
            GLOVES.format(unit="EA", each=1, tier=1, price="1").replace("MDS195084", "1.95084E+5"),
            "manufacturer part number in scientific notation",
            "Mfr Part",
        ),
        (
            GLOVES.format(unit="EA", each=1, tier=1, price="1").replace("03/04/2026", "2026-03-04"),
            "effective date: not a date in the configured format %m/%d/%Y",
            "From",
        ),
        (
            GLOVES.format(unit="EA", each=1, tier=1, price="1").replace("02/28/2027", "02/28/2025"),
            "expiry date before effective date",
            "To",
        ),
        (
            GLOVES.format(unit="EA", each=1, tier=1, price="1").replace(",USD,", ",Dollars,"),
            "currency not a three-letter ISO 4217 code",
            "Currency",
        ),
        (
            GLOVES.format(unit="EA", each=1, tier=1, price="1").replace(",1\r\n", ",0.5x\r\n"),
            "minimum quantity: not a number",
            "Min",
        ),
        ("MS-1,Medline,MDS1,Gloves\r\n", "row has 4 fields, the mapping reads up to field 18", None),
        (
            "MS-1,Medline,MDS1,Gloves, nitrile,EA,1,,,,,,,,1.00,USD,,,1\r\n",
            "row has 19 fields, the header 18: a delimiter in an unquoted value?",
            None,
        ),
    ],
)
def test_bad_rows_are_rejected_and_the_good_rows_kept(row: str, reason: str, column: str | None) -> None:
    good = GLOVES.format(unit="CS", each=1000, tier=1, price="109.00")
    catalog = _read(good + row + good.replace("MS-44021", "MS-44022"))
    assert [item.line for item in catalog.items] == [2, 4]
    [rejected] = catalog.rejected
    assert rejected.line == 3
    assert rejected.reason.startswith(reason), rejected.reason
    assert rejected.column == column


def test_rejections_never_repeat_the_value() -> None:
    secret = "987654.32"
    catalog = _read(GLOVES.format(unit="EA", each=1, tier=1, price=secret + "x"))
    assert secret not in repr(catalog.rejected)


def test_trailing_empty_cells_are_no_misalignment() -> None:
    catalog = _read(GLOVES.format(unit="EA", each=1, tier=1, price="0.12").replace("\r\n", ",,,\r\n"))
    assert len(catalog.items) == 1


def test_a_second_row_with_the_same_key_is_rejected() -> None:
    row = GLOVES.format(unit="BX", each=100, tier=1, price="11.95")
    catalog = _read(
        row + row.replace("11.95", "11.50") + GLOVES.format(unit="BX", each=100, tier=2, price="12.40")
    )
    assert [item.line for item in catalog.items] == [2, 4]
    assert [(r.line, r.reason) for r in catalog.rejected] == [
        (3, "same part, unit, contract and tier as line 2")
    ]


def test_partner_unit_spellings() -> None:
    mapping = CatalogMapping(
        supplier_part="Item",
        unit="UOM",
        each_per_unit="Each",
        unit_aliases={"Stück": "EA", "Kt": "CS"},
        delimiter=";",
    )
    catalog = parse_catalog("Item;UOM;Each\nA;Stück;\nB;kt;50\nC;box;10\nD;Dozen;\n".encode(), mapping)
    assert [(item.unit, item.each_per_unit) for item in catalog.items] == [
        ("EA", Decimal(1)),
        ("CS", Decimal(50)),
        ("BX", Decimal(10)),
        ("DZ", Decimal(12)),
    ]


def test_one_gtin_column_for_each_rows_own_unit() -> None:
    mapping = CatalogMapping(
        supplier_part="Item",
        unit="UOM",
        each_per_unit="Each",
        gtin="GTIN",
        gtins={"CS": "Case GTIN"},
        delimiter=",",
    )
    text = (
        "Item,UOM,Each,GTIN,Case GTIN\n"
        "A,EA,1,00884210440210,30884210440211\n"
        "A,CS,1000,30884210440211,30884210440211\n"
        "A,BX,100,10884210440217,\n"
        "B,CS,10,00884210440210,30884210440211\n"
    )
    catalog = parse_catalog(text.encode(), mapping)
    assert [item.gtins for item in catalog.items] == [
        (PackagingGtin("CS", "30884210440211"), PackagingGtin("EA", "00884210440210")),
        (PackagingGtin("CS", "30884210440211"),),
        (PackagingGtin("BX", "10884210440217"),),
    ]
    assert [(r.line, r.reason, r.column) for r in catalog.rejected] == [
        (5, "two different GTINs for the row's unit CS", "GTIN")
    ]


def test_decimal_commas_thousands_and_currency_signs() -> None:
    mapping = CatalogMapping(
        supplier_part="Art",
        unit="ME",
        each_per_unit="Inhalt",
        price="Preis",
        default_currency="EUR",
        delimiter=";",
        decimal_separator=",",
        thousands_separator=".",
    )
    text = "Art;ME;Inhalt;Preis\nA;BX;100;1.234,50 €\nB;BX;100;€ 12,50\nC;BX;3;10,00\nD;BX;1;12.50\n"
    catalog = parse_catalog(text.encode(), mapping)
    assert [(item.price, item.currency, item.price_per_each) for item in catalog.items] == [
        (Decimal("1234.50"), "EUR", Decimal("12.345000")),
        (Decimal("12.50"), "EUR", Decimal("0.125000")),
        (Decimal("10.00"), "EUR", Decimal("3.333333")),
    ]
    assert [r.line for r in catalog.rejected] == [5]


def test_ambiguous_dates_follow_the_configured_format() -> None:
    text = "Item,UOM,From\nA,EA,03/04/2026\n"
    us = parse_catalog(
        text.encode(),
        CatalogMapping(
            supplier_part="Item", unit="UOM", effective_date="From", date_format="%m/%d/%Y", delimiter=","
        ),
    )
    eu = parse_catalog(
        text.encode(),
        CatalogMapping(
            supplier_part="Item", unit="UOM", effective_date="From", date_format="%d/%m/%Y", delimiter=","
        ),
    )
    assert (us.items[0].effective_date, eu.items[0].effective_date) == (date(2026, 3, 4), date(2026, 4, 3))


def test_new_item_builds_what_the_dataclass_builds() -> None:
    values = {
        field.name: f"value of {field.name}" for field in dataclasses.fields(CatalogItem)
    }  # distinct values show a field set in the wrong slot
    fast = _new_item(*values.values())  # type: ignore[arg-type]
    assert fast == CatalogItem(**values)  # type: ignore[arg-type]
    assert [getattr(fast, name) for name in values] == list(values.values())


def test_new_gtin_builds_what_the_dataclass_builds() -> None:
    assert _new_gtin("BX", "10884210440217") == PackagingGtin("BX", "10884210440217")
