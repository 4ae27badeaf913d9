"""Staging bank statements: one row per statement delivered, each bank entry once, the result's issues.

A bank delivers the same entry again and again (a re-sent file, overlapping intraday and end-of-day
statements): ``bank_statement_lines`` holds it once, by UNIQUE (account, import_id)
(``StatementLine.import_id`` is stable across deliveries). The file's lines are taken in order, as if staged
one by one:

* a line never seen is staged (``lines_new``);
* a line seen before, in an earlier delivery or earlier in this file, is skipped (``lines_known``) and its
  ``last_seen_file_id`` moves to this file; except
* a line known as ``pending`` that arrives ``booked`` is upgraded in place: status, booking date, amount,
  and value date when the booked entry has one (``lines_upgraded``, and one ``bank_lines_upgraded`` audit
  record with the count). A booked line arriving again as pending stays booked.

Everything happens in the caller's transaction, never committed here. Inserts skip a line another
transaction staged meanwhile (``ON CONFLICT DO NOTHING``): a race can miscount, never duplicate.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from parsers.bank.result import StatementIssue, StatementsResult
from parsers.documents.bank_statement import BankStatement, StatementLine

from . import audit
from .body import document_json
from .bulk import RowWriter, allocate_ids, date_parameter, decimal_parameter, timestamp_parameter
from .models import BankStatementLineRow
from .sql import utc_now
from .states import AuditEvent, EntryStatus

__all__ = ["StatementStaging", "stage_statements"]

_KEYS_PER_QUERY = 500  # import ids per ``IN (...)`` when looking up the lines already staged

_lines: sa.Table = BankStatementLineRow.__table__  # type: ignore[assignment]

_STATEMENT_COLUMNS = (
    "id", "file_id", "attempt_id", "partner_id", "ordinal", "format", "account", "currency", "statement_id",
    "bank", "created", "period_start", "period_end", "opening_balance", "opening_date", "closing_balance",
    "closing_date", "line_count", "lines_new", "lines_known", "lines_upgraded", "body",
)  # fmt: skip
_LINE_COLUMNS = (
    "statement_id", "account", "import_id", "amount", "booking_date", "value_date", "status",
    "bank_reference", "customer_reference", "end_to_end_id", "uetr", "transaction_code", "counterparty_name",
    "counterparty_account", "counterparty_bank", "remittance", "structured_reference", "reversal",
    "first_seen_file_id", "last_seen_file_id", "updated_at",
)  # fmt: skip
_ISSUE_COLUMNS = ("attempt_id", "file_id", "code", "severity", "message", "segment", "segment_id", "loop_id")

_Key = tuple[str, str]  # (account, import_id)


@dataclass(frozen=True, slots=True)
class StatementStaging:
    """What one file's statements added: the statements, their lines by what became of them, the errors."""

    statements: int
    lines_new: int  # staged now
    lines_known: int  # already staged from an earlier delivery (or earlier in this file): skipped
    lines_upgraded: int  # pending before, booked now
    errors: int  # issues of severity "error" in the result


@dataclass(slots=True)
class _Entry:
    """A line of this file as it will end up: to insert (``stored_id`` None) or already in the table."""

    line: StatementLine  # for a new line: the occurrence to insert (the booked one after an upgrade)
    statement_id: int
    stored_id: int | None = None
    status: str = EntryStatus.BOOKED.value
    upgraded: bool = False


@dataclass(slots=True)
class _StatementCounts:
    new: int = 0
    known: int = 0
    upgraded: int = 0


def stage_statements(
    connection: Connection,
    *,
    file_id: int,
    attempt_id: int,
    partner_id: str | None,
    result: StatementsResult,
) -> StatementStaging:
    """Stage every statement of ``result`` for one attempt of one file (see the module doc)."""
    statements = result.statements
    statement_ids = allocate_ids(connection, "bank_statements", len(statements))
    stored = _stored_lines(connection, statements)
    entries: dict[_Key, _Entry] = {}
    counts = [_StatementCounts() for _ in statements]
    for statement, statement_id, count in zip(statements, statement_ids, counts, strict=True):
        account = statement.account
        for line in statement.lines:
            key = (account, line.import_id)
            entry = entries.get(key)
            if entry is None:
                known = stored.get(key)
                if known is None:
                    entries[key] = _Entry(line, statement_id, status=line.status)
                    count.new += 1
                    continue
                entry = entries[key] = _Entry(line, statement_id, stored_id=known[0], status=known[1])
            if entry.status == EntryStatus.PENDING and line.status == "booked":
                entry.status = EntryStatus.BOOKED.value
                entry.line = line
                entry.upgraded = True
                count.upgraded += 1
            else:
                count.known += 1
    now = utc_now()
    RowWriter(connection, "bank_statements", _STATEMENT_COLUMNS).write(
        [
            _statement_row(statement, statement_id, ordinal, count, file_id, attempt_id, partner_id)
            for ordinal, (statement, statement_id, count) in enumerate(
                zip(statements, statement_ids, counts, strict=True), start=1
            )
        ]
    )
    _write_lines(connection, entries, file_id, timestamp_parameter(connection, now))
    RowWriter(connection, "issues", _ISSUE_COLUMNS).write(
        [_issue_row(issue, file_id, attempt_id) for issue in result.issues]
    )
    upgraded = sum(count.upgraded for count in counts)
    if upgraded:
        audit.append(
            connection,
            AuditEvent.BANK_LINES_UPGRADED,
            file_id=file_id,
            attempt_id=attempt_id,
            details={"lines_upgraded": upgraded},
        )
    return StatementStaging(
        statements=len(statements),
        lines_new=sum(count.new for count in counts),
        lines_known=sum(count.known for count in counts),
        lines_upgraded=upgraded,
        errors=result.error_count,
    )


