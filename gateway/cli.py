"""The ``edi-gateway`` command line.

``parse`` reads X12, bank statements and catalogs (``parse_command``); ``ack`` X12 only. Exit codes: 0 the
input is clean, 1 it holds errors (reported), 2 it cannot be read or bad arguments.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import click
from rich.console import Console

from emitters.x12.acks import SequentialControlNumbers, write_acknowledgements
from parsers.errors import EdiGatewayError

from . import __version__
from .commands import ingest, reprocess, run
from .config.cli import config as config_commands
from .operator.cli import files
from .parse_command import parse
from .staging.cli import db
from .x12_input import GuideOption, read_x12_or_exit, refuse_unless_x12

EXIT_CLEAN, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2

_err = Console(stderr=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="edi-gateway")
def main() -> None:
    """edi-gateway: X12 EDI, bank statements and supplier catalogs in and out of Odoo."""


main.add_command(db)
main.add_command(parse)


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
    refuse_unless_x12(path, "ack")
    result = read_x12_or_exit(path, guide_path)
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
