"""Untrusted XML read safely and incrementally (camt, OFX 2.x): ``safe_iterparse`` and ``release``.

Two lines of defence against entity and DTD attacks (XXE to a file or a URL, billion laughs):

1. before lxml sees a byte, the prolog (everything before the root element) is scanned and any markup
   declaration (``<!DOCTYPE``, ``<!ENTITY``...) is refused: every entity attack needs one there;
2. lxml itself runs with entity resolution, DTD loading, network access and recovery off, and a document
   that still reached it with a DOCTYPE is refused (``UnsafeInputError``).

The bytes are counted as lxml reads them: past ``max_bytes`` the parse stops with ``UnsafeInputError``.
Parsing is incremental (``etree.iterparse``): the caller handles each element at its end event and calls
``release(element)`` so that the tree never holds more than the element being read.

Input that is not well-formed XML raises ``StatementError`` with its line and column (libxml2's reason up to
its first colon: never the document's text); a zip or gzip archive is refused with a clear message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import BinaryIO, Final

from lxml import etree

from ..errors import StatementError, UnsafeInputError

__all__ = ["DEFAULT_MAX_BYTES", "MAX_PROLOG_BYTES", "check_prolog", "release", "safe_iterparse"]

DEFAULT_MAX_BYTES: Final = 200 * 1024 * 1024
MAX_PROLOG_BYTES: Final = 64 * 1024  # an XML declaration and a comment or two; more is not a bank file
_CHUNK: Final = 64 * 1024

_ARCHIVES: Final = (
    (b"PK\x03\x04", "a zip archive"),
    (b"PK\x05\x06", "a zip archive"),
    (b"\x1f\x8b", "gzip data"),
)
_BOMS: Final = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xef\xbb\xbf", "utf-8"),
)
_UNMARKED_WIDE: Final = ((b"<\x00?\x00", "utf-16-le"), (b"\x00<\x00?", "utf-16-be"))
_REASON: Final = re.compile(r"[^:,]{1,80}")
_ENTITY_ATTACK: Final = re.compile(
    r"amplification|entity reference loop|entities? .*(depth|limit)", re.IGNORECASE
)


def safe_iterparse(
    stream: BinaryIO,
    tags: Sequence[str],
    *,
    events: Sequence[str] = ("end",),
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[tuple[str, etree._Element]]:
    """The ``(event, element)`` pairs of ``stream`` for the elements named in ``tags`` (lxml names:
    ``"{*}Ntry"`` matches ``Ntry`` in any namespace), after the prolog check, within ``max_bytes``."""
    head = _read_prolog(stream, max_bytes)
    source = _LimitedReader(head, stream, max_bytes)
    context = etree.iterparse(
        source,
        events=tuple(events),
        tag=tuple(tags),
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        recover=False,
        huge_tree=False,
        attribute_defaults=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )
    checked = False
    try:
        for event, element in context:
            if not checked:
                _refuse_doctype(element)
                checked = True
            yield event, element
        if not checked and context.root is not None:
            _refuse_doctype(context.root)
    except etree.XMLSyntaxError as error:
        if _ENTITY_ATTACK.search(str(error.msg or "")):  # libxml2's own limits: a third line
            raise UnsafeInputError("XML entity expansion refused", code="XML.ENTITY") from None
        raise StatementError(_syntax_message(error), code="XML.SYNTAX") from None
    except etree.LxmlError:
        raise StatementError("the XML cannot be read", code="XML.SYNTAX") from None
    except (LookupError, UnicodeError):
        raise StatementError("the XML's declared encoding cannot be read", code="XML.ENCODING") from None


def release(element: etree._Element) -> None:
    """Forget ``element`` (already read) and its preceding siblings, so that memory stays flat."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def check_prolog(head: bytes, *, at_end: bool = True) -> bool:
    """True when ``head`` (the first bytes of a document) reaches its root element through a prolog free
    of markup declarations; False when more bytes are needed to tell (only when ``at_end`` is False).
    Raises ``UnsafeInputError`` for a DOCTYPE or any other declaration, ``StatementError`` for input that
    is empty, archived or not XML at all."""
    for magic, what in _ARCHIVES:
        if head.startswith(magic):
            raise StatementError(
                f"{what}, not an XML document: compressed deliveries are unpacked before parsing",
                code="XML.ARCHIVE",
            )
    text = _decoded(head)
    at = 0
    while True:
        while at < len(text) and text[at] in " \t\r\n":
            at += 1
        rest = text[at : at + 4]
        if not rest:
            if at_end:
                raise StatementError("the document is empty (no root element)", code="XML.SYNTAX")
            return False
        if not at_end and len(rest) < 4 and "<!--".startswith(rest):
            return False  # "<", "<!" or "<!-": the next bytes decide
        if rest.startswith("<?"):
            end = text.find("?>", at + 2)
            if end < 0:
                return _need_more(at_end, "an unterminated processing instruction")
            at = end + 2
        elif rest == "<!--":
            end = text.find("-->", at + 4)
            if end < 0:
                return _need_more(at_end, "an unterminated comment")
            at = end + 3
        elif rest.startswith("<!"):
            raise UnsafeInputError(
                "XML with a DOCTYPE or markup declaration is refused (entities and DTDs are not accepted)",
                code="XML.DOCTYPE",
            )
        elif rest.startswith("<"):
            return True
        else:
            raise StatementError("not an XML document: text before the root element", code="XML.SYNTAX")


