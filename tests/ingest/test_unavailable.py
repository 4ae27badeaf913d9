"""When the database is locked or the disk is full: nothing committed half-way, nothing lost, and once the
cause is gone the next cycles finish the work, each file staged once.

The lock is another connection's ``BEGIN EXCLUSIVE`` on the SQLite file (the gateway's busy timeout is
0.2 s), taken before the file is read or at a step of the pipeline (through the test-only crash points,
here made to take the lock instead of killing the process). The full disk is a tiny tmpfs mounted over the
outbox or the archive (skipped where mounting is not permitted), or ``write_atomically`` failing once
with ENOSPC. The gateway's clock is moved on so that a retry's pause need not be waited for.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from gateway.ingest import acknowledge, pipeline, storage
from gateway.service import Gateway
from gateway.staging import AckStatus, Outcome, Stage
from gateway.staging.database import Database
from tests.staging_databases import DatabaseFactory

from .conftest import make_home, url_of
from .home import GatewayHome, ManualClock, drain, gateway_on
from .look import (
    check_acknowledgements,
    check_audit_chain,
    check_no_temporaries,
    check_staged_exactly_once,
    count_rows,
    file_rows,
    regular_files,
    sent_acks,
)
from .x12files import clinic_850

RETRY_PAUSE_PASSED = 3600.0  # seconds the clock is moved on: any retry is due


@pytest.fixture
def locked_home(tmp_path: Path, database_factory: DatabaseFactory) -> tuple[GatewayHome, Database]:
    database = database_factory("sqlite", busy_timeout=0.2)
    return make_home(tmp_path, url_of(database)), database


class Locker:
    """Another process's view of the database: a connection that takes the write lock and holds it."""

    def __init__(self, database: Database) -> None:
        path = make_url(url_of(database)).database
        assert path is not None
        self._connection = sqlite3.connect(path, isolation_level=None, timeout=0)
        self.held = False

    def lock(self) -> None:
        self._connection.execute("BEGIN EXCLUSIVE")
        self.held = True

    def release(self) -> None:
        self._connection.execute("ROLLBACK")
        self.held = False

    def close(self) -> None:
        self._connection.close()


