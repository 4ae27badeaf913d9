"""What every command that works on the gateway needs: its configuration and its database, or a clear exit.

Configuration problems are printed all at once with their file and key, and the command exits 2; a
database that cannot be opened or migrated exits 2 as well (a retryable cause is said to be one).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click
from rich.console import Console

from parsers.errors import EdiGatewayError, RetryableError

from .config import Configuration, ConfigurationProblems, load_configuration, mask_url
from .staging.database import Database, open_database

__all__ = ["EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "ConfigOption", "load_or_exit", "open_or_exit"]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

_err = Console(stderr=True)

ConfigOption = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The gateway file (default: $EDIGW_CONFIG, else <home>/config/gateway.toml when it exists).",
)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    _err.print(message, markup=False, highlight=False)
    sys.exit(code)


def load_or_exit(config_file: Path | None) -> Configuration:
    try:
        return load_configuration(config_file=config_file)
    except ConfigurationProblems as error:
        lines = [f"{problem.source}: {problem.key}: {problem.message}" for problem in error.problems]
        fail("the configuration has problems:\n" + "\n".join(f"  {line}" for line in lines))


def open_or_exit(configuration: Configuration, *, migrate: bool = True) -> Database:
    """Open the staging database (migrating it to the newest revision unless ``migrate`` is False)."""
    url = configuration.settings.database_url
    try:
        database = open_database(url)
        if migrate:
            database.upgrade()
    except RetryableError as error:
        fail(f"the staging database {mask_url(url)} is not available now: {error}")
    except EdiGatewayError as error:
        fail(f"cannot use the staging database {mask_url(url)}: {error}")
    except ImportError as error:
        fail(f"no driver for the staging database {mask_url(url)}: {error.name}")
    return database
