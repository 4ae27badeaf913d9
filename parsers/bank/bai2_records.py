"""BAI2 physical lines into logical records: a record with its ``88`` continuations, and where it starts.

What banks actually send, beyond the specification:
* several records on one line, each ended by ``/`` (``49,00,2/  03,1111111,...``): split where a ``/`` and
  blanks are followed by a record code and a comma;
* a line that starts with no record code (a text wrapped by the bank's software, ``88:`` for ``88,``): it
  belongs to the record before it and is joined to it with a space, with a warning;
* records without their ``/`` terminator, blank lines, CR LF or CR line ends, text in Latin-1.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, Final

from ..errors import StatementError

__all__ = ["RECORD_CODES", "Record", "read_records"]

RECORD_CODES: Final = frozenset({"01", "02", "03", "16", "49", "88", "98", "99"})
_RECORD_START: Final = re.compile(r"(\d\d),")
_SEVERAL_RECORDS: Final = re.compile(r"(?<=/)[ \t]+(?=(?:0[123]|16|49|88|9[89]),)")
_MAX_LINE: Final = 1024 * 1024  # a BAI2 record is a few hundred characters; a megabyte is not a record


@dataclass(slots=True)
class Record:
    """One logical record: its code, its body and those of its ``88`` continuations (after ``NN,``, the
    ``/`` terminators kept), the physical line where it starts and how many records it counts for."""

    code: str
    bodies: list[str]
    line: int

    @property
    def count(self) -> int:
        return len(self.bodies)


StrayLine = Callable[[int], None]  # told the line number of a line joined to the record before it


def read_records(stream: BinaryIO, stray: StrayLine) -> Iterator[Record]:
    """The logical records of ``stream``, in order (see the module docstring)."""
    pending: Record | None = None
    for number, text in _lines(stream):
        for piece in _SEVERAL_RECORDS.split(text):
            start = _RECORD_START.match(piece)
            if start is None:
                if pending is None:
                    raise StatementError(
                        f"line {number}: the file does not begin with a BAI2 record", code="BAI2.STRUCTURE"
                    )
                stray(number)
                pending.bodies[-1] = f"{pending.bodies[-1]} {piece}"
                continue
            code = start.group(1)
            if code not in RECORD_CODES:
                raise StatementError(f"line {number}: unknown record type {code}", code="BAI2.STRUCTURE")
            body = piece[start.end() :]
            if code == "88":
                if pending is None:
                    raise StatementError(
                        f"line {number}: a continuation (88) with no record before it", code="BAI2.STRUCTURE"
                    )
                pending.bodies.append(body)
                continue
            if pending is not None:
                yield pending
            pending = Record(code, [body], number)
    if pending is not None:
        yield pending


def _lines(stream: BinaryIO) -> Iterator[tuple[int, str]]:
    """The non-blank physical lines of ``stream``, numbered from 1, stripped of blanks at both ends."""
    number = 0
    while True:
        raw = stream.readline(_MAX_LINE + 1)
        if not raw:
            return
        if len(raw) > _MAX_LINE:
            raise StatementError(f"line {number + 1}: longer than {_MAX_LINE} bytes", code="BAI2.STRUCTURE")
        for part in raw.rstrip(b"\r\n").split(b"\r"):
            number += 1
            text = _decode(part).strip().lstrip("\ufeff")
            if text:
                yield number, text


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")  # BAI2 is ASCII; a stray accented byte must not stop the file
