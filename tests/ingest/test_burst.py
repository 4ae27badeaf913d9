"""A burst of small files: all staged, none twice; the same contents again under new names: duplicates.

Riverside's folder takes files as they appear (written under a temporary name, then renamed), so the
gateway's cycles never wait on settling. 1,000 files by default; 5,000 (and the same on PostgreSQL, and
a burst arriving while the gateway runs with its watchdog observers) under ``-m soak``.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from gateway.service import CycleReport, Gateway
from gateway.staging import Outcome
from gateway.staging.database import Database
from tests.staging_databases import DatabaseFactory

from .conftest import make_home, url_of
from .home import GatewayHome, drain, gateway_on
from .look import (
    check_acknowledgements,
    check_no_temporaries,
    check_staged_exactly_once,
    count_rows,
    file_rows,
)
from .processes import wait_for
from .x12files import clinic_850

AGAIN = 50  # files sent a second time under new names


def drop_burst(home: GatewayHome, count: int) -> dict[str, bytes]:
    inputs = {f"po-{number:05d}.edi": clinic_850(number) for number in range(1, count + 1)}
    for name, data in inputs.items():
        home.drop_by_rename(name, data, "riverside")
    return inputs


def check_burst_then_duplicates(home: GatewayHome, database: Database, gateway: Gateway, count: int) -> None:
    inputs = drop_burst(home, count)
    started = time.perf_counter()
    results = drain(gateway)
    elapsed = time.perf_counter() - started
    print(f"{count} files staged in {elapsed:.1f} s ({count / elapsed:.0f} files/s, {database.dialect})")

    assert len(results) == count and {result.outcome for result in results} == {Outcome.OK}
    staged = check_staged_exactly_once(database, home.root, inputs)
    assert count_rows(database, "transaction_sets") == count
    assert len(check_acknowledgements(database, home.outbox)) == count
    assert home.inbox_files() == []

    again = sorted(inputs)[:: count // AGAIN][:AGAIN]
    for name in again:
        home.drop_by_rename("again-" + name, inputs[name], "riverside")
    duplicates = drain(gateway)

    assert len(duplicates) == AGAIN and {result.outcome for result in duplicates} == {Outcome.DUPLICATE}
    by_name = {row.original_name: row for row in file_rows(database)}
    for name in again:
        duplicate = by_name["again-" + name]
        assert duplicate.outcome == Outcome.DUPLICATE and duplicate.duplicate_of_id == staged[name].row.id
        assert duplicate.stored_path is not None
        assert (home.root / duplicate.stored_path).read_bytes() == inputs[name]
    assert count_rows(database, "transaction_sets") == count  # nothing staged twice
    assert count_rows(database, "acknowledgements") == count  # nor acknowledged twice
    check_no_temporaries(home.root)


def test_a_burst_of_1000_files_is_staged_once_each_and_resent_ones_are_duplicates(
    tmp_path: Path, database_factory: DatabaseFactory
) -> None:
    database = database_factory("sqlite")
    home = make_home(tmp_path, url_of(database))
    check_burst_then_duplicates(home, database, gateway_on(home, database), 1000)


@pytest.mark.soak
@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_a_burst_of_5000_files_is_staged_once_each_and_resent_ones_are_duplicates(
    dialect: str, tmp_path: Path, database_factory: DatabaseFactory
) -> None:
    database = database_factory(dialect)
    home = make_home(tmp_path, url_of(database))
    check_burst_then_duplicates(home, database, gateway_on(home, database), 5000)


@pytest.mark.soak
def test_a_burst_arriving_while_the_gateway_runs_is_found_without_relying_on_events(
    tmp_path: Path, database_factory: DatabaseFactory
) -> None:
    """5,000 files arriving at once overflow nothing that matters: the full rescans find them all."""
    database = database_factory("sqlite")
    home = make_home(tmp_path, url_of(database))
    gateway = Gateway(home.configuration(), database)
    stop = threading.Event()
    cycles: list[CycleReport] = []
    server = threading.Thread(target=gateway.run, args=(stop,), kwargs={"on_cycle": cycles.append})
    server.start()
    try:
        wait_for(lambda: bool(cycles), what="the gateway's first scan")
        inputs = drop_burst(home, 5000)
        wait_for(lambda: home.inbox_files() == [], what="the burst to be taken", give_up_after=1200)
    finally:
        stop.set()
        server.join(timeout=60)
    check_staged_exactly_once(database, home.root, inputs)
