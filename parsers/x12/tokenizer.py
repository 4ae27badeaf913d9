"""Streaming X12 tokenizer: a binary stream in, batches of segments out, one interchange at a time.

The input is read in chunks and decoded incrementally (UTF-8; bytes that are not UTF-8 survive as surrogate
escapes, so nothing is lost). Separators are taken from each ISA, so several interchanges with different
separators can share a file. Inside an interchange the hot path is two C-level ``str.split`` calls per chunk;
the slow path (whitespace after terminators, empty segments, newline terminators) strips each segment.

Tokens are tuples, cheap to make and to dispatch on:

* ``("isa", separators, segment, offset)``: an interchange header was read; ``segment`` is the ISA;
* ``("segments", texts, boundaries)``: the segments of the current interchange as texts (not yet split into
  elements), in order (the IEA included), and the indexes of those that look like envelope segments (ISA,
  IEA, GS, GE, ST, SE, TA1);
* ``("broken_isa", salvage, code, message, offset)``: an ISA that cannot be read; ``salvage`` holds its fields
  as far as they could be split, so that a TA1 can still be addressed;
* ``("note", code, message, severity, offset)``: something about the bytes outside interchanges;
* ``("eof_in_interchange", offset)``: the input ended before the interchange's IEA.

Offsets count characters from the start of the decoded input (equal to bytes for ASCII files).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import BinaryIO, Final, NamedTuple

from .model import Separators

Token = tuple[object, ...]

CHUNK_SIZE: Final = 1 << 16  # measured: 64 KiB batches stay in cache; 1 MiB ones run at half the speed
_ISA_SCAN_LIMIT: Final = 400  # an ISA is 106 characters; allow for wrapping and sloppy padding
_ISA_START: Final = re.compile(r"ISA(?=[^A-Za-z0-9 \t\r\n])")  # not \s: \x1c-\x1f are delimiters here
_LINE_BREAKS: Final = "\r\n"
_WRAP_REMOVER: Final = str.maketrans("", "", _LINE_BREAKS)


def _is_valid_delimiter(char: str) -> bool:
    return len(char) == 1 and not char.isalnum() and char != " "


class _ChunkSource:
    """Decoded text of a binary stream, chunk by chunk, with the byte-order mark dropped."""

    def __init__(self, stream: BinaryIO, chunk_size: int) -> None:
        self._stream = stream
        self._chunk_size = chunk_size
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
        self._first = True
        self.eof = False
        self.had_bom = False

    def read(self) -> str:
        """The next piece of text; empty only at the end (a chunk may end inside a multi-byte character)."""
        while not self.eof:
            data = self._stream.read(self._chunk_size)
            if not data:
                self.eof = True
                return self._decoder.decode(b"", final=True)
            text = self._decoder.decode(data)
            if not text:
                continue
            if self._first:
                self._first = False
                if text.startswith("\ufeff"):
                    self.had_bom = True
                    text = text[1:]
                    if not text:
                        continue
            return text
        return ""


class _IsaRead(NamedTuple):
    separators: Separators
    fields: list[str]
    end: int  # index just after the ISA's terminator
    wrapped: bool  # a line-break terminator also occurs inside the ISA


class _IsaBroken(NamedTuple):
    salvage: list[str]
    code: str
    message: str


def _scan_isa(text: str, start: int, eof: bool) -> _IsaRead | _IsaBroken | None:
    """Read the ISA that begins at ``start``; None when the text ends too early and more may come."""
    element = text[start + 3]
    count = 0
    chars: list[str] = []
    i = start + 4
    limit = min(len(text), start + _ISA_SCAN_LIMIT)
    while i < limit and count < 15:  # the first of the 16 separators is at start + 3
        ch = text[i]
        if ch == element:
            count += 1
            chars.append(ch)
        elif ch not in _LINE_BREAKS:
            chars.append(ch)
        i += 1
    if count < 15:
        if i >= len(text) and not eof and len(text) - start < _ISA_SCAN_LIMIT:
            return None
        salvage = ("ISA" + element + "".join(chars)).split(element)
        return _IsaBroken(
            salvage,
            "TA1.023" if i >= len(text) else "TA1.022",
            "interchange header (ISA) has fewer than 16 elements",
        )
    # i is now just after the last element separator: ISA16, then the segment terminator.
    while i < len(text) and text[i] in _LINE_BREAKS:
        i += 1
    if i + 1 >= len(text):
        if not eof:
            return None
        salvage = ("ISA" + element + "".join(chars)).split(element)
        return _IsaBroken(salvage, "TA1.023", "input ends inside the interchange header (ISA)")
    component = text[i]
    terminator = text[i + 1]
    raw_header = text[start : i + 1]
    fields = raw_header.translate(_WRAP_REMOVER).split(element)
    if not _is_valid_delimiter(element):
        return _IsaBroken(fields, "TA1.026", "invalid data element separator in the ISA")
    if not _is_valid_delimiter(component) or component == element:
        return _IsaBroken(fields, "TA1.027", "invalid component element separator (ISA16)")
    if terminator in (element, component) or terminator.isalnum() or terminator == " ":
        return _IsaBroken(fields, "TA1.004", "invalid segment terminator after ISA16")
    version = fields[12].strip()
    repetition_field = fields[11].strip()
    repetition: str | None = None
    if (
        version >= "00402"
        and len(repetition_field) == 1
        and _is_valid_delimiter(repetition_field)
        and repetition_field not in (element, component, terminator)
    ):
        repetition = repetition_field
    separators = Separators(element=element, component=component, segment=terminator, repetition=repetition)
    # A segment terminator that is itself a line break cannot also wrap the ISA: such an ISA is broken.
    wrapped_by_terminator = terminator in _LINE_BREAKS and terminator in raw_header
    return _IsaRead(separators, fields, i + 2, wrapped_by_terminator)


class _Boundary:
    """Finds the next IEA (end of this interchange) or ISA (a new one, the IEA missing) at a segment start.

    ``str.find`` on the literal id is far faster than a regular expression over a megabyte chunk; each hit is
    then confirmed to follow a terminator (and optional white space) or the start of the text.
    """

    def __init__(self, separators: Separators) -> None:
        self._terminator = separators.segment
        self._needles = ("IEA" + separators.element, "ISA" + separators.element)

    def _at_segment_start(self, text: str, index: int) -> bool:
        # Walk back over white space (which may itself be the terminator) without copying the text.
        j = index
        while j > 0 and text[j - 1] in " \t\r\n":
            if text[j - 1] == self._terminator:
                return True
            j -= 1
        return j == 0 or text[j - 1] == self._terminator

    def search(self, text: str, end: int) -> tuple[str, int] | None:
        """The first boundary before ``end``: (segment id, index of its first character)."""
        best: tuple[str, int] | None = None
        for needle in self._needles:
            index = text.find(needle, 0, end)
            while index >= 0:
                if self._at_segment_start(text, index):
                    if best is None or index < best[1]:
                        best = (needle[:3], index)
                    break
                index = text.find(needle, index + 1, end)
        return best


ENVELOPE_IDS: Final = frozenset({"ISA", "IEA", "GS", "GE", "ST", "SE", "TA1"})
_INTERCHANGE_IDS: Final = frozenset({"IEA", "ISA"})
_ENVELOPE_FIRST_LETTERS: Final = frozenset("GIST")  # the first letters of ENVELOPE_IDS: a cheap filter


def _envelope_prefixes(element: str) -> tuple[str, ...]:
    """Texts an envelope segment starts with: its id followed by the element separator, or the id alone."""
    return tuple(segment_id + element for segment_id in sorted(ENVELOPE_IDS))


def _envelope_indexes(parts: list[str], element: str) -> list[int]:
    """Indexes of the segment texts that begin like an envelope segment.

    A segment that is an envelope id alone (no elements) is found as well; the reader confirms each one on
    its split form, so a candidate that is no envelope segment costs nothing but that check.
    """
    prefixes = _envelope_prefixes(element)
    return [i for i, part in enumerate(parts) if part.startswith(prefixes) or part in ENVELOPE_IDS]


def _clean_envelope_indexes(parts: list[str], element: str) -> list[int] | None:
    """``_envelope_indexes`` of texts that are all clean; None when one is empty or begins with white
    space or a control character (the caller strips the texts and uses ``_envelope_indexes``).

    One loop does both jobs: compiled, it costs less than a C-level ``min()`` pass and a comprehension.
    """
    prefixes = _envelope_prefixes(element)
    found: list[int] = []
    for index, part in enumerate(parts):
        if not part:
            return None
        first = part[0]
        if first in _ENVELOPE_FIRST_LETTERS:
            if part.startswith(prefixes) or part in ENVELOPE_IDS:
                found.append(index)
        elif first <= " ":
            return None
    return found


def _split_segments(region: str, separators: Separators) -> tuple[list[str], list[int]]:
    """Split a region of whole segments (ending with a terminator) into segment texts.

    Returns the texts (white space around them removed, empty ones dropped) and the indexes of those that
    look like envelope segments: the reader looks at those only, and splits the others into elements one
    transaction set at a time, so that only one set's element lists are alive at once (lists are tracked
    by the cycle collector; a whole chunk of them alive makes every collection walk them). Measured with
    callgrind, this order of C-level passes costs the fewest instructions of the variants tried.
    """
    term = separators.segment
    element = separators.element
    if term in _LINE_BREAKS:
        parts = region.split(term)
        parts.pop()
        texts = [stripped for part in parts if (stripped := part.strip(" \t\r\n"))]
        return texts, _envelope_indexes(texts, element)
    region = region.lstrip(" \t\r\n")  # the line break after the previous region's last terminator
    parts = region.split(term + "\n")
    rest = "".join(parts)  # a copy costs less than counting characters: str.count is not memchr-fast
    if rest.find(term) == len(rest) - 1 and "\n" not in rest and "\r" not in rest:
        # Every line break follows a terminator and every terminator but the last is followed by one: the
        # common "~\n" layout, split in one pass with exactly the result of the general case below.
        parts[-1] = parts[-1][:-1]
    else:
        if "\n" in region or "\r" in region:
            region = region.replace("\n", "").replace("\r", "")  # hard-wrapped lines, CRLF layouts
        parts = region.split(term)
        parts.pop()  # the empty text after the final terminator
    found = _clean_envelope_indexes(parts, element)
    if found is None:  # white space after a terminator, or an empty segment
        parts = [stripped for part in parts if (stripped := part.lstrip(" \t"))]
        found = _envelope_indexes(parts, element)
    return parts, found


def tokenize(stream: BinaryIO, *, chunk_size: int = CHUNK_SIZE) -> Iterator[Token]:
    """Yield the tokens of every interchange in ``stream`` (see the module docstring)."""
    source = _ChunkSource(stream, chunk_size)
    buf = source.read()
    if source.had_bom:
        yield ("note", "X12.BOM", "UTF-8 byte-order mark before the interchange", "warning", 0)
    consumed = 0  # characters of the decoded input before buf[0]
    separators: Separators | None = None
    boundary: _Boundary | None = None
    interchanges = 0
    outside_noted = False  # one note per stretch of text outside interchanges, however many chunks it spans

    while True:
        if separators is None:
            match = _ISA_START.search(buf)
            if match is None:
                if source.eof:
                    if buf.strip() and not outside_noted:
                        code = "X12.TRAILING" if interchanges else "X12.NO_ISA"
                        yield (
                            "note",
                            code,
                            "text that is not X12 outside any interchange",
                            "warning",
                            consumed,
                        )
                    return
                keep = buf[-3:]
                if buf[:-3].strip() and not outside_noted:
                    outside_noted = True
                    code = "X12.PREAMBLE" if not interchanges else "X12.TRAILING"
                    yield ("note", code, "text that is not X12 before an interchange", "warning", consumed)
                consumed += len(buf) - len(keep)
                buf = keep + source.read()
                continue
            start = match.start()
            if buf[:start].strip() and not outside_noted:
                outside_noted = True
                code = "X12.PREAMBLE" if not interchanges else "X12.TRAILING"
                yield ("note", code, "text that is not X12 before an interchange", "warning", consumed)
            found = _scan_isa(buf, start, source.eof)
            if found is None:
                more = source.read()
                consumed += start
                buf = buf[start:] + more
                continue
            if isinstance(found, _IsaBroken):
                yield ("broken_isa", found.salvage, found.code, found.message, consumed + start)
                interchanges += 1
                consumed += start + 3
                buf = buf[start + 3 :]
                continue
            separators, isa_fields, end, wrapped = found
            yield ("isa", separators, isa_fields, consumed + start)
            outside_noted = False
            if wrapped:
                yield (
                    "note",
                    "TA1.004",
                    "the segment terminator (a line break) occurs inside the ISA",
                    "error",
                    consumed + start,
                )
            interchanges += 1
            boundary = _Boundary(separators)
            consumed += end
            buf = buf[end:]
            continue

        assert boundary is not None
        last = buf.rfind(separators.segment)
        found_boundary: tuple[str, int] | None = None
        ready: tuple[list[str], list[int]] | None = None  # the segments up to the last terminator
        if last >= 0:
            ready = _split_segments(buf[: last + 1], separators)
            texts, envelope = ready
            if any(texts[i][:3] in _INTERCHANGE_IDS for i in envelope):
                # An IEA (or a new ISA) is in there: find exactly where, in the text.
                found_boundary = boundary.search(buf, last + 1)
        if found_boundary is not None and found_boundary[0] == "ISA":
            # A new interchange starts before this one's IEA: hand over what precedes it.
            cut = found_boundary[1]
            region = buf[:cut]
            if region.strip():
                tail = region.rstrip(" \t\r\n")
                if not tail.endswith(separators.segment):
                    region = tail + separators.segment
                yield ("segments", *_split_segments(region, separators))
            yield ("eof_in_interchange", consumed + cut)
            consumed += cut
            buf = buf[cut:]
            separators = None
            continue
        if found_boundary is not None:
            end = buf.find(separators.segment, found_boundary[1])
            if end >= 0:
                yield ("segments", *_split_segments(buf[: end + 1], separators))
                consumed += end + 1
                buf = buf[end + 1 :]
                separators = None
                continue
        if source.eof:
            if buf.strip():
                region = (
                    buf if buf.rstrip(" \t\r\n").endswith(separators.segment) else buf + separators.segment
                )
                yield ("segments", *_split_segments(region, separators))
            yield ("eof_in_interchange", consumed + len(buf))
            return
        if ready is not None and found_boundary is None:
            yield ("segments", *ready)
            consumed += last + 1
            buf = buf[last + 1 :]
        buf += source.read()
