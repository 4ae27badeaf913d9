"""Read-only queries behind ``edi-gateway files``: typed rows from the staging database.

Every function takes a connection from ``Database.read()`` and never writes. ``list_files`` reads the
documented view ``v_files`` (gateway/staging/VIEWS.md), so the command line and a plain SQL client agree on
what a file's counts are; like the views, a file's envelopes, documents and issues are those of its latest
attempt (``FileRecord.attempt``), while the timeline keeps every attempt. Bank statement lines are staged
once however many files deliver them: a bank file's lines are those it brought first or delivered last.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from parsers.catalog.diff import ChangeKind

from ..staging.acks import AckRow, acknowledgements_of_file
from ..staging.files import AttemptRow, FileRow, get_file, latest_attempt
from ..staging.models import (
    Attempt,
    AuditRecord,
    BankStatementLineRow,
    BankStatementRow,
    CatalogChangeRow,
    CatalogRejectedRow,
    CatalogVersion,
    Document,
    FunctionalGroup,
    Interchange,
    Issue,
    ReceivedFile,
    TransactionSetRow,
)
from ..staging.states import (
    AuditEvent,
    DocumentKind,
    EntryStatus,
    FileKind,
    InterchangeStatus,
    Outcome,
    Stage,
)
from ..staging.types import ID, EnumText, UtcDateTime

__all__ = [
    "BANK_FILE_KINDS",
    "AuditEntry",
    "BankLineEntry",
    "CatalogVersionEntry",
    "DocumentEntry",
    "FileFilter",
    "FileListing",
    "FileRecord",
    "FileSummary",
    "GroupEntry",
    "InterchangeEntry",
    "IssueEntry",
    "RejectedRowEntry",
    "StatementEntry",
    "TransactionEntry",
    "list_files",
    "load_file_record",
]

DEFAULT_LIMIT = 100
BANK_FILE_KINDS = frozenset({FileKind.OFX, FileKind.CAMT, FileKind.BAI2, FileKind.MT940})

# v_files with the types of the columns read here: SQLAlchemy then converts values as for the tables.
_v_files = sa.table(
    "v_files",
    sa.column("id", ID),
    sa.column("received_at", UtcDateTime()),
    sa.column("source", sa.Text()),
    sa.column("name", sa.Text()),
    sa.column("partner", sa.Text()),
    sa.column("kind", EnumText(FileKind)),
    sa.column("stage", EnumText(Stage)),
    sa.column("outcome", EnumText(Outcome)),
    sa.column("reason", sa.Text()),
    sa.column("transactions", sa.Integer()),
    sa.column("errors", sa.Integer()),
)


def _table(model: type[Any]) -> sa.Table:
    table: sa.Table = model.__table__
    return table


# --- files list ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileFilter:
    """What ``files list`` selects; ``limit`` None: every matching file."""

    stage: Stage | None = None
    outcome: Outcome | None = None
    partner: str | None = None
    since: datetime | None = None
    limit: int | None = DEFAULT_LIMIT


@dataclass(frozen=True, slots=True)
class FileSummary:
    """One row of ``files list`` (counts from the latest attempt, as in ``v_files``)."""

    id: int
    received_at: datetime
    partner: str | None
    source: str
    name: str
    kind: FileKind
    stage: Stage
    outcome: Outcome | None
    reason: str | None
    transactions: int
    errors: int


@dataclass(frozen=True, slots=True)
class FileListing:
    """The newest files first; ``more``: further files match beyond the limit."""

    files: list[FileSummary]
    more: bool


def list_files(connection: Connection, file_filter: FileFilter) -> FileListing:
    column = _v_files.c
    query = sa.select(
        column.id,
        column.received_at,
        column.partner,
        column.source,
        column.name,
        column.kind,
        column.stage,
        column.outcome,
        column.reason,
        column.transactions,
        column.errors,
    ).order_by(column.received_at.desc(), column.id.desc())
    if file_filter.stage is not None:
        query = query.where(column.stage == file_filter.stage)
    if file_filter.outcome is not None:
        query = query.where(column.outcome == file_filter.outcome)
    if file_filter.partner is not None:
        query = query.where(column.partner == file_filter.partner)
    if file_filter.since is not None:
        query = query.where(column.received_at >= file_filter.since)
    if file_filter.limit is not None:
        query = query.limit(file_filter.limit + 1)  # one more than shown: tells whether there are more
    rows = [FileSummary(**row._asdict()) for row in connection.execute(query)]
    if file_filter.limit is not None and len(rows) > file_filter.limit:
        return FileListing(rows[: file_filter.limit], more=True)
    return FileListing(rows, more=False)


# --- files show ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    event: AuditEvent
    attempt_id: int | None
    details: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class InterchangeEntry:
    id: int
    ordinal: int  # 1-based in the file
    sender_qualifier: str
    sender_id: str
    receiver_qualifier: str
    receiver_id: str
    control_number: str
    version: str | None
    date: str | None
    time: str | None
    usage: str | None
    status: InterchangeStatus


@dataclass(frozen=True, slots=True)
class GroupEntry:
    id: int
    interchange_id: int
    functional_id: str
    sender: str
    receiver: str
    control_number: str
    version: str
    declared_count: int | None
    received_count: int
    accepted_count: int
    status: str


@dataclass(frozen=True, slots=True)
class TransactionEntry:
    id: int
    interchange_id: int
    group_id: int | None
    set_id: str
    control_number: str
    segment_count: int
    first_segment: int | None  # ordinal of its ST in the interchange (ISA = 1)
    status: str


@dataclass(frozen=True, slots=True)
class DocumentEntry:
    id: int
    transaction_id: int | None
    kind: DocumentKind
    number: str | None
    order_number: str | None
    document_date: date | None
    line_count: int


@dataclass(frozen=True, slots=True)
class IssueEntry:
    """An issue where it was found; ``segment`` counts from the ST inside a set, from the ISA above."""

    id: int
    interchange_id: int | None
    group_id: int | None
    transaction_id: int | None
    code: str
    severity: str
    message: str
    segment: int | None
    segment_id: str | None
    loop_id: str | None
    element: int | None
    component: int | None
    repetition: int | None
    data_element: str | None


@dataclass(frozen=True, slots=True)
class StatementEntry:
    """One statement of a bank file, with what became of its lines."""

    id: int
    ordinal: int
    format: str
    account: str
    currency: str
    statement_id: str | None
    period_start: date | None
    period_end: date | None
    opening_balance: Decimal | None
    opening_date: date | None
    closing_balance: Decimal | None
    closing_date: date | None
    line_count: int
    lines_new: int
    lines_known: int
    lines_upgraded: int


@dataclass(frozen=True, slots=True)
class BankLineEntry:
    id: int
    statement_id: int
    account: str
    import_id: str
    status: EntryStatus
    booking_date: date | None
    value_date: date | None
    amount: Decimal
    bank_reference: str | None
    customer_reference: str | None
    counterparty_name: str | None
    remittance: str | None
    first_seen_file_id: int
    last_seen_file_id: int


@dataclass(frozen=True, slots=True)
class CatalogVersionEntry:
    id: int
    partner_id: str
    number: int
    previous_version_id: int | None
    item_count: int
    rejected_count: int
    encoding: str | None
    delimiter: str | None


@dataclass(frozen=True, slots=True)
class RejectedRowEntry:
    line: int
    reason: str
    column: str | None


@dataclass(frozen=True, slots=True)
class FileRecord:
    """Everything the staging database knows about one received file."""

    file: FileRow
    duplicates: list[int]  # later arrivals of the same content
    attempts: list[AttemptRow]
    events: list[AuditEntry]
    attempt: AttemptRow | None  # the latest: the rows below are what it staged
    interchanges: list[InterchangeEntry] = field(default_factory=list)
    groups: list[GroupEntry] = field(default_factory=list)
    transactions: list[TransactionEntry] = field(default_factory=list)
    documents: list[DocumentEntry] = field(default_factory=list)
    issues: list[IssueEntry] = field(default_factory=list)
    acknowledgements: list[AckRow] = field(default_factory=list)
    statements: list[StatementEntry] = field(default_factory=list)  # bank files
    bank_lines: list[BankLineEntry] = field(default_factory=list)  # the first ``line_limit`` of them
    bank_line_total: int = 0
    catalog_versions: list[CatalogVersionEntry] = field(default_factory=list)  # catalogs: one per attempt
    catalog_changes: dict[str, int] = field(default_factory=dict)  # kind -> count (every kind)
    rejected_rows: list[RejectedRowEntry] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return sum(1 for issue in self.issues if issue.severity == "error")

    def attempt_number(self, attempt_id: int | None) -> int | None:
        """The number (1, 2...) of one of the file's attempts, given its id."""
        return next((attempt.number for attempt in self.attempts if attempt.id == attempt_id), None)


