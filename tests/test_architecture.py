"""The dependency rule: ``parsers`` <- ``emitters`` <- ``gateway``; the libraries do no I/O and read no clock."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Modules the pure libraries must never import: the service, databases, networks, schedulers.
FORBIDDEN_EVERYWHERE = {
    "gateway",
    "sqlalchemy",
    "alembic",
    "paramiko",
    "socket",
    "http",
    "urllib",
    "requests",
    "httpx",
    "apscheduler",
    "watchdog",
    "sqlite3",
    "psycopg",
    "psycopg2",
    "logging",  # libraries report through return values and exceptions; the gateway logs
}
FORBIDDEN = {"parsers": FORBIDDEN_EVERYWHERE | {"emitters"}, "emitters": FORBIDDEN_EVERYWHERE}
CLOCK_CALLS = ("datetime.now", "date.today", "datetime.utcnow", "time.time(", "time.monotonic(")


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_libraries_import_no_io_and_no_gateway(package: str) -> None:
    offences = {
        str(path.relative_to(ROOT)): sorted(_imported(path) & FORBIDDEN[package])
        for path in _modules(package)
    }
    assert {path: names for path, names in offences.items() if names} == {}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_libraries_read_no_clock(package: str) -> None:
    offences = [
        str(path.relative_to(ROOT))
        for path in _modules(package)
        if any(call in path.read_text("utf-8") for call in CLOCK_CALLS)
    ]
    assert offences == []
