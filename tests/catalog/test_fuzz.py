"""Whatever the bytes, reading a catalog raises nothing but the project's errors (the parser suite mutates
real files; this feeds CSV-like text and raw bytes to mappings that sniff, search headers and read every
kind of value)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.catalog import CatalogMapping, diff_catalogs, parse_catalog
from parsers.errors import EdiGatewayError

MAPPINGS = [
    CatalogMapping(
        supplier_part="Item",
        unit="UOM",
        each_per_unit="Each",
        gtins={"EA": "GTIN", "CS": "Case"},
        gtin="Own",
        ndc="NDC",
        hcpcs="HCPCS",
        unspsc="UNSPSC",
        price="Price",
        currency="Cur",
        effective_date="From",
        expiry_date="To",
        minimum_quantity="Min",
        date_format="%m/%d/%Y",
    ),
    CatalogMapping(
        supplier_part=1,
        unit=2,
        price=3,
        each_per_unit=4,
        header_row=0,
        delimiter=";",
        decimal_separator=",",
        thousands_separator=".",
        default_currency="EUR",
    ),
]
HEADER = "Item,UOM,Each,GTIN,Case,Own,NDC,HCPCS,UNSPSC,Price,Cur,From,To,Min\r\n"
CELLS = st.sampled_from(
    [
        "",
        "A-1",
        "EA",
        "BX",
        "CS",
        "100",
        "0",
        "1.5",
        "1,234.50",
        "€12,50",
        "$3",
        "-1",
        "1.2E+13",
        "00614141000012",
        "614141000012",
        "0409-4888-02",
        "J1644",
        "42132203",
        "USD",
        "03/04/2026",
        "13/13/2026",
        '"',
        '""',
        "\r\n",
        "\n",
        "é",
        "™",
        "\x00",
        "\ufeff",
        ";",
        ",",
    ]
)
ROWS = st.lists(st.lists(CELLS, min_size=0, max_size=16).map(",".join), max_size=12).map("\r\n".join)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"])


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(rows=ROWS, encoding=ENCODINGS, header=st.booleans(), mapping=st.sampled_from(MAPPINGS))
def test_csv_like_text(rows: str, encoding: str, header: bool, mapping: CatalogMapping) -> None:
    text = (HEADER if header else "") + rows
    _check(text.encode(encoding, errors="replace"), mapping)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.binary(max_size=600), mapping=st.sampled_from(MAPPINGS))
def test_raw_bytes(data: bytes, mapping: CatalogMapping) -> None:
    _check(HEADER.encode() + data, mapping)
    _check(data, mapping)


def _check(data: bytes, mapping: CatalogMapping) -> None:
    try:
        catalog = parse_catalog(data, mapping)
    except EdiGatewayError:
        return
    json.dumps(catalog.to_json())
    diff_catalogs(catalog, catalog)
    for rejected in catalog.rejected:
        assert rejected.line >= 1


@pytest.mark.soak
@settings(max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck))
@given(rows=ROWS, encoding=ENCODINGS, header=st.booleans(), mapping=st.sampled_from(MAPPINGS))
def test_csv_like_text_soak(rows: str, encoding: str, header: bool, mapping: CatalogMapping) -> None:
    _check(((HEADER if header else "") + rows).encode(encoding, errors="replace"), mapping)
