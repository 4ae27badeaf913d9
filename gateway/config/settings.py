"""The gateway file (``gateway.toml``) and its ``EDIGW_*`` environment overrides.

The environment wins over the file, the file over the defaults. Nested keys use ``__``:
``EDIGW_INGEST__RESCAN_SECONDS=5``; the top-level ones are flat: ``EDIGW_HOME``, ``EDIGW_DATABASE_URL``.
Relative paths are taken against ``home`` (itself relative to the current directory), so the embedded
default (no file at all) runs on ``<home>/inbox``, ``<home>/outbox``... and ``<home>/var/staging.db``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Annotated, Any, Self
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, BeforeValidator, ByteSize, ConfigDict, Field, model_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

from .fields import GsId, IsaId, Qualifier, StringList, absolute_under, usable_as_default
from .vocabulary import LogLevel

__all__ = [
    "ENV_NESTED_DELIMITER",
    "ENV_PREFIX",
    "GatewaySettings",
    "IdentitySettings",
    "IngestSettings",
    "LoggingSettings",
    "PathsSettings",
    "mask_url",
]

ENV_PREFIX = "EDIGW_"
ENV_NESTED_DELIMITER = "__"
GIB = 1 << 30
_RELATIVE_SQLITE = re.compile(r"(?P<scheme>sqlite(?:\+\w+)?):///(?P<path>[^/?][^?]*)(?P<query>\?.*)?\Z")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class PathsSettings(_Section):
    """The local folders; relative ones are resolved against ``home``."""

    inbox: Path = Path("inbox")
    outbox: Path = Path("outbox")
    archive: Path = Path("archive")
    quarantine: Path = Path("quarantine")
    var: Path = Path("var")
    # Default: ``partners/`` beside the gateway file, or ``<home>/config/partners`` without one.
    partners_dir: Path = Path("config/partners")

    def resolved(self, home: Path) -> PathsSettings:
        return self.model_copy(
            update={name: absolute_under(home, getattr(self, name)) for name in type(self).model_fields}
        )

    def overlaps(self) -> list[tuple[str, str]]:
        """(key, message) for folders that would make the gateway read its own output (run once resolved)."""
        problems = []
        others = {
            "outbox": self.outbox,
            "archive": self.archive,
            "quarantine": self.quarantine,
            "var": self.var,
        }
        for name, folder in others.items():
            if folder.is_relative_to(self.inbox) or self.inbox.is_relative_to(folder):
                problems.append((name, "must be outside the inbox (and the inbox outside it)"))
        names = list(others)
        for index, name in enumerate(names):
            for other in names[index + 1 :]:
                if others[name] == others[other]:
                    problems.append((other, f"must be a different folder from {name}"))
        return problems


class IngestSettings(_Section):
    """How local folders are watched and when a file counts as complete."""

    rescan_seconds: float = Field(default=2.0, gt=0)
    settle_seconds: float = Field(default=1.0, gt=0)
    settle_checks: int = Field(default=2, ge=2)
    done_suffixes: StringList = Field(default_factory=lambda: [".done", ".ok"])
    ignore_patterns: StringList = Field(default_factory=lambda: ["*.tmp", "*.part", "*.filepart", ".*", "~*"])
    duplicate_isa_window_days: int = Field(default=30, ge=0)
    max_file_bytes: ByteSize = Field(default=ByteSize(GIB), gt=0)

    @model_validator(mode="after")
    def _suffixes_are_suffixes(self) -> Self:
        if not all(len(suffix) > 1 and suffix.startswith(".") for suffix in self.done_suffixes):
            raise ValueError('done_suffixes are file name suffixes such as ".done"')
        return self

    def is_ignored(self, name: str) -> bool:
        """Whether a file name is one partners use while writing (never taken as it is)."""
        return any(fnmatchcase(name, pattern) for pattern in self.ignore_patterns)

    def done_target(self, name: str) -> str | None:
        """For a done-file ``X.done``, the name ``X`` it marks complete; None for other names."""
        for suffix in self.done_suffixes:
            if name.endswith(suffix) and len(name) > len(suffix):
                return name[: -len(suffix)]
        return None


def _default_gs_id(data: Any) -> Any:
    if isinstance(data, Mapping) and "gs_id" not in data and usable_as_default(data.get("id")):
        return {**data, "gs_id": data["id"]}
    return data


class IdentitySettings(_Section):
    """Our own X12 ids, used for every partner that sets none of its own."""

    qualifier: Qualifier = "ZZ"
    id: IsaId = "EDIGATEWAY"
    gs_id: GsId = "EDIGATEWAY"  # default: the same as id

    @model_validator(mode="before")
    @classmethod
    def _gs_id_defaults_to_id(cls, data: Any) -> Any:
        return _default_gs_id(data)


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


class LoggingSettings(_Section):
    level: Annotated[LogLevel, BeforeValidator(_upper)] = "INFO"
    # JSON lines on stderr instead of text; "json" in the file and EDIGW_LOGGING__JSON.
    json_lines: bool = Field(default=False, alias="json")


# load_configuration hands the environment it was given to the settings source through this variable.
_ENVIRON: ContextVar[Mapping[str, str] | None] = ContextVar("edigw_environ", default=None)


class MappingEnvSource(EnvSettingsSource):
    """pydantic-settings' environment source reading a given mapping instead of ``os.environ``."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]):
        self._environ = environ
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {name.lower(): value for name, value in self._environ.items()}


@contextmanager
def environment(environ: Mapping[str, str]) -> Iterator[None]:
    """Within this block, GatewaySettings reads ``environ`` instead of ``os.environ``."""
    token = _ENVIRON.set(environ)
    try:
        yield
    finally:
        _ENVIRON.reset(token)


class GatewaySettings(BaseSettings):
    """The gateway's own settings. Keyword arguments are the file's values; the environment wins over them."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter=ENV_NESTED_DELIMITER,
        extra="forbid",
        populate_by_name=True,
    )

    home: Path = Path(".")
    # Default sqlite:///var/staging.db: relative SQLite paths are taken against home.
    database_url: str = Field(default="sqlite:///var/staging.db", min_length=1, repr=False)
    paths: PathsSettings = Field(default_factory=PathsSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    identity: IdentitySettings = Field(default_factory=IdentitySettings)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        environ = _ENVIRON.get()
        environment_source = env_settings if environ is None else MappingEnvSource(settings_cls, environ)
        return (environment_source, init_settings)  # first wins: the environment over the file

    @model_validator(mode="after")
    def _resolve_against_home(self) -> Self:
        self.home = absolute_under(Path.cwd(), self.home)
        self.paths = self.paths.resolved(self.home)
        self.database_url = _resolve_sqlite_url(self.database_url, self.home)
        return self

    @property
    def database_url_masked(self) -> str:
        return mask_url(self.database_url)


def _resolve_sqlite_url(url: str, home: Path) -> str:
    match = _RELATIVE_SQLITE.match(url)
    if match is None or match["path"].startswith(":memory:"):
        return url
    path = absolute_under(home, Path(match["path"]))
    return f"{match['scheme']}:///{path}{match['query'] or ''}"


def mask_url(url: str) -> str:
    """``url`` with its password, if any, shown as ``****``."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return "****"
    if not password:
        return url
    user = parts.username or ""
    host_and_port = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}:****@{host_and_port}"))


def url_has_password(url: str) -> bool:
    try:
        return bool(urlsplit(url).password)
    except ValueError:
        return False
