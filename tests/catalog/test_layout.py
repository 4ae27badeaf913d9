"""Layout: the partner's delimiter or a sniffed one (noted), the header found below title rows or where the
mapping says, quoted line breaks (each row keeps the physical line it starts on), broken CSV structure."""

from __future__ import annotations

import csv

import pytest

from parsers.catalog import CatalogMapping, open_catalog, parse_catalog
from parsers.errors import CatalogError

MAPPING = CatalogMapping(supplier_part="Item", description="Description", unit="UOM", price="Price")


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_a_delimiter_is_sniffed_only_when_none_is_configured(delimiter: str) -> None:
    rows = [
        ["Item", "Description", "UOM", "Price"],
        ["MS-1", "Gloves, nitrile", "EA", "0.12"],
        ["MS-2", "Gown", "EA", "1.10"],
    ]
    text = "".join(
        delimiter.join(f'"{cell}"' if "," in cell else cell for cell in row) + "\r\n" for row in rows
    )
    catalog = parse_catalog(text.encode(), MAPPING)
    assert catalog.delimiter == delimiter
    assert f"delimiter: {delimiter!r} (sniffed: none configured)" in catalog.notes
    assert [item.description for item in catalog.items] == ["Gloves, nitrile", "Gown"]
    configured = parse_catalog(
        text.encode(), CatalogMapping(supplier_part="Item", unit="UOM", delimiter=delimiter)
    )
    assert configured.delimiter == delimiter
    assert not any(note.startswith("delimiter") for note in configured.notes)


def test_sniffing_skips_title_rows_without_a_delimiter() -> None:
    text = (
        "St. Mary's Medical Center supply agreement\n"
        "Prices valid from 1 March 2026\n"
        "\n"
        "Item;Description;UOM;Price\n"
        "MS-1;Gloves, nitrile;EA;0.12\n"
        "MS-2;Gown, isolation;EA;1.10\n"
        "MS-3;Mask, surgical;BX;\n"
    )
    catalog = parse_catalog(
        text.encode(), CatalogMapping(supplier_part="Item", unit="UOM", each_per_unit=None, default_unit=None)
    )
    assert catalog.delimiter == ";"
    assert "header: line 4 (3 rows above it skipped)" in catalog.notes


def test_an_unsniffable_file_asks_for_the_delimiter() -> None:
    with pytest.raises(CatalogError, match="configure the partner's delimiter") as raised:
        parse_catalog(b"Item\nMS-1\nMS-2\n", CatalogMapping(supplier_part="Item", default_unit="EA"))
    assert raised.value.code == "CATALOG.DELIMITER"


def test_header_names_match_without_regard_to_case_spacing_and_bom() -> None:
    text = '\ufeff  ITEM ,description,"Unit  of\nMeasure",PRICE\r\nMS-1,Gloves,EA,0.12\r\n'
    mapping = CatalogMapping(supplier_part="item", unit="Unit of Measure", price="Price", delimiter=",")
    catalog = parse_catalog(text.encode("utf-16"), mapping)
    assert [(item.line, item.supplier_part) for item in catalog.items] == [
        (3, "MS-1")
    ]  # the header spans 2 lines


def test_the_header_row_can_be_configured() -> None:
    text = b"Item,UOM\r\nNot,This\r\nItem,UOM\r\nMS-1,EA\r\n"
    catalog = parse_catalog(
        text, CatalogMapping(supplier_part="Item", unit="UOM", delimiter=",", header_row=3)
    )
    assert [item.line for item in catalog.items] == [4]
    assert "header: line 3 (2 rows above it skipped)" in catalog.notes
    with pytest.raises(CatalogError, match="no header with the mapped columns in row 2"):
        parse_catalog(text, CatalogMapping(supplier_part="Item", unit="UOM", delimiter=",", header_row=2))


