"""Configuration errors: every problem of every file reported at once, each with where it is.

Added to the project's tree (``parsers/errors.py``)::

    EdiGatewayError
    └── FatalError
        └── ConfigurationError
            ├── ConfigurationProblems   the gateway file, the environment or a partner file is invalid
            └── SecretUnavailableError  a referenced secret cannot be read when it is needed

Messages name keys and what is expected, never the values of secrets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from parsers.errors import ConfigurationError

__all__ = ["ENVIRONMENT", "ConfigProblem", "ConfigurationProblems", "SecretUnavailableError", "source_name"]

ENVIRONMENT = "environment"


def source_name(path: Path) -> str:
    """How a file is named in problems: relative to the current directory when it is inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One mistake: in which file (or "environment"), at which dotted key, and what is expected."""

    source: str
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.key}: {self.message}" if self.key else f"{self.source}: {self.message}"

    def to_json(self) -> dict[str, str]:
        return asdict(self)


class ConfigurationProblems(ConfigurationError):
    """The configuration is invalid; ``problems`` lists every mistake found, in file order."""

    def __init__(self, problems: Iterable[ConfigProblem]):
        self.problems = list(problems)
        count = len(self.problems)
        heading = f"{count} configuration problem{'s' if count != 1 else ''}"
        super().__init__("\n".join([heading + ":", *(f"  {problem}" for problem in self.problems)]))


class SecretUnavailableError(ConfigurationError):
    """A secret's environment variable is unset or its file is missing, unreadable or too open."""
