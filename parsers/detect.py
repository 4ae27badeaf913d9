"""What a received file is, from its first bytes: X12 or one of the bank statement formats.

The gateway routes by this (and, for CSV catalogs, which have no signature, by the partner's mapping);
``edi-gateway parse`` picks its reader by it. X12 is looked for first: an ISA at the start of a line (after a
byte-order mark, blank lines or prose) with the shape of its first three elements.
"""

from __future__ import annotations

import re
from typing import Final, Literal

from .bank.detect import detect_format
from .documents.bank_statement import StatementFormat

__all__ = ["HEAD_BYTES", "FileFormat", "detect_file_format"]

FileFormat = Literal["x12"] | StatementFormat

HEAD_BYTES: Final = 4096  # what ``detect_file_format`` needs: enough for prose or a BOM before an ISA
# ISA, its separator, ISA01 (two digits), ISA02 (ten characters, however padded), ISA03 (two digits):
# a CSV row that starts "ISA,01," is no interchange.
_ISA: Final = re.compile(rb"(?m)^[ \t]*ISA([^A-Za-z0-9\s])[ ]*\d\d[ ]*\1[^\r\n]{0,32}?\1[ ]*\d\d[ ]*\1")


def detect_file_format(head: bytes) -> FileFormat | None:
    """The format of a file whose first bytes (``HEAD_BYTES`` or the whole file) are ``head``, or None."""
    text = head.removeprefix(b"\xef\xbb\xbf")
    if _ISA.search(text):
        return "x12"
    return detect_format(text)
