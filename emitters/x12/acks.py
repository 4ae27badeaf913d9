"""Acknowledgements for received X12: 997 and 999 per functional group, TA1 per interchange.

``write_acknowledgements`` is the entry point: it decides what to send for one received interchange (nothing
at all for acknowledgements themselves, so that two gateways never acknowledge each other's acknowledgements
forever) and writes one outgoing interchange: ISA, an optional TA1, then one FA group per (application
sender, application receiver, version) holding one 997/999 per acknowledged group, GE, IEA.

The codes come from the reader's and validator's ``X12Issue.code`` ("AK3.n" -> AK304/IK304, "AK4.n" ->
AK403/IK403, "AK5.n" -> AK502../IK502.., "AK9.n" -> AK905.., "TA1.nnn" -> TA105). Warnings and the reader's
own "X12.*" notes are never reported. Values copied from the input (AK404/IK404, echoed ids) are made safe
for the outgoing separators instead of failing the acknowledgement.

Policies (one place to change them):
* a transaction set with any error is rejected (AK501/IK501 "R"); "E" (accepted with errors) is not produced;
* a group with group-level errors (AK905..) is rejected ("R") even when its sets were fine; otherwise AK901
  is "A" when every set was accepted, "R" when none was, "P" in between;
* TA104 is "R" when the ISA could not be read, "E" when the interchange has TA1-level errors, "A" otherwise;
* a 997 answering a group before 005010 is written as 004010, from 005010 on as 005010 (AK103/AK203 added);
* the outgoing ISA12 is 00501 when a 5010 acknowledgement is in it (or a lone TA1 answers a 00501+
  interchange), 00401 otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from parsers.errors import ConfigurationError, WriterError
from parsers.x12.model import (
    GroupResult,
    InterchangeHeader,
    InterchangeResult,
    Separators,
    TransactionResult,
    X12Issue,
)

from .writer import (
    DEFAULT_SEPARATORS,
    MAX_CONTROL_NUMBER,
    FunctionalGroupEnvelope,
    InterchangeEnvelope,
    OutboundGroup,
    OutboundSegment,
    OutboundTransaction,
    Usage,
    write_interchange,
)

__all__ = [
    "IMPLEMENTATION_999",
    "AckTransaction",
    "ControlNumberKind",
    "ControlNumberSource",
    "SequentialControlNumbers",
    "TA1Policy",
    "build_997",
    "build_999",
    "build_ta1",
    "group_status",
    "interchange_status",
    "is_acknowledgement_interchange",
    "transaction_status",
    "write_acknowledgements",
]

ControlNumberKind = Literal["interchange", "group", "transaction"]
AckKind = Literal["auto", "997", "999", "ta1", "none"]

IMPLEMENTATION_999 = "005010X231A1"
_MAX_CODES = 5  # AK502-AK506, AK905-AK909
_MAX_ELEMENT_NOTES = 99  # AK4/IK4 per AK3/IK3
_MAX_BAD_VALUE = 99  # AK404/IK404 (data element 724)
_REPETITION_CANDIDATES = "^{|!`"
_LINE_BREAKS = "\r\n"
_USAGES: dict[str, Usage] = {"P": "P", "T": "T", "I": "I"}


TA1Policy = Literal["requested", "always", "on_error", "never"]


class ControlNumberSource(Protocol):
    """Hands out the next control number of each kind (persisted per partner by the gateway)."""

    def next(self, kind: ControlNumberKind) -> int: ...


class SequentialControlNumbers:
    """In-memory control numbers, one counter per kind (for the CLI and tests); wraps after 999999999."""

    def __init__(self, start: int = 1) -> None:
        if not 1 <= start <= MAX_CONTROL_NUMBER:
            raise ConfigurationError(
                f"control numbers start from 1 to {MAX_CONTROL_NUMBER}", code="X12.CONTROL_NUMBER"
            )
        self._next: dict[str, int] = {"interchange": start, "group": start, "transaction": start}

    def next(self, kind: ControlNumberKind) -> int:
        value = self._next[kind]
        self._next[kind] = value + 1 if value < MAX_CONTROL_NUMBER else 1
        return value


@dataclass(frozen=True, slots=True)
class AckTransaction:
    """One 997 or 999 before control numbers are assigned: its body (AK1 to AK9) and where it goes."""

    set_id: Literal["997", "999"]
    version: str  # GS08 of the FA group that carries it
    implementation: str | None  # ST03
    segments: tuple[OutboundSegment, ...]
    application_sender: str  # GS02 of the FA group: the acknowledged group's GS03
    application_receiver: str  # GS03: the acknowledged group's GS02
    received: int  # AK903
    accepted: int  # AK904


# --- making copied values safe ------------------------------------------------------------------------------


class _Safe:
    """Copies of received values that can be written with the outgoing separators."""

    def __init__(self, separators: Separators) -> None:
        self._drop = str.maketrans("", "", "".join(separators.all()) + _LINE_BREAKS)

    def text(self, value: str | None, limit: int) -> str:
        """Separators, line breaks and unprintable characters removed; cut to ``limit``."""
        if not value:
            return ""
        cleaned = value.translate(self._drop)
        if not cleaned.isprintable():  # undecodable bytes (surrogate escapes) and control characters
            cleaned = "".join(ch for ch in cleaned if ch.isprintable())
        return cleaned.strip()[:limit]

    def set_control(self, value: str | None) -> str:
        """ST02 copied back into AK202 (AN 4-9): a short numeric one padded with zeros, as readers compare."""
        text = self.text(value, 9)
        return text.zfill(4) if text.isascii() and text.isdigit() else text

    def number(self, value: str | None, limit: int) -> str:
        """A control number copied back: leading zeros dropped when that makes it fit (N0 elements)."""
        text = self.text(value, 64)
        if text.isascii() and text.isdigit() and len(text) > limit and int(text) < 10**limit:
            return str(int(text))
        return text[:limit]


def _errors(issues: Iterable[X12Issue], code_list: str) -> list[X12Issue]:
    return [i for i in issues if i.severity == "error" and i.code.startswith(code_list + ".")]


def _codes(issues: Iterable[X12Issue], limit: int = _MAX_CODES) -> list[str]:
    """Distinct code values in order of appearance, at most ``limit``."""
    found: list[str] = []
    for issue in issues:
        value = issue.code_value
        if value and value.isalnum() and value not in found:
            found.append(value)
            if len(found) == limit:
                break
    return found


# --- 997 / 999 ----------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _SegmentNote:
    segment_id: str
    position: int
    loop_id: str | None
    codes: list[str]
    elements: list[X12Issue]


def _segment_notes(issues: list[X12Issue]) -> tuple[list[_SegmentNote], bool]:
    """AK3/AK4 issues grouped by segment, in segment order; also whether any segment-level error exists."""
    notes: dict[tuple[int, str], _SegmentNote] = {}
    any_errors = False
    for issue in issues:
        segment_level = issue.code.startswith("AK3.")
        if not (segment_level or issue.code.startswith("AK4.")) or issue.severity != "error":
            continue
        any_errors = True
        if issue.segment is None or issue.segment < 1 or not issue.segment_id:
            continue  # cannot be placed: still counts towards AK5 code 5
        key = (issue.segment, issue.segment_id)
        note = notes.get(key)
        if note is None:
            note = notes[key] = _SegmentNote(issue.segment_id, issue.segment, issue.loop_id, [], [])
        if segment_level:
            if issue.code_value not in note.codes:
                note.codes.append(issue.code_value)
        elif issue.element is not None and 1 <= issue.element <= 99:
            note.elements.append(issue)
        elif "8" not in note.codes:
            note.codes.append("8")  # an element error without an element position: say so at segment level
    return sorted(notes.values(), key=lambda n: n.position), any_errors


def _element_position(issue: X12Issue, style: Literal["4010", "5010"]) -> list[str]:
    assert issue.element is not None
    parts = [str(issue.element)]
    component = str(issue.component) if issue.component is not None and 1 <= issue.component <= 99 else ""
    repetition = (
        str(issue.repetition) if issue.repetition is not None and 1 <= issue.repetition <= 9999 else ""
    )
    if style == "4010":
        if component:
            parts.append(component)
    else:
        parts += [component, repetition]
    return parts


def _transaction_body(
    result_issues: list[X12Issue],
    accepted: bool,
    *,
    safe: _Safe,
    segment_note_id: Literal["AK3", "IK3"],
    element_note_id: Literal["AK4", "IK4"],
    trailer_id: Literal["AK5", "IK5"],
    style: Literal["4010", "5010"],
) -> list[OutboundSegment]:
    """AK3/AK4/AK5 (or IK3/IK4/IK5) for one transaction set."""
    segments: list[OutboundSegment] = []
    notes, segment_errors = _segment_notes(result_issues)
    for note in notes:
        codes = note.codes or ["8"]
        segment_id = safe.text(note.segment_id, 3)
        loop_id = safe.text(note.loop_id, 8)
        head = [segment_note_id, segment_id, str(note.position), loop_id if len(loop_id) <= 4 else ""]
        segments.append([*head, codes[0]])
        for issue in note.elements[:_MAX_ELEMENT_NOTES]:
            data_element = issue.data_element if issue.data_element and issue.data_element.isdigit() else ""
            segments.append(
                [
                    element_note_id,
                    _element_position(issue, style),
                    data_element[:4],
                    issue.code_value,
                    safe.text(issue.bad_value, _MAX_BAD_VALUE),
                ]
            )
        segments.extend([*head, code] for code in codes[1:])
    codes = _codes(_errors(result_issues, "AK5"))
    if segment_errors and not codes:
        codes = ["5"]
    segments.append([trailer_id, "A" if accepted else "R", *codes])  # as transaction_status()
    return segments


def transaction_status(result: TransactionResult) -> Literal["A", "R"]:
    """AK501/IK501 for a received transaction set: any error rejects it ("E" is not produced)."""
    return "A" if result.accepted else "R"


def group_status(group: GroupResult, accepted: int) -> Literal["A", "P", "R"]:
    """AK901 for a received group of which ``accepted`` sets were accepted (see the policies above)."""
    if _errors(group.issues, "AK9"):
        return "R"
    if accepted == group.received:
        return "A"
    return "R" if accepted == 0 else "P"


def interchange_status(interchange: InterchangeResult) -> Literal["A", "E", "R"]:
    """TA104 for a received interchange: R when its ISA could not be read, E with TA1-level errors."""
    if interchange.header is None:
        return "R"
    return "E" if _ta1_errors(interchange) else "A"


def _group_trailer(group: GroupResult, accepted: int) -> list[str]:
    """The AK9: status, sets included (GE01 as declared when it is a number), received, accepted, codes."""
    received = group.received
    codes = _codes(_errors(group.issues, "AK9"))
    declared = group.declared_count or ""
    included = (
        str(int(declared))
        if declared.isascii() and declared.isdigit() and len(declared) <= 6
        else str(received)
    )
    return ["AK9", group_status(group, accepted), included, str(received), str(accepted), *codes]


def _check_kept_results(group: GroupResult) -> None:
    if len(group.transactions) != group.received:
        raise ConfigurationError(
            "the group was read without per-transaction results (keep_results=False): cannot acknowledge it",
            code="X12.ACK_RESULTS",
        )


def _application_codes(group: GroupResult, safe: _Safe) -> tuple[str, str]:
    return safe.text(group.header.receiver, 15), safe.text(group.header.sender, 15)


def _version_number(version: str) -> int | None:
    head = version[:6]
    return int(head) if len(head) == 6 and head.isascii() and head.isdigit() else None


def build_997(
    group: GroupResult,
    *,
    separators: Separators = DEFAULT_SEPARATORS,
    version: Literal["004010", "005010"] | None = None,
) -> AckTransaction:
    """The 997 for one received group. ``version`` defaults to 005010 for 005010+ groups, else 004010.

    ``separators`` are the outgoing interchange's (bad values copied into AK404 are cleaned for them).
    """
    _check_kept_results(group)
    if version is None:
        number = _version_number(group.header.version)
        version = "005010" if number is not None and number >= 5010 else "004010"
    style: Literal["4010", "5010"] = "5010" if version >= "005010" else "4010"
    safe = _Safe(separators)
    header = group.header
    ak1 = ["AK1", safe.text(header.functional_id, 2), safe.number(header.control_number, 9)]
    if style == "5010":
        ak1.append(safe.text(header.version, 12))
    segments: list[OutboundSegment] = [ak1]
    accepted = 0
    for transaction in group.transactions:
        ak2 = ["AK2", safe.text(transaction.set_id, 3), safe.set_control(transaction.control_number)]
        if style == "5010" and transaction.implementation:
            ak2.append(safe.text(transaction.implementation, 35))
        segments.append(ak2)
        segments += _transaction_body(
            transaction.issues,
            transaction.accepted,
            safe=safe,
            segment_note_id="AK3",
            element_note_id="AK4",
            trailer_id="AK5",
            style=style,
        )
        accepted += transaction.accepted
    segments.append(_group_trailer(group, accepted))
    sender, receiver = _application_codes(group, safe)
    return AckTransaction("997", version, None, tuple(segments), sender, receiver, group.received, accepted)


def build_999(group: GroupResult, *, separators: Separators = DEFAULT_SEPARATORS) -> AckTransaction:
    """The 999 (005010X231A1) for one received group; see ``build_997`` for ``separators``."""
    _check_kept_results(group)
    safe = _Safe(separators)
    header = group.header
    segments: list[OutboundSegment] = [
        [
            "AK1",
            safe.text(header.functional_id, 2),
            safe.number(header.control_number, 9),
            safe.text(header.version, 12),
        ]
    ]
    accepted = 0
    for transaction in group.transactions:
        ak2 = ["AK2", safe.text(transaction.set_id, 3), safe.set_control(transaction.control_number)]
        if transaction.implementation:
            ak2.append(safe.text(transaction.implementation, 35))
        segments.append(ak2)
        segments += _transaction_body(
            transaction.issues,
            transaction.accepted,
            safe=safe,
            segment_note_id="IK3",
            element_note_id="IK4",
            trailer_id="IK5",
            style="5010",
        )
        accepted += transaction.accepted
    segments.append(_group_trailer(group, accepted))
    sender, receiver = _application_codes(group, safe)
    return AckTransaction(
        "999",
        IMPLEMENTATION_999,
        IMPLEMENTATION_999,
        tuple(segments),
        sender,
        receiver,
        group.received,
        accepted,
    )


# --- TA1 ----------------------------------------------------------------------------------------------------


def _ta1_errors(interchange: InterchangeResult) -> list[X12Issue]:
    return _errors(interchange.issues, "TA1")


def _is_valid_date(value: str) -> bool:
    return (
        len(value) == 6
        and value.isascii()
        and value.isdigit()
        and 1 <= int(value[2:4]) <= 12
        and 1 <= int(value[4:6]) <= 31
    )


def _is_valid_time(value: str) -> bool:
    return (
        len(value) == 4
        and value.isascii()
        and value.isdigit()
        and int(value[:2]) <= 23
        and int(value[2:]) <= 59
    )


def build_ta1(interchange: InterchangeResult, *, date: str, time: str, rejected: bool = False) -> list[str]:
    """The TA1 for one received interchange ("R" whatever its errors when ``rejected``: not processed).

    ``date`` (CCYYMMDD) and ``time`` (HHMM) are today's: they stand in for TA102/TA103 only when the received
    ISA's own date or time cannot be read (both elements are mandatory).
    """
    header = interchange.header
    errors = _ta1_errors(interchange)
    note = next((i.code_value for i in errors if len(i.code_value) == 3 and i.code_value.isdigit()), None)
    status = "R" if rejected else interchange_status(interchange)
    if header is None:
        note, control = note or "022", interchange.control_number
        received_date, received_time = "", ""
    else:
        note, control = note or "000", header.control_number
        received_date, received_time = header.date, header.time
    digits = control.strip()
    ta101 = (
        f"{int(digits):09d}"
        if digits.isascii() and digits.isdigit() and int(digits) <= MAX_CONTROL_NUMBER
        else ("000000000")
    )
    ta102 = received_date if _is_valid_date(received_date) else date[2:8]
    ta103 = received_time if _is_valid_time(received_time) else time[:4]
    return ["TA1", ta101, ta102, ta103, status, note]


# --- the outgoing interchange -------------------------------------------------------------------------------


def is_acknowledgement_interchange(interchange: InterchangeResult) -> bool:
    """True when the interchange carries only acknowledgements (FA groups and/or TA1s): it gets no answer."""
    if interchange.header is None:
        return False
    if not interchange.groups and not interchange.ta1_segments:
        return False
    return all(group.header.functional_id == "FA" for group in interchange.groups)


def _wants_999(group: GroupResult, header: InterchangeHeader | None) -> bool:
    number = _version_number(group.header.version)
    if number is not None:
        return number >= 5010
    return header is not None and header.version >= "00501"  # GS08 unreadable: go by the ISA


def _outgoing_separators(separators: Separators, version: str) -> Separators:
    """Add a repetition separator when the outgoing version needs one and the given set has none."""
    if version < "00402" or separators.repetition is not None:
        return separators
    used = {separators.element, separators.component, separators.segment}
    for candidate in _REPETITION_CANDIDATES:
        if candidate not in used:
            return Separators(separators.element, separators.component, separators.segment, candidate)
    raise ConfigurationError("no repetition separator available", code="X12.SEPARATORS")  # pragma: no cover


def _check_date_time(date: str, time: str) -> None:
    if not (len(date) == 8 and date.isascii() and date.isdigit()):
        raise WriterError("acknowledgement date must be CCYYMMDD", code="X12.ACK_DATE")
    if not (len(time) == 4 and time.isascii() and time.isdigit()):
        raise WriterError("acknowledgement time must be HHMM", code="X12.ACK_TIME")


def _address(given: tuple[str, str] | None, qualifier: str, identifier: str, role: str) -> tuple[str, str]:
    if given is not None:
        return given
    if not qualifier or not identifier:
        raise ConfigurationError(
            f"cannot address the acknowledgement: the received interchange names no {role}",
            code="X12.ACK_ADDRESS",
        )
    if len(identifier) > 15 or len(qualifier) > 2:
        # Cutting the id would misaddress the acknowledgement: the partner's address must be configured.
        raise ConfigurationError(
            f"cannot address the acknowledgement: the received {role} id does not fit an ISA (15 characters)",
            code="X12.ACK_ADDRESS",
        )
    return qualifier, identifier


def _usage(usage: str | None, header: InterchangeHeader | None) -> Usage:
    value = usage if usage is not None else (header.usage if header is not None else "P")
    if value in _USAGES:
        return _USAGES[value]
    if usage is not None:
        raise ConfigurationError("usage indicator must be P, T or I", code="X12.ACK_USAGE")
    return "P"  # the received ISA15 is invalid (already reported in the TA1)


def write_acknowledgements(
    interchange: InterchangeResult,
    *,
    kind: AckKind,
    sender: tuple[str, str] | None,
    receiver: tuple[str, str] | None,
    control_numbers: ControlNumberSource,
    date: str,
    time: str,
    separators: Separators | None,
    usage: str | None,
    suffix: str = "\n",
    ta1: TA1Policy = "requested",
    rejected: bool = False,
) -> str:
    """The acknowledgement interchange for one received interchange, or "" when nothing is to be sent.

    ``kind``: "auto" sends a 999 for groups of 005010 and later, a 997 before; "997"/"999" force one
    type; "ta1" sends the TA1 alone; "none" no 997/999 (a TA1 still goes as ``ta1`` says). ``ta1`` says
    when a TA1 goes with them: "requested" (the default) when the ISA asks for one (ISA14 = 1), when the
    interchange has TA1-level errors or when its ISA could not be read; "on_error" for the last two only;
    "always"; "never" (unless ``kind`` is "ta1"). ``rejected``: the gateway refuses the whole interchange
    (it is quarantined): only the TA1 goes, saying "R", whenever ``ta1`` is not "never".
    ``sender``/``receiver`` are (qualifier, id) of the outgoing ISA, by default the received
    receiver/sender. ``separators`` default to the received ones (or ``* : ~ ^``), ``usage`` to the received
    ISA15. ``date`` is CCYYMMDD, ``time`` HHMM. ``suffix`` follows each segment terminator (dropped when the
    terminator is a line break).
    """
    _check_date_time(date, time)
    if is_acknowledgement_interchange(interchange):
        return ""
    header = interchange.header

    # What to send: (group, "997"/"999", version) per non-FA group, and whether a TA1 goes too.
    plan: list[tuple[GroupResult, Literal["997", "999"], Literal["004010", "005010"] | None]] = []
    if rejected:
        kind = "none"
    if kind not in ("ta1", "none"):
        for group in interchange.groups:
            if group.header.functional_id == "FA":
                continue  # never acknowledge an acknowledgement
            if kind == "999" or (kind == "auto" and _wants_999(group, header)):
                plan.append((group, "999", None))
            else:
                number = _version_number(group.header.version)
                plan.append((group, "997", "005010" if number is not None and number >= 5010 else "004010"))
    faulty = header is None or bool(_ta1_errors(interchange))
    wants_ta1 = (
        kind == "ta1"
        or (rejected and ta1 != "never")
        or {
            "requested": faulty or (header is not None and header.ack_requested == "1"),
            "on_error": faulty,
            "always": True,
            "never": False,
        }[ta1]
    )
    if not plan and not wants_ta1:
        return ""

    five_010 = any(ack == "999" or version == "005010" for _, ack, version in plan)
    alone_5010 = not plan and header is not None and header.version >= "00501"
    version = "00501" if five_010 or alone_5010 else "00401"
    chosen = separators or (header.separators if header is not None else DEFAULT_SEPARATORS)
    outgoing = _outgoing_separators(chosen, version)

    acks = [
        build_999(group, separators=outgoing)
        if ack == "999"
        else build_997(group, separators=outgoing, version=ack_version)
        for group, ack, ack_version in plan
    ]
    ta1_segments = [build_ta1(interchange, date=date, time=time, rejected=rejected)] if wants_ta1 else []

    sender_qualifier, sender_id = _address(
        sender, interchange.receiver_qualifier, interchange.receiver_id, "receiver"
    )
    receiver_qualifier, receiver_id = _address(
        receiver, interchange.sender_qualifier, interchange.sender_id, "sender"
    )
    envelope = InterchangeEnvelope(
        sender_qualifier=sender_qualifier,
        sender_id=sender_id,
        receiver_qualifier=receiver_qualifier,
        receiver_id=receiver_id,
        date=date[2:],
        time=time,
        control_number=control_numbers.next("interchange"),
        version=version,
        usage=_usage(usage, header),
        ack_requested=False,  # acknowledgements are not acknowledged
        separators=outgoing,
    )
    return write_interchange(
        envelope,
        _fa_groups(acks, sender_id, receiver_id, date, time, control_numbers),
        ta1_segments=ta1_segments,
        suffix=suffix,
    )


def _fa_groups(
    acks: Sequence[AckTransaction],
    sender_id: str,
    receiver_id: str,
    date: str,
    time: str,
    control_numbers: ControlNumberSource,
) -> list[OutboundGroup]:
    """One FA group per (application sender, application receiver, version), in order of first appearance."""
    grouped: dict[tuple[str, str, str], list[AckTransaction]] = {}
    for ack in acks:
        # GS02/GS03 take 2 to 15 characters: else fall back to the interchange ids.
        app_sender = ack.application_sender if 2 <= len(ack.application_sender) <= 15 else sender_id
        app_receiver = ack.application_receiver if 2 <= len(ack.application_receiver) <= 15 else receiver_id
        grouped.setdefault((app_sender, app_receiver, ack.version), []).append(ack)
    groups: list[OutboundGroup] = []
    for (app_sender, app_receiver, version), members in grouped.items():
        envelope = FunctionalGroupEnvelope(
            functional_id="FA",
            sender=app_sender.ljust(2, "0") if len(app_sender) < 2 else app_sender,
            receiver=app_receiver.ljust(2, "0") if len(app_receiver) < 2 else app_receiver,
            date=date,
            time=time,
            control_number=control_numbers.next("group"),
            version=version,
        )
        transactions = [
            OutboundTransaction(
                ack.set_id, control_numbers.next("transaction"), ack.segments, ack.implementation
            )
            for ack in members
        ]
        groups.append(OutboundGroup(envelope, transactions))
    return groups
