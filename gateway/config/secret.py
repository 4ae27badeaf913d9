"""Secrets: named in the configuration, never written in it.

A secret ``password`` is given as ``password_env = "VARIABLE"`` (an environment variable) or
``password_file = "path"`` (a regular file with mode 0600 or stricter). A literal ``password = ...`` in a
file is refused. Values are read only at connection time, by ``resolve_secret``, and held as ``SecretStr``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from .errors import SecretUnavailableError

__all__ = ["SECRET_NAMES", "SecretRef", "check_secret", "find_literal_secrets", "resolve_secret"]

# Key names that hold a secret; also as suffixes (``proxy_password``, ``odoo_api_key``).
SECRET_NAMES = ("password", "passphrase", "api_key", "token", "secret", "client_secret")


@dataclass(frozen=True, slots=True)
class SecretRef:
    """Where a secret is: an environment variable or a file. ``key`` names it in messages."""

    key: str
    env: str | None = None
    file: Path | None = None

    def describe(self) -> str:
        if self.env is not None:
            return f"environment variable {self.env}"
        return f"file {self.file}"


def _is_secret_key(key: str) -> bool:
    return any(key == name or key.endswith("_" + name) for name in SECRET_NAMES)


def find_literal_secrets(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(dotted key, bare key) of every literal secret in a parsed TOML document, at any depth."""
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if _is_secret_key(str(key)):
            yield dotted, str(key)
        elif isinstance(value, Mapping):
            yield from find_literal_secrets(value, dotted + ".")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, Mapping):
                    yield from find_literal_secrets(item, f"{dotted}[{index}].")


def literal_secret_message(bare_key: str) -> str:
    return (
        f"a secret is never written in a configuration file: give {bare_key}_env = "
        f'"VARIABLE" (an environment variable) or {bare_key}_file = "path" (a file with mode 0600)'
    )


def _file_problem(path: Path) -> str | None:
    try:
        status = path.stat()
    except FileNotFoundError:
        return f"{path} does not exist"
    except OSError as error:
        return f"{path} cannot be read ({error.strerror})"
    if not stat.S_ISREG(status.st_mode):
        return f"{path} is not a regular file"
    if status.st_mode & 0o077:
        return (
            f"{path} has mode {stat.S_IMODE(status.st_mode):04o}: a secret file must be readable by its "
            "owner only (chmod 600)"
        )
    return None


def check_secret(ref: SecretRef, environ: Mapping[str, str] | None = None) -> str | None:
    """Why ``ref`` cannot be resolved now, or None; never reads or tells the value."""
    if ref.env is not None:
        value = (os.environ if environ is None else environ).get(ref.env)
        return None if value else f"environment variable {ref.env} is not set"
    if ref.file is not None:
        return _file_problem(ref.file)
    return "neither an environment variable nor a file is given"


def resolve_secret(ref: SecretRef, environ: Mapping[str, str] | None = None) -> SecretStr:
    """The secret's value (a file's trailing line break dropped). Raises SecretUnavailableError."""
    problem = check_secret(ref, environ)
    if problem is not None:
        raise SecretUnavailableError(f"{ref.key}: {problem}", code="config.secret")
    if ref.env is not None:
        return SecretStr((os.environ if environ is None else environ)[ref.env])
    assert ref.file is not None  # check_secret refused a reference with neither
    try:
        text = ref.file.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SecretUnavailableError(
            f"{ref.key}: {ref.describe()} cannot be read ({type(error).__name__})", code="config.secret"
        ) from None
    return SecretStr(text.rstrip("\r\n"))
