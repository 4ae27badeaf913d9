"""OFX bytes to text: the byte limit, byte-order marks, and the character set the header declares.

ofxparse stumbles on exactly this step (a byte-order mark, ``CHARSET:NONE``, ``ISO-8859-1``,
``ENCODING:UTF8``, non-ASCII text in 2.x files), so it is ours. Headers are often wrong (a file declaring
``USASCII`` with accented names is common): UTF-8 is tried first, because text in a single-byte character
set is almost never valid UTF-8 by accident; then the declared character set; then Windows-1252, the
character set of nearly every OFX 1.x producer; Latin-1 last, which reads any byte.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import BinaryIO, Final

from ..errors import StatementError, UnsafeInputError
from .result import StatementIssue

__all__ = ["MAX_OFX_BYTES", "DecodedOfx", "decode_ofx"]

MAX_OFX_BYTES: Final = 256 * 1024 * 1024  # 50,000 transactions take about 15 MB

_SGML_HEADER: Final = re.compile(rb"^\s*([A-Z]+)\s*:\s*([^\r\n<]*?)\s*$", re.MULTILINE)
_XML_ENCODING: Final = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']", re.IGNORECASE)
_HEADER_BYTES: Final = 4096

# What OFX 1.x headers say (ENCODING and CHARSET together) mapped to Python codecs.
_SGML_CHARSETS: Final = {
    "1252": "cp1252",
    "ISO-8859-1": "cp1252",  # producers that say Latin-1 write Windows-1252 (curly quotes, the euro sign)
    "8859-1": "cp1252",
    "NONE": "cp1252",
    "UTF-8": "utf-8",
    "UTF8": "utf-8",
}


_SINGLE_BYTE_CODECS: Final = ("cp", "iso8859-", "mac-", "koi8-")


@dataclass(frozen=True, slots=True)
class DecodedOfx:
    text: str
    encoding: str  # the codec that read the file
    issues: tuple[StatementIssue, ...] = ()


def decode_ofx(stream: BinaryIO, *, max_bytes: int = MAX_OFX_BYTES) -> DecodedOfx:
    """The text of an OFX file, refused when longer than ``max_bytes``."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnsafeInputError(f"the OFX file is larger than {max_bytes} bytes", code="BANK.TOO_LARGE")
    if not data.strip():
        raise StatementError("the OFX file is empty", code="OFX.EMPTY")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return DecodedOfx(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError:
            raise StatementError("the OFX file is not valid UTF-16", code="OFX.ENCODING") from None
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return DecodedOfx(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    for encoding in (_declared_encoding(data[:_HEADER_BYTES]), "cp1252"):
        if encoding is None:
            continue
        try:
            return DecodedOfx(data.decode(encoding), encoding)
        except (UnicodeError, LookupError):
            continue
    note = StatementIssue(
        "OFX.ENCODING", "the text is neither UTF-8 nor in its declared character set: read as Latin-1"
    )
    return DecodedOfx(data.decode("latin-1"), "latin-1", (note,))


def _declared_encoding(head: bytes) -> str | None:
    """The codec the header names, when Python knows it (None for ASCII: UTF-8 was tried already)."""
    xml = _XML_ENCODING.search(head)
    if xml is not None:
        return _known_codec(xml.group(1).decode("ascii"))
    fields = {
        key.decode(): value.decode("ascii", "replace").upper() for key, value in _SGML_HEADER.findall(head)
    }
    charset = fields.get("CHARSET", "")
    if fields.get("ENCODING", "").replace("-", "") in {"UTF8", "UNICODE"}:
        return "utf-8"
    return _SGML_CHARSETS.get(charset) or _known_codec(charset)


def _known_codec(name: str) -> str | None:
    """A single-byte character set Python knows by ``name``; never a transform such as zlib or base64."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return codec if codec.startswith(_SINGLE_BYTE_CODECS) else None
