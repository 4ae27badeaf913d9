"""X12 reader benchmark: our reader against pyx12's X12Reader and a naive split, on ~1,000,000 segments.

Cases: "naive split" (the whole file split on terminators and separators, no checks), "our tokenizer"
(segment texts found, not yet split into elements), "our reader" (``X12Reader``: transaction sets with every envelope check), "our full parse"
(reader + validation + canonical documents), "pyx12 X12Reader" (iterating its segments).

Run with ``make bench`` (or ``python -m benchmarks.x12_reader [--segments N]``). Each measurement runs in its
own process so that its peak resident memory (ru_maxrss) is its own. Targets (from issue 2): our reader at
least 15x pyx12 and 0.8x the naive split; full parsing (documents + validation) at least 300,000 segments/s;
peak memory under 64 MB. Figures are printed, not asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent.parent / "bench-data"


def generate(path: Path, target_segments: int) -> int:
    """Write one interchange of hospital 850s (about 50 bytes a segment); return its segment count."""
    lines_per_po = 20
    header = (
        "ISA*00*          *00*          *ZZ*MERCYGENERAL   *ZZ*MEDSUPPLYCO    *261122*0930*^*00501*000000101*0*P*>~\n"
        "GS*PO*MERCYGENERAL*MEDSUPPLYCO*20261122*0930*101*X*005010~\n"
    )
    segments = 3  # ISA, GS, then GE and IEA below (counted at the end)
    transactions = 0
    with path.open("w", encoding="ascii", newline="") as out:
        out.write(header)
        while segments < target_segments - 2:
            transactions += 1
            control = f"{transactions:04d}"
            body = [
                f"ST*850*{control}",
                f"BEG*00*SA*PO-{transactions:07d}**20261122",
                "CUR*BY*USD",
                "REF*CT*GPO-CONTRACT-2026-118",
                "DTM*002*20261201",
                "N1*ST*MERCY GENERAL HOSPITAL RECEIVING*UL*0614141000012",
                "N3*1200 HOSPITAL DRIVE",
                "N4*SPRINGFIELD*IL*62701*US",
                "N1*VN*MEDSUPPLY DISTRIBUTION*1*123456789",
            ]
            for line in range(1, lines_per_po + 1):
                body.append(
                    f"PO1*{line}*{10 + line}*BX*{12 + line}.45**VP*MS-{line:05d}*UK*0061414100{line:04d}*BP*MGH-{line:04d}"
                )
                body.append(f"PID*F****NITRILE EXAM GLOVES SIZE M BOX OF {line * 10}")
            body.append(f"CTT*{lines_per_po}")
            body.append(f"SE*{len(body) + 1}*{control}")
            out.write("~\n".join(body) + "~\n")
            segments += len(body)
        out.write(f"GE*{transactions}*101~\nIEA*1*000000101~\n")
    return segments + 1


def _naive(path: Path) -> int:
    text = path.read_text("utf-8")
    count = 0
    for part in text.split("~"):
        part.split("*")
        count += 1
    return count - 1  # the empty text after the last terminator


def _ours_tokenizer(path: Path) -> int:
    from parsers.x12.tokenizer import tokenize

    count = 0
    with path.open("rb") as stream:
        for token in tokenize(stream):
            if token[0] == "segments":
                count += len(token[1])  # type: ignore[arg-type]
            elif token[0] == "isa":
                count += 1
    return count


def _ours_envelope_reader(path: Path) -> int:
    from parsers.x12.reader import X12Reader

    count = 0
    with path.open("rb") as stream:
        reader = X12Reader(stream, keep_results=False)
        for transaction, _result in reader.transactions():
            count += len(transaction.segments)
    return count + 2 * len(reader.interchanges) + 2 * sum(len(i.groups) for i in reader.interchanges)


def _ours_full(path: Path) -> int:
    from parsers.x12.parse import parse_transactions

    count = 0
    reader, results = parse_transactions(path, keep_results=False)
    for _transaction, result in results:
        count += result.segment_count
    # envelope segments: ISA, GS, GE, IEA per interchange/group
    return count + 2 * len(reader.interchanges) + 2 * sum(len(i.groups) for i in reader.interchanges)


def _pyx12(path: Path) -> int:
    import pyx12.x12file

    count = 0
    reader = pyx12.x12file.X12Reader(str(path))
    for _segment in reader:
        count += 1
    return count


CASES: dict[str, Callable[[Path], int]] = {
    "naive split": _naive,
    "our tokenizer": _ours_tokenizer,
    "our reader": _ours_envelope_reader,
    "our full parse (documents + validation)": _ours_full,
    "pyx12 X12Reader": _pyx12,
}


def measure_one(case: str, path: Path) -> None:
    started = time.perf_counter()
    segments = CASES[case](path)
    elapsed = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"case": case, "segments": segments, "seconds": elapsed, "peak_kb": peak_kb}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--segments", type=int, default=1_000_000)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--skip-pyx12", action="store_true")
    parser.add_argument("--runs", type=int, default=3, help="runs per case; the fastest is reported")
    args = parser.parse_args()
    if args.one:
        measure_one(args.one, Path(args.file))
        return
    BENCH_DIR.mkdir(exist_ok=True)
    path = BENCH_DIR / f"interchange-{args.segments}.x12"
    if not path.exists():
        generate(path, args.segments)
    size_mb = path.stat().st_size / 1e6
    print(f"file: {path.name}, {size_mb:.1f} MB, python {sys.version.split()[0]}, {os.cpu_count()} cores")
    results: dict[str, dict[str, float]] = {}
    for case in CASES:
        if args.skip_pyx12 and case.startswith("pyx12"):
            continue
        # Best of several fresh processes: this machine's speed wanders with its neighbours' load.
        rows = []
        for _ in range(args.runs):
            out = subprocess.run(
                [sys.executable, "-m", "benchmarks.x12_reader", "--one", case, "--file", str(path)],
                check=True,
                capture_output=True,
                text=True,
                cwd=Path(__file__).resolve().parent.parent,
            )
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        row = min(rows, key=lambda r: r["seconds"])
        row["peak_kb"] = max(r["peak_kb"] for r in rows)
        results[case] = row
        rate = row["segments"] / row["seconds"]
        print(
            f"{case:42} {row['segments']:>9,} segments {row['seconds']:7.2f} s "
            f"{rate:>12,.0f} seg/s {size_mb / row['seconds']:7.1f} MB/s  peak RSS {row['peak_kb'] / 1024:6.1f} MB"
        )

    def rate_of(case: str) -> float:
        return results[case]["segments"] / results[case]["seconds"]

    ours = rate_of("our reader")
    print(f"our reader / naive split: {ours / rate_of('naive split'):.2f}x (target >= 0.8x)")
    if "pyx12 X12Reader" in results:
        print(f"our reader / pyx12 X12Reader: {ours / rate_of('pyx12 X12Reader'):.1f}x (target >= 15x)")
    full = rate_of("our full parse (documents + validation)")
    print(f"full parse: {full:,.0f} seg/s (target >= 300,000); peak memory target < 64 MB")


if __name__ == "__main__":
    main()
