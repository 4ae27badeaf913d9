"""OFX text to a tree of aggregates, in one linear pass, for 1.x SGML and 2.x XML alike.

OFX has two kinds of tags: aggregates, which hold other tags and are always closed, and elements, which
hold a value and in SGML are not closed (``<TRNAMT>-6.60<FITID>...``). XML files close both, and many files
mix the styles (an XML header over SGML tags, leaf end tags in SGML files, end tags for leaves that were
never open). One rule reads them all: a tag followed by text is an element; a tag followed by another
start tag is an aggregate; an end tag closes the innermost open aggregate of that name (and any aggregate
left open inside it) and is ignored when no aggregate of that name is open.

Nothing is ever expanded: a DOCTYPE, ENTITY or any other markup declaration is refused before it could
matter (``UnsafeInputError``); character references and the five XML entities are replaced in values,
any other ``&name;`` stays as it is. Comments, processing instructions (the XML and OFX 2.x headers) and
the OFX 1.x header lines before the first tag are skipped. CDATA sections are values.
"""

from __future__ import annotations

import bisect
import html
import re
from typing import Final

from ..errors import StatementError, UnsafeInputError

__all__ = ["MAX_DEPTH", "Aggregate", "LineIndex", "read_tree"]

MAX_DEPTH: Final = 64  # real files nest about ten deep; a limit keeps hostile nesting linear

_MARKUP: Final = re.compile(
    r"<(?:"
    r"(?P<end>/)?(?P<name>[A-Za-z][A-Za-z0-9_.:-]*)(?P<attributes>[^<>]*)>"
    r"|!--.*?-->"
    r"|!\[CDATA\[(?P<cdata>.*?)\]\]>"
    r"|\?[^<>]*\?>"
    r"|(?P<declaration>![A-Za-z])"
    r"|(?P<unclosed>[!?])"
    r")(?P<text>[^<]*)",
    re.DOTALL,
)
_REFERENCE: Final = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|lt|gt|amp|quot|apos);")

# Elements the statement reader takes values from: one of these is a value even when empty and followed by
# a tag (``<NAME><MEMO>x``), never an aggregate that would swallow the tags after it.
ELEMENTS: Final = frozenset(
    {
        "ACCTID", "ACCTTYPE", "BALAMT", "BANKID", "BRANCHID", "CHECKNUM", "CODE", "CORRECTACTION",
        "CORRECTFITID", "CURDEF", "DTASOF", "DTAVAIL", "DTEND", "DTPOSTED", "DTSERVER", "DTSTART", "DTTRAN",
        "DTUSER", "EXTDNAME", "FITID", "MEMO", "MESSAGE", "NAME", "PAYEEID", "REFNUM", "SEVERITY", "SIC",
        "SRVRTID", "TRNAMT", "TRNTYPE",
    }
)  # fmt: skip


class Aggregate:
    """An aggregate: its element values (the first of each name) and its aggregates, in file order."""

    __slots__ = ("children", "name", "offset", "values")

    def __init__(self, name: str, offset: int) -> None:
        self.name = name
        self.offset = offset  # of its start tag in the text (see ``LineIndex``)
        self.values: dict[str, str] = {}
        self.children: list[Aggregate] = []

    def child(self, name: str) -> Aggregate | None:
        for child in self.children:
            if child.name == name:
                return child
        return None

    def all(self, name: str) -> list[Aggregate]:
        return [child for child in self.children if child.name == name]

    def walk(self) -> list[Aggregate]:
        """Every aggregate below this one, depth first in file order."""
        found: list[Aggregate] = []
        pending = list(reversed(self.children))
        while pending:
            aggregate = pending.pop()
            found.append(aggregate)
            pending.extend(reversed(aggregate.children))
        return found


class LineIndex:
    """Line numbers of text offsets, computed on first use (only issues need them)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._newlines: list[int] | None = None

    def line(self, offset: int) -> int:
        if self._newlines is None:
            self._newlines = [match.start() for match in re.finditer("\n", self._text)]
        return bisect.bisect_right(self._newlines, offset - 1) + 1


def read_tree(text: str) -> Aggregate:
    """The tree of ``text`` under a nameless root; raises ``StatementError`` if it ends inside an aggregate
    and ``UnsafeInputError`` at any markup declaration."""
    root = Aggregate("", 0)
    stack = [root]
    values = root.values  # of the innermost open aggregate
    pending: str | None = None  # a start tag not yet known to be an element or an aggregate
    pending_at = 0
    for match in _MARKUP.finditer(text):
        end, name, attributes, cdata, declaration, unclosed, after = match.groups()
        if name is not None:
            if pending is not None:
                if end is not None and pending == name and name in ELEMENTS:  # <NAME></NAME>
                    values.setdefault(name, "")
                    pending = None
                    continue
                if pending in ELEMENTS or (end is not None and pending != name):
                    # an empty value before a tag, or closed with its aggregate
                    values.setdefault(pending, "")
                else:  # an aggregate: this tag is its first, or ends it (<BANKTRANLIST></BANKTRANLIST>)
                    if len(stack) > MAX_DEPTH:
                        raise StatementError(
                            f"aggregates nested deeper than {MAX_DEPTH} (line {_line(text, pending_at)})",
                            code="OFX.SYNTAX",
                        )
                    aggregate = Aggregate(pending, pending_at)
                    stack[-1].children.append(aggregate)
                    stack.append(aggregate)
                    values = aggregate.values
                pending = None
            if end is not None:
                _close(stack, name)
                values = stack[-1].values
                continue
            value = after.strip()
            if value:  # the common case: <TRNAMT>-6.60 or <TRNAMT>-6.60</TRNAMT>
                if name not in values:
                    values[name] = _unescape(value)
            elif attributes.endswith("/"):  # XML <NAME/>
                values.setdefault(name, "")
            else:
                pending, pending_at = name, match.start()
            continue
        if cdata is not None:
            if pending is not None:
                values.setdefault(pending, cdata.strip())
                pending = None
            continue
        if declaration is not None:
            raise UnsafeInputError(
                f"OFX markup declarations (DOCTYPE, ENTITY) are refused (line {_line(text, match.start())})",
                code="OFX.DECLARATION",
            )
        if unclosed is not None:
            raise StatementError(
                f"unterminated comment or markup (line {_line(text, match.start())})", code="OFX.SYNTAX"
            )
        # the text after a comment or a processing instruction: a value if a tag waits for one
        if pending is not None and (value := after.strip()):
            values.setdefault(pending, _unescape(value))
            pending = None
    if pending is not None:
        values.setdefault(pending, "")
    if len(stack) > 1:
        raise StatementError(
            f"the file ends inside <{stack[-1].name}> opened at line {_line(text, stack[-1].offset)}",
            code="OFX.TRUNCATED",
        )
    return root


def _line(text: str, offset: int) -> int:
    return LineIndex(text).line(offset)


def _close(stack: list[Aggregate], name: str) -> None:
    for depth in range(len(stack) - 1, 0, -1):
        if stack[depth].name == name:
            del stack[depth:]
            return
    # an end tag of an element, or of nothing open: SGML files are full of these


def _unescape(value: str) -> str:
    return _REFERENCE.sub(_reference, value) if "&" in value else value


def _reference(match: re.Match[str]) -> str:
    reference = match.group()
    character = html.unescape(reference)
    # NUL, surrogates and code points beyond Unicode stay as written: they are not text.
    if len(character) != 1 or character in "\x00\ufffd" or 0xD800 <= ord(character) <= 0xDFFF:
        return reference
    return character
