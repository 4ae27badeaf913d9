"""Staging benchmark: 1,000 generated 20-line purchase orders parsed and staged into a fresh SQLite file.

Prints purchase orders per second for parsing alone and for parsing + staging + commit (``X12Stager`` in one
transaction), the stager's own cost per order (parse + stage minus parse alone, before the commit) and the
commit's. Call ``main()`` from ``make bench`` or run ``python -m benchmarks.staging [--orders N] [--runs N]``.
Figures are printed, never asserted (this machine's speed wanders with its neighbours' load).
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.x12_reader import BENCH_DIR, generate

SEGMENTS_PER_ORDER = 51  # ST, BEG, CUR, REF, DTM, N1, N3, N4, N1, 20 x (PO1, PID), CTT, SE


def _orders_file(orders: int) -> Path:
    BENCH_DIR.mkdir(exist_ok=True)
    path = BENCH_DIR / f"staging-{orders}-orders.x12"
    if not path.exists():
        generate(path, orders * SEGMENTS_PER_ORDER + 4)
    return path


def _parse_only(path: Path) -> tuple[float, int]:
    from parsers.x12.parse import parse_transactions

    started = time.perf_counter()
    _reader, transactions = parse_transactions(path)
    count = sum(1 for _ in transactions)
    return time.perf_counter() - started, count


def _parse_and_stage(path: Path, folder: Path) -> tuple[float, float, int]:
    """Seconds to parse and stage (before the commit), seconds of the commit, transaction sets staged."""
    from gateway.staging import AttemptTrigger, Outcome, Stage, X12Stager, envelope_of, files, open_database
    from parsers.x12.parse import parse_transactions

    database = open_database(f"sqlite:///{folder / 'staging.db'}")
    database.upgrade()
    data = path.read_bytes()
    started = time.perf_counter()
    with database.begin() as connection:
        file_id = files.insert_received_file(
            connection,
            source="local:bench",
            name=path.name,
            sha256=hashlib.sha256(data).hexdigest(),
            size_bytes=len(data),
        )
        attempt_id = files.start_attempt(connection, file_id, AttemptTrigger.INGEST)
        stager = X12Stager(connection, file_id=file_id, attempt_id=attempt_id, partner_id="bench")
        reader, transactions = parse_transactions(data)
        count = 0
        for transaction, result in transactions:
            interchange, group = envelope_of(reader, transaction)
            stager.add(transaction, result, interchange, group)
            count += 1
        stager.finish(reader)
        files.set_state(connection, file_id, attempt_id, Stage.STAGED, Outcome.OK)
        staged = time.perf_counter()
    committed = time.perf_counter()
    database.dispose()
    return staged - started, committed - staged, count


def main(orders: int = 1000, runs: int = 5) -> None:
    path = _orders_file(orders)
    _parse_only(path)  # warm up: specifications loaded, code compiled
    rows = []
    for _ in range(runs):
        # Parse alone and parse + stage back to back, so that both see the same load on the machine.
        parse_seconds, count = _parse_only(path)
        with tempfile.TemporaryDirectory(prefix="edigw-bench-") as folder:
            stage_seconds, commit_seconds, _ = _parse_and_stage(path, Path(folder))
        rows.append((parse_seconds, stage_seconds, commit_seconds))
    parse_best = min(row[0] for row in rows)
    total_best = min(row[1] + row[2] for row in rows)
    stager_us = statistics.median((row[1] - row[0]) / count * 1e6 for row in rows)
    commit_us = statistics.median(row[2] / count * 1e6 for row in rows)
    print(f"staging: {count:,} purchase orders of 20 lines into SQLite, {runs} runs")
    print(f"  parse only               {count / parse_best:8,.0f} POs/s (best run)")
    print(f"  parse + stage + commit   {count / total_best:8,.0f} POs/s (best run; target 5,000 end to end)")
    print(f"  stager, before commit    {stager_us:8,.0f} us per PO (median; budget ~100)")
    print(f"  commit (WAL, checkpoint) {commit_us:8,.0f} us per PO (median)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    main(arguments.orders, arguments.runs)
