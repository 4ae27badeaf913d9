"""Catalog benchmark: GPO contract catalogs of 200,000 rows, in two shapes.

Shapes: "full" (19 columns, every field of the mapping: three GTINs, NDC, HCPCS, UNSPSC, contract, tier,
dates...) and "typical" (10 columns: part, description, unit, eaches, one GTIN, price, contract, tier,
dates). Cases per shape: "csv.reader only" (the csv module splitting the same file, nothing converted: the
floor), "open_catalog (streaming)" (every row converted, none kept: what staging in batches costs),
"parse_catalog (Catalog kept)" (every item kept in one ``Catalog``); and, on the full shape,
"diff_catalogs" (two deliveries parsed and compared). Each measurement runs in its own process so its peak
resident memory (ru_maxrss) is its own. Target (issue 4): 100,000 rows/s or better. Figures are printed,
never asserted.

Run with ``make bench`` (or ``python -m benchmarks.catalog [--rows N]``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent.parent / "bench-data"

HEADER = [
    "Item Number",
    "Manufacturer",
    "Mfr Part",
    "GTIN Each",
    "GTIN Box",
    "GTIN Case",
    "Description",
    "UNSPSC",
    "NDC",
    "HCPCS",
    "UOM",
    "Qty per UOM",
    "Contract",
    "Tier",
    "Contract Price",
    "Currency",
    "Effective",
    "Expires",
    "Min Order",
]
PRODUCTS = [
    ("Nitrile exam gloves, powder-free, size M", "42132203", "", "A4927"),
    ("Sodium chloride 0.9% injection, 10 mL vial", "51191905", "0409-4888-02", "J7050"),
    ("Gauze sponge 4x4 in, 12-ply, sterile", "42311531", "", "A6402"),
    ("Syringe 5 mL Luer-Lock with needle 21G", "42142523", "", "A4657"),
    ('Foley catheter 16 Fr, 5 mL balloon, "silicone"', "42221501", "", "A4344"),
]
UNITS = [("EA", 1, "8.40"), ("BX", 100, "412.50"), ("CS", 1000, "3,950.00")]


def _gtin(level: int, item: int) -> str:
    """A valid GTIN-14: packaging indicator ``level``, a GS1 company prefix, the item, the check digit."""
    body = f"{level}0614141{item % 100_000:05d}"
    total = sum(int(digit) * (3 if i % 2 == 0 else 1) for i, digit in enumerate(body))
    return body + str((10 - total % 10) % 10)


TYPICAL = [
    "Item Number",
    "Description",
    "UOM",
    "Qty per UOM",
    "GTIN",
    "Contract Price",
    "Contract",
    "Tier",
    "Effective",
    "Expires",
]


def generate(path: Path, rows: int, *, shape: str = "full", price_shift: int = 0) -> int:
    """Write a catalog of ``rows`` rows (one per item and unit of measure, two GPO tiers)."""
    written = 0
    gtin_of_unit = {"EA": 3, "BX": 4, "CS": 5}  # the row's own GTIN, for the typical shape
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Mercy Health GPO contract price file"])
        writer.writerow(HEADER if shape == "full" else TYPICAL)
        item = 0
        while written < rows:
            item += 1
            description, unspsc, ndc, hcpcs = PRODUCTS[item % len(PRODUCTS)]
            gtins = [_gtin(level, item) for level in (0, 1, 3)]
            for tier in ("1", "2"):
                for unit, each, price in UNITS:
                    if written >= rows:
                        break
                    cents = int(price.replace(",", "").replace(".", "")) + (item % 97) + price_shift
                    row = [
                        f"MS-{item:07d}",
                        "Medline Industries",
                        f"MDS{item:07d}",
                        gtins[0],
                        gtins[1],
                        gtins[2],
                        description,
                        unspsc,
                        ndc,
                        hcpcs,
                        unit,
                        each,
                        "GPO-2026-118",
                        tier,
                        f"{cents // 100:,}.{cents % 100:02d}",
                        "USD",
                        "03/01/2026",
                        "02/28/2027",
                        1,
                    ]
                    if shape != "full":
                        row = [
                            row[0],
                            row[6],
                            row[10],
                            row[11],
                            row[gtin_of_unit[unit]],
                            row[14],
                            row[12],
                            row[13],
                            row[16],
                            row[17],
                        ]
                    writer.writerow(row)
                    written += 1
    return written


def _mapping(shape: str) -> object:
    from parsers.catalog import CatalogMapping

    if shape != "full":
        return CatalogMapping(
            supplier_part="Item Number",
            description="Description",
            unit="UOM",
            each_per_unit="Qty per UOM",
            gtin="GTIN",
            price="Contract Price",
            default_currency="USD",
            contract_id="Contract",
            contract_tier="Tier",
            effective_date="Effective",
            expiry_date="Expires",
            date_format="%m/%d/%Y",
            thousands_separator=",",
            delimiter=",",
            encoding="utf-8",
            required=frozenset({"price"}),
        )
    return CatalogMapping(
        supplier_part="Item Number",
        manufacturer="Manufacturer",
        manufacturer_part="Mfr Part",
        gtins={"EA": "GTIN Each", "BX": "GTIN Box", "CS": "GTIN Case"},
        description="Description",
        unspsc="UNSPSC",
        ndc="NDC",
        hcpcs="HCPCS",
        unit="UOM",
        each_per_unit="Qty per UOM",
        contract_id="Contract",
        contract_tier="Tier",
        price="Contract Price",
        currency="Currency",
        effective_date="Effective",
        expiry_date="Expires",
        minimum_quantity="Min Order",
        date_format="%m/%d/%Y",
        thousands_separator=",",
        delimiter=",",
        encoding="utf-8",
        required=frozenset({"price"}),
    )


def _csv_only(path: Path, _previous: Path, _shape: str) -> int:
    with path.open(encoding="utf-8", newline="") as stream:
        return sum(1 for _row in csv.reader(stream)) - 2


def _streaming(path: Path, _previous: Path, shape: str) -> int:
    from parsers.catalog import CatalogMapping, open_catalog

    mapping = _mapping(shape)
    assert isinstance(mapping, CatalogMapping)
    count = 0
    with open_catalog(path, mapping) as rows:
        for _row in rows:
            count += 1
    return count


def _parse(path: Path, _previous: Path, shape: str) -> int:
    from parsers.catalog import CatalogMapping, parse_catalog

    mapping = _mapping(shape)
    assert isinstance(mapping, CatalogMapping)
    catalog = parse_catalog(path, mapping)
    assert not catalog.rejected, catalog.rejected[:3]
    return len(catalog.items)


def _diff(path: Path, previous: Path, shape: str) -> int:
    from parsers.catalog import CatalogMapping, diff_catalogs, parse_catalog

    mapping = _mapping(shape)
    assert isinstance(mapping, CatalogMapping)
    changes = diff_catalogs(parse_catalog(previous, mapping), parse_catalog(path, mapping))
    assert changes
    return 2 * sum(1 for _line in path.open("rb")) - 4  # rows of both deliveries


CASES: dict[str, Callable[[Path, Path, str], int]] = {
    "csv.reader only": _csv_only,
    "open_catalog (streaming)": _streaming,
    "parse_catalog (Catalog kept)": _parse,
    "diff_catalogs (two deliveries)": _diff,
}


def measure_one(case: str, path: Path, previous: Path, shape: str) -> None:
    started = time.perf_counter()
    rows = CASES[case](path, previous, shape)
    elapsed = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"case": case, "rows": rows, "seconds": elapsed, "peak_kb": peak_kb}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3, help="runs per case; the fastest is reported")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--previous", help=argparse.SUPPRESS)
    parser.add_argument("--shape", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        measure_one(args.one, Path(args.file), Path(args.previous), args.shape)
        return
    BENCH_DIR.mkdir(exist_ok=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    for shape in ("full", "typical"):
        path = BENCH_DIR / f"catalog-{shape}-{args.rows}.csv"
        previous = BENCH_DIR / f"catalog-{shape}-{args.rows}-previous.csv"
        if not path.exists():
            generate(path, args.rows, shape=shape)
        if not previous.exists():
            generate(previous, args.rows, shape=shape, price_shift=-25)
        columns = len(HEADER if shape == "full" else TYPICAL)
        print(f"{shape} shape: {path.name}, {columns} columns, {path.stat().st_size / 1e6:.1f} MB")
        floor = 0.0
        for case in CASES:
            if case.startswith("diff") and shape != "full":
                continue
            rate = _measure(case, path, previous, shape, args.runs)
            floor = floor or rate
            if rate != floor:
                print(f"  {'':32} {rate / floor:.2f}x the speed of csv.reader alone on the same file")
    print("target (issue 4): >= 100,000 rows/s. open_catalog holds no rows, only each row's key for the")
    print("duplicate check (about 250 bytes a row), so its memory grows slowly with the row count")


def _measure(case: str, path: Path, previous: Path, shape: str, runs: int) -> float:
    # Best of several fresh processes: this machine's speed wanders with its neighbours' load.
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [
                *(sys.executable, "-m", "benchmarks.catalog", "--one", case, "--shape", shape),
                *("--file", str(path), "--previous", str(previous)),
            ],
            check=True,
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    best = min(results, key=lambda r: r["seconds"])
    peak_mb = max(r["peak_kb"] for r in results) / 1024
    rate = float(best["rows"] / best["seconds"])
    print(
        f"  {case:32} {best['rows']:>9,} rows {best['seconds']:7.2f} s {rate:>10,.0f} rows/s  "
        f"peak RSS {peak_mb:6.1f} MB"
    )
    return rate


if __name__ == "__main__":
    main()