def _need_more(at_end: bool, what: str) -> bool:
    if at_end:
        raise StatementError(f"the XML prolog ends in {what}", code="XML.SYNTAX")
    return False


def _read_prolog(stream: BinaryIO, max_bytes: int) -> bytes:
    """The first bytes of ``stream``, up to and past the root element's start, checked by ``check_prolog``."""
    head = b""
    while True:
        chunk = stream.read(_CHUNK)
        head += chunk
        if check_prolog(head, at_end=not chunk):
            break
        if len(head) >= min(MAX_PROLOG_BYTES, max_bytes):
            raise UnsafeInputError(
                f"the XML prolog is longer than {MAX_PROLOG_BYTES} bytes", code="XML.PROLOG_TOO_LONG"
            )
    if len(head) > max_bytes:
        raise _too_large(max_bytes)
    return head


def _decoded(head: bytes) -> str:
    """``head`` as text for the prolog scan: markup is ASCII in every ASCII-compatible encoding, so Latin-1
    reads it exactly; UTF-16/32 (by byte-order mark or by the shape of ``<?``) are decoded as such."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="replace")
    for shape, codec in _UNMARKED_WIDE:
        if head.startswith(shape):
            return head.decode(codec, errors="replace")
    return head.decode("latin-1")


def _refuse_doctype(element: etree._Element) -> None:
    docinfo = element.getroottree().docinfo
    doctype: str = getattr(docinfo, "doctype", "")  # missing from lxml-stubs
    if doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise UnsafeInputError("XML with a DOCTYPE is refused", code="XML.DOCTYPE")


def _syntax_message(error: etree.XMLSyntaxError) -> str:
    reason = _REASON.match(str(error.msg or ""))
    where = f"line {error.lineno}" if error.lineno else ""
    if error.position and error.position[1]:
        where += f", column {error.position[1]}"
    text = "the XML is not well-formed"
    if reason is not None:
        text += f": {reason.group(0).strip()}"
    return f"{text} ({where})" if where else text


def _too_large(max_bytes: int) -> UnsafeInputError:
    return UnsafeInputError(
        f"the document is larger than the limit of {max_bytes} bytes", code="XML.TOO_LARGE"
    )


class _LimitedReader:
    """``head`` then the rest of ``stream``, for lxml, stopping with ``UnsafeInputError`` past the limit."""

    def __init__(self, head: bytes, stream: BinaryIO, max_bytes: int) -> None:
        self._head = head
        self._stream = stream
        self._max_bytes = max_bytes
        self._left = max_bytes - len(head)

    def read(self, size: int = -1) -> bytes:
        size = size if size > 0 else _CHUNK
        if self._head:
            data, self._head = self._head[:size], self._head[size:]
            return data
        data = self._stream.read(size)
        self._left -= len(data)
        if self._left < 0:
            raise _too_large(self._max_bytes)
        return data
