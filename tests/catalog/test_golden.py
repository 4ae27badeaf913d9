"""Golden catalogs: each ``tests/golden/catalog/case.csv`` beside its expected ``case.csv.json``.

The JSON is ``Catalog.to_json()`` of the file read with the case's mapping (``MAPPINGS`` below: what a
partner's configuration would say). Regenerate on purpose only:
``UPDATE_GOLDEN=1 .venv/bin/pytest tests/catalog/test_golden.py``, then read the diff before committing it.

The cases, healthcare-shaped, each with the pitfalls of its kind of sender:
* ``gpo_contract_tiers.csv``: a GPO contract price file for a hospital (UTF-8 with a byte-order mark,
  CRLF, title rows above the header, ``$`` prices with thousands separators, EA/BX/CS rows with 1/100/1000
  eaches and a GTIN per packaging level, GPO tiers 1 and 2, UNSPSC and HCPCS, ambiguous dates
  ``03/04/2026`` read as 4 March by the configured ``%m/%d/%Y``; rejected: a missing price, a GTIN Excel
  turned into ``1.06141E+13``, a wrong check digit, a UPC that lost its leading zero, an expiry before the
  effective date, the total row at the end).
* ``eu_distributor_cp1252.csv``: a European distributor (cp1252 with é, ®, ™; semicolons, sniffed; decimal
  commas with ``.`` thousands; ``€`` after the price; ``%d.%m.%Y``; its own unit names).
* ``pharmacy_ndc_hcpcs.csv``: a hospital pharmacy wholesaler (pipes, sniffed; LF; a description with a
  quoted line break; NDCs in 4-4-2, 5-3-2 and 5-4-2 forms; HCPCS J-codes; ``USD`` before or after prices).
* ``legacy_feed_utf16_positional.csv``: a legacy feed in UTF-16 (byte-order mark), tab-separated, without a
  header (columns by position), one GTIN column for each row's own unit.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from parsers.catalog import CatalogMapping, parse_catalog

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "catalog"
CASES = sorted(GOLDEN.glob("*.csv"))

MAPPINGS: dict[str, CatalogMapping] = {
    "gpo_contract_tiers.csv": CatalogMapping(
        supplier_part="Item Number",
        manufacturer="Manufacturer",
        manufacturer_part="Mfr Catalog #",
        description="Description",
        unit="UOM",
        each_per_unit="Qty/UOM",
        gtins={"EA": "GTIN Each", "BX": "GTIN Box", "CS": "GTIN Case"},
        unspsc="UNSPSC",
        hcpcs="HCPCS",
        contract_id="Contract",
        contract_tier="Tier",
        price="Contract Price",
        default_currency="USD",
        effective_date="Effective",
        expiry_date="Expires",
        minimum_quantity="Min Qty",
        date_format="%m/%d/%Y",
        delimiter=",",
        thousands_separator=",",
        required=frozenset({"price"}),
    ),
    "eu_distributor_cp1252.csv": CatalogMapping(
        supplier_part="Artikelnr",
        description="Bezeichnung",
        manufacturer="Hersteller",
        unit="Einheit",
        each_per_unit="Inhalt",
        gtin="EAN",
        price="Preis",
        default_currency="EUR",
        effective_date="Gültig ab",
        expiry_date="Gültig bis",
        date_format="%d.%m.%Y",
        decimal_separator=",",
        thousands_separator=".",
        unit_aliases={"Stück": "EA", "Karton": "CS", "Packung": "PK", "Rolle": "RL"},
    ),
    "pharmacy_ndc_hcpcs.csv": CatalogMapping(
        supplier_part="Vendor Item",
        description="Description",
        manufacturer="Manufacturer",
        ndc="NDC",
        hcpcs="HCPCS",
        unit="Unit",
        each_per_unit="Pkg Qty",
        price="Price",
        default_currency="USD",
        contract_id="Contract",
        contract_tier="Tier",
    ),
    "legacy_feed_utf16_positional.csv": CatalogMapping(
        header_row=0,
        supplier_part=1,
        unit=2,
        each_per_unit=3,
        description=4,
        gtin=5,
        price=6,
        currency=7,
        effective_date=8,
        expiry_date=9,
        minimum_quantity=10,
        contract_id=11,
        contract_tier=12,
        date_format="%Y-%m-%d",
        delimiter="\t",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_golden(case: Path) -> None:
    actual = parse_catalog(case, MAPPINGS[case.name]).to_json()
    expected_path = case.with_name(case.name + ".json")
    if os.environ.get("UPDATE_GOLDEN") == "1" or not expected_path.exists():
        if os.environ.get("UPDATE_GOLDEN") != "1":
            pytest.fail(f"{expected_path.name} is missing: run with UPDATE_GOLDEN=1 to create it")
        expected_path.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", "utf-8")
    expected = json.loads(expected_path.read_text("utf-8"))
    assert actual == expected


def test_every_case_has_a_mapping() -> None:
    assert sorted(MAPPINGS) == [case.name for case in CASES]
