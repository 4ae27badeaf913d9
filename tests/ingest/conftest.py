"""Fixtures of the ingestion tests: a gateway home (on SQLite and on PostgreSQL through the ``database``
fixture, or on its own default SQLite file for subprocesses), and a launcher of ``edi-gateway`` processes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gateway.staging.database import Database, open_database

from .home import GatewayHome
from .processes import Launcher


def url_of(database: Database) -> str:
    return database.engine.url.render_as_string(hide_password=False)


def make_home(tmp_path: Path, database_url: str) -> GatewayHome:
    """``tmp_path/home`` with the partner files, its gateway staging into ``database_url``."""
    gateway_home = GatewayHome(tmp_path / "home", database_url)
    gateway_home.root.mkdir()
    gateway_home.write_partners()
    return gateway_home


@pytest.fixture
def home(tmp_path: Path, database: Database) -> GatewayHome:
    """A home whose gateway stages into ``database`` (SQLite, then PostgreSQL), with the partner files."""
    return make_home(tmp_path, url_of(database))


@pytest.fixture
def sqlite_home(tmp_path: Path) -> GatewayHome:
    """A home on the embedded default's own database, ``<home>/var/staging.db`` (for subprocesses)."""
    return make_home(tmp_path, f"sqlite:///{tmp_path / 'home' / 'var' / 'staging.db'}")


@pytest.fixture
def opened() -> Iterator[list[Database]]:
    """Databases a test opens by URL (to look into what a subprocess staged); disposed afterwards."""
    databases: list[Database] = []
    yield databases
    for database in databases:
        database.dispose()


def open_migrated(url: str, opened: list[Database]) -> Database:
    database = open_database(url)
    database.upgrade()
    opened.append(database)
    return database


@pytest.fixture
def launcher(tmp_path: Path) -> Iterator[Launcher]:
    started = Launcher(tmp_path / "logs")
    yield started
    started.kill_leftovers()
