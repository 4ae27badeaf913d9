"""OFX benchmark: our reader on 50,000 transactions (target: under 5 s), and the ratio to plain ofxparse.

ofxparse's time grows with the square of the number of transactions (50,000 took 270-290 s here), so by
default it runs on a smaller file (5,000 transactions) and the ratio is taken on that same file; our reader
runs on both. ``--full`` runs ofxparse on the large file too (minutes).

Run with ``python -m benchmarks.bank_ofx [--transactions N] [--ofxparse-transactions M] [--full]``.
Figures are printed, never asserted. Each measurement of ours is the best of three runs.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent.parent / "bench-data"
TARGET_SECONDS = 5.0

_PAYERS = (
    ("BCBS ILLINOIS HCCLAIMPMT", "TRN*1*{n:09d}*1360800001\\ PAYER ID 00621"),
    ("AETNA HCCLAIMPMT", "TRN*1*{n:09d}*1066033492\\ REMIT 835"),
    ("CARD SETTLEMENT BATCH", "PATIENT CARD PAYMENTS VISA/MC BATCH {n}"),
    ("VIZIENT GPO REBATE", "ADMIN FEE SHARE CONTRACT MS-2025-118 PERIOD {n}"),
    ("MEDLINE INDUSTRIES LP", "INV {n} MED-SURG SUPPLIES"),
)


def generate(path: Path, transactions: int) -> int:
    """An OFX 1.x file of one hospital operating account with ``transactions`` lines; returns its bytes."""
    with path.open("w", encoding="ascii", newline="\r\n") as out:
        out.write(
            "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\n"
            "COMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n<OFX>\n<SIGNONMSGSRSV1><SONRS>"
            "<STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20260106063000.000[-6:CST]<LANGUAGE>ENG"
            "</SONRS></SIGNONMSGSRSV1>\n<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO"
            "</STATUS>\n<STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>071000013<ACCTID>004417730021"
            "<ACCTTYPE>CHECKING</BANKACCTFROM>\n<BANKTRANLIST><DTSTART>20260101<DTEND>20260131\n"
        )
        for n in range(transactions):
            name, memo = _PAYERS[n % len(_PAYERS)]
            sign = "-" if name.startswith("MEDLINE") else ""
            day = 1 + n % 28
            out.write(
                f"<STMTTRN>\n<TRNTYPE>{'DEBIT' if sign else 'CREDIT'}\n"
                f"<DTPOSTED>202601{day:02d}000000.000[-6:CST]\n<TRNAMT>{sign}{100 + n % 9973}.{n % 100:02d}\n"
                f"<FITID>202601{day:02d}{n:09d}\n<NAME>{name}\n<MEMO>{memo.format(n=n)}\n</STMTTRN>\n"
            )
        out.write(
            "</BANKTRANLIST>\n<LEDGERBAL><BALAMT>1052874.05<DTASOF>20260131</LEDGERBAL>\n"
            "</STMTRS></STMTTRNRS></BANKMSGSRSV1>\n</OFX>\n"
        )
    return path.stat().st_size


def _ours(data: bytes) -> int:
    from parsers.bank import parse_statements

    result = parse_statements(data, format="ofx")
    return sum(len(statement.lines) for statement in result.statements)


def _ofxparse(data: bytes) -> int:
    import ofxparse

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = ofxparse.OfxParser.parse(io.BytesIO(data), fail_fast=False)
    return sum(len(account.statement.transactions) for account in parsed.accounts)


def _timed(run: Callable[[bytes], int], data: bytes, repeat: int) -> tuple[float, int]:
    best, count = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        count = run(data)
        best = min(best, time.perf_counter() - started)
    return best, count


def _file(transactions: int) -> bytes:
    BENCH_DIR.mkdir(exist_ok=True)
    path = BENCH_DIR / f"ofx-{transactions}.ofx"
    if not path.exists():
        generate(path, transactions)
    return path.read_bytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--transactions", type=int, default=50_000)
    parser.add_argument("--ofxparse-transactions", type=int, default=5_000)
    parser.add_argument("--full", action="store_true", help="also run ofxparse on the large file (minutes)")
    options = parser.parse_args()

    large = _file(options.transactions)
    print(
        f"OFX 1.x file: {options.transactions:,} transactions, {len(large) / 1e6:.1f} MB, "
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores"
    )
    seconds, count = _timed(_ours, large, 3)
    verdict = "ok" if seconds < TARGET_SECONDS else "TOO SLOW"
    print(
        f"  ours:      {seconds:7.2f} s  {count / seconds:>9,.0f} transactions/s  "
        f"(target < {TARGET_SECONDS:.0f} s: {verdict})"
    )
    if options.full:
        theirs, their_count = _timed(_ofxparse, large, 1)
        print(f"  ofxparse:  {theirs:7.2f} s  {their_count / theirs:>9,.0f} transactions/s")
        print(f"  ours is {theirs / seconds:.0f}x faster than ofxparse on the same file")
        return

    small_size = options.ofxparse_transactions
    small = _file(small_size)
    print(f"ofxparse on a smaller file ({small_size:,} transactions: its time grows with the square of it)")
    ours_small, _ = _timed(_ours, small, 3)
    theirs, their_count = _timed(_ofxparse, small, 1)
    print(f"  ours:      {ours_small:7.2f} s  {small_size / ours_small:>9,.0f} transactions/s")
    print(f"  ofxparse:  {theirs:7.2f} s  {their_count / theirs:>9,.0f} transactions/s")
    print(f"  ours is {theirs / ours_small:.0f}x faster than ofxparse on the same file")
    scale = options.transactions / small_size
    print(
        f"  ofxparse on {options.transactions:,} would take about {theirs * scale * scale:,.0f} s "
        f"(quadratic), ours took {seconds:.2f} s"
    )


if __name__ == "__main__":
    main()
