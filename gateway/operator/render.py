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

from ..staging.states import AckDirection
from .queries import FileRecord, IssueEntry
from .segments import SegmentWindow
from .show import FileView, IssueView, OriginalState, local_time

__all__ = ["render_view"]


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
        if index == 0 or key is None or key != keys[index - 1]:
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
    _acknowledgements(console, view)
    _issues(console, view)
