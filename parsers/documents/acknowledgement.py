"""``FunctionalAck`` (incoming 997 / 999) and ``InterchangeAck`` (TA1): a partner's verdict on our files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .common import Document

AckKind = Literal["997", "999"]


@dataclass(frozen=True, slots=True)
class ElementError(Document):
    """AK4 / IK4: the element position (and component, repetition), its data element number, the code."""

    position: int | None
    code: str
    component: int | None = None
    repetition: int | None = None
    data_element: str | None = None
    bad_value: str | None = None


@dataclass(frozen=True, slots=True)
class SegmentError(Document):
    """AK3 / IK3: the segment id and position in the set, its loop, the code, and its element errors."""

    segment_id: str
    position: int | None
    loop_id: str | None = None
    code: str | None = None
    element_errors: tuple[ElementError, ...] = ()


@dataclass(frozen=True, slots=True)
class TransactionAck(Document):
    """AK2..AK5 / AK2..IK5: the verdict on one of our transaction sets (A, E, M, P, R, W, X) and why."""

    set_id: str
    control_number: str
    status: str
    implementation: str | None = None
    codes: tuple[str, ...] = ()
    segment_errors: tuple[SegmentError, ...] = ()


@dataclass(frozen=True, slots=True)
class FunctionalAck(Document):
    """A 997 or 999 about one of our functional groups: AK1 (which group), transactions, AK9 (the verdict)."""

    kind: AckKind
    functional_id: str
    group_control_number: str
    status: str
    version: str | None = None
    transactions: tuple[TransactionAck, ...] = ()
    included_count: int | None = None
    received_count: int | None = None
    accepted_count: int | None = None
    codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class InterchangeAck(Document):
    """A TA1: our interchange's control number, when the partner read it, A/E/R and the note code."""

    control_number: str
    date: str
    time: str
    status: str
    note_code: str
