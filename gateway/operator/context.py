"""What every read-only operator command starts with: the configuration and the staging database.

``operator_context(config_file)`` loads the configuration the way ``config check`` does (``--config FILE``,
else ``$EDIGW_CONFIG``, else discovery under the home), opens the database without migrating it, and checks
that it exists and is at the newest revision. Anything in the way is printed to stderr and ends the command
with exit code 2: a reader never creates or upgrades a database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from parsers.errors import EdiGatewayError

from ..config import Configuration, mask_url
from ..runtime import EXIT_USAGE, config_option, fail, load_or_exit, open_or_exit
from ..staging.database import Database

__all__ = ["EXIT_USAGE", "OperatorContext", "config_option", "operator_context"]


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


@contextmanager
def operator_context(config_file: Path | None) -> Iterator[OperatorContext]:
    """The configuration and the open database, disposed afterwards; exits 2 when either is unusable."""
    configuration = load_or_exit(config_file)
    database = open_or_exit(configuration, migrate=False)
    try:
        yield OperatorContext(configuration, database)
    except EdiGatewayError as error:  # the database went away, or is locked for longer than we wait
        fail(f"cannot read the staging database {mask_url(configuration.settings.database_url)}: {error}")
    finally:
        database.dispose()
