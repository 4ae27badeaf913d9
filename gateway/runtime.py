"""What every command that works on the gateway needs: its configuration and its database, or a clear exit.

Configuration problems are printed all at once with their file and key; a database that cannot be opened,
is missing or is not migrated (for a command that only reads) is said so; either way the command exits 2.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn, TypeVar

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from parsers.errors import EdiGatewayError, RetryableError

from .config import Configuration, ConfigurationProblems, load_configuration, mask_url
from .staging.database import Database, open_database

__all__ = [
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "EXIT_USAGE",
    "config_option",
    "fail",
    "load_or_exit",
    "open_or_exit",
    "tune_garbage_collector",
]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

F = TypeVar("F", bound=Callable[..., object])


def config_option(command: F) -> F:
    """``--config FILE``, as every command takes it."""
    return click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False, path_type=Path),
        help="The gateway file (default: $EDIGW_CONFIG, else <home>/config/gateway.toml when it exists).",
    )(command)


def tune_garbage_collector() -> None:
    """For a process that stages files: fewer, cheaper garbage collections, same memory bound.

    Staging allocates millions of short-lived containers per large file, and CPython's default young
    generation threshold (700) collects every few hundred of them: measured, about 20 ms per interchange of
    1,000 orders, a tenth of its staging time. The objects alive once start-up is done (modules,
    configuration, SQLAlchemy's metadata) are frozen out of every collection, and young collections run
    every 10,000 allocations. Cyclic garbage waits a little longer: measured, 4 MB more at the peak (50,000
    gained a little more time for 20 MB)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


def fail(message: str, details: list[str] | None = None, code: int = EXIT_USAGE) -> NoReturn:
    """Say what is wrong on stderr (never as markup: messages may quote names) and exit."""
    click.secho(message, fg="red", err=True)
    for line in details or []:
        click.echo(f"  {line}", err=True)
    sys.exit(code)


def load_or_exit(config_file: Path | None) -> Configuration:
    try:
        return load_configuration(config_file=config_file)
    except ConfigurationProblems as error:
        count = len(error.problems)
        fail(
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


def open_or_exit(configuration: Configuration, *, migrate: bool) -> Database:
    """Open the staging database. ``migrate``: bring it to the newest revision (the service, ``ingest``);
    otherwise (readers) it must exist and be at the newest revision already: a reader never creates one."""
    url = configuration.settings.database_url
    shown = mask_url(url)
    try:
        sqlite_file = _sqlite_file(url)
    except ArgumentError:
        fail(f"cannot read the database URL {shown}")
    if not migrate and sqlite_file is not None and not sqlite_file.is_file():
        fail(f"no staging database at {sqlite_file}: start the gateway or run `edi-gateway db upgrade`")
    try:
        database = open_database(url)
    except (ArgumentError, ValueError):
        fail(f"cannot read the database URL {shown}")
    except ImportError as error:
        fail(f"no driver for the database {shown}: {error.name}")
    try:
        if migrate:
            database.upgrade()
            return database
        current, head = database.current_revision(), database.head_revision()
    except RetryableError as error:
        database.dispose()
        fail(f"the staging database {shown} is not available now: {error}")
    except EdiGatewayError as error:
        database.dispose()
        fail(f"cannot use the staging database {shown}: {error}")
    if current != head:
        database.dispose()
        state = f"at revision {current}" if current else "not migrated"
        fail(
            f"the staging database {shown} is {state} (this version needs {head})",
            ["run `edi-gateway db upgrade`"],
        )
    return database
