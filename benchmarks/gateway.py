"""End-to-end ingestion benchmark: files in the inbox -> staged in SQLite, acknowledged, archived.

Cases (each in a fresh process, so that its peak resident memory is its own; best of ``--runs``; the
process tunes its garbage collector as ``edi-gateway run`` does):
* "one interchange": files each holding N purchase orders of 20 lines (default 1,000, and 4x that to show
  that memory stays flat as the input grows), ingested one after the other by one process (each a distinct
  interchange): purchase orders per second for the first file after start (cold: imports finishing,
  statement caches filling) and the median of the next ones (a running gateway);
* "small files": 1,000 files of one purchase order each, taken by the service's own scan (a partner channel
  with ``completion = "rename"``, so the figure is the gateway's work, not the settling wait): files/s.
Targets (issue 3): at least 5,000 purchase orders/s for the single interchange, at least 200 files/s for
small files, memory flat as input grows. Figures are printed, never asserted.
Run with ``make bench`` or ``python -m benchmarks.gateway [--orders N] [--files N] [--runs N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.x12_reader import BENCH_DIR, generate

SEGMENTS_PER_ORDER = 51  # ST, BEG, CUR, REF, DTM, N1, N3, N4, N1, 20 x (PO1, PID), CTT, SE
PARTNER = """\
id = "benchpartner"
name = "Benchmark partner"
[x12]
sender_qualifier = "ZZ"
sender_id = "MERCYGENERAL"
[[channels]]
type = "local"
folder = "benchpartner"
completion = "rename"
"""


def _home(folder: Path) -> dict[str, str]:
    (folder / "config" / "partners").mkdir(parents=True)
    (folder / "config" / "partners" / "benchpartner.toml").write_text(PARTNER, encoding="utf-8")
    return {**os.environ, "EDIGW_HOME": str(folder)}


FILES_PER_PROCESS = 6  # "one interchange": the first file, then five more for the running figure


def _distinct(data: bytes, number: int) -> bytes:
    """The same interchange under another ISA13 (a copy would be a duplicate, or a reused ISA13)."""
    control = f"*{number:09d}*".encode()
    return data.replace(b"*000000101*", control).replace(b"IEA*1*000000101", b"IEA*1" + control[:-1])


def _write_distinct(source: Path, destination: Path, number: int) -> None:
    """``_distinct`` of a large file without holding it in memory (the peak RSS is the gateway's): the
    control number is in the ISA at the start and in the IEA at the end."""
    shutil.copyfile(source, destination)
    with open(destination, "r+b") as stream:
        head = stream.read(256)
        stream.seek(0)
        stream.write(_distinct(head, number))
        stream.seek(-64, os.SEEK_END)
        tail = stream.read()
        stream.seek(-64, os.SEEK_END)
        stream.write(_distinct(tail, number))


def _one_interchange(orders: int) -> dict[str, float]:
    from gateway.config import load_configuration
    from gateway.ingest.pipeline import Candidate, Ingestor
    from gateway.runtime import tune_garbage_collector
    from gateway.staging.database import open_database

    source = BENCH_DIR / f"staging-{orders}-orders.x12"
    if not source.exists():
        generate(source, orders * SEGMENTS_PER_ORDER + 4)
    with tempfile.TemporaryDirectory() as work:
        home = Path(work)
        _home(home)
        configuration = load_configuration(home=home)
        database = open_database(configuration.settings.database_url)
        database.upgrade()
        inbox = configuration.settings.paths.inbox / "benchpartner"
        inbox.mkdir(parents=True)
        ingestor = Ingestor(configuration, database)
        tune_garbage_collector()
        seconds = []
        for number in range(1, FILES_PER_PROCESS + 1):
            name = f"orders-{number}.x12"
            _write_distinct(source, inbox / name, number)
            started = time.perf_counter()
            result = ingestor.ingest(
                Candidate(
                    source="local:inbox/benchpartner",
                    path=os.fsencode(inbox / name),
                    name=name.encode(),
                )
            )
            seconds.append(time.perf_counter() - started)
            assert result.transactions == orders, result
        database.dispose()
    return {"seconds": statistics.median(seconds[1:]), "first": seconds[0], "count": orders}


def _small_files(count: int) -> dict[str, float]:
    from gateway.config import load_configuration
    from gateway.runtime import tune_garbage_collector
    from gateway.service import Gateway
    from gateway.staging.database import open_database

    one = BENCH_DIR / "staging-1-orders.x12"
    if not one.exists():
        generate(one, SEGMENTS_PER_ORDER + 4)
    template = one.read_bytes()
    with tempfile.TemporaryDirectory() as work:
        home = Path(work)
        _home(home)
        configuration = load_configuration(home=home)
        database = open_database(configuration.settings.database_url)
        database.upgrade()
        gateway = Gateway(configuration, database)
        gateway.prepare()
        tune_garbage_collector()
        inbox = configuration.settings.paths.inbox / "benchpartner"
        for number in range(1, count + 1):
            # Distinct content and ISA13 per file: every one is staged, none is a duplicate.
            (inbox / f"order-{number:05d}.x12").write_bytes(_distinct(template, number))
        started = time.perf_counter()
        taken = 0
        while taken < count:
            report = gateway.cycle()
            taken += report.taken
            if not report.taken and not report.pending:
                break
        elapsed = time.perf_counter() - started
        assert taken == count, (taken, count)
        database.dispose()
    return {"seconds": elapsed, "count": count}


CASES = {"one interchange": _one_interchange, "small files": _small_files}


def _measure(case: str, size: int) -> None:
    figures = CASES[case](size)
    figures["peak_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(figures))


def main(orders: int = 1000, small_files: int = 1000, runs: int = 3) -> None:
    BENCH_DIR.mkdir(exist_ok=True)
    print(f"gateway end to end into SQLite (python {sys.version.split()[0]}, {os.cpu_count()} cores)")
    plan = [("one interchange", orders), ("one interchange", orders * 4), ("small files", small_files)]
    for case, size in plan:
        rows = []
        for _ in range(runs):
            out = subprocess.run(
                [sys.executable, "-m", "benchmarks.gateway", "--one", case, "--size", str(size)],
                check=True,
                capture_output=True,
                text=True,
                cwd=Path(__file__).resolve().parent.parent,
            )
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        best = min(rows, key=lambda row: row["seconds"])
        peak = max(row["peak_kb"] for row in rows) / 1024
        unit = "purchase orders" if case == "one interchange" else "files"
        target = "target >= 5,000/s" if case == "one interchange" else "target >= 200/s"
        lines = [("running" if "first" in best else "", best["seconds"])]
        if "first" in best:
            lines.insert(0, ("first file", min(row["first"] for row in rows)))
        for label, seconds in lines:
            print(
                f"  {case:16} {label:10} {int(best['count']):>6,} {unit:15} {seconds:6.2f} s "
                f"{best['count'] / seconds:>8,.0f}/s ({target})  peak RSS {peak:6.1f} MB"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.one:
        _measure(arguments.one, arguments.size)
    else:
        main(arguments.orders, arguments.files, arguments.runs)
