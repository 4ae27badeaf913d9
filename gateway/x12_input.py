"""An X12 file for ``parse`` and ``ack``: the ``--guide`` option, and the file read or a clear exit 2."""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from parsers.detect import detect_file_format
from parsers.errors import EdiGatewayError
from parsers.x12.parse import ParseResult, parse_x12

from .received_format import COMPRESSED_MESSAGE, compression_of, read_head
from .runtime import fail

__all__ = ["EXIT_UNREADABLE", "GuideOption", "load_guides", "read_x12_or_exit", "refuse_unless_x12"]

EXIT_UNREADABLE = 2

_err = Console(stderr=True)

GuideOption = click.option(
    "--guide",
    "guide_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A partner file (TOML) whose [companion_guide] tightens or relaxes the specifications.",
)


def load_guides(path: Path | None) -> Mapping[str, Mapping[str, Any]] | None:
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


def read_x12_or_exit(path: Path, guide_path: Path | None = None) -> ParseResult:
    guides = load_guides(guide_path)
    try:
        return parse_x12(path, companion_guides=guides)
    except EdiGatewayError as error:
        _err.print(f"[red]cannot read {path.name}:[/red] {error}")
        sys.exit(EXIT_UNREADABLE)
    except OSError as error:
        _err.print(f"[red]cannot open {path.name}:[/red] {error.strerror}")
        sys.exit(EXIT_UNREADABLE)


def refuse_unless_x12(path: Path, command: str) -> None:
    """Exit 2 with a clear message when ``path`` is compressed or in a known format other than X12."""
    try:
        head = read_head(path)
    except OSError as error:
        fail(f"cannot open {path.name}: {error.strerror}", code=EXIT_UNREADABLE)
    if compression_of(head) is not None:
        fail(f"cannot read {path.name}: {COMPRESSED_MESSAGE}", code=EXIT_UNREADABLE)
    detected = detect_file_format(head)
    if detected is not None and detected != "x12":
        message = f"{command}: {path.name} is {detected}, not X12: only X12 interchanges are acknowledged"
        fail(message, code=EXIT_UNREADABLE)
