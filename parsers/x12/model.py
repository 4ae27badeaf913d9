"""Core X12 value types shared by the reader, the validator, the document mappers and the writer.

A segment is a plain ``list[str]``: ``segment[0]`` is the segment id (``"BEG"``), ``segment[n]`` is element n
exactly as received (components and repetitions are not split until someone asks, which keeps the reader
fast). ``Separators.components`` and ``Separators.repetitions`` split an element when needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "CodeList",
    "GroupHeader",
    "GroupResult",
    "InterchangeHeader",
    "InterchangeResult",
    "Segment",
    "Separators",
    "Severity",
    "TransactionResult",
    "TransactionSet",
    "X12Issue",
]

Segment = list[str]

Severity = Literal["error", "warning"]

# Which standard code list an issue's code comes from (the prefix of ``X12Issue.code``):
#   TA1  interchange note codes (I18), for TA1
#   AK9  functional group syntax error codes (716), for AK905-AK909 / 999 AK905
#   AK5  transaction set syntax error codes (718), for AK502-AK506 / IK502-IK506
#   AK3  segment syntax error codes (720), for AK304 / IK304
#   AK4  element syntax error codes (723), for AK403 / IK403
#   X12  the reader's own notes that no acknowledgement carries (prose before the ISA, a BOM...)
CodeList = Literal["TA1", "AK9", "AK5", "AK3", "AK4", "X12"]


@dataclass(frozen=True, slots=True)
class Separators:
    """The delimiters of one interchange, read from its ISA."""

    element: str = "*"
    component: str = ":"
    segment: str = "~"
    repetition: str | None = None

    def components(self, value: str) -> list[str]:
        return value.split(self.component)

    def repetitions(self, value: str) -> list[str]:
        return value.split(self.repetition) if self.repetition else [value]

    def all(self) -> tuple[str, ...]:
        chars = (self.element, self.component, self.segment)
        return chars + ((self.repetition,) if self.repetition else ())


@dataclass(frozen=True, slots=True)
class X12Issue:
    """One finding, with its standard code and where it was found.

    ``code`` is ``"<code list>.<code>"``, e.g. ``"TA1.001"``, ``"AK9.4"``, ``"AK5.3"``, ``"AK4.7"``.
    ``segment`` is the segment's position in its transaction set (ST = 1) when ``transaction`` is set,
    otherwise its ordinal in the interchange (ISA = 1). ``element``/``component``/``repetition`` are 1-based.
    ``bad_value`` is the offending value for AK404/IK404; it never appears in ``message`` (it may be a price).
    """

    code: str
    message: str
    severity: Severity = "error"
    interchange_index: int | None = None
    interchange: str | None = None
    group: str | None = None
    transaction: str | None = None
    segment: int | None = None
    segment_id: str | None = None
    loop_id: str | None = None
    element: int | None = None
    component: int | None = None
    repetition: int | None = None
    data_element: str | None = None
    bad_value: str | None = field(default=None, repr=False)

    @property
    def code_list(self) -> str:
        return self.code.split(".", 1)[0]

    @property
    def code_value(self) -> str:
        return self.code.split(".", 1)[1]

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape (``bad_value`` is left out on purpose)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "interchange": self.interchange,
            "group": self.group,
            "transaction": self.transaction,
            "segment": self.segment,
            "segment_id": self.segment_id,
            "element": self.element,
            "component": self.component,
        }


@dataclass(frozen=True, slots=True)
class InterchangeHeader:
    """The ISA of an interchange, fields stripped of padding."""

    authorization_qualifier: str
    authorization: str
    security_qualifier: str
    security: str
    sender_qualifier: str
    sender_id: str
    receiver_qualifier: str
    receiver_id: str
    date: str
    time: str
    standards_id: str
    version: str
    control_number: str
    ack_requested: str
    usage: str
    separators: Separators


@dataclass(frozen=True, slots=True)
class GroupHeader:
    """The GS of a functional group."""

    functional_id: str
    sender: str
    receiver: str
    date: str
    time: str
    control_number: str
    agency: str
    version: str


@dataclass(slots=True)
class TransactionSet:
    """One transaction set with all its segments (ST through SE inclusive), as the reader hands it over."""

    set_id: str
    control_number: str
    segments: list[Segment]
    interchange: InterchangeHeader
    group: GroupHeader
    implementation: str | None = None  # ST03 (5010 and later)
    issues: list[X12Issue] = field(default_factory=list)

    @property
    def separators(self) -> Separators:
        return self.interchange.separators

    @property
    def version(self) -> str:
        """The version that governs the set: ST03 when given, else GS08."""
        return self.implementation or self.group.version


# --- What the envelope reader produces for each part of a file ---
# Documents stay ``object`` here so that this module does not depend on the document package.


@dataclass(slots=True)
class TransactionResult:
    """A transaction set after reading: its control data, canonical document (if any) and issues."""

    set_id: str
    control_number: str
    implementation: str | None
    segment_count: int  # segments actually counted, ST through SE
    declared_count: str | None  # SE01 as received (None when the SE is missing)
    issues: list[X12Issue] = field(default_factory=list)
    document: object | None = None
    first_segment: int | None = None  # ordinal of its ST in the interchange (ISA = 1)

    @property
    def accepted(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)


@dataclass(slots=True)
class GroupResult:
    """A functional group: its header, transactions, trailer data and group-level issues."""

    header: GroupHeader
    transactions: list[TransactionResult] = field(default_factory=list)
    received: int = 0  # transaction sets read (also when the reader keeps no per-transaction results)
    declared_count: str | None = None  # GE01 as received (None when the GE is missing)
    trailer_control_number: str | None = None  # GE02
    issues: list[X12Issue] = field(default_factory=list)


@dataclass(slots=True)
class InterchangeResult:
    """One interchange (ISA to IEA) of a file.

    ``header`` is None when the ISA could not be read; ``sender``/``receiver`` then hold what could be
    salvaged so that a TA1 can still be addressed.
    """

    index: int  # 1-based ordinal in the file
    header: InterchangeHeader | None
    sender_qualifier: str = ""
    sender_id: str = ""
    receiver_qualifier: str = ""
    receiver_id: str = ""
    control_number: str = ""
    groups: list[GroupResult] = field(default_factory=list)
    ta1_segments: list[Segment] = field(default_factory=list)  # TA1s carried by this interchange
    declared_group_count: str | None = None  # IEA01 as received
    trailer_control_number: str | None = None  # IEA02
    issues: list[X12Issue] = field(default_factory=list)  # TA1-level and reader notes
