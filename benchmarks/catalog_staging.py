"""Catalog staging benchmark: two consecutive deliveries of a 200,000-row GPO catalog staged end to end.

Cases, each in a fresh process so that its peak resident memory (ru_maxrss) is its own: "first version"
(``catalog-full-N-previous.csv`` read with ``open_catalog`` and staged by ``stage_catalog`` in one
transaction: no previous version, no changes) then "second version" (``catalog-full-N.csv`` on top of it:
every row's price changed, the diff computed by the database). Both on a fresh SQLite file by default, or on
``--url`` (a partner of its own per run, so earlier runs do not count). Figures are printed, never asserted.

Run with ``make bench`` (or ``python -m benchmarks.catalog_staging [--rows N] [--url URL]``); the catalogs
are generated on the first run as ``benchmarks.catalog`` does.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.catalog import BENCH_DIR, _mapping, generate

CASES = ("first version", "second version")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def measure_one(url: str, path: Path, partner: str) -> None:
    """Stage ``path`` as ``partner``'s next catalog version in one transaction; print the figures."""
    from gateway.staging import AttemptTrigger, FileKind, files, open_database
    from gateway.staging.catalog import stage_catalog
    from parsers.catalog import CatalogMapping, open_catalog

    mapping = _mapping("full")
    assert isinstance(mapping, CatalogMapping)
    database = open_database(url)
    database.upgrade()
    started = time.perf_counter()
    with database.begin() as connection:
        file_id = files.insert_received_file(
            connection,
            source=f"local:{partner}",
            name=path.name,
            sha256=_sha256(path),
            size_bytes=path.stat().st_size,
            kind=FileKind.CATALOG,
            partner_id=partner,
        )
        attempt_id = files.start_attempt(connection, file_id, AttemptTrigger.INGEST)
        with open_catalog(path, mapping) as rows:
            staged = stage_catalog(
                connection, file_id=file_id, attempt_id=attempt_id, partner_id=partner, rows=rows
            )
    elapsed = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    changes = sum(staged.changes.values())
    print(
        json.dumps(
            {
                "rows": staged.items + staged.rejected,
                "changes": changes,
                "seconds": elapsed,
                "peak_kb": peak_kb,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--url", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--partner", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        measure_one(args.one, Path(args.file), args.partner)
        return
    BENCH_DIR.mkdir(exist_ok=True)
    current = BENCH_DIR / f"catalog-full-{args.rows}.csv"
    previous = BENCH_DIR / f"catalog-full-{args.rows}-previous.csv"
    if not current.exists():
        generate(current, args.rows, shape="full")
    if not previous.exists():
        generate(previous, args.rows, shape="full", price_shift=-25)
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores; {current.name}, {current.stat().st_size / 1e6:.1f} MB"
    )
    with tempfile.TemporaryDirectory(prefix="catalog-staging-") as folder:
        url = args.url or f"sqlite:///{Path(folder) / 'staging.db'}"
        print(f"database: {url.split('://')[0]}")
        partner = f"benchsupplier-{os.getpid()}-{time.time_ns()}"
        for case, path in zip(CASES, (previous, current), strict=True):
            _measure(case, url, path, partner)


def _measure(case: str, url: str, path: Path, partner: str) -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.catalog_staging",
            "--one",
            url,
            "--file",
            str(path),
            "--partner",
            partner,
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    rate = result["rows"] / result["seconds"]
    print(
        f"  {case:16} {result['rows']:>9,} rows {result['changes']:>9,} changes {result['seconds']:7.2f} s "
        f"{rate:>9,.0f} rows/s  peak RSS {result['peak_kb'] / 1024:6.1f} MB"
    )


if __name__ == "__main__":
    main()
