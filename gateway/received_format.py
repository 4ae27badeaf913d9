"""A file given on the command line, by its first bytes: enough of them to detect its format, and whether
it is compressed.

Compressed deliveries are refused by name: the gateway reads plain files, and unpacking is a decision (how
large, how many members) that ``parse`` and ``ack`` do not take.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from parsers.detect import HEAD_BYTES

__all__ = ["COMPRESSED_MESSAGE", "compression_of", "read_head"]

COMPRESSED_MESSAGE: Final = "compressed deliveries are not accepted: unpack it and give the file inside"
_MAGIC: Final = (
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),  # an empty archive
    (b"PK\x07\x08", "zip"),  # a spanned one
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
)


def read_head(path: Path) -> bytes:
    """The first bytes of ``path``, as many as format detection needs (raises OSError)."""
    with path.open("rb") as stream:
        return stream.read(HEAD_BYTES)


def compression_of(head: bytes) -> str | None:
    """The archive or compression format the bytes start with, or None for a plain file."""
    return next((name for magic, name in _MAGIC if head.startswith(magic)), None)
