"""Crash safety: ``edi-gateway run`` killed with SIGKILL at each step of the pipeline, then restarted.

The test-only switch ``EDIGW_TEST_CRASH_AT=<point>`` kills the process when the first file reaches the
point (``gateway.ingest.faults``). The restarted gateway, without the switch, must finish what was
half-done and take the rest: every file staged exactly once, its original archived byte for byte, each
acknowledgement written once with control numbers neither reused nor skipped, no temporary file left,
the audit chain intact.

Each scenario has a home and a SQLite database of its own; the scenarios of one kind run side by side
(a process start is most of their time, and there are two cores), then each point is checked by a test
of its own.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from gateway.ingest.faults import CRASH_POINTS
from gateway.staging import AckKind, Outcome
from gateway.staging.database import Database, open_database
from tests.staging_databases import DatabaseFactory

from .conftest import make_home, url_of
from .home import GatewayHome
from .look import (
    check_acknowledgements,
    check_audit_chain,
    check_no_temporaries,
    check_staged_exactly_once,
    file_rows,
)
from .processes import GatewayProcess, Launcher
from .x12files import clinic_850, golden, hospital_850, hospital_850_bad_unit, truncated

# (folder in the inbox, name) -> (content, outcome, acknowledgements expected)
Inbox = dict[tuple[str, str], tuple[bytes, Outcome, int]]

# Files in folders where they must settle first: the first scan only notes them.
_SETTLING: Inbox = {
    (".", "order.edi"): (hospital_850(), Outcome.OK, 1),  # a 999
    (".", "bad-unit.edi"): (hospital_850_bad_unit(), Outcome.ERRORS, 1),
    ("medsupplyco", "asn.edi"): (golden("distributor_856_lots.edi"), Outcome.OK, 1),  # a 997
    ("medsupplyco", "cut.edi"): (truncated(golden("distributor_810_allowances.edi")), Outcome.QUARANTINED, 1),
    ("medsupplyco", "letter.txt"): (b"not an interchange\n", Outcome.QUARANTINED, 0),
}
# Riverside's folder takes files as they appear: its file is the first to reach the crash point.
STAGED_FIRST: Inbox = {("riverside", "po.edi"): (clinic_850(121), Outcome.OK, 1), **_SETTLING}
QUARANTINED_FIRST: Inbox = {
    ("riverside", "cut-po.edi"): (truncated(clinic_850(122)), Outcome.QUARANTINED, 1),  # a TA1 R 023
    **_SETTLING,
}
# A quarantined file has no staging transaction: it passes every point but "parsed" and "committed".
# "ack-written" runs by default (recovery then writes its TA1 again, its reason, and moves it), every point
# under ``-m soak``.
QUARANTINE_POINTS = ("ack-written",)
NOT_ON_THE_QUARANTINE_PATH = ("parsed", "committed")


@dataclass
class Scenario:
    """One home, its inbox, the point its first gateway is killed at, and what was seen on the way."""

    point: str
    inbox: Inbox
    home: GatewayHome
    database: Database
    first: bool = True  # the first file reaches the point (else a later one does)
    problems: list[str] = field(default_factory=list)
    staged_before_the_crash: list[str] = field(default_factory=list)

    def drop_files(self) -> None:
        for (folder, name), (content, _outcome, _acks) in self.inbox.items():
            self.home.drop(name, content, folder=folder)

    def crashed(self, process: GatewayProcess) -> None:
        code = process.wait()
        if code != -signal.SIGKILL:
            self.problems.append(f"the gateway exited with {code}, not killed: {process.stderr_text()}")
        self.staged_before_the_crash = [row.original_name for row in file_rows(self.database)]

    def restarted(self, process: GatewayProcess) -> None:
        try:
            process.wait_until(lambda: self.home.inbox_files() == [], what="the inbox was empty")
            code = process.stop(signal.SIGTERM)
        except AssertionError as error:
            self.problems.append(str(error))
            return
        if code != 0:
            self.problems.append(f"the restarted gateway exited with {code}: {process.stderr_text()}")

    def check(self) -> None:
        """What the crash left, then: everything once (see the module docstring)."""
        assert self.problems == []
        if self.first:
            if self.point in ("hashed", "parsed"):  # nothing committed yet: the transaction never happened
                assert self.staged_before_the_crash == []
            else:
                [first_name] = [name for (folder, name) in self.inbox if folder == "riverside"]
                assert self.staged_before_the_crash == [first_name], "not stopped at the first file"
        check_everything_once(self.home, self.database, self.inbox)


def run_side_by_side(scenarios: Sequence[Scenario], launcher: Launcher) -> None:
    """Start every scenario's gateway with the switch, wait for each to die, restart them all without it,
    let each empty its inbox and stop it."""
    for scenario in scenarios:
        scenario.drop_files()
    crashing = [launcher.start(s.home, "run", EDIGW_TEST_CRASH_AT=s.point) for s in scenarios]
    for scenario, process in zip(scenarios, crashing, strict=True):
        scenario.crashed(process)
    restarting = [launcher.start(s.home, "run") for s in scenarios]
    for scenario, process in zip(scenarios, restarting, strict=True):
        scenario.restarted(process)


def check_everything_once(home: GatewayHome, database: Database, inbox: Inbox) -> None:
    inputs = {name: content for (_folder, name), (content, _outcome, _acks) in inbox.items()}
    staged = check_staged_exactly_once(database, home.root, inputs)
    acks = check_acknowledgements(database, home.outbox)
    for (_folder, name), (_content, outcome, expected_acks) in inbox.items():
        row = staged[name].row
        assert row.outcome == outcome, f"{name}: {row.outcome}"
        assert len([ack for ack in acks if ack.file_id == row.id]) == expected_acks, name
        if outcome == Outcome.QUARANTINED:
            assert staged[name].stored.parent == home.quarantine
            assert staged[name].stored.with_name(staged[name].stored.name + ".reason.json").is_file()
        else:
            assert staged[name].stored.is_relative_to(home.archive)
    check_no_temporaries(home.root)
    check_audit_chain(database)


def _scenarios(
    tmp_path_factory: pytest.TempPathFactory, kind: str, points: Sequence[str], inbox: Inbox
) -> Iterator[dict[str, Scenario]]:
    root = tmp_path_factory.mktemp(kind)
    scenarios = {}
    for point in points:
        (root / point).mkdir()
        home = make_home(root / point, f"sqlite:///{root / point / 'home' / 'var' / 'staging.db'}")
        database = open_database(home.database_url)
        database.upgrade()
        first = kind == "staged-first" or point not in NOT_ON_THE_QUARANTINE_PATH
        scenarios[point] = Scenario(point, inbox, home, database, first=first)
    launcher = Launcher(root / "logs")
    try:
        run_side_by_side(list(scenarios.values()), launcher)
        yield scenarios
    finally:
        launcher.kill_leftovers()
        for scenario in scenarios.values():
            scenario.database.dispose()


@pytest.fixture(scope="module")
def staged_first(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Scenario]]:
    yield from _scenarios(tmp_path_factory, "staged-first", CRASH_POINTS, STAGED_FIRST)


@pytest.fixture(scope="module")
def quarantined_first(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Scenario]]:
    yield from _scenarios(tmp_path_factory, "quarantined-first", QUARANTINE_POINTS, QUARANTINED_FIRST)


@pytest.fixture(scope="module")
def quarantined_first_soak(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Scenario]]:
    points = [point for point in CRASH_POINTS if point not in QUARANTINE_POINTS]
    yield from _scenarios(tmp_path_factory, "quarantined-first-soak", points, QUARANTINED_FIRST)


@pytest.mark.parametrize("point", CRASH_POINTS)
def test_a_crash_at_any_step_loses_nothing_and_stages_nothing_twice(
    point: str, staged_first: dict[str, Scenario]
) -> None:
    staged_first[point].check()


@pytest.mark.parametrize("point", QUARANTINE_POINTS)
def test_a_crash_while_quarantining_loses_nothing(point: str, quarantined_first: dict[str, Scenario]) -> None:
    scenario = quarantined_first[point]
    scenario.check()
    kinds = [ack.kind for ack in check_acknowledgements(scenario.database, scenario.home.outbox)]
    assert kinds.count(AckKind.TA1) == 2


@pytest.mark.soak
@pytest.mark.parametrize("point", [point for point in CRASH_POINTS if point not in QUARANTINE_POINTS])
def test_a_crash_at_any_other_step_while_quarantining_loses_nothing(
    point: str, quarantined_first_soak: dict[str, Scenario]
) -> None:
    quarantined_first_soak[point].check()


def test_a_crash_after_the_commit_loses_nothing_on_postgresql(
    tmp_path: Path, database_factory: DatabaseFactory, launcher: Launcher
) -> None:
    database = database_factory("postgresql")
    scenario = Scenario("committed", STAGED_FIRST, make_home(tmp_path, url_of(database)), database)

    run_side_by_side([scenario], launcher)

    scenario.check()
