"""``edi-gateway parse PATH``: read any file the gateway receives, as the gateway would, and show the result.

The format comes from the file's first bytes (``--format auto``): X12, OFX, camt.052/053/054, BAI2 or
MT940. A CSV catalog has no signature: ``--mapping PARTNER.toml`` names the partner file whose [catalog]
table says how to read it, and implies ``--format catalog``.

Exit codes: 0 clean (warnings allowed), 1 errors found (X12 errors, statement issues of severity "error",
rejected catalog rows), 2 the file cannot be read (unknown format, compressed, broken, refused as unsafe),
the partner file is invalid, or the arguments are wrong. Messages name files, formats and positions, never
what the file holds.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Final, Literal, NoReturn, get_args

import click

from parsers.bank import parse_statements
from parsers.catalog import parse_catalog
from parsers.detect import detect_file_format
from parsers.documents.bank_statement import StatementFormat
from parsers.errors import EdiGatewayError, NotX12Error
from parsers.x12.parse import ParseResult, parse_x12

from .config import ConfigurationProblems, load_partner_file
from .parse_render import (
    bank_json,
    bank_summary,
    catalog_json,
    catalog_summary,
    print_bank_table,
    print_catalog_table,
    print_x12_table,
    summary_line,
)
from .received_format import COMPRESSED_MESSAGE, compression_of, read_head
from .runtime import fail
from .x12_input import GuideOption, load_guides, read_x12_or_exit

__all__ = ["FORMAT_CHOICES", "parse"]

EXIT_CLEAN, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2

FormatChoice = Literal["auto", "x12", "ofx", "camt", "bai2", "mt940", "catalog"]
FORMAT_CHOICES: Final = get_args(FormatChoice)
Output = Literal["json", "summary", "table"]
# The reader chosen for a file; "unknown": no signature in its first bytes.
ReadAs = Literal["x12", "catalog", "unknown"] | StatementFormat
KNOWN_FORMATS: Final = "X12, OFX, camt.052/053/054, BAI2 or MT940"


@click.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--json", "as_json", is_flag=True, help="Print the full result as JSON (the documented contract)."
)
@click.option("--summary", is_flag=True, help="Print counts only.")
@click.option(
    "--format",
    "format_choice",
    type=click.Choice(FORMAT_CHOICES),
    default="auto",
    show_default=True,
    help="auto: by the file's first bytes (a CSV catalog needs --mapping).",
)
@click.option(
    "--mapping",
    "mapping_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A partner file (TOML) with a [catalog] table: how to read the catalog (implies --format catalog).",
)
@GuideOption
def parse(
    path: Path,
    as_json: bool,
    summary: bool,
    format_choice: FormatChoice,
    mapping_path: Path | None,
    guide_path: Path | None,
) -> None:
    """Read an X12 file, a bank statement or a catalog: what it holds and every error with its position."""
    if as_json and summary:
        raise click.UsageError("--json and --summary exclude each other")
    if mapping_path is not None and format_choice not in ("auto", "catalog"):
        raise click.UsageError(f"--mapping is for catalogs, not --format {format_choice}")
    if format_choice == "catalog" and mapping_path is None:
        raise click.UsageError("a catalog is read with its partner's mapping: give --mapping PARTNER.toml")
    output: Output = "json" if as_json else "summary" if summary else "table"
    read_as = _read_as(path, format_choice, catalog=mapping_path is not None)
    if guide_path is not None and read_as not in ("x12", "unknown"):
        raise click.UsageError(f"--guide is for X12 files; {path.name} is read as {read_as}")
    if read_as == "catalog":
        assert mapping_path is not None
        _parse_catalog(path, mapping_path, output)
    elif read_as == "x12":
        _show_x12(read_x12_or_exit(path, guide_path), path, output)
    elif read_as == "unknown":
        _parse_unknown(path, guide_path, output)
    else:
        _parse_bank(path, read_as, output)


def _read_as(path: Path, choice: FormatChoice, *, catalog: bool) -> ReadAs:
    """The reader for the file: the one chosen, else the format its first bytes show."""
    try:
        head = read_head(path)
    except OSError as error:
        _unreadable(f"cannot open {path.name}: {error.strerror}")
    if compression_of(head) is not None:
        _unreadable(f"cannot read {path.name}: {COMPRESSED_MESSAGE}")
    if catalog:
        return "catalog"
    if choice in ("x12", "ofx", "bai2", "mt940"):
        return choice
    detected = detect_file_format(head)
    if choice == "camt":
        if detected is None or not detected.startswith("camt."):
            _unreadable(f"cannot read {path.name}: not camt (no camt.052, 053 or 054 namespace at its start)")
        return detected
    return detected if detected is not None else "unknown"


def _show_x12(result: ParseResult, path: Path, output: Output) -> NoReturn:
    if output == "json":
        _echo_json(result.to_json())
    elif output == "summary":
        click.echo(summary_line(result.summary()))
    else:
        print_x12_table(result, path)
    sys.exit(EXIT_ERRORS if result.error_count else EXIT_CLEAN)


def _parse_bank(path: Path, statement_format: StatementFormat, output: Output) -> NoReturn:
    try:
        result = parse_statements(path, format=statement_format)
    except EdiGatewayError as error:  # StatementError, UnsafeInputError (an XML DOCTYPE, too large)
        _unreadable(f"cannot read {path.name} as {statement_format}: {error}")
    except OSError as error:
        _unreadable(f"cannot open {path.name}: {error.strerror}")
    if output == "json":
        _echo_json(bank_json(result))
    elif output == "summary":
        click.echo(summary_line({"format": result.format, **bank_summary(result)}))
    else:
        print_bank_table(result, path)
    sys.exit(EXIT_ERRORS if result.error_count else EXIT_CLEAN)


def _parse_unknown(path: Path, guide_path: Path | None, output: Output) -> NoReturn:
    """No signature in the first bytes: X12 is still tried, since its reader accepts prose of any length
    before the ISA (``parse`` read such files before it read anything else)."""
    guides = load_guides(guide_path)
    try:
        result = parse_x12(path, companion_guides=guides)
    except NotX12Error:
        _unreadable(
            f"cannot read {path.name}: not a known format ({KNOWN_FORMATS} by its first bytes); "
            "a CSV catalog is read with --mapping PARTNER.toml"
        )
    except EdiGatewayError as error:
        _unreadable(f"cannot read {path.name}: {error}")
    except OSError as error:
        _unreadable(f"cannot open {path.name}: {error.strerror}")
    _show_x12(result, path, output)


def _parse_catalog(path: Path, mapping_path: Path, output: Output) -> NoReturn:
    try:
        partner = load_partner_file(mapping_path)
    except ConfigurationProblems as error:
        count = len(error.problems)
        fail(
            f"{mapping_path.name}: {count} configuration problem{'s' if count != 1 else ''}",
            [str(problem) for problem in error.problems],
        )
    mapping = partner.catalog_mapping()
    if mapping is None:
        fail(f"{mapping_path.name}: no [catalog] table, so no mapping to read a catalog with")
    try:
        catalog = parse_catalog(path, mapping)
    except EdiGatewayError as error:  # CatalogError: empty, undecodable, no header, broken quoting
        _unreadable(f"cannot read {path.name} as a catalog of {partner.id}: {error}")
    except OSError as error:
        _unreadable(f"cannot open {path.name}: {error.strerror}")
    if output == "json":
        _echo_json(catalog_json(catalog))
    elif output == "summary":
        click.echo(summary_line({"format": "catalog", **catalog_summary(catalog)}))
    else:
        print_catalog_table(catalog, path)
    sys.exit(EXIT_ERRORS if catalog.rejected else EXIT_CLEAN)


def _echo_json(data: dict[str, Any]) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _unreadable(message: str) -> NoReturn:
    fail(message, code=EXIT_UNREADABLE)
