"""MT940 text to statements of fields: ``:TAG:`` lines and their continuation lines, one pass.

A field starts on a line beginning with a known tag (``:20:``, ``:61:``, ``:86:``...); every other line
continues the field before it, so a wrapped ``:86:`` line that happens to start with ``:26:`` stays text.
``:20:`` starts a statement. What comes before the first ``:20:`` (SWIFT blocks ``{1:...}{2:...}{4:``,
bank headers such as ``ABNANL2A`` / ``940``, ``:940:``) is skipped; so is what follows the end of a message
(``-``, ``-}``, ``-XXX``, ``{5:...}``) up to the next ``:20:``. A lone ``-`` in the middle of a statement
is text (ING wraps ``:86:`` lines there) and is only an end when the next field is a ``:20:``.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import BinaryIO, Final

from ..errors import StatementError, UnsafeInputError
from .result import StatementIssue

__all__ = ["MAX_MT940_BYTES", "DecodedMt940", "Field", "RawStatement", "decode_mt940", "split_statements"]

MAX_MT940_BYTES: Final = 256 * 1024 * 1024

# MT940 fields, the MT942 ones some banks mix in, and ``:NS:`` (bank-specific, in Eastern Europe).
_TAG: Final = re.compile(r":(20|21|25P?|28C?|60[FM]|61|86|62[FM]|64|65|13D?|34F|90[CD]|NS):")
_END_OF_MESSAGE: Final = re.compile(r"-\s*(?:\}.*|XXX\s*|[\x00-\x1f]*)?$")


@dataclass(frozen=True, slots=True)
class DecodedMt940:
    text: str
    issues: tuple[StatementIssue, ...] = ()


@dataclass(slots=True)
class Field:
    """One field: its tag (``61``, ``60F``...), its first line (after the tag), the lines continuing it,
    and the physical line it starts on (1-based)."""

    tag: str
    first: str
    more: list[str]
    line: int

    @property
    def lines(self) -> list[str]:
        return [self.first, *self.more]


@dataclass(slots=True)
class RawStatement:
    line: int  # of its :20:
    fields: list[Field] = field(default_factory=list)


def decode_mt940(stream: BinaryIO, *, max_bytes: int = MAX_MT940_BYTES) -> DecodedMt940:
    """The text of an MT940 file: UTF-8 when it is, else Windows-1252 (what European bank portals write),
    else Latin-1 (which reads any byte), with a warning."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnsafeInputError(f"the MT940 file is larger than {max_bytes} bytes", code="BANK.TOO_LARGE")
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return DecodedMt940(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    try:
        return DecodedMt940(data.decode("cp1252"))
    except UnicodeDecodeError:
        note = StatementIssue("MT940.ENCODING", "the text is neither UTF-8 nor Windows-1252: read as Latin-1")
        return DecodedMt940(data.decode("latin-1"), (note,))


def split_statements(text: str) -> list[RawStatement]:
    """The statements of ``text``, each a list of fields (see the module docstring)."""
    statements: list[RawStatement] = []
    current: Field | None = None  # the field continuation lines belong to; None before the first :20:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        tag = _TAG.match(line)
        if tag is None:
            if current is not None:
                current.more.append(line)
            continue
        name = tag.group(1)
        if name == "20":
            if statements:
                _cut_end_of_message(statements[-1])
            statements.append(RawStatement(number))
        if not statements:
            continue  # a header field before the first statement
        current = Field(name, line[tag.end() :], [], number)
        statements[-1].fields.append(current)
    if statements:
        _cut_end_of_message(statements[-1])
    if not statements:
        raise StatementError("no MT940 statement (no :20: field) in the file", code="MT940.NO_STATEMENT")
    return statements


def _cut_end_of_message(statement: RawStatement) -> None:
    """Drop the end of the message and whatever follows it from the statement's last field."""
    last = statement.fields[-1]
    for index, line in enumerate(last.more):
        if _END_OF_MESSAGE.match(line) or line.startswith("{"):
            del last.more[index:]
            return
