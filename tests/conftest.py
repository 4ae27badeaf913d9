"""Shared fixtures. ``database``: a fresh, migrated staging database, once on SQLite and once on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gateway.staging.database import Database
from tests.staging_databases import DatabaseFactory, database_factory

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
