"""The raw segments around each error in a stored original, with the faulty element located.

The original is read once with the X12 tokenizer and only the segments inside the wanted windows are kept
(a file may hold thousands of interchanges). Positions count the way the reader counts them: interchanges
from 1 in the file (an ISA that cannot be read counts too), segments from the ISA (ISA = 1) within their
interchange. Texts are made display-safe (control characters, escape sequences and bytes that are not
UTF-8 become ``\\xNN``): a file from a partner must not be able to drive the operator's terminal.

These texts hold business data (prices, product ids): they are for the operator's terminal, never for logs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from parsers.x12.model import Separators
from parsers.x12.tokenizer import tokenize

__all__ = ["Position", "RawSegment", "SegmentWindow", "display_safe", "read_windows"]


@dataclass(frozen=True, slots=True)
class Position:
    """Where an error points: a segment of an interchange, and optionally its element (all 1-based)."""

    interchange: int
    segment: int
    element: int | None = None
    repetition: int | None = None
    component: int | None = None

    def sort_key(self) -> tuple[int, int, int, int, int]:
        return (self.interchange, self.segment, self.element or 0, self.repetition or 0, self.component or 0)


@dataclass(frozen=True, slots=True)
class RawSegment:
    """One segment as display-safe text; ``marks`` are the (start, end) spans of its faulty elements in
    ``text`` (start == end: the element is missing, the mark is where it would be)."""

    ordinal: int
    text: str
    faulty: bool
    marks: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class SegmentWindow:
    """The faulty segment ``segment`` of ``interchange`` with up to ``context`` segments on either side."""

    interchange: int
    segment: int
    segments: tuple[RawSegment, ...]


def display_safe(text: str) -> tuple[str, list[int]]:
    """``text`` with unprintable characters escaped, and where each of its characters (and its end) went."""
    parts: list[str] = []
    where: list[int] = []
    length = 0
    for ch in text:
        where.append(length)
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8 (surrogate escape)
            shown = f"\\x{code - 0xDC00:02x}"
        elif ch.isprintable():
            shown = ch
        else:
            shown = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
        parts.append(shown)
        length += len(shown)
    where.append(length)
    return "".join(parts), where


def _span(text: str, position: Position, separators: Separators) -> tuple[int, int] | None:
    """The (start, end) of the element ``position`` names in the raw segment ``text``; None: no element."""
    if position.element is None:
        return None
    pieces = text.split(separators.element)
    if position.element >= len(pieces):  # trailing elements left out: mark the end of the segment
        return len(text), len(text)
    start = sum(len(piece) + 1 for piece in pieces[: position.element])
    end = start + len(pieces[position.element])
    if position.segment == 1:  # ISA elements are simple (ISA16 *is* the component separator)
        return start, end
    for separator, index in (
        (separators.repetition, position.repetition),
        (separators.component, position.component),
    ):
        if separator is None or index is None:
            continue
        parts = text[start:end].split(separator)
        if index > len(parts):
            return end, end
        start += sum(len(part) + 1 for part in parts[: index - 1])
        end = start + len(parts[index - 1])
    return start, end


def _raw_segment(
    ordinal: int, text: str, positions: list[Position], separators: Separators | None
) -> RawSegment:
    shown, where = display_safe(text)
    marks: list[tuple[int, int]] = []
    if separators is not None:
        for position in positions:
            span = _span(text, position, separators)
            if span is not None and (where[span[0]], where[span[1]]) not in marks:
                marks.append((where[span[0]], where[span[1]]))
    return RawSegment(ordinal, shown, faulty=bool(positions), marks=tuple(sorted(marks)))


def read_windows(stream: BinaryIO, positions: Iterable[Position], context: int) -> list[SegmentWindow]:
    """One window per faulty segment, in file order; a faulty segment the file does not have gets none."""
    grouped: dict[int, dict[int, list[Position]]] = defaultdict(lambda: defaultdict(list))
    for position in sorted(set(positions), key=Position.sort_key):
        grouped[position.interchange][position.segment].append(position)
    faulty = {interchange: dict(segments) for interchange, segments in grouped.items()}
    if not faulty:
        return []
    keep = {
        interchange: {
            ordinal
            for segment in segments
            for ordinal in range(max(1, segment - context), segment + context + 1)
        }
        for interchange, segments in faulty.items()
    }
    last_interchange = max(faulty)
    found: dict[int, dict[int, RawSegment]] = defaultdict(dict)
    interchange = 0
    ordinal = 0
    separators: Separators | None = None
    for token in tokenize(stream):
        kind = token[0]
        if kind in ("isa", "broken_isa"):
            interchange += 1
            if interchange > last_interchange:
                break
            ordinal = 1
            if kind == "isa" and 1 in keep.get(interchange, ()):
                separators = token[1]  # type: ignore[assignment]
                assert separators is not None
                fields: list[str] = token[2]  # type: ignore[assignment]
                text = separators.element.join(fields)
                found[interchange][1] = _raw_segment(1, text, faulty[interchange].get(1, []), separators)
            else:
                separators = token[1] if kind == "isa" else None  # type: ignore[assignment]
        elif kind == "segments":
            texts: list[str] = token[1]  # type: ignore[assignment]
            wanted = keep.get(interchange)
            if wanted is None:
                ordinal += len(texts)
                continue
            for text in texts:
                ordinal += 1
                if ordinal in wanted:
                    positions_here = faulty[interchange].get(ordinal, [])
                    found[interchange][ordinal] = _raw_segment(ordinal, text, positions_here, separators)
    windows: list[SegmentWindow] = []
    for interchange, segments in faulty.items():
        kept = found.get(interchange, {})
        for segment in segments:
            if segment not in kept:
                continue
            around = tuple(
                kept[ordinal]
                for ordinal in range(max(1, segment - context), segment + context + 1)
                if ordinal in kept
            )
            windows.append(SegmentWindow(interchange, segment, around))
    return windows