def _columns(model: type[Any], entry: type[Any]) -> list[sa.Column[Any]]:
    table = _table(model)
    return [table.c[name] for name in entry.__dataclass_fields__]


def _rows(connection: Connection, model: type[Any], entry: type[Any], *where: Any) -> list[Any]:
    table = _table(model)
    query = sa.select(*_columns(model, entry)).where(*where).order_by(table.c.id)
    return [entry(**row._asdict()) for row in connection.execute(query)]


def load_file_record(
    connection: Connection, file_id: int, *, line_limit: int | None = None
) -> FileRecord | None:
    """The file with its attempts, audit events, and what its latest attempt staged; None: no such file.
    ``line_limit``: how many of a bank file's lines to load (None: all; ``bank_line_total`` counts them)."""
    file = get_file(connection, file_id)
    if file is None:
        return None
    files = _table(ReceivedFile)
    duplicates = connection.execute(
        sa.select(files.c.id).where(files.c.duplicate_of_id == file_id).order_by(files.c.id)
    ).scalars()
    attempts = _table(Attempt)
    record = FileRecord(
        file=file,
        duplicates=[int(value) for value in duplicates],
        attempts=[
            AttemptRow(**row._asdict())
            for row in connection.execute(
                sa.select(attempts).where(attempts.c.file_id == file_id).order_by(attempts.c.number)
            )
        ],
        events=_rows(connection, AuditRecord, AuditEntry, _table(AuditRecord).c.file_id == file_id),
        attempt=latest_attempt(connection, file_id),
        acknowledgements=acknowledgements_of_file(connection, file_id),
    )
    attempt = record.attempt
    if attempt is not None:
        _add_staged_rows(connection, record, attempt.id)
        if file.kind in BANK_FILE_KINDS:
            total = _add_bank_rows(connection, record, attempt.id, line_limit)
            record = dataclasses.replace(record, bank_line_total=total)
        elif file.kind is FileKind.CATALOG:
            _add_catalog_rows(connection, record, attempt.id)
    return record


