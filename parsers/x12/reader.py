"""The envelope reader: tokens in, transaction sets out, with every envelope check done on the way.

``X12Reader(stream).transactions()`` yields each transaction set (ST to SE with its segments) as soon as it
is complete, together with its ``TransactionResult``; the interchange and group structure with envelope
issues (TA1 / AK9 / AK5 codes) accumulates in ``reader.interchanges`` and is complete when iteration ends.
Only one transaction's segments are held at a time, so memory stays flat whatever the file size.

Envelope checks: ISA13 = IEA02 (TA1 001), IEA01 = groups (TA1 021), a missing IEA (TA1 023), GS06 = GE02
(AK9 4), GE01 = transactions (AK9 5), a missing GE (AK9 3), ST02 = SE02 (AK5 3), SE01 = segments (AK5 4), a
missing SE (AK5 2), ST01/ST02 missing (AK5 6 / 7), duplicate control numbers (AK9 19 / AK5 23), a GS08 that
is not a version (AK9 2), and the ISA's own fields (TA1 004-020).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Final

from ..errors import NotX12Error, SourcePosition
from .model import (
    GroupHeader,
    GroupResult,
    InterchangeHeader,
    InterchangeResult,
    Segment,
    Separators,
    TransactionResult,
    TransactionSet,
    X12Issue,
)
from .tokenizer import CHUNK_SIZE, ENVELOPE_IDS, tokenize

__all__ = ["X12Reader"]

_ISA_WIDTHS: Final = (2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1)


def _isa_field_issues(fields: list[str]) -> list[tuple[str, str, int]]:
    """The ISA's own field checks: (code, message, element position)."""
    found: list[tuple[str, str, int]] = []

    def value(n: int) -> str:
        return fields[n].strip() if n < len(fields) else ""

    if len(value(1)) != 2 or not value(1).isdigit():
        found.append(("TA1.010", "invalid authorization information qualifier (ISA01)", 1))
    if len(value(3)) != 2 or not value(3).isdigit():
        found.append(("TA1.012", "invalid security information qualifier (ISA03)", 3))
    if not 1 <= len(value(5)) <= 2:
        found.append(("TA1.005", "invalid interchange sender id qualifier (ISA05)", 5))
    if not value(6):
        found.append(("TA1.006", "missing interchange sender id (ISA06)", 6))
    if not 1 <= len(value(7)) <= 2:
        found.append(("TA1.007", "invalid interchange receiver id qualifier (ISA07)", 7))
    if not value(8):
        found.append(("TA1.008", "missing interchange receiver id (ISA08)", 8))
    date = value(9)
    if len(date) != 6 or not date.isdigit() or not (1 <= int(date[2:4]) <= 12 and 1 <= int(date[4:6]) <= 31):
        found.append(("TA1.014", "invalid interchange date (ISA09)", 9))
    time = value(10)
    if len(time) != 4 or not time.isdigit() or int(time[:2]) > 23 or int(time[2:]) > 59:
        found.append(("TA1.015", "invalid interchange time (ISA10)", 10))
    version = value(12)
    if len(version) != 5 or not version.isdigit():
        found.append(("TA1.017", "invalid interchange version id (ISA12)", 12))
    control = value(13)
    if not control.isdigit() or len(control) > 9:
        found.append(("TA1.018", "invalid interchange control number (ISA13)", 13))
    if value(14) not in ("0", "1"):
        found.append(("TA1.019", "invalid acknowledgment requested value (ISA14)", 14))
    if value(15) not in ("P", "T", "I"):
        found.append(("TA1.020", "invalid usage (test) indicator (ISA15)", 15))
    return found


def _same_number(declared: str, actual: str) -> bool:
    """Control numbers agree when equal as text or as numbers (some partners pad, some do not)."""
    if declared == actual:
        return True
    a, b = declared.strip(), actual.strip()
    return a == b or (a.isdigit() and b.isdigit() and int(a) == int(b))


@dataclass(slots=True)
class _Open:
    """What is open while reading: the current interchange, group and transaction."""

    interchange: InterchangeResult | None = None
    header: InterchangeHeader | None = None
    group: GroupResult | None = None
    group_controls: set[str] = field(default_factory=set)
    transaction_controls: set[str] = field(default_factory=set)
    segments: list[Segment] | None = None
    segment_ordinal: int = 0  # segments of the current interchange seen so far (ISA = 1)


