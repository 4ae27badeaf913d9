"""Which bank format a file is in, from its first bytes."""

from __future__ import annotations

import re
from typing import Final

from ..documents.bank_statement import StatementFormat

__all__ = ["detect_format"]

_CAMT: Final = re.compile(rb"urn:iso:std:iso:20022:tech:xsd:camt\.(05[234])\.")
_OFX_SGML: Final = re.compile(rb"OFXHEADER\s*:\s*100")
_OFX_XML: Final = re.compile(rb"<\?OFX\s|<OFX>", re.IGNORECASE)
_BAI2: Final = re.compile(rb"\A\s*01,")
_MT940: Final = re.compile(rb"(?m)^:20:|\{4:\s*\r?\n:20:")


def detect_format(head: bytes) -> StatementFormat | None:
    """The statement format of a file whose first bytes (a few KiB) are ``head``, or None."""
    head = head.removeprefix(b"\xef\xbb\xbf")
    camt = _CAMT.search(head)
    if camt is not None:
        return f"camt.{camt.group(1).decode()}"  # type: ignore[return-value]
    if _OFX_SGML.search(head) or _OFX_XML.search(head):
        return "ofx"
    if _BAI2.match(head):
        return "bai2"
    if _MT940.search(head):
        return "mt940"
    return None
