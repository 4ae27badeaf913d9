"""``edi-gateway db``: migrate the staging database and say which revision it is at.

Exit codes: 0 ok, 1 problems found (not at the newest revision, database unavailable), 2 usage or
configuration error (a URL that cannot be read).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from parsers.errors import EdiGatewayError

from ..runtime import config_option

if TYPE_CHECKING:
    from .database import Database

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

_err = Console(stderr=True)

DatabaseUrlOption = click.option(
    "--database-url",
    "database_url",
    metavar="URL",
    help="sqlite:///PATH or postgresql+psycopg://... (default: the configuration's database_url).",
)


def resolve_database_url(explicit: str | None, config_file: Path | None = None) -> str:
    """The database URL: the option, else the configuration's (its file, ``EDIGW_DATABASE_URL``, or the
    embedded default ``<home>/var/staging.db``)."""
    if explicit:
        return explicit
    from ..runtime import load_or_exit  # here: the configuration is not needed when a URL is given

    return load_or_exit(config_file).settings.database_url


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _open(database_url: str | None, config_file: Path | None) -> tuple[Database, str]:
    from .database import open_database  # here: `edi-gateway parse` need not load SQLAlchemy

    url = resolve_database_url(database_url, config_file)
    try:
        return open_database(url), _shown(url)
    except (ArgumentError, ValueError) as error:
        raise click.UsageError(f"cannot read the database URL: {error}") from None
    except ImportError as error:
        _err.print(f"[red]no driver for this database:[/red] {error.name}")
        sys.exit(EXIT_USAGE)


@click.group("db")
def db() -> None:
    """The staging database: migrations."""


@db.command()
@DatabaseUrlOption
@config_option
def upgrade(database_url: str | None, config_file: Path | None) -> None:
    """Create or migrate the staging database to the newest revision."""
    database, shown = _open(database_url, config_file)
    try:
        before = database.current_revision()
        database.upgrade()
        after = database.current_revision()
    except EdiGatewayError as error:
        _err.print(f"[red]cannot upgrade {shown}:[/red] {error}")
        sys.exit(EXIT_PROBLEMS)
    finally:
        database.dispose()
    if before == after:
        click.echo(f"{shown}: already at {after}")
    else:
        click.echo(f"{shown}: upgraded from {before or 'an empty database'} to {after}")


@db.command()
@DatabaseUrlOption
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print the revisions as JSON.")
def current(database_url: str | None, config_file: Path | None, as_json: bool) -> None:
    """Show the database's revision and the newest one; exit 1 when they differ."""
    database, shown = _open(database_url, config_file)
    try:
        revision = database.current_revision()
        head = database.head_revision()
    except EdiGatewayError as error:
        _err.print(f"[red]cannot read {shown}:[/red] {error}")
        sys.exit(EXIT_PROBLEMS)
    finally:
        database.dispose()
    if as_json:
        click.echo(
            json.dumps({"database": shown, "current": revision, "head": head, "up_to_date": revision == head})
        )
    else:
        state = "up to date" if revision == head else "needs `edi-gateway db upgrade`"
        click.echo(f"{shown}: {revision or 'empty (no revision)'} (newest {head}): {state}")
    sys.exit(EXIT_OK if revision == head else EXIT_PROBLEMS)
