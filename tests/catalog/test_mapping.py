"""``CatalogMapping``: plain, frozen data; every problem reported at once, for the configuration check."""

from __future__ import annotations

import dataclasses

import pytest

from parsers.catalog import CatalogMapping, parse_catalog
from parsers.errors import ConfigurationError, FatalError


def test_a_minimal_mapping_has_no_problems() -> None:
    assert CatalogMapping(supplier_part="Item", default_unit="EA").problems() == []


def test_a_mapping_is_frozen_and_its_dicts_are_copied() -> None:
    gtins = {"EA": "GTIN Each"}
    mapping = CatalogMapping(supplier_part="Item", unit="UOM", gtins=gtins, required={"unit"})  # type: ignore[arg-type]
    gtins["BX"] = "GTIN Box"
    assert dict(mapping.gtins) == {"EA": "GTIN Each"}
    assert mapping.required == frozenset({"unit"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        mapping.price = "Price"  # type: ignore[misc]
    with pytest.raises(TypeError):
        mapping.gtins["CS"] = "GTIN Case"  # type: ignore[index]


def test_every_problem_is_listed_at_once() -> None:
    mapping = CatalogMapping(
        supplier_part="",
        price=0,
        gtins={"EA": "GTIN", "Each": "GTIN 2", "BAG OF 5": "GTIN 3"},
        default_currency="Dollars",
        unit_aliases={"Stück": "PIECE"},
        required=frozenset({"price", "colour", "ndc"}),
        encoding="klingon-8",
        delimiter="::",
        thousands_separator=".",
        decimal_separator=".",
        effective_date="Start",
    )
    problems = mapping.problems()
    expected = [
        "supplier_part: an empty header name",
        "price: positions start at 1",
        "unit_aliases: 'Stück' maps to 'PIECE', which is not a unit code",
        "unit: map the unit-of-measure column or give default_unit",
        "gtins: packaging level 'Each' is EA, which has another column too",
        "gtins: packaging level 'BAG OF 5' is not a unit code or alias",
        "encoding: 'klingon-8' is not a text encoding Python knows",
        "delimiter: one of",
        "thousands_separator:",
        "date_format: required because effective_date are mapped",
        "default_currency: not a three-letter ISO 4217 code",
        "required: 'colour' is not a catalog field",
        "required: ndc is not mapped",
    ]
    for start in expected:
        assert any(problem.startswith(start) for problem in problems), (start, problems)
    assert len(problems) == len(expected) + 1  # the duplicate EA is also reported on the first spelling
    with pytest.raises(ConfigurationError) as raised:
        mapping.check()
    assert isinstance(raised.value, FatalError)
    assert raised.value.code == "CATALOG.MAPPING"


def test_encodings_must_be_text_encodings() -> None:
    for encoding in ("rot13", "base64", "zlib"):
        problems = CatalogMapping(supplier_part="I", default_unit="EA", encoding=encoding).problems()
        assert problems == [f"encoding: {encoding!r} is not a text encoding Python knows"]


def test_date_formats_must_read_back_a_day() -> None:
    assert CatalogMapping(supplier_part="I", default_unit="EA", date_format="%m/%d/%Y").problems() == []
    assert CatalogMapping(supplier_part="I", default_unit="EA", date_format="%d.%m.%y").problems() == []
    for vague in ("%m/%Y", "%Y", "no directives"):
        problems = CatalogMapping(supplier_part="I", default_unit="EA", date_format=vague).problems()
        assert problems == ["date_format: does not read back the day, month and year it writes"], vague


def test_positional_columns_need_a_header_row() -> None:
    assert CatalogMapping(supplier_part=1, default_unit="EA").problems() == [
        "header_row: every column is positional, so say where the header is (0: none)"
    ]
    assert CatalogMapping(supplier_part=1, default_unit="EA", header_row=0).problems() == []
    assert CatalogMapping(supplier_part=1, default_unit="EA", header_row=3).problems() == []
    assert CatalogMapping(supplier_part="Item", default_unit="EA", header_row=0).problems() == [
        "header_row: 0 (no header) but columns are named: name them by position"
    ]
    assert (
        "header_row: a row number"
        in CatalogMapping(supplier_part="I", default_unit="EA", header_row=-1).problems()[0]
    )


def test_partner_aliases_extend_the_unit_table() -> None:
    mapping = CatalogMapping(
        supplier_part="I",
        default_unit="Stück",
        unit_aliases={"Stück": "EA"},
        gtins={"Karton": "G"},
    )
    assert mapping.problems() == ["gtins: packaging level 'Karton' is not a unit code or alias"]


def test_parse_catalog_refuses_a_broken_mapping_before_reading() -> None:
    with pytest.raises(ConfigurationError, match="unit: map the unit-of-measure column"):
        parse_catalog(b"Item\nA-1\n", CatalogMapping(supplier_part="Item"))
