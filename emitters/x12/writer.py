"""Write X12 text with a partner's separators: segments, envelopes and whole interchanges.

The writer never produces a corrupt segment: a value that contains one of the interchange's delimiters
(element, component, repetition, segment terminator) or a line break is refused with ``WriterError``, whose
message names the segment id and element position but never the value (it may be a contract price). Line
breaks are refused whatever the terminator, because most readers (ours included) drop them between segments.

Segments are ``Sequence[str | Sequence[str]]``: ``segment[0]`` is the id, each further item is an element,
either a plain string or the components of a composite. Trailing empty elements and components are trimmed.

Envelopes (ISA/GS/ST and their trailers) are written from control numbers handed in: this module keeps no
state and reads no clock. ``iter_interchange`` yields text piece by piece for big outbound files;
``write_interchange`` joins it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date as Date
from datetime import time as Time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import islice
from typing import Literal, NamedTuple, NoReturn

from parsers.errors import ConfigurationError, SourcePosition, WriterError
from parsers.x12.model import Separators

__all__ = [
    "DEFAULT_SEPARATORS",
    "MAX_CONTROL_NUMBER",
    "FunctionalGroupEnvelope",
    "InterchangeEnvelope",
    "OutboundGroup",
    "OutboundGroupLike",
    "OutboundSegment",
    "OutboundTransaction",
    "OutboundTransactionLike",
    "X12Writer",
    "format_date",
    "format_decimal",
    "format_implied_decimal",
    "format_time",
    "iter_interchange",
    "transaction_control_number",
    "write_interchange",
]

Element = str | Sequence[str]
OutboundSegment = Sequence[Element]
Usage = Literal["P", "T", "I"]

DEFAULT_SEPARATORS = Separators(element="*", component=":", segment="~", repetition="^")
MAX_CONTROL_NUMBER = 999_999_999
_SLICE = 4096  # segments rendered and handed over at a time by iter_interchange
_LINE_BREAKS = "\r\n"
_SEGMENT_ID = re.compile(r"[A-Z][A-Z0-9]{1,2}\Z")
_SEPARATOR_NAMES = {
    "element": "element separator",
    "component": "component separator",
    "segment": "segment terminator",
    "repetition": "repetition separator",
}


def _active_separators(separators: Separators, version: str) -> Separators:
    """The separators as they apply to ``version``: the repetition separator only exists from 00402 on."""
    if version < "00402" and separators.repetition is not None:
        return Separators(separators.element, separators.component, separators.segment, None)
    return separators


def _check_separators(separators: Separators) -> None:
    chars = separators.all()
    if any(len(c) != 1 for c in chars):
        raise ConfigurationError("every X12 separator must be exactly one character", code="X12.SEPARATORS")
    if len(set(chars)) != len(chars):
        raise ConfigurationError("X12 separators must differ from each other", code="X12.SEPARATORS")
    for name, char in (
        ("element", separators.element),
        ("component", separators.component),
        ("repetition", separators.repetition),
    ):
        if char is not None and (char.isalnum() or char == " " or char in _LINE_BREAKS):
            raise ConfigurationError(
                f"the {name} separator must not be a letter, digit, space or line break",
                code="X12.SEPARATORS",
            )
    if separators.segment.isalnum() or separators.segment == " ":
        raise ConfigurationError(
            "the segment terminator must not be a letter, digit or space", code="X12.SEPARATORS"
        )


class X12Writer:
    """Turn segments into X12 text with fixed separators; see the module docstring for the rules.

    ``version`` is the interchange version (ISA12): before 00402 there is no repetition separator, so the
    repetition character is then ordinary data. ``suffix`` is written after each terminator (e.g. ``"\\n"``);
    it is dropped when the terminator is itself a line break.
    """

    __slots__ = (
        "_component",
        "_element",
        "_forbidden",
        "_forbidden_simple",
        "_known_ids",
        "_separators",
        "_terminator",
    )

    def __init__(
        self, separators: Separators = DEFAULT_SEPARATORS, *, version: str = "00501", suffix: str = ""
    ) -> None:
        active = _active_separators(separators, version)
        _check_separators(active)
        if suffix.strip(" \r\n"):
            raise ConfigurationError(
                "the segment suffix may only hold spaces and line breaks", code="X12.SUFFIX"
            )
        self._separators = active
        self._element = active.element
        self._component = active.component
        # One C-level scan per segment for what may never appear in data; the element and component separators
        # are checked by counting them instead (they do appear, between elements and components).
        forbidden = {active.segment, *_LINE_BREAKS}
        if active.repetition:
            forbidden.add(active.repetition)
        self._forbidden = re.compile("[" + re.escape("".join(sorted(forbidden))) + "]").search
        # Without composites the component separator may not appear either.
        simple = "".join(sorted(forbidden | {active.component}))
        self._forbidden_simple = re.compile("[" + re.escape(simple) + "]").search
        self._terminator = active.segment + ("" if active.segment in _LINE_BREAKS else suffix)
        self._known_ids: set[str] = set()  # segment ids already checked: a set lookup beats a regex match

    @property
    def separators(self) -> Separators:
        """The separators in force (without the repetition separator before version 00402)."""
        return self._separators

    @property
    def terminator(self) -> str:
        """The segment terminator followed by the suffix."""
        return self._terminator

    def segment(self, segment: OutboundSegment, *, ordinal: int | None = None) -> str:
        """One segment as text, terminator (and suffix) included.

        ``ordinal`` (the segment's position, e.g. in its transaction set) only goes into error positions.
        """
        element = self._element
        try:
            line = element.join(segment)  # type: ignore[arg-type]  # the common case: no composites
        except TypeError:
            return self._composite_segment(segment, ordinal)
        # Each value is free of the element separator exactly when the separators counted are the joins; the
        # rest (component, repetition, terminator, line breaks) may not appear at all. One C-level pass each.
        if (
            line.count(element) != len(segment) - 1
            or self._forbidden_simple(line) is not None
            or (segment[0] not in self._known_ids and not self._known_id(segment[0]))  # type: ignore[arg-type]
        ):
            self._refuse(segment, ordinal)
        if line[-1] == element:
            line = line.rstrip(element)  # trailing empty elements (the id itself is never empty)
        return line + self._terminator

    def _composite_segment(self, segment: OutboundSegment, ordinal: int | None) -> str:
        if not segment:
            self._refuse(segment, ordinal)
        element = self._element
        component = self._component
        parts: list[str] = []
        composite_separators = 0
        for value in segment:
            if isinstance(value, str):
                parts.append(value)
                continue
            components = list(value)
            while components and not components[-1]:
                components.pop()
            if len(components) > 1:
                composite_separators += len(components) - 1
            parts.append(component.join(components))
        while len(parts) > 1 and not parts[-1]:
            parts.pop()
        line = element.join(parts)
        if (
            line.count(element) != len(parts) - 1
            or line.count(component) != composite_separators
            or self._forbidden(line) is not None
            or (parts[0] not in self._known_ids and not self._known_id(parts[0]))
        ):
            self._refuse(segment, ordinal)
        return line + self._terminator

    def render_many(self, segments: Sequence[OutboundSegment], *, first_ordinal: int = 1) -> str:
        """Several segments as one text, checked in bulk: the fast path for big transaction bodies.

        Joining adds exactly ``len(segment) - 1`` element separators per segment and values can only add
        more, so one count over the whole slice proves every value clean; one scan finds any other delimiter.
        Only when a check fails (or composites are present) are the segments rendered one by one.
        """
        element = self._element
        try:
            lines = [element.join(segment) for segment in segments]  # type: ignore[arg-type]
        except TypeError:  # composites somewhere in the slice
            return self.segments(segments, first_ordinal=first_ordinal)
        data = "".join(lines)
        if (
            data.count(element) != sum(map(len, segments)) - len(lines)
            or self._forbidden_simple(data) is not None
            or not self._known_ids.issuperset([segment[0] for segment in segments])
            or "" in lines
        ):
            return self.segments(segments, first_ordinal=first_ordinal)  # refuses with the exact position
        terminator = self._terminator
        # rstrip drops trailing empty elements only: values hold no element separator (checked above).
        return terminator.join([line.rstrip(element) for line in lines]) + terminator

    def _known_id(self, segment_id: str) -> bool:
        if _SEGMENT_ID.match(segment_id):
            self._known_ids.add(segment_id)
            return True
        return False

    def segments(self, segments: Iterable[OutboundSegment], *, first_ordinal: int = 1) -> str:
        """Several segments as one text; ordinals for error positions count from ``first_ordinal``."""
        render = self.segment
        return "".join([render(s, ordinal=n) for n, s in enumerate(segments, start=first_ordinal)])

    def _refuse(self, segment: OutboundSegment, ordinal: int | None) -> NoReturn:
        """Find what is wrong with a segment that failed the fast checks and raise a precise WriterError."""
        separators = self._separators
        position = SourcePosition(segment=ordinal)
        if not segment or not isinstance(segment[0], str) or not _SEGMENT_ID.match(segment[0]):
            raise WriterError(
                "invalid segment id (2 or 3 upper-case letters and digits expected)",
                position=position,
                code="X12.SEGMENT_ID",
            )
        segment_id = segment[0]
        checks: list[tuple[str, str]] = [
            ("segment", separators.segment),
            ("element", separators.element),
            ("component", separators.component),
        ]
        if separators.repetition:
            checks.append(("repetition", separators.repetition))
        for index, value in enumerate(segment[1:], start=1):
            values = [value] if isinstance(value, str) else list(value)
            for component_index, text in enumerate(values, start=1):
                where = f"{segment_id}{index:02d}"
                if not isinstance(value, str):
                    where += f"-{component_index}"
                for name, char in checks:
                    if char in text:
                        raise WriterError(
                            f"value of {where} contains the {_SEPARATOR_NAMES[name]}",
                            position=SourcePosition(segment=ordinal, element=index),
                            code="X12.SEPARATOR_IN_VALUE",
                        )
                if "\r" in text or "\n" in text:
                    raise WriterError(
                        f"value of {where} contains a line break",
                        position=SourcePosition(segment=ordinal, element=index),
                        code="X12.SEPARATOR_IN_VALUE",
                    )
        raise WriterError(
            f"segment {segment_id} cannot be written", position=position, code="X12.SEPARATOR_IN_VALUE"
        )


# --- envelopes ----------------------------------------------------------------------------------------------


def _require(condition: bool, message: str, code: str) -> None:
    if not condition:
        raise WriterError(message, code=code)


def _check_control_number(value: int, what: str) -> None:
    _require(
        isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_CONTROL_NUMBER,
        f"{what} control number must be an integer from 1 to {MAX_CONTROL_NUMBER}",
        "X12.CONTROL_NUMBER",
    )


def _is_digits(value: str, length: int) -> bool:
    return len(value) == length and value.isascii() and value.isdigit()


@dataclass(frozen=True, slots=True)
class InterchangeEnvelope:
    """What goes into an ISA (and its IEA). Ids are padded to their fixed widths when written."""

    sender_qualifier: str
    sender_id: str
    receiver_qualifier: str
    receiver_id: str
    date: str  # YYMMDD
    time: str  # HHMM
    control_number: int
    version: str = "00501"  # ISA12: "00401", "00501"...
    usage: Usage = "P"
    ack_requested: bool = False
    separators: Separators = DEFAULT_SEPARATORS
    authorization_qualifier: str = "00"
    authorization: str = ""
    security_qualifier: str = "00"
    security: str = ""
    standards_id: str = "U"  # ISA11 before 00402 (from 00402 on ISA11 is the repetition separator)

    def validate(self) -> None:
        """Raise WriterError when a field cannot be written into the fixed-width ISA."""
        for name, qualifier in (("sender", self.sender_qualifier), ("receiver", self.receiver_qualifier)):
            _require(
                1 <= len(qualifier) <= 2,
                f"interchange {name} qualifier must be 1 or 2 characters",
                "X12.ISA_FIELD",
            )
        for name, value in (("sender", self.sender_id), ("receiver", self.receiver_id)):
            _require(
                1 <= len(value) <= 15 and value.strip() == value,
                f"interchange {name} id must be 1 to 15 characters without surrounding spaces",
                "X12.ISA_FIELD",
            )
        _require(
            len(self.authorization_qualifier) == 2 and len(self.security_qualifier) == 2,
            "ISA01 and ISA03 must be 2 characters",
            "X12.ISA_FIELD",
        )
        _require(
            len(self.authorization) <= 10 and len(self.security) <= 10,
            "ISA02 and ISA04 must be at most 10 characters",
            "X12.ISA_FIELD",
        )
        _require(_is_digits(self.date, 6), "interchange date must be YYMMDD", "X12.ISA_FIELD")
        _require(_is_digits(self.time, 4), "interchange time must be HHMM", "X12.ISA_FIELD")
        _require(
            _is_digits(self.version, 5), "interchange version must be 5 digits (e.g. 00501)", "X12.ISA_FIELD"
        )
        _require(self.usage in ("P", "T", "I"), "interchange usage must be P, T or I", "X12.ISA_FIELD")
        _check_control_number(self.control_number, "interchange")
        if self.version >= "00402":
            _require(
                self.separators.repetition is not None,
                "a repetition separator is required from version 00402 on",
                "X12.ISA_FIELD",
            )
        else:
            _require(len(self.standards_id) == 1, "ISA11 must be one character", "X12.ISA_FIELD")

    def isa(self) -> list[str]:
        """The ISA elements, padded to their fixed widths (ISA16 is the component separator)."""
        separators = self.separators
        isa11 = (
            separators.repetition if self.version >= "00402" and separators.repetition else self.standards_id
        )
        return [
            "ISA",
            self.authorization_qualifier,
            self.authorization.ljust(10),
            self.security_qualifier,
            self.security.ljust(10),
            self.sender_qualifier.ljust(2),
            self.sender_id.ljust(15),
            self.receiver_qualifier.ljust(2),
            self.receiver_id.ljust(15),
            self.date,
            self.time,
            isa11,
            self.version,
            f"{self.control_number:09d}",
            "1" if self.ack_requested else "0",
            self.usage,
            separators.component,
        ]


@dataclass(frozen=True, slots=True)
class FunctionalGroupEnvelope:
    """What goes into a GS (and its GE)."""

    functional_id: str  # GS01: "PO", "IN", "FA"...
    sender: str  # GS02 application sender's code
    receiver: str  # GS03
    date: str  # CCYYMMDD
    time: str  # HHMM, HHMMSS or HHMMSSd..
    control_number: int
    version: str  # GS08: "004010", "005010X231A1"...
    agency: str = "X"  # GS07

    def validate(self) -> None:
        _require(
            len(self.functional_id) == 2 and self.functional_id.isalnum(),
            "functional identifier code (GS01) must be 2 letters",
            "X12.GS_FIELD",
        )
        for name, value in (("sender", self.sender), ("receiver", self.receiver)):
            _require(
                2 <= len(value) <= 15, f"application {name} code must be 2 to 15 characters", "X12.GS_FIELD"
            )
        _require(_is_digits(self.date, 8), "group date must be CCYYMMDD", "X12.GS_FIELD")
        _require(
            4 <= len(self.time) <= 8 and self.time.isascii() and self.time.isdigit(),
            "group time must be HHMM to HHMMSSDD",
            "X12.GS_FIELD",
        )
        _require(
            1 <= len(self.agency) <= 2,
            "responsible agency code (GS07) must be 1 or 2 characters",
            "X12.GS_FIELD",
        )
        _require(
            1 <= len(self.version) <= 12, "group version (GS08) must be 1 to 12 characters", "X12.GS_FIELD"
        )
        _check_control_number(self.control_number, "group")

    def gs(self) -> list[str]:
        return [
            "GS",
            self.functional_id,
            self.sender,
            self.receiver,
            self.date,
            self.time,
            str(self.control_number),
            self.agency,
            self.version,
        ]


class OutboundTransaction(NamedTuple):
    """A transaction set to write: its body (the segments between ST and SE) and its control data."""

    set_id: str
    control_number: int
    segments: Iterable[OutboundSegment]
    implementation: str | None = None  # ST03 (5010 and later)


OutboundTransactionLike = OutboundTransaction | tuple[str, int, Iterable[OutboundSegment], str | None]


class OutboundGroup(NamedTuple):
    """A functional group to write."""

    envelope: FunctionalGroupEnvelope
    transactions: Iterable[OutboundTransactionLike]


OutboundGroupLike = OutboundGroup | tuple[FunctionalGroupEnvelope, Iterable[OutboundTransactionLike]]


def transaction_control_number(value: int) -> str:
    """ST02/SE02 text: at least 4 digits (the element's minimum length)."""
    _check_control_number(value, "transaction set")
    return f"{value:04d}"


def iter_interchange(
    envelope: InterchangeEnvelope,
    groups: Iterable[OutboundGroupLike],
    *,
    ta1_segments: Sequence[OutboundSegment] = (),
    suffix: str = "",
) -> Iterator[str]:
    """Yield the text of one interchange piece by piece: ISA, TA1s, then each group and its sets, IEA.

    SE01 (segments counted ST..SE), GE01 (sets) and IEA01 (groups) are computed here. Transaction bodies may
    be generators, so a big outbound file never has to be held in memory twice.
    """
    envelope.validate()
    writer = X12Writer(envelope.separators, version=envelope.version, suffix=suffix)
    render = writer.segment
    render_many = writer.render_many
    # The ISA is fixed-width and carries the separators themselves: check its fields, then join it directly.
    isa = envelope.isa()
    for index, value in enumerate(isa[1:16], start=1):
        if index == 11 and envelope.version >= "00402":
            continue  # ISA11 is the repetition separator itself
        if any(char in value for char in writer.separators.all()) or "\r" in value or "\n" in value:
            raise WriterError(
                f"value of ISA{index:02d} contains a separator character",
                position=SourcePosition(segment=1, element=index),
                code="X12.SEPARATOR_IN_VALUE",
            )
    yield writer.separators.element.join(isa) + writer.terminator
    for ta1 in ta1_segments:
        if not ta1 or ta1[0] != "TA1":
            raise WriterError(
                "only TA1 segments may come between the ISA and the first group", code="X12.TA1"
            )
        yield render(ta1)
    group_count = 0
    for group in groups:
        group_envelope, transactions = group
        group_envelope.validate()
        group_count += 1
        yield render(group_envelope.gs())
        set_count = 0
        for transaction in transactions:
            set_id, control_number, body, implementation = transaction
            control = transaction_control_number(control_number)
            header: list[str] = ["ST", set_id, control]
            if implementation:
                header.append(implementation)
            pieces = [render(header, ordinal=1)]
            count = 1
            segments = iter(body)
            # Big bodies go out in slices (flat memory, few yields), each rendered by a C-level map; the
            # segment's ordinal is only worked out when one is refused.
            while chunk := list(islice(segments, _SLICE)):
                pieces.append(render_many(chunk, first_ordinal=count + 1))
                count += len(chunk)
                yield "".join(pieces)
                pieces = []
            count += 1
            pieces.append(render(["SE", str(count), control], ordinal=count))
            yield "".join(pieces)
            set_count += 1
        yield render(["GE", str(set_count), str(group_envelope.control_number)])
    yield render(["IEA", str(group_count), f"{envelope.control_number:09d}"])


def write_interchange(
    envelope: InterchangeEnvelope,
    groups: Iterable[OutboundGroupLike],
    *,
    ta1_segments: Sequence[OutboundSegment] = (),
    suffix: str = "",
) -> str:
    """The whole interchange as one text (see ``iter_interchange``)."""
    return "".join(iter_interchange(envelope, groups, ta1_segments=ta1_segments, suffix=suffix))


# --- value formatting for document emitters -----------------------------------------------------------------


def _as_decimal(value: Decimal | int | str, what: str) -> Decimal:
    if isinstance(value, float | bool):
        raise WriterError(f"{what}: floats and booleans are not accepted (use Decimal)", code="X12.NUMBER")
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        raise WriterError(f"{what}: not a number", code="X12.NUMBER") from None
    if not number.is_finite():
        raise WriterError(f"{what}: not a finite number", code="X12.NUMBER")
    return number


def format_decimal(
    value: Decimal | int | str, *, places: int | None = None, max_digits: int | None = None
) -> str:
    """An X12 R (decimal) value: ``Decimal("12.450")`` -> ``"12.45"``, ``Decimal("-3.00")`` -> ``"-3"``.

    ``places`` rounds half up to that many decimals first. ``max_digits`` is the element's maximum length,
    which counts digits only (not the sign or the decimal point): longer values raise WriterError.
    """
    number = _as_decimal(value, "decimal value")
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if number == 0:
        return "0"
    text = format(number.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if max_digits is not None and sum(ch.isdigit() for ch in text) > max_digits:
        raise WriterError(f"decimal value longer than {max_digits} digits", code="X12.NUMBER")
    return text


def format_implied_decimal(
    value: Decimal | int | str, places: int, *, min_length: int = 1, max_length: int | None = None
) -> str:
    """An X12 Nn value (implied decimal point): ``Decimal("12.45")`` with N2 -> ``"1245"``.

    A value with more decimals than ``places`` raises WriterError rather than being rounded silently (a price
    must be rounded on purpose by the caller). ``min_length`` pads with leading zeros.
    """
    if places < 0:
        raise ConfigurationError("implied decimal places must not be negative", code="X12.NUMBER")
    number = _as_decimal(value, "implied decimal value")
    scaled = number.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise WriterError(f"value has more than {places} decimal places", code="X12.NUMBER")
    integer = int(scaled)
    digits = str(abs(integer)).rjust(min_length, "0")
    if max_length is not None and len(digits) > max_length:
        raise WriterError(f"implied decimal value longer than {max_length} digits", code="X12.NUMBER")
    return ("-" if integer < 0 else "") + digits


def format_date(value: Date, *, short: bool = False) -> str:
    """An X12 DT value: CCYYMMDD, or YYMMDD with ``short`` (ISA09, some 4010 elements)."""
    return value.strftime("%y%m%d" if short else "%Y%m%d")


def format_time(value: Time, *, seconds: bool = False) -> str:
    """An X12 TM value: HHMM, or HHMMSS with ``seconds``."""
    return value.strftime("%H%M%S" if seconds else "%H%M")
