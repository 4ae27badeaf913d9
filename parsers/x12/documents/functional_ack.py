"""997 / 999 functional acknowledgments -> ``FunctionalAck``, TA1 -> ``InterchangeAck`` (MAPPING.md, last
section).

997 and 999 read the same way: AK3/IK3 are segment errors, AK4/IK4 element errors, AK5/IK5 the verdict
on one transaction set. The CTX segments of a 999 (business context) are not kept.
"""

from __future__ import annotations

from typing import Final

from ...documents.acknowledgement import (
    AckKind,
    ElementError,
    FunctionalAck,
    InterchangeAck,
    SegmentError,
    TransactionAck,
)
from ...errors import DocumentError, SourcePosition
from ..model import Segment, TransactionSet
from .common import BadValue, document_error, integer, missing, optional_integer, required

__all__ = ["map_functional_ack", "map_ta1"]

_KINDS: Final[dict[str, AckKind]] = {"997": "997", "999": "999"}


def _codes(segment: Segment, first: int, last: int) -> tuple[str, ...]:
    return tuple(code for code in segment[first : last + 1] if code)


def _element_error(segment: Segment, component_separator: str) -> ElementError:
    """AK4/IK4: 01 position ``pos[:component[:repetition]]``, 02 data element, 03 code, 04 bad value."""
    size = len(segment)
    parts = (segment[1] if size > 1 else "").split(component_separator)
    numbers = [integer(part, 1, segment[0]) if part else None for part in parts[:3]]
    numbers += [None] * (3 - len(numbers))
    return ElementError(
        position=numbers[0],
        code=segment[3] if size > 3 else "",
        component=numbers[1],
        repetition=numbers[2],
        data_element=(segment[2] or None) if size > 2 else None,
        bad_value=(segment[4] or None) if size > 4 else None,
    )


class _SegmentErrorBuilder:
    __slots__ = ("element_errors", "head")

    def __init__(self, segment: Segment) -> None:
        size = len(segment)
        self.head = (
            segment[1] if size > 1 else "",
            optional_integer(segment, 2),
            (segment[3] or None) if size > 3 else None,
            (segment[4] or None) if size > 4 else None,
        )
        self.element_errors: list[ElementError] = []

    def build(self) -> SegmentError:
        segment_id, position, loop_id, code = self.head
        return SegmentError(segment_id, position, loop_id, code, tuple(self.element_errors))


class _TransactionBuilder:
    __slots__ = ("head", "segment_errors", "verdict")

    def __init__(self, segment: Segment) -> None:
        size = len(segment)
        self.head = (
            segment[1] if size > 1 else "",
            segment[2] if size > 2 else "",
            (segment[3] or None) if size > 3 else None,
        )
        self.segment_errors: list[_SegmentErrorBuilder] = []
        self.verdict: tuple[str, tuple[str, ...]] | None = None

    def build(self) -> TransactionAck:
        set_id, control_number, implementation = self.head
        if self.verdict is None:
            raise missing("AK5/IK5", "997/999")
        status, codes = self.verdict
        errors = tuple(e.build() for e in self.segment_errors)
        return TransactionAck(set_id, control_number, status, implementation, codes, errors)


def map_functional_ack(transaction: TransactionSet) -> FunctionalAck:
    kind = _KINDS.get(transaction.set_id, "997")
    component_separator = transaction.separators.component
    index = 0
    ak1: Segment | None = None
    ak9: Segment | None = None
    counts: tuple[int | None, ...] = (None, None, None)
    transactions: list[_TransactionBuilder] = []
    current: _TransactionBuilder | None = None
    segment_error: _SegmentErrorBuilder | None = None
    try:
        for index, segment in enumerate(transaction.segments):  # noqa: B007 - index names the segment
            segment_id = segment[0]
            if segment_id == "AK2":
                current = _TransactionBuilder(segment)
                transactions.append(current)
                segment_error = None
            elif segment_id == "AK3" or segment_id == "IK3":
                segment_error = _SegmentErrorBuilder(segment)
                if current is not None:
                    current.segment_errors.append(segment_error)
            elif segment_id == "AK4" or segment_id == "IK4":
                if segment_error is not None:
                    segment_error.element_errors.append(_element_error(segment, component_separator))
            elif segment_id == "AK5" or segment_id == "IK5":
                if current is not None and current.verdict is None:
                    current.verdict = (required(segment, 1), _codes(segment, 2, 6))
                segment_error = None
            elif segment_id == "AK1":
                if ak1 is None:
                    ak1 = segment
                    required(segment, 1)
                    required(segment, 2)
            elif segment_id == "AK9" and ak9 is None:
                ak9 = segment
                required(segment, 1)
                counts = tuple(optional_integer(segment, n) for n in (2, 3, 4))
        if ak1 is None:
            raise missing("AK1", kind)
        if ak9 is None:
            raise missing("AK9", kind)
        acks = tuple(t.build() for t in transactions)
    except BadValue as bad:
        at = None if bad.code == "AK3.3" else index
        raise document_error(transaction, at, bad.message, bad.element, bad.code) from None
    included, received, accepted = counts
    return FunctionalAck(
        kind=kind,
        functional_id=ak1[1],
        group_control_number=ak1[2],
        status=ak9[1],
        version=(ak1[3] or None) if len(ak1) > 3 else None,
        transactions=acks,
        included_count=included,
        received_count=received,
        accepted_count=accepted,
        codes=_codes(ak9, 5, 9),
    )


def map_ta1(segment: Segment) -> InterchangeAck:
    """TA1: 01 our interchange control number, 02 date, 03 time, 04 status (A/E/R), 05 note code."""
    try:
        control_number = required(segment, 1)
        status = required(segment, 4)
    except BadValue as bad:
        raise DocumentError(
            bad.message, position=SourcePosition(element=bad.element), code=bad.code
        ) from None
    size = len(segment)
    return InterchangeAck(
        control_number=control_number,
        date=segment[2] if size > 2 else "",
        time=segment[3] if size > 3 else "",
        status=status,
        note_code=segment[5] if size > 5 else "",
    )
