"""Migrations: an empty database upgrades to the newest revision, and then matches the models exactly."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner

from gateway.cli import main
from gateway.staging.database import Database
from gateway.staging.models import Base

VIEWS = {"v_files", "v_documents", "v_exceptions", "v_bank_lines", "v_catalog_changes"}
HEAD = "0002_bank_and_catalogs"
BANK_AND_CATALOG_TABLES = {
    "bank_statements",
    "bank_statement_lines",
    "catalog_versions",
    "catalog_items",
    "catalog_item_gtins",
    "catalog_rejected_rows",
    "catalog_changes",
}


def test_upgrade_creates_every_table_and_view(empty_database: Database) -> None:
    assert empty_database.current_revision() is None
    empty_database.upgrade()
    assert empty_database.head_revision() == HEAD
    assert empty_database.current_revision() == HEAD
    inspector = sa.inspect(empty_database.engine)
    assert set(Base.metadata.tables) <= set(inspector.get_table_names())
    assert set(inspector.get_view_names()) >= VIEWS


def test_upgrade_twice_is_harmless(database: Database) -> None:
    database.upgrade()
    assert database.current_revision() == HEAD


def test_models_match_the_migration(database: Database) -> None:
    with database.read() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_downgrade_removes_everything(database: Database) -> None:
    database.downgrade("base")
    inspector = sa.inspect(database.engine)
    assert set(inspector.get_table_names()) <= {"alembic_version"}
    assert not set(inspector.get_view_names()) & VIEWS


def test_0002_downgrades_to_0001_and_upgrades_again(database: Database) -> None:
    database.downgrade("0001_initial")
    assert database.current_revision() == "0001_initial"
    inspector = sa.inspect(database.engine)
    assert not set(inspector.get_table_names()) & BANK_AND_CATALOG_TABLES
    assert set(inspector.get_view_names()) >= {"v_files", "v_documents", "v_exceptions"}
    assert not set(inspector.get_view_names()) & {"v_bank_lines", "v_catalog_changes"}
    database.upgrade()
    assert database.current_revision() == HEAD
    inspector = sa.inspect(database.engine)
    assert set(inspector.get_table_names()) >= BANK_AND_CATALOG_TABLES
    assert set(inspector.get_view_names()) >= VIEWS
    with database.read() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


@pytest.fixture
def cli_url(empty_database: Database) -> str:
    return empty_database.engine.url.render_as_string(hide_password=False)


def test_cli_upgrade_then_current(cli_url: str) -> None:
    runner = CliRunner()
    before = runner.invoke(main, ["db", "current", "--database-url", cli_url, "--json"])
    assert before.exit_code == 1
    assert json.loads(before.output)["current"] is None
    upgraded = runner.invoke(main, ["db", "upgrade", "--database-url", cli_url])
    assert upgraded.exit_code == 0, upgraded.output
    assert f"upgraded from an empty database to {HEAD}" in upgraded.output
    after = runner.invoke(main, ["db", "current", "--database-url", cli_url, "--json"])
    assert after.exit_code == 0
    assert json.loads(after.output) | {"database": None} == {
        "database": None,
        "current": HEAD,
        "head": HEAD,
        "up_to_date": True,
    }


def test_cli_default_url_is_under_edigw_home(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from gateway.staging.cli import resolve_database_url

    monkeypatch.delenv("EDIGW_DATABASE_URL", raising=False)
    monkeypatch.setenv("EDIGW_HOME", str(tmp_path))
    assert resolve_database_url(None) == f"sqlite:///{tmp_path}/var/staging.db"
    monkeypatch.setenv("EDIGW_DATABASE_URL", "sqlite:////elsewhere.db")
    assert resolve_database_url(None) == "sqlite:////elsewhere.db"
    assert resolve_database_url("sqlite:////given.db") == "sqlite:////given.db"
    result = CliRunner().invoke(main, ["db", "upgrade", "--database-url", "not a url"])
    assert result.exit_code == 2


def test_sqlite_settings(tmp_path: object) -> None:
    from pathlib import Path

    from gateway.staging.database import open_database

    database = open_database(f"sqlite:///{Path(str(tmp_path)) / 'deep' / 'folder' / 'staging.db'}")
    try:
        with database.read() as connection:
            pragma = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            }
        assert pragma == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 10000}
    finally:
        database.dispose()
