"""``edi-gateway run`` as an operator runs it: one instance per database, a clean stop on SIGTERM and
SIGINT while files keep arriving, and JSON logs that carry ids and never the content of a segment."""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path
from typing import Any

import pytest

from gateway.staging import Outcome
from gateway.staging.database import Database
from tests.staging_databases import DatabaseFactory

from .conftest import make_home, open_migrated, url_of
from .home import GatewayHome
from .look import (
    check_acknowledgements,
    check_audit_chain,
    check_no_temporaries,
    check_staged_exactly_once,
    file_rows,
    sha256,
)
from .processes import STARTED, Launcher
from .x12files import HOSPITAL_850_SECRETS, clinic_850, hospital_850, hospital_850_bad_unit, truncated


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_a_second_gateway_on_the_same_database_exits_2_with_a_clear_message(
    dialect: str, tmp_path: Path, database_factory: DatabaseFactory, launcher: Launcher
) -> None:
    home = make_home(tmp_path, url_of(database_factory(dialect)))
    first = launcher.start(home, "run")
    first.wait_started()
    order = tmp_path / "order.edi"
    order.write_bytes(hospital_850())

    second = launcher.start(home, "run")  # both at once: two cores, half the wait
    ingest = launcher.start(home, "ingest", str(order))
    second_code, second_err = second.wait(), second.stderr_text()
    ingest_code, ingest_err = ingest.wait(), ingest.stderr_text()

    assert second_code == 2 and "another gateway" in second_err and "is running" in second_err
    assert "Traceback" not in second_err
    assert ingest_code == 2 and "another gateway" in ingest_err
    assert first.process.poll() is None, "the first gateway was disturbed"
    assert first.stop() == 0


class Arrivals:
    """A partner's system dropping files into its folder (by rename) until told to stop."""

    def __init__(self, home: GatewayHome) -> None:
        self.home = home
        self.sent: dict[str, bytes] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._send, name="arrivals")

    def _send(self) -> None:
        number = 1000
        while not self.stop.wait(0.02) and number < 1400:
            number += 1
            name = f"po-{number}.edi"
            self.sent[name] = clinic_850(number)
            self.home.drop_by_rename(name, self.sent[name], "riverside")

    def __enter__(self) -> Arrivals:
        self.thread.start()
        return self

    def __exit__(self, *_exception: object) -> None:
        self.stop.set()
        self.thread.join()


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_the_gateway_cleanly_while_files_are_arriving(
    signal_number: int, sqlite_home: GatewayHome, launcher: Launcher, opened: list[Database]
) -> None:
    database = open_migrated(sqlite_home.database_url, opened)
    gateway = launcher.start(sqlite_home, "run")
    gateway.wait_started()
    with Arrivals(sqlite_home) as arrivals:
        gateway.wait_until(lambda: len(file_rows(database)) >= 5, what="files were staged")

        code = gateway.stop(signal_number)

        assert code == 0, gateway.stderr_text()
    assert "Traceback" not in gateway.stderr_text()
    # Whatever was taken is finished; whatever was not is still in the inbox as the partner wrote it.
    staged = {row.sha256 for row in file_rows(database)}
    taken = {name: data for name, data in arrivals.sent.items() if sha256(data) in staged}
    left = {path.name: path.read_bytes() for path in sqlite_home.inbox_files()}
    assert len(taken) >= 5 and set(taken) | set(left) == set(arrivals.sent) and not set(taken) & set(left)
    assert all(arrivals.sent[name] == data for name, data in left.items())
    check_staged_exactly_once(database, sqlite_home.root, taken)
    check_acknowledgements(database, sqlite_home.outbox)
    check_no_temporaries(sqlite_home.root)
    check_audit_chain(database)


def test_json_logs_carry_file_ids_and_isa13_and_never_segment_content(
    sqlite_home: GatewayHome, launcher: Launcher, opened: list[Database]
) -> None:
    database = open_migrated(sqlite_home.database_url, opened)
    inputs = {
        "order.edi": hospital_850(),
        "bad-unit.edi": hospital_850_bad_unit(),
        "cut-short.edi": truncated(hospital_850(4419)),
        "letter.txt": b"Dear supplier, 40 boxes of NITRILE EXAM GLOVES at 11.85 please. DANA OKAFOR\n",
    }
    gateway = launcher.start(sqlite_home, "run", "--log-json", "--log-level", "DEBUG")
    gateway.wait_started()
    for name, data in inputs.items():
        sqlite_home.drop(name, data)
    gateway.wait_until(
        lambda: sqlite_home.inbox_files() == [] and all(row.archived_at for row in file_rows(database)),
        what="every file was taken",
    )
    assert gateway.stop() == 0
    log = gateway.stderr_text()

    records = _json_records(log)
    rows = {row.original_name: row for row in file_rows(database)}
    staged = [record for record in records if record["message"] == "staged"]
    assert {(record["file_id"], record["isa13"]) for record in staged} >= {
        (rows["order.edi"].id, "000004417"),
        (rows["bad-unit.edi"].id, "000004418"),
    }
    quarantined = {record["file_id"]: record for record in records if record["message"] == "quarantined"}
    assert {rows["cut-short.edi"].id, rows["letter.txt"].id} <= set(quarantined)
    assert rows["letter.txt"].outcome == Outcome.QUARANTINED
    for secret in HOSPITAL_850_SECRETS:
        assert secret not in log, f"{secret!r} from a file reached the log"


def _json_records(log: str) -> list[dict[str, Any]]:
    """The records of a ``--log-json`` stderr: every line is one JSON object (watchdog's included)."""
    lines = [line for line in log.splitlines() if line.strip()]
    other = [line for line in lines if not line.startswith("{")]
    assert not other, f"not JSON: {other}"
    records = [json.loads(line) for line in lines]
    assert any(record["message"].startswith(STARTED) for record in records)
    assert records and all({"time", "level", "logger", "message"} <= set(record) for record in records)
    return records