class X12Reader:
    """Read X12 from a binary stream, bytes or a path. See the module docstring."""

    def __init__(
        self,
        source: BinaryIO | bytes | str | Path,
        *,
        chunk_size: int = CHUNK_SIZE,
        keep_results: bool = True,
    ) -> None:
        self._source = source
        self._chunk_size = chunk_size
        self._keep_results = keep_results
        self.interchanges: list[InterchangeResult] = []
        self.issues: list[X12Issue] = []  # notes outside any interchange (prose before the ISA...)
        self.transaction_count = 0
        self.segment_count = 0
        self._element = "*"  # the current interchange's element separator

    # -- public ----------------------------------------------------------------------------------------

    def transactions(self) -> Iterator[tuple[TransactionSet, TransactionResult]]:
        """Yield every transaction set with its result as soon as its SE (or its end) is read."""
        if isinstance(self._source, bytes):
            yield from self._read(io.BytesIO(self._source))
        elif isinstance(self._source, str | Path):
            with open(self._source, "rb") as stream:
                yield from self._read(stream)
        else:
            yield from self._read(self._source)

    @property
    def issue_count(self) -> int:
        """Errors (not warnings) found anywhere so far."""
        total = sum(1 for i in self.issues if i.severity == "error")
        for interchange in self.interchanges:
            total += sum(1 for i in interchange.issues if i.severity == "error")
            for group in interchange.groups:
                total += sum(1 for i in group.issues if i.severity == "error")
                for transaction in group.transactions:
                    total += sum(1 for i in transaction.issues if i.severity == "error")
        return total

    # -- reading ---------------------------------------------------------------------------------------

    def _read(self, stream: BinaryIO) -> Iterator[tuple[TransactionSet, TransactionResult]]:
        state = _Open()
        saw_isa = False
        no_isa_note: X12Issue | None = None
        for token in tokenize(stream, chunk_size=self._chunk_size):
            kind = token[0]
            if kind == "segments":
                texts: list[str] = token[1]  # type: ignore[assignment]
                boundaries: list[int] = token[2]  # type: ignore[assignment]
                yield from self._segments(state, texts, boundaries)
            elif kind == "isa":
                saw_isa = True
                if state.interchange is not None:  # never closed: already reported by the tokenizer
                    yield from self._end_interchange(state, None)
                self._start_interchange(state, token[1], token[2])  # type: ignore[arg-type]
            elif kind == "eof_in_interchange":
                yield from self._end_interchange(state, None)
            elif kind == "broken_isa":
                saw_isa = True
                self._broken_isa(token[1], str(token[2]), str(token[3]))  # type: ignore[arg-type]
            elif kind == "note":
                _, code, message, severity, _offset = token
                note = X12Issue(code=str(code), message=str(message), severity=severity)  # type: ignore[arg-type]
                if code == "X12.NO_ISA":
                    no_isa_note = note
                elif state.interchange is not None and str(code).startswith("TA1."):
                    self._interchange_issue(state, str(code), str(message), segment=1, segment_id="ISA")
                else:
                    self.issues.append(note)
        if state.interchange is not None:
            yield from self._end_interchange(state, None)
        if not saw_isa:
            raise NotX12Error(
                "no X12 interchange header (ISA) found"
                + (": the input holds other text" if no_isa_note else ""),
                position=SourcePosition(byte_offset=0),
                code="TA1.024",
            )

    def _start_interchange(self, state: _Open, separators: Separators, fields: list[str]) -> None:
        padded = [f.strip() for f in fields] + [""] * max(0, 17 - len(fields))
        header = InterchangeHeader(
            authorization_qualifier=padded[1],
            authorization=padded[2],
            security_qualifier=padded[3],
            security=padded[4],
            sender_qualifier=padded[5],
            sender_id=padded[6],
            receiver_qualifier=padded[7],
            receiver_id=padded[8],
            date=padded[9],
            time=padded[10],
            standards_id=padded[11],
            version=padded[12],
            control_number=padded[13],
            ack_requested=padded[14],
            usage=padded[15],
            separators=separators,
        )
        interchange = InterchangeResult(
            index=len(self.interchanges) + 1,
            header=header,
            sender_qualifier=header.sender_qualifier,
            sender_id=header.sender_id,
            receiver_qualifier=header.receiver_qualifier,
            receiver_id=header.receiver_id,
            control_number=header.control_number,
        )
        self.interchanges.append(interchange)
        self._element = separators.element
        state.interchange = interchange
        state.header = header
        state.group = None
        state.group_controls = set()
        state.segments = None
        state.segment_ordinal = 1
        for code, message, element in _isa_field_issues(fields):
            self._interchange_issue(state, code, message, segment=1, segment_id="ISA", element=element)
        if len(fields) != 17:
            self._interchange_issue(
                state, "TA1.022", "the ISA does not have 16 elements", segment=1, segment_id="ISA"
            )
        elif any(len(fields[n]) != width for n, width in enumerate(_ISA_WIDTHS, start=1) if n != 16):
            interchange.issues.append(
                X12Issue(
                    code="X12.ISA_WIDTH",
                    message="ISA fields are not padded to their fixed widths (accepted)",
                    severity="warning",
                    interchange_index=interchange.index,
                    interchange=header.control_number,
                    segment=1,
                    segment_id="ISA",
                )
            )

    def _broken_isa(self, salvage: list[str], code: str, message: str) -> None:
        def part(n: int) -> str:
            return salvage[n].strip() if n < len(salvage) else ""

        interchange = InterchangeResult(
            index=len(self.interchanges) + 1,
            header=None,
            sender_qualifier=part(5),
            sender_id=part(6),
            receiver_qualifier=part(7),
            receiver_id=part(8),
            control_number=part(13) if part(13).isdigit() else "",
        )
        interchange.issues.append(
            X12Issue(
                code=code,
                message=message,
                interchange_index=interchange.index,
                interchange=interchange.control_number or None,
                segment=1,
                segment_id="ISA",
            )
        )
        self.interchanges.append(interchange)

    def _interchange_issue(
        self,
        state: _Open,
        code: str,
        message: str,
        *,
        segment: int | None = None,
        segment_id: str | None = None,
        element: int | None = None,
    ) -> None:
        interchange = state.interchange
        assert interchange is not None
        interchange.issues.append(
            X12Issue(
                code=code,
                message=message,
                interchange_index=interchange.index,
                interchange=interchange.control_number,
                segment=segment,
                segment_id=segment_id,
                element=element,
            )
        )

    def _group_issue(
        self,
        state: _Open,
        group: GroupResult,
        code: str,
        message: str,
        *,
        segment_id: str | None = None,
        element: int | None = None,
    ) -> None:
        interchange = state.interchange
        assert interchange is not None
        group.issues.append(
            X12Issue(
                code=code,
                message=message,
                interchange_index=interchange.index,
                interchange=interchange.control_number,
                group=group.header.control_number,
                segment=state.segment_ordinal,
                segment_id=segment_id,
                element=element,
            )
        )

    def _segments(
        self, state: _Open, texts: list[str], boundaries: list[int]
    ) -> Iterator[tuple[TransactionSet, TransactionResult]]:
        # The hot path: runs of segments inside a transaction set are split into elements a set at a time;
        # only the envelope segments, whose candidates the tokenizer found, are looked at one by one.
        element = self._element
        segments = state.segments
        start = 0
        for index in boundaries:
            segment = texts[index].split(element)
            tag = segment[0]
            if tag not in ENVELOPE_IDS:
                continue  # looked like one ("STX*..."), is not: an ordinary segment of the run
            if index > start:
                run = [text.split(element) for text in texts[start:index]]
                if segments is not None:
                    segments += run
                else:
                    self._stray_segments(state, run)
            start = index + 1
            if tag == "SE" and segments is not None:
                segments.append(segment)
                yield self._close_transaction(state, segment)
                segments = None
                continue
            if segments is not None:  # an envelope segment while a transaction is open: its SE is missing
                yield self._close_transaction(state, None)
                segments = None
            self._envelope_segment(state, segment, tag)
            segments = state.segments
        if start < len(texts):
            run = [text.split(element) for text in texts[start:]]
            if segments is not None:
                segments += run
            else:
                self._stray_segments(state, run)

    def _stray_segments(self, state: _Open, stray: list[Segment]) -> None:
        """Segments outside any transaction set (between envelopes): each reported where it stands."""
        for segment in stray:
            self._envelope_segment(state, segment, segment[0])

    def _envelope_segment(self, state: _Open, segment: Segment, tag: str) -> None:
        interchange = state.interchange
        if interchange is None:
            self.issues.append(
                X12Issue(
                    code="X12.TRAILING",
                    message="segment outside any interchange",
                    severity="warning",
                    segment_id=tag[:3],
                )
            )
            return
        state.segment_ordinal += 1
        if tag == "ST":
            self._open_transaction(state, segment)
        elif tag == "GS":
            if state.group is not None:
                self._end_group(state, None)
            self._open_group(state, segment)
        elif tag == "GE":
            if state.group is None:
                self._interchange_issue(
                    state, "TA1.022", "GE without a GS", segment=state.segment_ordinal, segment_id="GE"
                )
            else:
                self._end_group(state, segment)
        elif tag == "IEA":
            if state.group is not None:
                self._end_group(state, None)
            self._check_interchange_trailer(state, segment)
            state.interchange = None
            state.header = None
        elif tag == "TA1":
            interchange.ta1_segments.append(segment)
        elif tag == "ISA":
            self._interchange_issue(
                state, "TA1.022", "ISA inside an interchange", segment=state.segment_ordinal, segment_id="ISA"
            )
        else:
            # Anything else outside ST..SE: the control structure is broken.
            where = "outside any functional group" if state.group is None else "outside any transaction set"
            if state.group is None:
                self._interchange_issue(
                    state,
                    "TA1.024",
                    f"segment {tag[:3]!r} {where}",
                    segment=state.segment_ordinal,
                    segment_id=tag[:3],
                )
            else:
                self._group_issue(
                    state,
                    state.group,
                    "AK9.5" if tag == "SE" else "AK9.1",
                    f"segment {tag[:3]!r} {where}",
                    segment_id=tag[:3],
                )

    def _open_group(self, state: _Open, segment: Segment) -> None:
        values = segment + [""] * max(0, 9 - len(segment))
        header = GroupHeader(
            functional_id=values[1],
            sender=values[2],
            receiver=values[3],
            date=values[4],
            time=values[5],
            control_number=values[6],
            agency=values[7],
            version=values[8],
        )
        group = GroupResult(header=header)
        state.group = group
        state.transaction_controls = set()
        assert state.interchange is not None
        state.interchange.groups.append(group)
        if not header.control_number.isdigit():
            self._group_issue(
                state,
                group,
                "AK9.6",
                "group control number (GS06) is not a number",
                segment_id="GS",
                element=6,
            )
        elif header.control_number in state.group_controls:
            self._group_issue(
                state,
                group,
                "AK9.19",
                "group control number (GS06) not unique in the interchange",
                segment_id="GS",
                element=6,
            )
        state.group_controls.add(header.control_number)
        version = header.version
        if len(version) < 6 or not version[:6].isdigit():
            self._group_issue(
                state,
                group,
                "AK9.2",
                "functional group version (GS08) is not a version",
                segment_id="GS",
                element=8,
            )
        if len(segment) < 9:
            self._group_issue(state, group, "AK9.1", "the GS has fewer than 8 elements", segment_id="GS")

    def _end_group(self, state: _Open, trailer: Segment | None) -> None:
        group = state.group
        assert group is not None
        counted = group.received
        if trailer is None:
            self._group_issue(state, group, "AK9.3", "functional group trailer (GE) missing", segment_id="GE")
        else:
            declared = trailer[1] if len(trailer) > 1 else ""
            control = trailer[2] if len(trailer) > 2 else ""
            group.declared_count = declared
            group.trailer_control_number = control
            if not _same_number(control, group.header.control_number):
                self._group_issue(
                    state, group, "AK9.4", "GE02 does not match GS06", segment_id="GE", element=2
                )
            if not declared.isdigit() or int(declared) != counted:
                self._group_issue(
                    state,
                    group,
                    "AK9.5",
                    f"GE01 declares {declared or 'no'} transaction sets, {counted} were read",
                    segment_id="GE",
                    element=1,
                )
        state.group = None

    def _check_interchange_trailer(self, state: _Open, trailer: Segment) -> None:
        interchange = state.interchange
        assert interchange is not None
        declared = trailer[1] if len(trailer) > 1 else ""
        control = trailer[2] if len(trailer) > 2 else ""
        interchange.declared_group_count = declared
        interchange.trailer_control_number = control
        if not _same_number(control, interchange.control_number):
            self._interchange_issue(
                state,
                "TA1.001",
                "IEA02 does not match ISA13",
                segment=state.segment_ordinal,
                segment_id="IEA",
                element=2,
            )
        groups = len(interchange.groups)
        # An interchange carrying only TA1s often counts them in IEA01; accept that as well as zero.
        allowed = {groups} if groups else {0, len(interchange.ta1_segments)}
        if not declared.isdigit() or int(declared) not in allowed:
            self._interchange_issue(
                state,
                "TA1.021",
                f"IEA01 declares {declared or 'no'} groups, {len(interchange.groups)} were read",
                segment=state.segment_ordinal,
                segment_id="IEA",
                element=1,
            )

    def _end_interchange(
        self, state: _Open, _trailer: Segment | None
    ) -> Iterator[tuple[TransactionSet, TransactionResult]]:
        if state.segments is not None:
            yield self._close_transaction(state, None)
        if state.group is not None:
            self._end_group(state, None)
        if state.interchange is not None:
            self._interchange_issue(
                state,
                "TA1.023",
                "interchange trailer (IEA) missing: premature end of input",
                segment=state.segment_ordinal,
                segment_id="IEA",
            )
        state.interchange = None
        state.header = None

    # -- transaction sets ------------------------------------------------------------------------------

    def _open_transaction(self, state: _Open, segment: Segment) -> None:
        state.segments = [segment]

    def _close_transaction(
        self, state: _Open, trailer: Segment | None
    ) -> tuple[TransactionSet, TransactionResult]:
        segments = state.segments
        assert segments is not None and state.interchange is not None and state.header is not None
        state.segments = None
        header = segments[0]
        set_id = header[1] if len(header) > 1 else ""
        control = header[2] if len(header) > 2 else ""
        implementation = header[3] if len(header) > 3 and header[3] else None
        interchange = state.interchange
        group = state.group
        if group is None:
            # A transaction set outside any group: report it, and give it an empty group for context.
            self._interchange_issue(
                state,
                "TA1.024",
                "transaction set outside any functional group",
                segment=state.segment_ordinal,
                segment_id="ST",
            )
            group = GroupResult(header=GroupHeader("", "", "", "", "", "", "", ""))
        result = TransactionResult(
            set_id=set_id,
            control_number=control,
            implementation=implementation,
            segment_count=len(segments),
            declared_count=trailer[1] if trailer is not None and len(trailer) > 1 else None,
            first_segment=state.segment_ordinal,
        )

        def issue(code: str, message: str, segment: int, segment_id: str, element: int | None = None) -> None:
            result.issues.append(
                X12Issue(
                    code=code,
                    message=message,
                    interchange_index=interchange.index,
                    interchange=interchange.control_number,
                    group=group.header.control_number,
                    transaction=control,
                    segment=segment,
                    segment_id=segment_id,
                    element=element,
                )
            )

        if not set_id or len(set_id) != 3 or not set_id.isdigit():
            issue("AK5.6", "missing or invalid transaction set identifier (ST01)", 1, "ST", 1)
        if not control:
            issue("AK5.7", "missing transaction set control number (ST02)", 1, "ST", 2)
        elif control in state.transaction_controls:
            issue("AK5.23", "transaction set control number (ST02) not unique in the group", 1, "ST", 2)
        state.transaction_controls.add(control)
        state.segment_ordinal += len(segments) - 1
        if trailer is None:
            issue("AK5.2", "transaction set trailer (SE) missing", len(segments), "SE")
        else:
            declared = trailer[1] if len(trailer) > 1 else ""
            trailer_control = trailer[2] if len(trailer) > 2 else ""
            if not declared.isdigit() or int(declared) != len(segments):
                issue(
                    "AK5.4",
                    f"SE01 declares {declared or 'no'} segments, {len(segments)} were counted",
                    len(segments),
                    "SE",
                    1,
                )
            if not _same_number(trailer_control, control):
                issue("AK5.3", "SE02 does not match ST02", len(segments), "SE", 2)
        if state.group is not None:
            state.group.received += 1
            if self._keep_results:
                state.group.transactions.append(result)
        self.transaction_count += 1
        self.segment_count += len(segments)
        transaction = TransactionSet(
            set_id=set_id,
            control_number=control,
            segments=segments,
            interchange=state.header,
            group=group.header,
            implementation=implementation,
            issues=result.issues,
        )
        return transaction, result
