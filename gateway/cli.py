"""The ``edi-gateway`` command line.

Exit codes: 0 the input is clean, 1 it holds errors (reported), 2 it cannot be read or bad arguments.
"""

from __future__ import annotations

import json
import sys
import tomllib
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import click
from rich.console import Console
from rich.table import Table

from emitters.x12.acks import SequentialControlNumbers, write_acknowledgements
from parsers.errors import EdiGatewayError
from parsers.x12.parse import ParseResult, parse_x12

from . import __version__
from .commands import ingest, reprocess, run
from .config.cli import config as config_commands
from .operator.cli import files
from .staging.cli import db

EXIT_CLEAN, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2

_err = Console(stderr=True)


GuideOption = click.option(
    "--guide",
    "guide_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A partner file (TOML) whose [companion_guide] tightens or relaxes the specifications.",
)


def _load_guides(path: Path | None) -> Mapping[str, Mapping[str, Any]] | None:
    if path is None:
        return None
    try:
        with path.open("rb") as stream:
            document = tomllib.load(stream)
    except (OSError, tomllib.TOMLDecodeError) as error:
        _err.print(f"[red]cannot read the companion guide {path.name}:[/red] {error}")
        sys.exit(EXIT_UNREADABLE)
    guides = document.get("companion_guide", {})
    if not isinstance(guides, dict):
        _err.print(f"[red]{path.name}: companion_guide must be a table of transaction sets[/red]")
        sys.exit(EXIT_UNREADABLE)
    return guides


def _read_or_exit(path: Path, guide_path: Path | None = None) -> ParseResult:
    guides = _load_guides(guide_path)
    try:
        return parse_x12(path, companion_guides=guides)
    except EdiGatewayError as error:
        _err.print(f"[red]cannot read {path.name}:[/red] {error}")
        sys.exit(EXIT_UNREADABLE)
    except OSError as error:
        _err.print(f"[red]cannot open {path.name}:[/red] {error.strerror}")
        sys.exit(EXIT_UNREADABLE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="edi-gateway")
def main() -> None:
    """edi-gateway: X12 EDI, bank statements and supplier catalogs in and out of Odoo."""


main.add_command(db)


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--json", "as_json", is_flag=True, help="Print the full result as JSON (the documented contract)."
)
@click.option("--summary", is_flag=True, help="Print counts only.")
@GuideOption
def parse(path: Path, as_json: bool, summary: bool, guide_path: Path | None) -> None:
    """Read an X12 file: envelopes, transaction sets, documents and every error with its position."""
    if as_json and summary:
        raise click.UsageError("--json and --summary exclude each other")
    result = _read_or_exit(path, guide_path)
    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    elif summary:
        counts = result.summary()
        click.echo(" ".join(f"{name}={value}" for name, value in counts.items()))
    else:
        _print_table(result, path)
    sys.exit(EXIT_ERRORS if result.error_count else EXIT_CLEAN)


def _print_table(result: ParseResult, path: Path) -> None:
    console = Console()
    table = Table(title=path.name)
    for column in ("interchange", "group", "set", "control", "segments", "document", "errors"):
        table.add_column(column)
    for interchange in result.interchanges:
        for group in interchange.groups:
            for transaction in group.transactions:
                document = type(transaction.document).__name__ if transaction.document is not None else "-"
                table.add_row(
                    interchange.control_number,
                    f"{group.header.functional_id} {group.header.control_number}",
                    transaction.set_id,
                    transaction.control_number,
                    str(transaction.segment_count),
                    document,
                    str(sum(1 for i in transaction.issues if i.severity == "error")),
                )
    console.print(table)
    for issue in result.all_issues:
        where = ", ".join(
            f"{name} {value}"
            for name, value in (
                ("interchange", issue.interchange),
                ("group", issue.group),
                ("transaction", issue.transaction),
                ("segment", issue.segment),
                ("element", issue.element),
            )
            if value is not None
        )
        colour = "red" if issue.severity == "error" else "yellow"
        console.print(f"[{colour}]{issue.code}[/{colour}] {issue.message}" + (f" ({where})" if where else ""))


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "kind",
    type=click.Choice(["auto", "997", "999", "ta1"]),
    default="auto",
    show_default=True,
    help="auto: 999 for 005010 and later, 997 before, plus a TA1 when asked for or needed.",
)
@GuideOption
def ack(path: Path, kind: Literal["auto", "997", "999", "ta1"], guide_path: Path | None) -> None:
    """Print the acknowledgement(s) the gateway would send for an X12 file."""
    result = _read_or_exit(path, guide_path)
    now = datetime.now(UTC)
    numbers = SequentialControlNumbers(start=1)
    written = 0
    for interchange in result.interchanges:
        try:
            text = write_acknowledgements(
                interchange,
                kind=kind,
                sender=None,
                receiver=None,
                control_numbers=numbers,
                date=now.strftime("%Y%m%d"),
                time=now.strftime("%H%M"),
                separators=None,
                usage=None,
            )
        except EdiGatewayError as error:
            _err.print(f"[red]cannot acknowledge interchange {interchange.index}:[/red] {error}")
            sys.exit(EXIT_UNREADABLE)
        if text:
            click.echo(text, nl=not text.endswith("\n"))
            written += 1
    if not written:
        _err.print("nothing to acknowledge (acknowledgements are never acknowledged)")
    sys.exit(EXIT_ERRORS if result.error_count else EXIT_CLEAN)


main.add_command(config_commands)
files.add_command(reprocess)
main.add_command(files)
main.add_command(run)
main.add_command(ingest)
