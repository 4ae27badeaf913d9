"""A partner that writes a file slowly, in chunks, straight under its final name: the gateway (running for
real, with its watchdog observers waking it at every write) must wait until the file has settled, then
take it once and whole."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from gateway.service import CycleReport, Gateway
from gateway.staging import Outcome
from tests.staging_databases import DatabaseFactory

from .conftest import make_home, url_of
from .look import check_staged_exactly_once, file_rows, sha256
from .processes import wait_for
from .x12files import hospital_850

CHUNKS = 10
PAUSE = 0.3  # seconds between chunks: shorter than the settle window below


def test_a_file_written_in_chunks_over_seconds_is_staged_once_and_complete(
    tmp_path: Path, database_factory: DatabaseFactory
) -> None:
    database = database_factory("sqlite")
    home = make_home(tmp_path, url_of(database))
    home.environment.update(
        {
            "EDIGW_INGEST__SETTLE_SECONDS": "1.0",  # > PAUSE: a pause of the writer never looks like the end
            "EDIGW_INGEST__SETTLE_CHECKS": "2",
            "EDIGW_INGEST__RESCAN_SECONDS": "0.5",
        }
    )
    data = hospital_850()
    size = -(-len(data) // CHUNKS)
    chunks = [data[start : start + size] for start in range(0, len(data), size)]
    assert len(chunks) == CHUNKS
    gateway = Gateway(home.configuration(), database)
    stop = threading.Event()
    cycles: list[CycleReport] = []
    failures: list[BaseException] = []

    def serve() -> None:
        try:
            gateway.run(stop, on_cycle=cycles.append)
        except BaseException as error:  # shown by the test, not lost in the thread
            failures.append(error)

    server = threading.Thread(target=serve, name="gateway")
    server.start()
    try:
        wait_for(lambda: bool(cycles) or bool(failures), what="the gateway's first scan")
        path = home.inbox / "slow-order.edi"
        with path.open("wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
                stream.flush()
                time.sleep(PAUSE)
        written_at = len(cycles)
        wait_for(lambda: bool(file_rows(database)) or bool(failures), what="the file to be staged")
        wait_for(lambda: file_rows(database)[0].archived_at is not None, what="the file to be archived")
    finally:
        stop.set()
        server.join(timeout=30)
    assert not server.is_alive() and failures == []
    assert written_at > CHUNKS // 2, "the gateway was looking while the file was written"
    [row] = file_rows(database)
    assert row.sha256 == sha256(data) and row.size_bytes == len(data) and row.outcome == Outcome.OK
    check_staged_exactly_once(database, home.root, {"slow-order.edi": data})
