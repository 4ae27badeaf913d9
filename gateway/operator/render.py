"""``files show`` on the terminal: the view of ``show.build_view`` printed with rich.

Everything that comes from a file or a partner is printed as ``rich.text.Text`` (never as markup, so that a
``[`` in a name stays a ``[``), and raw segments are display-safe already (``segments.display_safe``). The
faulty element is shown reversed in red and, for terminals without colour, with a caret line under it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..staging.states import AckDirection, FileKind
from .queries import BANK_FILE_KINDS, FileRecord, IssueEntry
from .segments import SegmentWindow
from .show import FileView, IssueView, OriginalState, local_time

__all__ = ["SHOWN_LINES", "render_view"]

SHOWN_LINES = 50  # bank lines and rejected catalog rows printed on the terminal (--json: all)


def _table(*columns: str) -> Table:
    table = Table(box=box.SIMPLE_HEAD)
    for column in columns:
        table.add_column(column, overflow="fold")  # control numbers are never cut short
    return table


def _row(table: Table, *values: str) -> None:
    table.add_row(*(Text(value) for value in values))


def _heading(console: Console, title: str) -> None:
    console.print()
    console.print(Text(title, style="bold underline"))


def _metadata(console: Console, view: FileView) -> None:
    file, record = view.record.file, view.record
    console.print(Text(f"File {file.id}: {file.original_name}", style="bold"))
    rows = [
        ("source", file.source),
        ("partner", file.partner_id or "-"),
        ("kind", file.kind.value),
        ("size", f"{file.size_bytes:,} bytes"),
        ("sha256", file.sha256),
        ("received", local_time(file.received_at)),
        ("stage", file.stage.value),
        ("outcome", file.outcome.value if file.outcome else "in progress"),
        ("reason", file.reason or "-"),
        ("stored at", str(view.stored_at) if view.stored_at else "not stored yet"),
    ]
    if view.original not in (OriginalState.AVAILABLE, OriginalState.NOT_STORED) and view.original_note:
        rows.append(("original", view.original_note))
    if file.duplicate_of_id is not None:
        rows.append(("duplicate of", f"file {file.duplicate_of_id}"))
    if record.duplicates:
        rows.append(("duplicates", ", ".join(f"file {number}" for number in record.duplicates)))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim")
    grid.add_column()
    for label, value in rows:
        _row(grid, label, value)
    console.print(grid)


def _timeline(console: Console, record: FileRecord) -> None:
    # (when, order among entries of the same instant, text): an attempt starts, its events, it finishes.
    entries: list[tuple[datetime, int, str]] = []
    for attempt in record.attempts:
        parent = record.attempt_number(attempt.parent_id)
        of_parent = f" of attempt {parent}" if parent is not None else ""
        entries.append(
            (attempt.started_at, 0, f"attempt {attempt.number} started ({attempt.trigger.value}{of_parent})")
        )
        if attempt.finished_at is not None:  # its verdict; moving the original may follow
            outcome = attempt.outcome.value if attempt.outcome else "-"
            reason = f" ({attempt.reason})" if attempt.reason else ""
            entries.append((attempt.finished_at, 2, f"attempt {attempt.number} finished: {outcome}{reason}"))
    for event in record.events:
        details = " ".join(f"{key}={value}" for key, value in (event.details or {}).items())
        entries.append((event.at, 1, f"{event.event.value} {details}".rstrip()))
    _heading(console, "Timeline")
    for at, _, text in sorted(entries, key=lambda entry: (entry[0], entry[1])):
        console.print(Text(f"  {local_time(at)}  {text}"))


def _envelopes(console: Console, record: FileRecord) -> None:
    """One row per transaction set (or per group or interchange without any), with every status."""
    if not record.interchanges:
        return
    attempt = record.attempt.number if record.attempt else "-"
    _heading(console, f"Interchanges, groups and transaction sets (attempt {attempt})")
    table = _table("interchange", "status", "group", "status", "set", "control", "segments", "status")
    for interchange in record.interchanges:
        envelope = (interchange.control_number, interchange.status.value)
        groups = [row for row in record.groups if row.interchange_id == interchange.id]
        outside = [
            row
            for row in record.transactions
            if row.group_id is None and row.interchange_id == interchange.id
        ]
        if not groups and not outside:
            _row(table, *envelope, "", "", "", "", "", "")
        for group in groups:
            group_cells = (
                f"{group.functional_id} {group.control_number}",
                f"{group.status} {group.accepted_count}/{group.received_count}",
            )
            transactions = [row for row in record.transactions if row.group_id == group.id]
            if not transactions:
                _row(table, *envelope, *group_cells, "", "", "", "")
            for transaction in transactions:
                counts = (transaction.control_number, str(transaction.segment_count), transaction.status)
                _row(table, *envelope, *group_cells, transaction.set_id, *counts)
        for transaction in outside:
            counts = (transaction.control_number, str(transaction.segment_count), transaction.status)
            _row(table, *envelope, "(none)", "", transaction.set_id, *counts)
    console.print(table)


def _documents(console: Console, record: FileRecord) -> None:
    if not record.documents:
        return
    _heading(console, "Documents")
    numbers = {row.id: row.control_number for row in record.transactions}
    table = _table("kind", "number", "order", "date", "lines", "transaction")
    for document in record.documents:
        _row(
            table,
            document.kind.value,
            document.number or "-",
            document.order_number or "-",
            document.document_date.isoformat() if document.document_date else "-",
            str(document.line_count),
            numbers.get(document.transaction_id, "-") if document.transaction_id is not None else "-",
        )
    console.print(table)


def _money(value: object) -> str:
    return "-" if value is None else f"{value}"


def _statements(console: Console, record: FileRecord) -> None:
    if record.file.kind not in BANK_FILE_KINDS:
        return
    attempt = record.attempt.number if record.attempt else "-"
    _heading(console, f"Statements (attempt {attempt})")
    table = _table("#", "format", "account", "currency", "period", "opening", "closing", "lines", "new",
                   "known", "upgraded")  # fmt: skip
    for statement in record.statements:
        start, end = statement.period_start, statement.period_end
        period = " to ".join(day.isoformat() for day in (start, end) if day is not None) or "-"
        _row(
            table,
            str(statement.ordinal),
            statement.format,
            statement.account,
            statement.currency,
            period,
            _money(statement.opening_balance),
            _money(statement.closing_balance),
            str(statement.line_count),
            str(statement.lines_new),
            str(statement.lines_known),
            str(statement.lines_upgraded),
        )
    console.print(table)
    total = record.bank_line_total
    shown = len(record.bank_lines)
    _heading(console, f"Lines: {total} brought first or delivered last by this file")
    if not shown:
        return
    table = _table("account", "status", "booked", "value", "amount", "bank reference", "counterparty", "here")
    for line in record.bank_lines:
        _row(
            table,
            line.account,
            line.status.value,
            line.booking_date.isoformat() if line.booking_date else "-",
            line.value_date.isoformat() if line.value_date else "-",
            _money(line.amount),
            line.bank_reference or line.customer_reference or "-",
            line.counterparty_name or "-",
            "new" if line.first_seen_file_id == record.file.id else f"known (file {line.first_seen_file_id})",
        )
    console.print(table)
    if shown < total:
        console.print(Text(f"  {total - shown} more lines: --json shows them all", style="dim"))


def _catalog(console: Console, record: FileRecord) -> None:
    if record.file.kind is not FileKind.CATALOG:
        return
    for version in record.catalog_versions:
        _heading(console, f"Catalog version {version.number} of {version.partner_id}")
        previous = "none (first version)" if version.previous_version_id is None else "the partner's previous"
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim")
        grid.add_column()
        for label, value in (
            ("items", str(version.item_count)),
            ("rejected rows", str(version.rejected_count)),
            ("compared with", previous),
            ("encoding", version.encoding or "-"),
            ("delimiter", repr(version.delimiter) if version.delimiter else "-"),
        ):
            _row(grid, label, value)
        console.print(grid)
    if record.catalog_changes:
        _heading(console, "Changes")
        table = _table("kind", "rows")
        for kind, count in record.catalog_changes.items():
            _row(table, kind, str(count))
        console.print(table)
    if record.rejected_rows:
        _heading(console, f"Rejected rows: {len(record.rejected_rows)}")
        table = _table("line", "reason", "column")
        for row in record.rejected_rows[:SHOWN_LINES]:
            _row(table, str(row.line), row.reason, row.column or "-")
        console.print(table)
        if len(record.rejected_rows) > SHOWN_LINES:
            more = len(record.rejected_rows) - SHOWN_LINES
            console.print(Text(f"  {more} more rejected rows: --json shows them all", style="dim"))


def _acknowledgements(console: Console, view: FileView) -> None:
    for direction in AckDirection:
        acks = [ack for ack in view.record.acknowledgements if ack.direction is direction]
        if not acks:
            continue
        _heading(console, f"Acknowledgements {direction.value}")
        table = _table("kind", "control", "acknowledges", "verdict", "status", "path")
        for ack in acks:
            controls = (
                ack.interchange_control_number,
                ack.group_control_number,
                ack.transaction_control_number,
            )
            acknowledged = (ack.acknowledged_interchange, ack.acknowledged_group)
            _row(
                table,
                ack.kind.value,
                " / ".join(number for number in controls if number) or "-",
                " / ".join(number for number in acknowledged if number) or "-",
                ack.verdict or "-",
                ack.status.value,
                str(view.outbox / ack.path) if ack.path else "-",
            )
        console.print(table)


def _where_in_file(issue: IssueEntry, kind: FileKind) -> str:
    """Where a bank or catalog issue is: line, record or column, statement (see VIEWS.md)."""
    parts = []
    if issue.segment is not None:
        parts.append(f"line {issue.segment}")
    if issue.segment_id is not None:
        parts.append(f"{'column' if kind is FileKind.CATALOG else 'record'} {issue.segment_id}")
    if issue.loop_id is not None:
        parts.append(f"statement {issue.loop_id}")
    return ", ".join(parts) or "the file"


def _where(view: IssueView) -> str:
    issue, position = view.issue, view.position
    parts = []
    if view.interchange is not None:
        parts.append(f"interchange {view.interchange}")
    if view.group is not None:
        parts.append(f"group {view.group}")
    if view.transaction is not None:
        parts.append(f"transaction set {view.set_id} {view.transaction}")
    if issue.segment is not None:
        parts.append(f"segment {issue.segment} {issue.segment_id or ''}".rstrip())
        if position is not None and view.transaction is not None:
            parts[-1] += f" (segment {position.segment} of the interchange)"
    return ", ".join(parts) or "the file"


def _issue_line(issue: IssueEntry) -> Text:
    line = Text("    ")
    line.append(issue.code, style="red" if issue.severity == "error" else "yellow")
    line.append(f" {issue.message}")
    where = [
        f"{name} {value}"
        for name, value in (
            ("element", issue.element),
            ("component", issue.component),
            ("repetition", issue.repetition),
            ("loop", issue.loop_id),
        )
        if value is not None
    ]
    if where:
        line.append(f" ({', '.join(where)})", style="dim")
    return line


def _segment_lines(window: SegmentWindow) -> Iterator[Text]:
    width = len(str(window.segments[-1].ordinal)) if window.segments else 1
    for segment in window.segments:
        gutter = f"    {'>' if segment.faulty else ' '} {segment.ordinal:>{width}}  "
        line = Text(gutter, style="bold red" if segment.faulty else "dim")
        body = Text(segment.text, style="bold" if segment.faulty else "")
        for start, end in segment.marks:
            body.stylize("reverse red", start, max(end, start + 1))
        line.append_text(body)
        yield line
        if segment.marks:
            carets = ""
            for start, end in segment.marks:
                offset = cell_len(segment.text[:start])
                carets = carets.ljust(offset) + "^" * max(cell_len(segment.text[start:end]), 1)
            yield Text(" " * len(gutter) + carets, style="red")


def _issues(console: Console, view: FileView) -> None:
    if not view.issues:
        return
    errors = view.record.error_count
    warnings = len(view.issues) - errors
    _heading(
        console, f"Issues: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    )
    if view.original_note and any(issue.position is not None for issue in view.issues):
        console.print(Text(f"  raw segments not shown: {view.original_note}", style="yellow"))
    windows = {(window.interchange, window.segment): window for window in view.windows}
    # Issues come in file order; those of one segment are listed together, then that segment's raw text.
    keys = [
        (view.position.interchange, view.position.segment) if view.position else None for view in view.issues
    ]
    for index, issue_view in enumerate(view.issues):
        key = keys[index]
        if view.record.file.kind is not FileKind.X12:
            where = _where_in_file(issue_view.issue, view.record.file.kind)
            console.print(Text(f"  {where}", style="bold"))
        elif index == 0 or key is None or key != keys[index - 1]:
            console.print(Text(f"  {_where(issue_view)}", style="bold"))
        console.print(_issue_line(issue_view.issue))
        last_of_segment = index + 1 == len(keys) or keys[index + 1] != key
        window = windows.get(key) if key is not None and last_of_segment else None
        if window is not None:
            for line in _segment_lines(window):
                console.print(line, soft_wrap=True)


def render_view(view: FileView, console: Console) -> None:
    """Metadata, timeline, envelopes, documents, acknowledgements, then every issue with its raw segments."""
    _metadata(console, view)
    _timeline(console, view.record)
    _envelopes(console, view.record)
    _documents(console, view.record)
    _statements(console, view.record)
    _catalog(console, view.record)
    _acknowledgements(console, view)
    _issues(console, view)
