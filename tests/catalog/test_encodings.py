"""Encodings: the partner's, or detected (byte-order marks, UTF-8, else cp1252) and said so in the notes."""

from __future__ import annotations

import io
from typing import BinaryIO

import pytest

from parsers.catalog import CatalogMapping, parse_catalog
from parsers.errors import CatalogError

MAPPING = CatalogMapping(
    supplier_part="Item", description="Description", unit="UOM", price="Price", delimiter=","
)
TEXT = (
    "Item,Description,UOM,Price\r\n"
    "BD-305196,Seringue 10 mL Luer-Lok™ stérile,EA,0.21\r\n"
    "CV-8881,Kendall™ Curity® gauze 4 x 4 in,EA,7.45\r\n"
)
DESCRIPTIONS = ["Seringue 10 mL Luer-Lok™ stérile", "Kendall™ Curity® gauze 4 x 4 in"]


class _Pipe(io.RawIOBase):
    """A stream that cannot seek (a pipe, a socket): read once, in small pieces."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk = self._data.read(min(len(buffer), 7))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _pipe(data: bytes) -> BinaryIO:
    return io.BufferedReader(_Pipe(data))


@pytest.mark.parametrize(
    ("data", "encoding", "note"),
    [
        (TEXT.encode("utf-8"), "utf-8", "encoding: UTF-8 (detected: the whole file is valid UTF-8)"),
        (
            b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
            "utf-8-sig",
            "encoding: UTF-8 with byte-order mark (detected)",
        ),
        (TEXT.encode("cp1252"), "cp1252", "encoding: cp1252 (detected: not UTF-8 from byte"),
        (TEXT.encode("utf-16"), "utf-16", "encoding: UTF-16 (byte-order mark)"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16", "encoding: UTF-16 (byte-order mark)"),
        (TEXT.encode("utf-32"), "utf-32", "encoding: UTF-32 (byte-order mark)"),
    ],
    ids=["utf-8", "utf-8-bom", "cp1252", "utf-16-le", "utf-16-be", "utf-32"],
)
def test_detected_encodings(data: bytes, encoding: str, note: str) -> None:
    for source in (data, _pipe(data)):
        catalog = parse_catalog(source, MAPPING)
        assert catalog.encoding == encoding
        assert catalog.notes[0].startswith(note)
        assert [item.description for item in catalog.items] == DESCRIPTIONS
        assert [item.line for item in catalog.items] == [2, 3]
        assert catalog.rejected == ()


def test_utf8_is_checked_to_the_end_of_a_seekable_file() -> None:
    # The first 64 KiB are ASCII; a cp1252 byte comes after: the whole file is cp1252, not rows of mojibake.
    rows = "".join(f"ITEM-{n},Gauze 4 x 4 in,EA,7.45\r\n" for n in range(3000))
    data = ("Item,Description,UOM,Price\r\n" + rows + "ITEM-X,Tegaderm™ film,EA,7.45\r\n").encode("cp1252")
    assert len(data) > 64 * 1024
    catalog = parse_catalog(data, MAPPING)
    assert catalog.encoding == "cp1252"
    assert catalog.items[-1].description == "Tegaderm™ film"
    # A pipe can only be judged by its first 64 KiB: UTF-8, until the cp1252 byte shows it is not.
    with pytest.raises(CatalogError, match="not valid utf-8 after line"):
        parse_catalog(_pipe(data), MAPPING)


def test_a_configured_encoding_is_used_as_is_and_not_noted() -> None:
    data = TEXT.encode("cp1252", errors="replace")
    catalog = parse_catalog(
        data, CatalogMapping(supplier_part="Item", unit="UOM", encoding="cp1252", delimiter=",")
    )
    assert catalog.encoding == "cp1252" and catalog.notes == ()
    # UTF-8 configured still drops the mark Excel writes in front of "CSV UTF-8" files.
    bom = b"\xef\xbb\xbf" + TEXT.encode("utf-8")
    catalog = parse_catalog(
        bom, CatalogMapping(supplier_part="Item", unit="UOM", encoding="UTF-8", delimiter=",")
    )
    assert len(catalog.items) == 2


def test_bytes_not_in_the_configured_encoding_fail_the_file() -> None:
    data = TEXT.encode("cp1252", errors="replace")
    with pytest.raises(CatalogError, match="not valid utf-8-sig after line") as raised:
        parse_catalog(data, CatalogMapping(supplier_part="Item", unit="UOM", encoding="utf-8", delimiter=","))
    assert raised.value.code == "CATALOG.ENCODING"


def test_neither_utf8_nor_cp1252() -> None:
    data = b"Item,UOM\r\nA-1,EA\r\n\x81\x8d\xff\r\n"  # 0x81 and 0x8D are not cp1252
    with pytest.raises(CatalogError, match=r"neither UTF-8 \(invalid from byte \d+\) nor cp1252"):
        parse_catalog(data, MAPPING)


def test_utf16_without_a_byte_order_mark_is_not_guessed() -> None:
    with pytest.raises(CatalogError, match="UTF-16 without a byte-order mark"):
        parse_catalog(TEXT.encode("utf-16-le"), MAPPING)
    catalog = parse_catalog(
        TEXT.encode("utf-16-le"),
        CatalogMapping(supplier_part="Item", unit="UOM", encoding="utf-16-le", delimiter=","),
    )
    assert len(catalog.items) == 2


def test_the_callers_stream_is_left_open_and_read_from_where_it_was() -> None:
    stream = io.BytesIO(b"garbage before the catalog" + TEXT.encode("utf-8"))
    stream.seek(len(b"garbage before the catalog"))
    catalog = parse_catalog(stream, MAPPING)
    assert len(catalog.items) == 2
    assert not stream.closed


def test_empty_input() -> None:
    with pytest.raises(CatalogError, match="empty") as raised:
        parse_catalog(b"", MAPPING)
    assert raised.value.code == "CATALOG.EMPTY"
