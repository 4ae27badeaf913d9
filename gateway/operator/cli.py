"""``edi-gateway files list`` and ``edi-gateway files show ID``: what the gateway received, for operators.

Both only read the staging database. Exit codes: ``list`` 0 (also when nothing matches); ``show`` 1 when the
file has errors or was quarantined or failed, 0 otherwise; both 2 on usage or configuration errors, an
unknown id, or a database that is missing or not migrated.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..staging.states import Outcome, Stage
from .context import EXIT_USAGE, config_option, operator_context
from .queries import DEFAULT_LIMIT, FileFilter, FileSummary, list_files, load_file_record
from .render import SHOWN_LINES, render_view
from .show import DEFAULT_CONTEXT, build_view, iso_utc, local_time, needs_attention, view_json

__all__ = ["files", "parse_since"]

EXIT_OK, EXIT_PROBLEMS = 0, 1
REASON_WIDTH = 40
_RELATIVE = re.compile(r"(\d+)\s*([smhdw])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
# The keys of a listed file in --json and the columns of --csv, in this order.
LIST_FIELDS = (
    "id",
    "received_at",
    "partner",
    "source",
    "name",
    "kind",
    "stage",
    "outcome",
    "transactions",
    "errors",
    "reason",
)


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """A moment in UTC from ISO 8601 (a date, or a date and time; local time unless it has an offset) or a
    time ago: ``30m``, ``2h``, ``3d``, ``1w`` (also ``s``). Raises ValueError for anything else."""
    text = text.strip()
    relative = _RELATIVE.fullmatch(text.lower())
    if relative is not None:
        amount, unit = int(relative.group(1)), relative.group(2)
        return (now or datetime.now(UTC)) - timedelta(**{_UNITS[unit]: amount})
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.astimezone()  # a local time, as the operator reads the clock
    return moment.astimezone(UTC)


def _since_option(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_since(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is neither an ISO date or time nor a time ago such as 30m, 2h or 3d"
        ) from None


@click.group("files")
def files() -> None:
    """The files the gateway received and what became of them."""


def _summary_json(row: FileSummary) -> dict[str, Any]:
    values = asdict(row)
    values["received_at"] = iso_utc(row.received_at)
    for key in ("kind", "stage", "outcome"):
        values[key] = None if values[key] is None else values[key].value
    return {key: values[key] for key in LIST_FIELDS}


def _shortened(text: str | None, width: int = REASON_WIDTH) -> str:
    if not text:
        return ""
    single = " ".join(text.split())
    return single if len(single) <= width else single[: width - 1] + "…"


def _print_table(rows: list[FileSummary]) -> None:
    console = Console(highlight=False)
    if not rows:
        console.print("no files match")
        return
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("received", no_wrap=True)
    for column in ("partner", "source", "name", "kind", "stage", "outcome"):
        table.add_column(column, overflow="fold")
    table.add_column("transactions", justify="right")
    table.add_column("errors", justify="right")
    table.add_column("reason", overflow="fold")
    for row in rows:
        outcome = row.outcome.value if row.outcome else "in progress"
        style = "red" if row.outcome in (Outcome.ERRORS, Outcome.QUARANTINED, Outcome.FAILED) else ""
        table.add_row(
            *(
                Text(value)
                for value in (
                    str(row.id),
                    local_time(row.received_at),
                    row.partner or "-",
                    row.source,
                    row.name,
                    row.kind.value,
                    row.stage.value,
                )
            ),
            Text(outcome, style=style),
            Text(str(row.transactions)),
            Text(str(row.errors), style="red" if row.errors else ""),
            Text(_shortened(row.reason)),
        )
    console.print(table)


@files.command("list")
@click.option(
    "--stage", type=click.Choice([stage.value for stage in Stage]), help="Only files at this stage."
)
@click.option(
    "--outcome",
    type=click.Choice([outcome.value for outcome in Outcome]),
    help="Only files with this outcome.",
)
@click.option("--partner", metavar="ID", help="Only files from this partner.")
@click.option(
    "--since",
    metavar="WHEN",
    callback=_since_option,
    help="Only files received since then: 2026-12-01, 2026-12-01T08:00, 30m, 2h, 3d.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=DEFAULT_LIMIT,
    show_default=True,
    help="At most this many files, the newest first (0: all).",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array (timestamps in UTC).")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV with a header row (timestamps in UTC).")
@config_option
def list_command(
    stage: str | None,
    outcome: str | None,
    partner: str | None,
    since: datetime | None,
    limit: int,
    as_json: bool,
    as_csv: bool,
    config_file: Path | None,
) -> None:
    """List received files, the newest first."""
    if as_json and as_csv:
        raise click.UsageError("--json and --csv exclude each other")
    file_filter = FileFilter(
        stage=Stage(stage) if stage else None,
        outcome=Outcome(outcome) if outcome else None,
        partner=partner,
        since=since,
        limit=limit or None,
    )
    with operator_context(config_file) as context, context.database.read() as connection:
        listing = list_files(connection, file_filter)
    if as_json:
        click.echo(json.dumps([_summary_json(row) for row in listing.files], indent=2, ensure_ascii=False))
    elif as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=LIST_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(_summary_json(row) for row in listing.files)
    else:
        _print_table(listing.files)
    if listing.more:
        click.echo(f"more files match: the newest {limit} are shown (--limit 0 shows all)", err=True)
    sys.exit(EXIT_OK)


@files.command("show")
@click.argument("file_id", metavar="ID", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the whole view as JSON (timestamps in UTC).")
@click.option(
    "--context",
    "context_size",
    type=click.IntRange(min=0),
    default=DEFAULT_CONTEXT,
    show_default=True,
    help="Segments shown before and after each faulty one.",
)
@config_option
def show_command(file_id: int, as_json: bool, context_size: int, config_file: Path | None) -> None:
    """Show one file: metadata, timeline, control numbers, documents, acknowledgements, and every error by
    segment and element with the raw segments around it (the faulty one marked). Bank files: their
    statements and lines (the first 50; --json all); catalogs: the version, its changes and rejected rows.

    Exit 1 when the file has errors or was quarantined or failed, 0 otherwise, 2 when there is no such file.
    """
    with operator_context(config_file) as context:
        with context.database.read() as connection:
            # The terminal shows the first lines of a bank file; --json all of them.
            record = load_file_record(connection, file_id, line_limit=None if as_json else SHOWN_LINES)
        if record is None:
            click.secho(f"no file {file_id}", fg="red", err=True)
            sys.exit(EXIT_USAGE)
        view = build_view(record, home=context.home, outbox=context.outbox, context=context_size)
    if as_json:
        click.echo(json.dumps(view_json(view), indent=2, ensure_ascii=False, default=str))
    else:
        render_view(view, Console(highlight=False))
    sys.exit(EXIT_PROBLEMS if needs_attention(view) else EXIT_OK)
