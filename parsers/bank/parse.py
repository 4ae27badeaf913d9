"""``parse_statements``: detect the format and hand the file to its reader."""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO, Final, cast

from ..documents.bank_statement import StatementFormat
from ..errors import StatementError
from .detect import detect_format
from .result import StatementsResult, check_balances

__all__ = ["DETECTION_BYTES", "parse_statements"]

DETECTION_BYTES: Final = 8192

Source = BinaryIO | bytes | Path | str


def parse_statements(source: Source, *, format: StatementFormat | None = None) -> StatementsResult:
    """Every statement of a bank file (see the package docstring)."""
    if isinstance(source, bytes):
        return _parse(io.BytesIO(source), format)
    if isinstance(source, str | Path):
        with open(source, "rb") as stream:
            return _parse(stream, format)
    return _parse(source, format)


def _parse(stream: BinaryIO, format: StatementFormat | None) -> StatementsResult:
    if format is None:
        head = stream.read(DETECTION_BYTES)
        stream = cast(BinaryIO, io.BufferedReader(_Rewound(head, stream)))
        format = detect_format(head)
        if format is None:
            raise StatementError("not a bank statement in a known format", code="BANK.UNKNOWN_FORMAT")
    if format == "ofx":
        from .ofx import read_ofx as reader
    elif format.startswith("camt."):
        from .camt import read_camt as reader
    elif format == "bai2":
        from .bai2 import read_bai2 as reader
    elif format == "mt940":
        from .mt940 import read_mt940 as reader
    else:
        raise StatementError(f"unknown statement format {format!r}", code="BANK.UNKNOWN_FORMAT")
    result = reader(stream)
    result.issues.extend(check_balances(result.statements))
    return result


class _Rewound(io.RawIOBase):
    """``head`` (already read for detection) followed by the rest of ``stream``."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = head
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
