"""Routing by content: X12 first (an ISA at a line start), then the bank formats; CSV has no signature."""

from __future__ import annotations

import pytest

from parsers.detect import detect_file_format

ISA = b"ISA*00*          *00*          *ZZ*MERCYGENERAL   *ZZ*MEDSUPPLYCO    *261122*0930*^*00501*000000101*0*P*>~"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (ISA, "x12"),
        (b"\xef\xbb\xbf" + ISA, "x12"),
        (b"Dear partner, our orders follow.\r\n\r\n" + ISA, "x12"),
        (b"ISA|00|          |00|", "x12"),  # another separator, cut short
        (b"ISA*00**00**ZZ*MERCY*ZZ*MED*261122*0930*^*00501*1*0*P*>~", "x12"),  # unpadded
        (b"OFXHEADER:100\r\nDATA:OFXSGML\r\n", "ofx"),
        (b'<?xml version="1.0"?>\n<?OFX OFXHEADER="200" VERSION="220"?>\n<OFX>', "ofx"),
        (b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">', "camt.053"),
        (b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">', "camt.054"),
        (b"01,BANKOFAMERICA,MERCYGENERAL,261130,0600,1,80,,2/\n", "bai2"),
        (b"{1:F01BANKBEBBAXXX0000000000}{4:\r\n:20:STMT-1130\r\n:25:BE68539007547034\r\n", "mt940"),
        (b"supplier_part,description,unit,price\nAB-100,ISA*gauze pads,BX,12.50\n", None),
        (b"Item,Description\nISA-200,ISA,01,seal\n", None),  # "ISA," in a catalog is no X12
        (b"ISA,01,hemostatic seal,BX\n", None),
        (b"", None),
    ],
)
def test_each_format_is_recognised_by_its_first_bytes(head: bytes, expected: str | None) -> None:
    assert detect_file_format(head) == expected