def lock_at(point: str, locker: Locker, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the pipeline's crash point ``point`` take the lock (once) instead of doing nothing."""

    def reached(name: str) -> None:
        if name == point and not locker.held:
            locker.lock()

    for module in (pipeline, acknowledge):
        monkeypatch.setattr(module, "crash_point", reached)


def check_all_done(home: GatewayHome, database: Database, inputs: dict[str, bytes]) -> None:
    check_staged_exactly_once(database, home.root, inputs)
    check_acknowledgements(database, home.outbox)
    check_no_temporaries(home.root)
    check_audit_chain(database)
    assert home.inbox_files() == []


def test_a_locked_database_leaves_the_file_in_the_inbox_with_nothing_committed(
    locked_home: tuple[GatewayHome, Database],
) -> None:
    home, database = locked_home
    clock = ManualClock()
    gateway = gateway_on(home, database, clock=clock)
    data = clinic_850(301)
    path = home.drop_by_rename("po.edi", data, "riverside")
    locker = Locker(database)
    try:
        locker.lock()

        report = gateway.cycle()

        assert report.taken == 0 and report.pending == 1  # postponed, not lost
        assert path.read_bytes() == data
        assert count_rows(database, "received_files") == 0 and count_rows(database, "interchanges") == 0
        assert count_rows(database, "acknowledgements") == 0 and count_rows(database, "attempts") == 0
        clock.advance(RETRY_PAUSE_PASSED)
        assert gateway.cycle().taken == 0, "taken while the database is still locked"
        locker.release()
        clock.advance(RETRY_PAUSE_PASSED)

        [result] = drain(gateway)
    finally:
        locker.close()
    assert result.outcome == Outcome.OK
    check_all_done(home, database, {"po.edi": data})


@pytest.mark.parametrize("point", ["committed", "acknowledged", "moved"])
def test_a_database_locked_after_the_staging_commit_is_finished_once_the_lock_is_gone(
    point: str, locked_home: tuple[GatewayHome, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    home, database = locked_home
    clock = ManualClock()
    gateway = gateway_on(home, database, clock=clock)
    data = clinic_850(302)
    home.drop_by_rename("po.edi", data, "riverside")
    locker = Locker(database)
    lock_at(point, locker, monkeypatch)
    try:
        report = gateway.cycle()

        # Taken out of the inbox (staged and moved); only "written and archived" is left unsaid.
        assert locker.held and report.taken == 1
        [row] = file_rows(database)  # the staging transaction committed whole before the lock came
        assert row.stage == Stage.STAGED and row.archived_at is None
        assert count_rows(database, "transaction_sets") == 1
        assert [ack.status for ack in sent_acks(database)] == [AckStatus.PENDING]
        locker.release()
        clock.advance(RETRY_PAUSE_PASSED)

        drain(gateway)
    finally:
        locker.close()
    check_all_done(home, database, {"po.edi": data})


# --- a full disk ----------------------------------------------------------------------------------------


@pytest.fixture
def tiny_tmpfs() -> Iterator[list[Path]]:
    """``mount(folder)`` puts a 64 KiB tmpfs over ``folder`` (skips when mounting is not permitted)."""
    mounted: list[Path] = []
    yield mounted
    for folder in reversed(mounted):
        subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)


def mount_tiny(folder: Path, mounted: list[Path]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here: {done.stderr.strip()}")
    mounted.append(folder)


def fill(folder: Path) -> Path:
    """Fill the file system under ``folder`` to the last byte; the filler's path."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as stream:
        try:
            while True:
                stream.write(b"\0" * 1024)
        except OSError as error:
            assert error.errno == errno.ENOSPC
    with pytest.raises(OSError):
        (folder / "probe").write_bytes(b"\0" * 1024)
    (folder / "probe").unlink(missing_ok=True)
    return filler


@pytest.mark.parametrize("full", ["outbox", "archive"])
def test_a_full_disk_loses_nothing_and_processing_resumes_once_space_is_freed(
    full: str, tmp_path: Path, database_factory: DatabaseFactory, tiny_tmpfs: list[Path]
) -> None:
    database = database_factory("sqlite")
    home = make_home(tmp_path, url_of(database))
    folder = home.outbox if full == "outbox" else home.archive
    mount_tiny(folder, tiny_tmpfs)
    clock = ManualClock()
    gateway = gateway_on(home, database, clock=clock)
    filler = fill(folder)
    data = clinic_850(303)
    path = home.drop_by_rename("po.edi", data, "riverside")

    report = gateway.cycle()

    assert report.taken == 0 and report.pending == 1
    assert path.read_bytes() == data, "the original is intact where it was found"
    [row] = file_rows(database)  # staged (the database is on another disk), neither acknowledged nor archived
    assert row.stage == Stage.STAGED and row.archived_at is None
    check_no_temporaries(home.root)
    assert regular_files(folder) == [filler], "nothing half-written where the disk is full"
    filler.unlink()
    clock.advance(RETRY_PAUSE_PASSED)

    drain(gateway)

    check_all_done(home, database, {"po.edi": data})


@pytest.mark.parametrize(
    ("name", "data", "outcome"),
    [
        ("po.edi", clinic_850(304), Outcome.OK),  # its 997 cannot be written
        ("letter.txt", b"no interchange here\n", Outcome.QUARANTINED),  # its .reason.json cannot be written
    ],
)
def test_a_write_failing_with_no_space_left_once_is_retried_to_completion(
    name: str,
    data: bytes,
    outcome: Outcome,
    tmp_path: Path,
    database_factory: DatabaseFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    database = database_factory("sqlite")
    home = make_home(tmp_path, url_of(database))
    clock = ManualClock()
    gateway: Gateway = gateway_on(home, database, clock=clock)
    write_atomically = storage.write_atomically
    failures: list[Path] = []

    def disk_full_once(path: Path, content: bytes, *, unsynced: set[Path] | None = None) -> None:
        if not failures:
            failures.append(path)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        write_atomically(path, content, unsynced=unsynced)

    monkeypatch.setattr(storage, "write_atomically", disk_full_once)
    home.drop_by_rename(name, data, "riverside")

    report = gateway.cycle()

    assert failures and report.taken == 0
    assert (home.inbox / "riverside" / name).read_bytes() == data
    clock.advance(RETRY_PAUSE_PASSED)

    drain(gateway)

    [row] = file_rows(database)
    assert row.outcome == outcome
    check_all_done(home, database, {name: data})