def test_without_a_header_columns_are_positions() -> None:
    text = b"MS-1,Gloves,EA,0.12\r\nMS-2,Gown,EA,1.10\r\n"
    mapping = CatalogMapping(supplier_part=1, description=2, unit=3, price=4, delimiter=",", header_row=0)
    catalog = parse_catalog(text, mapping)
    assert [(item.line, item.supplier_part, str(item.price)) for item in catalog.items] == [
        (1, "MS-1", "0.12"),
        (2, "MS-2", "1.10"),
    ]


def test_a_missing_header_names_the_closest_row() -> None:
    text = b"Item,UOM,Cost\r\nMS-1,EA,0.12\r\n"
    with pytest.raises(CatalogError, match=r"closest: row 1, 2 of 3 names") as raised:
        parse_catalog(text, CatalogMapping(supplier_part="Item", unit="UOM", price="Price", delimiter=","))
    assert raised.value.code == "CATALOG.HEADER"
    titles = b"".join(b"title row %d\r\n" % n for n in range(60)) + text
    with pytest.raises(CatalogError, match="in the first 50 rows"):
        parse_catalog(titles, CatalogMapping(supplier_part="Item", unit="UOM", delimiter=","))


def test_ambiguous_headers_and_positions_out_of_the_header() -> None:
    with pytest.raises(CatalogError, match="'Price' appears 2 times in the header"):
        parse_catalog(
            b"Item,UOM,Price,Price\r\n",
            CatalogMapping(supplier_part="Item", unit="UOM", price="Price", delimiter=","),
        )
    with pytest.raises(CatalogError, match="column 9 is beyond the header's 2 columns"):
        parse_catalog(
            b"Item,UOM\r\nMS-1,EA\r\n",
            CatalogMapping(supplier_part="Item", unit="UOM", price=9, delimiter=","),
        )


def test_quoted_line_breaks_keep_each_rows_physical_line() -> None:
    text = (
        "Item,Description,UOM,Price\r\n"
        'MS-1,"Foley catheter 16 Fr\r\n5 mL balloon\r\nlatex-free",EA,1.10\r\n'
        "MS-2,Gown,EA,\r\n"
        'MS-3,"Kit\nwith LF only",EA,2.00\r\n'
        "\r\n"
        "MS-4,Mask,EA,0.05\r\n"
    )
    catalog = parse_catalog(text.encode(), MAPPING)
    assert [(item.line, item.supplier_part) for item in catalog.items] == [
        (2, "MS-1"),
        (5, "MS-2"),
        (6, "MS-3"),
        (9, "MS-4"),
    ]
    assert catalog.items[0].description == "Foley catheter 16 Fr\r\n5 mL balloon\r\nlatex-free"


def test_a_field_too_large_for_csv_fails_the_file_with_its_line() -> None:
    # An unterminated quote swallows the rest of the file into one field until csv's field limit.
    rows = "".join(f"MS-{n},Gown,EA,1.10\r\n" for n in range(20_000))
    text = 'Item,Description,UOM,Price\r\nMS-0,"Gloves,EA,0.12\r\n' + rows
    assert len(text) > csv.field_size_limit()
    with pytest.raises(
        CatalogError, match=r"CSV structure broken at line \d+: field larger than field limit"
    ) as raised:
        parse_catalog(text.encode(), MAPPING)
    assert raised.value.code == "CATALOG.CSV"


def test_open_catalog_streams_rows_and_settles_the_layout_on_entering() -> None:
    text = b"Title\r\nItem;UOM;Price\r\nMS-1;EA;0.12\r\nMS-2;XX;0.13\r\n"
    with open_catalog(text, CatalogMapping(supplier_part="Item", unit="UOM", price="Price")) as rows:
        assert (rows.encoding, rows.delimiter, rows.header_line) == ("utf-8", ";", 2)
        assert [type(row).__name__ for row in rows] == ["CatalogItem", "RejectedRow"]
    with (
        pytest.raises(CatalogError),
        open_catalog(b"nothing here\r\n", CatalogMapping(supplier_part="Item", unit="UOM", delimiter=",")),
    ):
        pass
