"""Control-number counters: consecutive, per scope and kind, never reused, never wrapped, safe across processes."""

from __future__ import annotations

import multiprocessing

import pytest

from gateway.errors import CounterExhausted
from gateway.staging.counters import DatabaseControlNumbers, allocate
from gateway.staging.database import Database, open_database
from gateway.staging.states import CounterKind


def test_numbers_follow_each_other_per_scope_and_kind(database: Database) -> None:
    with database.begin() as connection:
        assert allocate(connection, "medsupplyco", CounterKind.INTERCHANGE) == 1
        assert allocate(connection, "medsupplyco", CounterKind.INTERCHANGE) == 2
        assert allocate(connection, "medsupplyco", CounterKind.INTERCHANGE, 5) == 3  # 3..7
        assert allocate(connection, "medsupplyco", CounterKind.GROUP) == 1
        assert allocate(connection, "default", CounterKind.INTERCHANGE) == 1
    with database.begin() as connection:
        assert allocate(connection, "medsupplyco", CounterKind.INTERCHANGE) == 8


def test_numbers_of_a_rolled_back_transaction_were_never_handed_out(database: Database) -> None:
    with pytest.raises(RuntimeError), database.begin() as connection:
        assert allocate(connection, "p", CounterKind.TRANSACTION) == 1
        raise RuntimeError("the acknowledgement could not be written")
    with database.begin() as connection:
        assert allocate(connection, "p", CounterKind.TRANSACTION) == 1


def test_exhaustion_is_fatal_and_never_wraps(database: Database) -> None:
    with database.begin() as connection:
        assert allocate(connection, "p", CounterKind.GROUP, 9, maximum=10) == 1
        with pytest.raises(CounterExhausted, match="exhausted"):
            allocate(connection, "p", CounterKind.GROUP, 2, maximum=10)
        assert allocate(connection, "p", CounterKind.GROUP, 1, maximum=10) == 10
        with pytest.raises(CounterExhausted):
            allocate(connection, "p", CounterKind.GROUP, 1, maximum=10)
    with pytest.raises(ValueError), database.begin() as connection:
        allocate(connection, "p", CounterKind.GROUP, 0)


def test_control_number_source_for_the_ack_writer(database: Database) -> None:
    with database.begin() as connection:
        numbers = DatabaseControlNumbers(connection, "medsupplyco")
        assert [numbers.next("interchange"), numbers.next("group"), numbers.next("interchange")] == [1, 1, 2]


def _allocate_many(url: str, worker: int, rounds: int) -> list[int]:
    database = open_database(url, busy_timeout=60)
    handed_out: list[int] = []
    try:
        for round_ in range(rounds):
            count = 1 + (round_ + worker) % 3  # single numbers and blocks, interleaved
            with database.begin() as connection:
                first = allocate(connection, "shared", CounterKind.INTERCHANGE, count)
            handed_out += range(first, first + count)
    finally:
        database.dispose()
    return handed_out


def test_two_processes_never_get_the_same_number(database: Database) -> None:
    url = database.engine.url.render_as_string(hide_password=False)
    with database.begin() as connection:  # the row exists: both workers race on the UPDATE
        allocate(connection, "shared", CounterKind.GROUP)
    context = multiprocessing.get_context("fork")
    with context.Pool(2) as pool:
        results = pool.starmap(_allocate_many, [(url, 0, 60), (url, 1, 60)])
    everything = results[0] + results[1]
    assert len(everything) == len(set(everything))
    assert sorted(everything) == list(range(1, len(everything) + 1))


def test_two_processes_creating_the_counter_at_once(database: Database) -> None:
    url = database.engine.url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("fork")
    with context.Pool(2) as pool:
        results = pool.starmap(_allocate_many, [(url, 0, 5), (url, 2, 5)])
    everything = results[0] + results[1]
    assert sorted(everything) == list(range(1, len(everything) + 1))
