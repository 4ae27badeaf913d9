"""Bytes to text for a catalog: the partner's encoding, or one detected and said so.

Detection, when the mapping names no encoding: a byte-order mark decides (UTF-8, UTF-16, UTF-32); else the
file is UTF-8 if all of it decodes as UTF-8 (a seekable file is checked to its end, in chunks, before it is
read; a pipe by its first 64 KiB), else cp1252 (what Excel on Windows writes). The text is read through one
``TextIOWrapper`` with ``newline=""``, as the csv module wants, so memory stays flat.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO, Final

from ..errors import CatalogError

__all__ = ["HEAD_BYTES", "DecodedText", "decoded_text"]

HEAD_BYTES: Final = 64 * 1024  # read first: encoding, delimiter sniffing
_SCAN_CHUNK: Final = 1024 * 1024
_BOMS: Final = (  # UTF-32 first: its little-endian mark begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32 (byte-order mark)"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32 (byte-order mark)"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with byte-order mark (detected)"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 (byte-order mark)"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 (byte-order mark)"),
)


@dataclass(frozen=True, slots=True)
class DecodedText:
    """The catalog as text: ``lines`` for the csv reader, ``sample`` (its first lines) for sniffing."""

    lines: io.TextIOWrapper
    encoding: str
    sample: str
    note: str | None  # how the encoding was chosen, when it was detected


@contextmanager
def decoded_text(stream: BinaryIO, encoding: str | None) -> Iterator[DecodedText]:
    """The text of ``stream`` in ``encoding`` (None: detected). ``stream`` is left open."""
    start = _position(stream)
    head = stream.read(HEAD_BYTES)
    if not head:
        raise CatalogError("the catalog file is empty", code="CATALOG.EMPTY")
    if encoding is None:
        encoding, note = _detect(head, stream, start)
    else:
        # A configured UTF-8 still tolerates the mark Excel puts in front ("CSV UTF-8").
        encoding = "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding
        note = None
    if start is not None:
        stream.seek(start)
        source: BinaryIO = stream
    else:
        source = io.BufferedReader(_Replayed(head, stream))
    sample = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=False)
    lines = io.TextIOWrapper(source, encoding=encoding, errors="strict", newline="")
    try:
        yield DecodedText(lines=lines, encoding=encoding, sample=sample, note=note)
    finally:
        lines.detach()  # the caller's stream stays open: the wrapper must not close it


def _position(stream: BinaryIO) -> int | None:
    """Where the catalog starts in a seekable stream (None: a pipe or socket, read once)."""
    try:
        return stream.tell() if stream.seekable() else None
    except OSError:
        return None


def _detect(head: bytes, stream: BinaryIO, start: int | None) -> tuple[str, str]:
    for bom, encoding, note in _BOMS:
        if head.startswith(bom):
            return encoding, f"encoding: {note}"
    probe = head[:1024]
    if probe.count(0) * 4 >= len(probe):
        raise CatalogError(
            "NUL bytes throughout the start of the file: UTF-16 without a byte-order mark? "
            "Configure the partner's encoding",
            code="CATALOG.ENCODING",
        )
    whole = (
        "the whole file"
        if start is not None or len(head) < HEAD_BYTES
        else f"its first {HEAD_BYTES // 1024} KiB"
    )
    bad_offset = _first_invalid("utf-8", head, stream, start)
    if bad_offset is None:
        return "utf-8", f"encoding: UTF-8 (detected: {whole} is valid UTF-8)"
    if _first_invalid("cp1252", head, stream, start) is None:
        return "cp1252", f"encoding: cp1252 (detected: not UTF-8 from byte {bad_offset})"
    raise CatalogError(
        f"neither UTF-8 (invalid from byte {bad_offset}) nor cp1252: configure the partner's encoding",
        code="CATALOG.ENCODING",
    )


def _first_invalid(encoding: str, head: bytes, stream: BinaryIO, start: int | None) -> int | None:
    """The offset of the first byte that is not ``encoding`` (None: all valid), checking the whole stream
    when it can be read again, else only ``head``."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    chunk = head
    if start is not None:
        stream.seek(start)
        chunk = stream.read(_SCAN_CHUNK)
    while chunk:
        try:
            decoder.decode(chunk, final=False)
        except UnicodeDecodeError as error:
            return offset + error.start
        offset += len(chunk)
        if start is None:
            return None  # a pipe: only its head can be checked before reading
        chunk = stream.read(_SCAN_CHUNK)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return offset  # the file ends inside a character
    return None


class _Replayed(io.RawIOBase):
    """``head`` (already read for detection) followed by the rest of a stream that cannot seek."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = memoryview(head)
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
