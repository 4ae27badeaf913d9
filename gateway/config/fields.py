"""Value types shared by the gateway file and the partner files, each checked where it is read."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path, PurePosixPath
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo
from pydantic_settings import NoDecode

__all__ = [
    "EnvVarName",
    "FilePattern",
    "GsId",
    "HomePath",
    "IsaId",
    "Patterns",
    "Qualifier",
    "StringList",
    "X12Version",
    "absolute_under",
    "normalise_folder",
    "usable_as_default",
]

_QUALIFIER = re.compile(r"[0-9A-Z]{2}\Z")
_VERSION = re.compile(r"[0-9]{6}\Z")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _printable_id(value: str, *, minimum: int, maximum: int, what: str) -> str:
    if not minimum <= len(value) <= maximum:
        raise ValueError(f"{what} must be {minimum} to {maximum} characters")
    if value != value.strip(" "):
        raise ValueError(f"{what} must not start or end with a space (the envelope pads it)")
    if not all(" " <= char <= "~" for char in value):
        raise ValueError(f"{what} may hold printable ASCII characters only")
    return value


def _check_qualifier(value: str) -> str:
    if not _QUALIFIER.match(value):
        raise ValueError("an interchange id qualifier is 2 capital letters or digits, e.g. ZZ or 01")
    return value


def _check_isa_id(value: str) -> str:
    return _printable_id(value, minimum=1, maximum=15, what="an interchange id (ISA06/ISA08)")


def usable_as_default(value: Any) -> bool:
    """Whether an interchange id may stand in for a missing GS id (an invalid one is reported once)."""
    try:
        return isinstance(value, str) and bool(_check_isa_id(value))
    except ValueError:
        return False


def _check_gs_id(value: str) -> str:
    return _printable_id(value, minimum=2, maximum=15, what="an application id (GS02/GS03)")


def _check_version(value: str) -> str:
    if not _VERSION.match(value):
        raise ValueError('an X12 version is 6 digits, e.g. "004010" or "005010"')
    return value


def _check_env_name(value: str) -> str:
    if not _ENV_NAME.match(value):
        raise ValueError("must name an environment variable (letters, digits and _, not a digit first)")
    return value


def _check_pattern(value: str) -> str:
    if not value or "/" in value or "\\" in value:
        raise ValueError("a file pattern is a non-empty fnmatch pattern of a file name, without /")
    return value


def _split_list(value: Any) -> Any:
    """Lists from the environment: a JSON list or comma-separated values (``.done,.ok``)."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.startswith("["):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            raise ValueError("expected a JSON list or comma-separated values") from None
    return [part.strip() for part in text.split(",") if part.strip()]


def absolute_under(base: Path, path: Path) -> Path:
    """``path`` made absolute against ``base`` and normalised (``..`` folded, symlinks kept)."""
    return Path(os.path.normpath(base / path.expanduser()))


def _against_home(value: Path, info: ValidationInfo) -> Path:
    home = (info.context or {}).get("home")
    return absolute_under(Path(home) if home is not None else Path.cwd(), value)


Qualifier = Annotated[str, AfterValidator(_check_qualifier)]
IsaId = Annotated[str, AfterValidator(_check_isa_id)]
GsId = Annotated[str, AfterValidator(_check_gs_id)]
X12Version = Annotated[str, AfterValidator(_check_version)]
EnvVarName = Annotated[str, AfterValidator(_check_env_name)]
FilePattern = Annotated[str, AfterValidator(_check_pattern)]
# A list given as a TOML array, or in an environment variable as JSON or comma-separated values.
StringList = Annotated[list[str], NoDecode, BeforeValidator(_split_list)]
Patterns = Annotated[list[FilePattern], NoDecode, BeforeValidator(_split_list), Field(min_length=1)]
# A path in a partner file: relative ones are taken against the gateway home (given as validation context).
HomePath = Annotated[Path, AfterValidator(_against_home)]


def normalise_folder(value: str) -> str:
    """A folder relative to the inbox, as ``a/b`` or ``.``; refuses absolute paths and ``..``."""
    if not value or "\\" in value or "\x00" in value:
        raise ValueError('a folder is a path relative to the inbox, e.g. "medsupplyco" or "."')
    path = PurePosixPath(value)
    if path.is_absolute():
        raise ValueError("a local channel folder is relative to the inbox, not absolute")
    if ".." in path.parts:
        raise ValueError("a local channel folder must stay inside the inbox (no ..)")
    return str(path)
