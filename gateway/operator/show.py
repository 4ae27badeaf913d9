"""``files show``: one received file as the operator sees it (``render`` prints it on the terminal).

``build_view`` puts together what the database knows (``queries.FileRecord``) and the stored original: each
issue gets its place in the original (interchange, segment ordinal counted from the ISA), and the raw
segments around each faulty one are read from the file in ``archive/`` or ``quarantine/``. When the original
is gone, not stored yet, or no longer the bytes received, the view says so instead of failing.

Raw segments hold business data: they are printed for the operator, never logged.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..staging.acks import AckRow
from ..staging.states import AckDirection, FileKind, Outcome
from .queries import (
    BANK_FILE_KINDS,
    BankLineEntry,
    FileRecord,
    GroupEntry,
    IssueEntry,
    StatementEntry,
    TransactionEntry,
)
from .segments import Position, RawSegment, SegmentWindow, read_windows

__all__ = [
    "DEFAULT_CONTEXT",
    "FileView",
    "IssueView",
    "OriginalState",
    "build_view",
    "iso_utc",
    "local_time",
    "needs_attention",
    "view_json",
]

DEFAULT_CONTEXT = 2
_READ_CHUNK = 1 << 20
_PROBLEM_OUTCOMES = {Outcome.ERRORS, Outcome.QUARANTINED, Outcome.FAILED}


def iso_utc(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z`` (the JSON and CSV form of every timestamp)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def local_time(moment: datetime | None) -> str:
    """Local time to the second (the terminal form)."""
    return "-" if moment is None else moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


class OriginalState(StrEnum):
    """What became of the original bytes of a received file."""

    AVAILABLE = "available"  # stored, and still the bytes received
    NOT_STORED = "not_stored"  # not moved to archive/ or quarantine/ yet
    MISSING = "missing"  # no file where the database says it is
    CHANGED = "changed"  # a file is there, but not the bytes received (another sha256)
    UNREADABLE = "unreadable"


@dataclass(frozen=True, slots=True)
class IssueView:
    """An issue with the control numbers of where it was found and its place in the original."""

    issue: IssueEntry
    interchange: str | None  # ISA13
    group: str | None  # GS06
    set_id: str | None  # ST01
    transaction: str | None  # ST02
    position: Position | None  # None: above any segment (a note about the file)


@dataclass(frozen=True, slots=True)
class FileView:
    record: FileRecord
    stored_at: Path | None  # where the original should be, absolute
    original: OriginalState
    original_note: str | None  # why the raw segments cannot be shown
    issues: list[IssueView]
    windows: list[SegmentWindow]
    outbox: Path
    context: int


def needs_attention(view: FileView) -> bool:
    """Exit 1 for ``files show``: the file has errors, or was quarantined or failed."""
    return view.record.file.outcome in _PROBLEM_OUTCOMES or view.record.error_count > 0


# --- building -------------------------------------------------------------------------------------------


def _stored_at(stored_path: str | None, home: Path) -> Path | None:
    if stored_path is None:
        return None
    path = Path(stored_path)
    return path if path.is_absolute() else home / path


def _issue_views(record: FileRecord) -> list[IssueView]:
    interchanges = {row.id: row for row in record.interchanges}
    groups = {row.id: row for row in record.groups}
    transactions = {row.id: row for row in record.transactions}
    views = []
    for issue in record.issues:
        interchange = interchanges.get(issue.interchange_id) if issue.interchange_id is not None else None
        group = groups.get(issue.group_id) if issue.group_id is not None else None
        transaction = transactions.get(issue.transaction_id) if issue.transaction_id is not None else None
        ordinal: int | None = None
        if interchange is not None and issue.segment is not None:
            if transaction is None:
                ordinal = issue.segment  # counted from the ISA already
            elif transaction.first_segment is not None:
                ordinal = transaction.first_segment + issue.segment - 1
        position = (
            None
            if ordinal is None or interchange is None
            else Position(interchange.ordinal, ordinal, issue.element, issue.repetition, issue.component)
        )
        views.append(
            IssueView(
                issue=issue,
                interchange=interchange.control_number if interchange else None,
                group=group.control_number if group else None,
                set_id=transaction.set_id if transaction else None,
                transaction=transaction.control_number if transaction else None,
                position=position,
            )
        )
    # Notes about the whole file first, then in file order; several issues of one segment stay together.
    views.sort(
        key=lambda view: (view.position.sort_key() if view.position else (0, 0, 0, 0, 0), view.issue.id)
    )
    return views


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _original(record: FileRecord, stored_at: Path | None) -> tuple[OriginalState, str | None]:
    file = record.file
    if stored_at is None:
        return OriginalState.NOT_STORED, f"the original is not stored yet (stage {file.stage.value})"
    try:
        if not stored_at.is_file():
            return OriginalState.MISSING, f"the original is gone: no file at {stored_at}"
        if _sha256(stored_at) != file.sha256:
            return OriginalState.CHANGED, f"the file at {stored_at} is not the one received (another sha256)"
    except OSError as error:
        return OriginalState.UNREADABLE, f"cannot read the original at {stored_at}: {error.strerror}"
    return OriginalState.AVAILABLE, None


def build_view(record: FileRecord, *, home: Path, outbox: Path, context: int = DEFAULT_CONTEXT) -> FileView:
    """The whole ``files show`` view. The stored original is checked against the sha256 received, and read
    again for the segments around each issue that points into it."""
    stored_at = _stored_at(record.file.stored_path, home)
    state, note = _original(record, stored_at)
    issues = _issue_views(record)
    windows: list[SegmentWindow] = []
    positions = [view.position for view in issues if view.position is not None]
    if positions and state is OriginalState.AVAILABLE and stored_at is not None:
        try:
            with stored_at.open("rb") as stream:
                windows = read_windows(stream, positions, context)
        except OSError as error:
            state, note = (
                OriginalState.UNREADABLE,
                f"cannot read the original at {stored_at}: {error.strerror}",
            )
    return FileView(record, stored_at, state, note, issues, windows, outbox, context)


# --- JSON -----------------------------------------------------------------------------------------------


def _enum(value: StrEnum | None) -> str | None:
    return None if value is None else value.value


def _ack_json(ack: AckRow, outbox: Path) -> dict[str, Any]:
    return {
        "kind": ack.kind.value,
        "partner": ack.partner_id,
        "interchange_control_number": ack.interchange_control_number,
        "group_control_number": ack.group_control_number,
        "transaction_control_number": ack.transaction_control_number,
        "acknowledged_interchange": ack.acknowledged_interchange,
        "acknowledged_group": ack.acknowledged_group,
        "verdict": ack.verdict,
        "status": ack.status.value,
        "path": ack.path,
        "outbox_path": str(outbox / ack.path) if ack.path else None,
        "created_at": iso_utc(ack.created_at),
        "written_at": iso_utc(ack.written_at),
    }


def _transaction_json(transaction: TransactionEntry) -> dict[str, Any]:
    return {
        "set_id": transaction.set_id,
        "control_number": transaction.control_number,
        "segment_count": transaction.segment_count,
        "first_segment": transaction.first_segment,
        "status": transaction.status,
    }


def _group_json(group: GroupEntry, transactions: list[TransactionEntry]) -> dict[str, Any]:
    return {
        "functional_id": group.functional_id,
        "control_number": group.control_number,
        "sender": group.sender,
        "receiver": group.receiver,
        "version": group.version,
        "declared_count": group.declared_count,
        "received_count": group.received_count,
        "accepted_count": group.accepted_count,
        "status": group.status,
        "transactions": [_transaction_json(row) for row in transactions if row.group_id == group.id],
    }


def _interchanges_json(record: FileRecord) -> list[dict[str, Any]]:
    return [
        {
            "ordinal": interchange.ordinal,
            "control_number": interchange.control_number,
            "sender": f"{interchange.sender_qualifier}:{interchange.sender_id}",
            "receiver": f"{interchange.receiver_qualifier}:{interchange.receiver_id}",
            "version": interchange.version,
            "date": interchange.date,
            "time": interchange.time,
            "usage": interchange.usage,
            "status": interchange.status.value,
            "groups": [
                _group_json(group, record.transactions)
                for group in record.groups
                if group.interchange_id == interchange.id
            ],
            "transactions_outside_groups": [
                _transaction_json(row)
                for row in record.transactions
                if row.group_id is None and row.interchange_id == interchange.id
            ],
        }
        for interchange in record.interchanges
    ]


def _file_json(view: FileView) -> dict[str, Any]:
    file = view.record.file
    return {
        "id": file.id,
        "name": file.original_name,
        "source": file.source,
        "partner": file.partner_id,
        "kind": file.kind.value,
        "size_bytes": file.size_bytes,
        "sha256": file.sha256,
        "received_at": iso_utc(file.received_at),
        "stage": file.stage.value,
        "outcome": _enum(file.outcome),
        "reason": file.reason,
        "stored_path": file.stored_path,
        "stored_at": str(view.stored_at) if view.stored_at else None,
        "archived_at": iso_utc(file.archived_at),
        "duplicate_of": file.duplicate_of_id,
        "duplicates": view.record.duplicates,
        "original": view.original.value,
    }


def _issue_json(view: IssueView) -> dict[str, Any]:
    issue = view.issue
    return {
        "code": issue.code,
        "severity": issue.severity,
        "message": issue.message,
        "interchange": view.interchange,
        "group": view.group,
        "set_id": view.set_id,
        "transaction": view.transaction,
        "segment": issue.segment,
        "segment_id": issue.segment_id,
        "loop_id": issue.loop_id,
        "element": issue.element,
        "component": issue.component,
        "repetition": issue.repetition,
        "data_element": issue.data_element,
        "interchange_ordinal": view.position.interchange if view.position else None,
        "segment_ordinal": view.position.segment if view.position else None,
    }


def _segment_json(segment: RawSegment) -> dict[str, Any]:
    return {
        "ordinal": segment.ordinal,
        "text": segment.text,
        "faulty": segment.faulty,
        "marks": [{"start": start, "end": end} for start, end in segment.marks],
    }


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _statement_json(statement: StatementEntry) -> dict[str, Any]:
    return {
        "ordinal": statement.ordinal,
        "format": statement.format,
        "account": statement.account,
        "currency": statement.currency,
        "statement_id": statement.statement_id,
        "period_start": _day(statement.period_start),
        "period_end": _day(statement.period_end),
        "opening_balance": _decimal(statement.opening_balance),
        "opening_date": _day(statement.opening_date),
        "closing_balance": _decimal(statement.closing_balance),
        "closing_date": _day(statement.closing_date),
        "line_count": statement.line_count,
        "lines_new": statement.lines_new,
        "lines_known": statement.lines_known,
        "lines_upgraded": statement.lines_upgraded,
    }


def _bank_line_json(line: BankLineEntry, file_id: int) -> dict[str, Any]:
    return {
        "account": line.account,
        "import_id": line.import_id,
        "status": line.status.value,
        "booking_date": _day(line.booking_date),
        "value_date": _day(line.value_date),
        "amount": _decimal(line.amount),
        "bank_reference": line.bank_reference,
        "customer_reference": line.customer_reference,
        "counterparty": line.counterparty_name,
        "remittance": line.remittance,
        "first_seen_here": line.first_seen_file_id == file_id,
        "first_seen_file": line.first_seen_file_id,
        "last_seen_file": line.last_seen_file_id,
    }


def _kind_json(record: FileRecord) -> dict[str, Any]:
    """The keys only bank files and catalogs have (an X12 file's view stays as it was)."""
    kind = record.file.kind
    if kind in BANK_FILE_KINDS:
        return {
            "statements": [_statement_json(statement) for statement in record.statements],
            "bank_lines": {
                "total": record.bank_line_total,
                "lines": [_bank_line_json(line, record.file.id) for line in record.bank_lines],
            },
        }
    if kind is FileKind.CATALOG:
        return {
            "catalog": {
                "versions": [
                    {
                        "partner": version.partner_id,
                        "number": version.number,
                        "previous_version_id": version.previous_version_id,
                        "item_count": version.item_count,
                        "rejected_count": version.rejected_count,
                        "encoding": version.encoding,
                        "delimiter": version.delimiter,
                    }
                    for version in record.catalog_versions
                ],
                "changes": record.catalog_changes,
                "rejected": [
                    {"line": row.line, "reason": row.reason, "column": row.column}
                    for row in record.rejected_rows
                ],
            }
        }
    return {}


def view_json(view: FileView) -> dict[str, Any]:
    """The view as JSON: stable keys, timestamps ISO 8601 in UTC, raw segments display-safe."""
    record = view.record
    transaction_numbers = {row.id: row.control_number for row in record.transactions}
    return {
        "file": _file_json(view),
        "attempts": [
            {
                "number": attempt.number,
                "trigger": attempt.trigger.value,
                "parent": record.attempt_number(attempt.parent_id),
                "started_at": iso_utc(attempt.started_at),
                "finished_at": iso_utc(attempt.finished_at),
                "stage": attempt.stage.value,
                "outcome": _enum(attempt.outcome),
                "reason": attempt.reason,
            }
            for attempt in record.attempts
        ],
        "events": [
            {
                "at": iso_utc(event.at),
                "event": event.event.value,
                "attempt": record.attempt_number(event.attempt_id),
                "details": event.details,
            }
            for event in record.events
        ],
        "latest_attempt": record.attempt.number if record.attempt else None,
        "interchanges": _interchanges_json(record),
        "documents": [
            {
                "kind": document.kind.value,
                "number": document.number,
                "order_number": document.order_number,
                "date": document.document_date.isoformat() if document.document_date else None,
                "line_count": document.line_count,
                "transaction_control_number": (
                    None
                    if document.transaction_id is None
                    else transaction_numbers.get(document.transaction_id)
                ),
            }
            for document in record.documents
        ],
        "acknowledgements": {
            direction.value: [
                _ack_json(ack, view.outbox) for ack in record.acknowledgements if ack.direction is direction
            ]
            for direction in AckDirection
        },
        **_kind_json(record),
        "issues": [_issue_json(issue) for issue in view.issues],
        "raw": {
            "original": view.original.value,
            "note": view.original_note,
            "context": view.context,
            "windows": [
                {
                    "interchange": window.interchange,
                    "segment": window.segment,
                    "segments": [_segment_json(segment) for segment in window.segments],
                }
                for window in view.windows
            ],
        },
    }