def _add_staged_rows(connection: Connection, record: FileRecord, attempt_id: int) -> None:
    def of_attempt(model: type[Any], entry: type[Any]) -> list[Any]:
        return _rows(connection, model, entry, _table(model).c.attempt_id == attempt_id)

    record.interchanges.extend(of_attempt(Interchange, InterchangeEntry))
    record.groups.extend(of_attempt(FunctionalGroup, GroupEntry))
    record.transactions.extend(of_attempt(TransactionSetRow, TransactionEntry))
    record.documents.extend(of_attempt(Document, DocumentEntry))
    record.issues.extend(of_attempt(Issue, IssueEntry))


def _add_bank_rows(connection: Connection, record: FileRecord, attempt_id: int, limit: int | None) -> int:
    """Adds the statements of the attempt and the file's lines (up to ``limit``); returns how many lines."""
    statements = _table(BankStatementRow)
    record.statements.extend(
        _rows(connection, BankStatementRow, StatementEntry, statements.c.attempt_id == attempt_id)
    )
    lines = _table(BankStatementLineRow)
    file_id = record.file.id
    of_file = sa.or_(lines.c.first_seen_file_id == file_id, lines.c.last_seen_file_id == file_id)
    query = sa.select(*_columns(BankStatementLineRow, BankLineEntry)).where(of_file).order_by(lines.c.id)
    if limit is not None:
        query = query.limit(limit)
    record.bank_lines.extend(BankLineEntry(**row._asdict()) for row in connection.execute(query))
    total = connection.execute(sa.select(sa.func.count()).select_from(lines).where(of_file)).scalar_one()
    return int(total)


def _add_catalog_rows(connection: Connection, record: FileRecord, attempt_id: int) -> None:
    versions = _table(CatalogVersion)
    record.catalog_versions.extend(
        _rows(connection, CatalogVersion, CatalogVersionEntry, versions.c.attempt_id == attempt_id)
    )
    ids = [version.id for version in record.catalog_versions]
    if not ids:
        return
    changes = _table(CatalogChangeRow)
    counted = connection.execute(
        sa.select(changes.c.kind, sa.func.count())
        .where(changes.c.version_id.in_(ids))
        .group_by(changes.c.kind)
    )
    record.catalog_changes.update({kind.value: 0 for kind in ChangeKind})
    record.catalog_changes.update({str(kind): int(count) for kind, count in counted})
    rejected = _table(CatalogRejectedRow)
    query = (
        sa.select(rejected.c.line, rejected.c.reason, rejected.c["column"])
        .where(rejected.c.version_id.in_(ids))
        .order_by(rejected.c.id)
    )
    record.rejected_rows.extend(RejectedRowEntry(**row._asdict()) for row in connection.execute(query))
