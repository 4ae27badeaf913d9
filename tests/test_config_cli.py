"""``edi-gateway config check [--config FILE] [--show] [--json]`` as an operator runs it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from gateway.cli import main

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "c0rrect-h0rse"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty gateway home as the current directory, with no EDIGW_* variables around."""
    monkeypatch.chdir(tmp_path)
    for name in [name for name in os.environ if name.upper().startswith("EDIGW_")]:
        monkeypatch.delenv(name)
    return tmp_path


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["config", *args], env=env)
    return result.exit_code, result.stdout


def test_valid_configuration_exits_0(home: Path) -> None:
    code, out = run("check")
    assert code == 0, out
    assert out.startswith("configuration OK: 0 partners, database sqlite:///")
    assert str(home / "var" / "staging.db") in out and str(home / "inbox") in out
    assert "embedded default" in out


def test_the_example_configuration_is_valid(home: Path) -> None:
    code, out = run("check", "--config", str(ROOT / "config" / "gateway.toml"))
    assert code == 0, out
    assert "configuration OK: 3 partners" in out
    assert "firstcitybank, medsupplyco, mercygeneral" in out


def test_show_lists_a_banks_accounts_and_a_catalog_mapping(home: Path) -> None:
    code, out = run("check", "--show", "--config", str(ROOT / "config" / "gateway.toml"))
    assert code == 0, out
    assert "[partners.firstcitybank.bank]" in out
    assert 'accounts = ["4112009710", "4112009728"]' in out
    assert "[partners.medsupplyco.catalog.gtins]" in out
    assert 'EA = "GTIN Each"' in out


def test_invalid_configuration_exits_2_listing_every_problem(home: Path) -> None:
    (home / "config" / "partners").mkdir(parents=True)
    (home / "config" / "gateway.toml").write_text("[ingest]\nsettle_checks = 1\n[logging]\nlevel = 'LOUD'\n")
    (home / "config" / "partners" / "acme.toml").write_text('id = "acme"\nname = "Acme"\nchannels = 3\n')
    code, out = run("check", env={"EDIGW_INGEST__RESCAN_SECONDS": "soon"})
    assert code == 2
    lines = out.splitlines()
    assert lines[0] == "configuration invalid: 4 problems"
    assert {line.split(": ")[1] for line in lines[1:]} == {
        "ingest.settle_checks",
        "logging.level",
        "ingest.rescan_seconds",
        "partners.acme.channels",
    }
    assert any(
        line.startswith("  environment: ingest.rescan_seconds: EDIGW_INGEST__RESCAN_SECONDS")
        for line in lines
    )


def test_json_report(home: Path) -> None:
    code, out = run("check", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["ok"] is True
    assert report["gateway_file"] is None
    assert report["partners"] == []
    assert report["folders"] == [str(home / "inbox")]
    assert report["problems"] == []
    assert "configuration" not in report

    code, out = run("check", "--json", "--config", "missing.toml")
    assert code == 2
    report = json.loads(out)
    assert report["ok"] is False
    assert [problem["source"] for problem in report["problems"]] == ["--config"]
    assert set(report["problems"][0]) == {"source", "key", "message"}


def test_show_prints_values_and_their_sources(home: Path) -> None:
    (home / "config").mkdir()
    (home / "config" / "gateway.toml").write_text("[ingest]\nsettle_checks = 3\n")
    code, out = run("check", "--show", env={"EDIGW_INGEST__RESCAN_SECONDS": "7"})
    assert code == 0, out
    assert "rescan_seconds = 7.0  # environment" in out
    assert "settle_checks = 3  # config/gateway.toml" in out
    assert "settle_seconds = 1.0  # default" in out
    assert "[ingest]" in out

    code, out = run("check", "--show", "--json", env={"EDIGW_INGEST__RESCAN_SECONDS": "7"})
    report = json.loads(out)
    assert report["configuration"]["settings"]["ingest"]["rescan_seconds"] == 7.0
    assert report["sources"]["ingest.rescan_seconds"] == "environment"
    assert report["sources"]["ingest.settle_checks"] == "config/gateway.toml"


def test_show_masks_secrets_and_check_verifies_them(home: Path) -> None:
    (home / "config" / "partners").mkdir(parents=True)
    (home / "config" / "partners" / "acme.toml").write_text(
        'id = "acme"\nname = "Acme"\n[[channels]]\ntype = "sftp"\nhost = "sftp.acme.example"\n'
        'username = "edi"\npassword_env = "ACME_SFTP_PASSWORD"\nknown_hosts = "known_hosts"\n'
        'remote_inbound = "/out"\n'
    )
    database = f"postgresql://edi:{PASSWORD}@db/edi"
    code, out = run("check", "--show", env={"EDIGW_DATABASE_URL": database})
    assert code == 2  # the password's variable is not set
    assert "environment variable ACME_SFTP_PASSWORD is not set" in out
    env = {"EDIGW_DATABASE_URL": database, "ACME_SFTP_PASSWORD": PASSWORD}
    code, out = run("check", "--show", env=env)
    assert code == 0, out
    assert PASSWORD not in out
    assert 'password = "****"' in out
    assert "postgresql://edi:****@db/edi" in out
    code, out = run("check", "--show", "--json", env=env)
    assert code == 0 and PASSWORD not in out


def test_the_command_is_listed(home: Path) -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert "config" in result.stdout
