"""What every read-only operator command starts with: the configuration and the staging database.

``operator_context(config_file)`` loads the configuration the way ``config check`` does (``--config FILE``,
else ``$EDIGW_CONFIG``, else discovery under the home), opens the database without migrating it, and checks
that it exists and is at the newest revision. Anything in the way is printed to stderr and ends the command
with exit code 2: a reader never creates or upgrades a database.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, TypeVar

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from parsers.errors import EdiGatewayError

from ..config import Configuration, ConfigurationProblems, load_configuration, mask_url
from ..staging.database import Database, open_database

__all__ = ["EXIT_USAGE", "OperatorContext", "config_option", "operator_context"]

EXIT_USAGE = 2

F = TypeVar("F", bound=Callable[..., object])


def config_option(command: F) -> F:
    """``--config FILE``, as ``config check`` takes it."""
    return click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False, path_type=Path),
        help="The gateway file (default: $EDIGW_CONFIG, else <home>/config/gateway.toml when it exists).",
    )(command)


@dataclass(frozen=True, slots=True)
class OperatorContext:
    configuration: Configuration
    database: Database

    @property
    def home(self) -> Path:
        return self.configuration.settings.home

    @property
    def outbox(self) -> Path:
        return self.configuration.settings.paths.outbox


def _fail(message: str, details: list[str] | None = None) -> NoReturn:
    click.secho(message, fg="red", err=True)
    for line in details or []:
        click.echo(f"  {line}", err=True)
    sys.exit(EXIT_USAGE)


def _load(config_file: Path | None) -> Configuration:
    try:
        return load_configuration(config_file=config_file)
    except ConfigurationProblems as error:
        count = len(error.problems)
        _fail(
            f"configuration invalid: {count} problem{'s' if count != 1 else ''}",
            [str(problem) for problem in error.problems],
        )


def _sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL (None: not SQLite, or in memory)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database)


def _open(url: str) -> Database:
    shown = mask_url(url)
    try:
        sqlite_file = _sqlite_file(url)
    except ArgumentError:
        _fail(f"cannot read the database URL {shown}")
    if sqlite_file is not None and not sqlite_file.is_file():
        # open_database would create it (and its folder): a reader must not.
        _fail(f"no staging database at {sqlite_file}: start the gateway or run `edi-gateway db upgrade`")
    try:
        database = open_database(url)
    except (ArgumentError, ValueError):
        _fail(f"cannot read the database URL {shown}")
    except ImportError as error:
        _fail(f"no driver for the database {shown}: {error.name}")
    try:
        current, head = database.current_revision(), database.head_revision()
    except EdiGatewayError as error:
        database.dispose()
        _fail(f"cannot read the staging database {shown}: {error}")
    if current != head:
        database.dispose()
        state = f"at revision {current}" if current else "not migrated"
        _fail(
            f"the staging database {shown} is {state} (this version needs {head})",
            ["run `edi-gateway db upgrade`"],
        )
    return database


@contextmanager
def operator_context(config_file: Path | None) -> Iterator[OperatorContext]:
    """The configuration and the open database, disposed afterwards; exits 2 when either is unusable."""
    configuration = _load(config_file)
    database = _open(configuration.settings.database_url)
    try:
        yield OperatorContext(configuration, database)
    except EdiGatewayError as error:  # the database went away, or is locked for longer than we wait
        _fail(f"cannot read the staging database {mask_url(configuration.settings.database_url)}: {error}")
    finally:
        database.dispose()