def _stored_lines(connection: Connection, statements: list[BankStatement]) -> dict[_Key, tuple[int, str]]:
    """(id, status) of the lines of these statements already staged, by (account, import_id)."""
    wanted: defaultdict[str, set[str]] = defaultdict(set)
    for statement in statements:
        wanted[statement.account].update(line.import_id for line in statement.lines)
    column = _lines.c
    found: dict[_Key, tuple[int, str]] = {}
    for account, import_ids in wanted.items():
        ordered = sorted(import_ids)
        for start in range(0, len(ordered), _KEYS_PER_QUERY):
            query = sa.select(column.import_id, column.id, column.status).where(
                column.account == account, column.import_id.in_(ordered[start : start + _KEYS_PER_QUERY])
            )
            for import_id, line_id, status in connection.execute(query):
                found[(account, import_id)] = (int(line_id), EntryStatus(status).value)
    return found


def _write_lines(connection: Connection, entries: dict[_Key, _Entry], file_id: int, now: Any) -> None:
    new_rows: list[tuple[Any, ...]] = []
    seen_again: list[tuple[Any, ...]] = []
    upgrades: list[tuple[Any, ...]] = []
    for (account, _), entry in entries.items():
        line = entry.line
        if entry.stored_id is None:
            new_rows.append(_line_row(line, account, entry.statement_id, file_id, now))
        elif entry.upgraded:
            upgrades.append(
                (
                    EntryStatus.BOOKED.value,
                    date_parameter(line.booking_date),
                    decimal_parameter(line.amount),
                    date_parameter(line.value_date),
                    file_id,
                    now,
                    entry.stored_id,
                )
            )
        else:
            seen_again.append((file_id, now, entry.stored_id))
    RowWriter(
        connection,
        "bank_statement_lines",
        _LINE_COLUMNS,
        suffix="ON CONFLICT (account, import_id) DO NOTHING",
    ).write(new_rows)
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    if upgrades:
        connection.exec_driver_sql(
            f"UPDATE bank_statement_lines SET status = {marker}, booking_date = {marker},"
            f" amount = {marker}, value_date = coalesce({marker}, value_date),"
            f" last_seen_file_id = {marker}, updated_at = {marker} WHERE id = {marker}",
            upgrades,
        )
    if seen_again:
        connection.exec_driver_sql(
            f"UPDATE bank_statement_lines SET last_seen_file_id = {marker}, updated_at = {marker}"
            f" WHERE id = {marker}",
            seen_again,
        )


def _statement_row(
    statement: BankStatement,
    statement_id: int,
    ordinal: int,
    count: _StatementCounts,
    file_id: int,
    attempt_id: int,
    partner_id: str | None,
) -> tuple[Any, ...]:
    opening, closing = statement.balance("opening"), statement.balance("closing")
    # The lines are in bank_statement_lines (deduplicated): the body keeps the rest, every balance included.
    body = document_json(dataclasses.replace(statement, lines=()))
    del body["lines"]
    return (
        statement_id,
        file_id,
        attempt_id,
        partner_id,
        ordinal,
        statement.format,
        statement.account,
        statement.currency,
        statement.statement_id,
        statement.bank,
        date_parameter(statement.created),
        date_parameter(statement.period_start),
        date_parameter(statement.period_end),
        decimal_parameter(opening.amount if opening else None),
        date_parameter(opening.date if opening else None),
        decimal_parameter(closing.amount if closing else None),
        date_parameter(closing.date if closing else None),
        len(statement.lines),
        count.new,
        count.known,
        count.upgraded,
        orjson.dumps(body).decode(),
    )


def _line_row(
    line: StatementLine, account: str, statement_id: int, file_id: int, now: Any
) -> tuple[Any, ...]:
    counterparty = line.counterparty
    return (
        statement_id,
        account,
        line.import_id,
        decimal_parameter(line.amount),
        date_parameter(line.booking_date),
        date_parameter(line.value_date),
        line.status,
        line.bank_reference,
        line.customer_reference,
        line.end_to_end_id,
        line.uetr,
        line.transaction_code,
        counterparty.name if counterparty else None,
        counterparty.account if counterparty else None,
        counterparty.bank if counterparty else None,
        line.remittance,
        line.structured_reference,
        line.reversal,
        file_id,
        file_id,
        now,
    )


def _issue_row(issue: StatementIssue, file_id: int, attempt_id: int) -> tuple[Any, ...]:
    # segment: the physical line (or camt entry number); segment_id: the record or tag; loop_id: the
    # statement's 1-based index in the file. StatementIssue holds no amounts or names.
    return (
        attempt_id,
        file_id,
        issue.code,
        issue.severity,
        issue.message,
        issue.line,
        issue.record,
        None if issue.statement is None else str(issue.statement),
    )
