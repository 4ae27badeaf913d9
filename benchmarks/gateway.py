"""End-to-end ingestion benchmark: files in the inbox -> staged in SQLite, acknowledged, archived.

Cases (each in a fresh process, so that its peak resident memory is its own; best of ``--runs``):
* "one interchange": one file holding N purchase orders of 20 lines (default 1,000, and 4x that to show
  that memory stays flat as the input grows): purchase orders per second;
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


def _one_interchange(orders: int) -> dict[str, float]:
    from gateway.config import load_configuration
    from gateway.ingest.pipeline import Candidate, Ingestor
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
        dropped = inbox / "orders.x12"
        dropped.write_bytes(source.read_bytes())
        ingestor = Ingestor(configuration, database)
        started = time.perf_counter()
        result = ingestor.ingest(
            Candidate(source="local:inbox/benchpartner", path=os.fsencode(dropped), name=b"orders.x12")
        )
        elapsed = time.perf_counter() - started
        assert result.transactions == orders, result
        database.dispose()
    return {"seconds": elapsed, "count": orders}


def _small_files(count: int) -> dict[str, float]:
    from gateway.config import load_configuration
    from gateway.service import Gateway
    from gateway.staging.database import open_database

    one = BENCH_DIR / "staging-1-orders.x12"
    if not one.exists():
        generate(one, SEGMENTS_PER_ORDER + 4)
    template = one.read_text(encoding="ascii")
    with tempfile.TemporaryDirectory() as work:
        home = Path(work)
        _home(home)
        configuration = load_configuration(home=home)
        database = open_database(configuration.settings.database_url)
        database.upgrade()
        gateway = Gateway(configuration, database)
        gateway.prepare()
        inbox = configuration.settings.paths.inbox / "benchpartner"
        for number in range(1, count + 1):
            # Distinct content and ISA13 per file: every one is staged, none is a duplicate.
            text = template.replace("*000000101*", f"*{number:09d}*").replace(
                "IEA*1*000000101", f"IEA*1*{number:09d}"
            )
            (inbox / f"order-{number:05d}.x12").write_text(text, encoding="ascii")
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
        rate = best["count"] / best["seconds"]
        target = "target >= 5,000/s" if case == "one interchange" else "target >= 200/s"
        print(
            f"  {case:16} {int(best['count']):>6,} {unit:15} {best['seconds']:6.2f} s {rate:>8,.0f}/s "
            f"({target})  peak RSS {peak:6.1f} MB"
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
