"""Test-wide setup: which form of the compiled modules the tests exercise.

The X12 hot path is compiled with mypyc at install time (hatch_build.py). By default the tests run what
was installed, and refuse an extension built from an older source (it would silently test stale code).
``EDIGW_PURE_PYTHON=1`` makes them import the ``.py`` sources instead, so both forms stay tested.

Shared fixtures: ``database``, a fresh, migrated staging database, once on SQLite and once on PostgreSQL
(see ``tests/staging_databases.py``); ``empty_database``, the same without tables.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import tomllib
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def compiled_sources() -> list[str]:
    """The modules hatch_build.py compiles, as paths relative to the project root."""
    with (ROOT / "pyproject.toml").open("rb") as stream:
        project = tomllib.load(stream)
    sources: list[str] = project["tool"]["hatch"]["build"]["targets"]["wheel"]["hooks"]["custom"]["compiled"]
    return sources


def _module_name(source: str) -> str:
    return source.removesuffix(".py").replace("/", ".")


class _SourcesFirst(importlib.abc.MetaPathFinder):
    """Import the listed modules from their ``.py`` files even where an extension sits beside them."""

    def __init__(self, sources: Sequence[str]) -> None:
        self._files = {_module_name(source): ROOT / source for source in sources}

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        file = self._files.get(fullname)
        return importlib.util.spec_from_file_location(fullname, file) if file is not None else None


def _stale_extensions(sources: Sequence[str]) -> list[str]:
    manifest = ROOT / "parsers" / "_compiled.json"
    if not manifest.exists():
        return []  # pure Python install: nothing compiled, nothing stale
    built = json.loads(manifest.read_text(encoding="utf-8"))["sources"]
    return [
        source
        for source in sources
        if built.get(source) != hashlib.sha256((ROOT / source).read_bytes()).hexdigest()
    ]


PURE_PYTHON = os.environ.get("EDIGW_PURE_PYTHON") == "1"
_SOURCES = compiled_sources()
if PURE_PYTHON:
    sys.meta_path.insert(0, _SourcesFirst(_SOURCES))
elif stale := _stale_extensions(_SOURCES):
    pytest.exit(
        "compiled extensions are older than their sources ("
        + ", ".join(stale)
        + "): run `make test` (it reinstalls) or `EDIGW_PURE_PYTHON=1 pytest`",
        returncode=2,
    )


def pytest_report_header() -> str:
    form = "pure Python (EDIGW_PURE_PYTHON=1)" if PURE_PYTHON else "as installed"
    compiled = [
        name
        for name in map(_module_name, _SOURCES)
        if (spec := importlib.util.find_spec(name)) is not None
        and spec.origin is not None
        and not spec.origin.endswith(".py")
    ]
    return f"edi-gateway X12 hot path: {form}; compiled modules loaded: {len(compiled)}/{len(_SOURCES)}"


# Imported after the compiled-or-pure decision above, which must precede any import of the parsers.
from gateway.staging.database import Database  # noqa: E402
from tests.staging_databases import DatabaseFactory, database_factory  # noqa: E402

__all__ = ["database", "database_factory", "empty_database"]


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, database_factory: DatabaseFactory) -> Iterator[Database]:
    """A fresh database with no tables (for migration tests); see ``tests/staging_databases.py``."""
    yield database_factory(request.param, migrate=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, database_factory: DatabaseFactory) -> Iterator[Database]:
    """A fresh staging database at the newest revision: SQLite in a temporary folder, or PostgreSQL in a
    schema of its own (dropped afterwards). PostgreSQL skips when the server is not there, unless
    EDIGW_REQUIRE_POSTGRES=1."""
    yield database_factory(request.param, migrate=True)
