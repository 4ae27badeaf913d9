"""camt.053 benchmark: a generated 100 MB statement parsed with peak memory under 100 MB (issue 4), and its time.

The file is one hospital operating account's statement (the worst case for memory: a single ``Stmt`` whose
entries all sit in one element), pretty-printed as banks send it: insurer EFT credits with their ERA and
claim references, card settlement batches split into three transactions, supplier payments with referred
invoices, returned payments, bank fees. The parse runs in its own process, so that its peak resident memory
(``ru_maxrss``) is its own; the lines it returns are part of that peak. The CPU time is shown beside the
wall time: on a shared machine it is the steadier figure. Figures are printed, never asserted.

Run with ``python -m benchmarks.bank_camt [--megabytes N] [--runs N]`` (``make bench``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import TextIO

BENCH_DIR = Path(__file__).resolve().parent.parent / "bench-data"
TARGET_PEAK_MB = 100
ACCOUNT = "DE89370400440532013000"

_HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <BkToCstmrStmt>
    <GrpHdr>
      <MsgId>BENCH-20240328-0001</MsgId>
      <CreDtTm>2024-03-29T05:12:44+01:00</CreDtTm>
    </GrpHdr>
    <Stmt>
      <Id>ELK-OPS-2024-088</Id>
      <CreDtTm>2024-03-29T05:12:44+01:00</CreDtTm>
      <Acct>
        <Id>
          <IBAN>{account}</IBAN>
        </Id>
        <Ccy>EUR</Ccy>
      </Acct>
      <Bal>
        <Tp>
          <CdOrPrtry>
            <Cd>OPBD</Cd>
          </CdOrPrtry>
        </Tp>
        <Amt Ccy="EUR">1000000.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Dt>
          <Dt>2024-03-28</Dt>
        </Dt>
      </Bal>
"""

_ENTRY = """      <Ntry>
        <NtryRef>{n}</NtryRef>
        <Amt Ccy="EUR">{amount}</Amt>
        <CdtDbtInd>{indicator}</CdtDbtInd>
        <RvslInd>{reversal}</RvslInd>
        <Sts>
          <Cd>BOOK</Cd>
        </Sts>
        <BookgDt>
          <Dt>2024-03-28</Dt>
        </BookgDt>
        <ValDt>
          <Dt>2024-03-28</Dt>
        </ValDt>
        <AcctSvcrRef>20240328{n:010d}</AcctSvcrRef>
        <BkTxCd>
          <Domn>
            <Cd>PMNT</Cd>
            <Fmly>
              <Cd>{family}</Cd>
              <SubFmlyCd>ESCT</SubFmlyCd>
            </Fmly>
          </Domn>
        </BkTxCd>
        <NtryDtls>
{details}        </NtryDtls>
        <AddtlNtryInf>{information}</AddtlNtryInf>
      </Ntry>
"""

_TRANSACTION = """          <TxDtls>
            <Refs>
              <AcctSvcrRef>TX{n:010d}-{part}</AcctSvcrRef>
              <InstrId>INSTR-{n:010d}-{part}</InstrId>
              <EndToEndId>{end_to_end}</EndToEndId>
              <UETR>8a562c67-ca16-48ba-b074-{n:08d}{part:04d}</UETR>
            </Refs>
            <Amt Ccy="EUR">{amount}</Amt>
            <CdtDbtInd>{indicator}</CdtDbtInd>
            <RltdPties>
              <{role}>
                <Pty>
                  <Nm>{party}</Nm>
                  <PstlAdr>
                    <StrtNm>Hauptstrasse</StrtNm>
                    <BldgNb>{building}</BldgNb>
                    <PstCd>10115</PstCd>
                    <TwnNm>Berlin</TwnNm>
                    <Ctry>DE</Ctry>
                  </PstlAdr>
                </Pty>
              </{role}>
              <{role}Acct>
                <Id>
                  <IBAN>DE02120300000000{n:06d}</IBAN>
                </Id>
              </{role}Acct>
            </RltdPties>
            <RltdAgts>
              <{role}Agt>
                <FinInstnId>
                  <BICFI>BYLADEM1001</BICFI>
                </FinInstnId>
              </{role}Agt>
            </RltdAgts>
            <RmtInf>
              <Ustrd>{remittance}</Ustrd>
              <Strd>
                <CdtrRefInf>
                  <Tp>
                    <CdOrPrtry>
                      <Cd>SCOR</Cd>
                    </CdOrPrtry>
                  </Tp>
                  <Ref>RF18{n:012d}</Ref>
                </CdtrRefInf>
              </Strd>
            </RmtInf>
          </TxDtls>
"""

_TRAILER = """      <Bal>
        <Tp>
          <CdOrPrtry>
            <Cd>CLBD</Cd>
          </CdOrPrtry>
        </Tp>
        <Amt Ccy="EUR">{closing}</Amt>
        <CdtDbtInd>{indicator}</CdtDbtInd>
        <Dt>
          <Dt>2024-03-28</Dt>
        </Dt>
      </Bal>
    </Stmt>
  </BkToCstmrStmt>
</Document>
"""

# (party, indicator, family, parts, remittance)
_KINDS = (
    ("Northwind Health Insurance AG", "CRDT", "RCDT", 1, "ERA 20240327-{n} CLAIMS {n}1 {n}2 PAYER NWH-0042"),
    ("Contoso Krankenkasse", "CRDT", "RCDT", 1, "CLAIM 2024-{n} PATIENT ACCT {n}"),
    ("Card Acquiring Services GmbH", "CRDT", "RCDT", 3, "PATIENT CARD PAYMENTS TERMINAL 12 BATCH {n}"),
    ("Northwind Medical Supply GmbH", "DBIT", "ICDT", 1, "INV-2024-{n} MED-SURG SUPPLIES LOT 24G118"),
    ("Fabrikam Health Plan", "DBIT", "RCDT", 1, "RETURN ERA 20240320-{n} CLAIM 2024-{n}"),
)


def generate(path: Path, megabytes: int) -> tuple[int, int]:
    """Write a camt.053 of about ``megabytes`` MB; return its entries and the lines it should give."""
    target = megabytes * 1_000_000
    balance = Decimal("1000000.00")
    entries = lines = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(_HEADER.format(account=ACCOUNT))
        while out.tell() < target:
            entries += 1
            parts, signed = _write_entry(out, entries)
            lines += parts
            balance += signed
        out.write(_TRAILER.format(closing=abs(balance), indicator="CRDT" if balance >= 0 else "DBIT"))
    return entries, lines


def _amount(n: int) -> Decimal:
    return Decimal(100 + (n * 7919) % 900_000) / 100


def _write_entry(out: TextIO, n: int) -> tuple[int, Decimal]:
    """Write entry ``n``; return its number of transactions and its signed amount."""
    party, indicator, family, parts, remittance = _KINDS[n % len(_KINDS)]
    amount = _amount(n)
    reversal = party.startswith("Fabrikam")  # a returned insurer payment: its parties are the payment's
    role = "Dbtr" if indicator == "CRDT" or reversal else "Cdtr"
    details = "".join(
        _TRANSACTION.format(
            n=n,
            part=part,
            end_to_end=f"E2E-{n:010d}-{part}",
            amount=amount,
            indicator=indicator,
            role=role,
            party=party,
            building=n % 200,
            remittance=remittance.format(n=n),
        )
        for part in range(1, parts + 1)
    )
    out.write(
        _ENTRY.format(
            n=n,
            amount=amount * parts,
            indicator=indicator,
            reversal="true" if reversal else "false",
            family=family,
            details=details,
            information=f"{party.upper()} {family} {n}",
        )
    )
    total = amount * parts
    return parts, total if indicator == "CRDT" else -total


def measure_one(path: Path) -> None:
    from parsers.bank import parse_statements

    started, cpu_started = time.perf_counter(), time.process_time()
    result = parse_statements(path)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    lines = sum(len(statement.lines) for statement in result.statements)
    issues = sorted({issue.code for issue in result.issues})
    print(json.dumps({"lines": lines, "seconds": elapsed, "cpu": cpu, "peak_kb": peak_kb, "issues": issues}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument(
        "--runs", type=int, default=3, help="runs; the fastest time and the largest peak are shown"
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        measure_one(Path(args.one))
        return
    BENCH_DIR.mkdir(exist_ok=True)
    path = BENCH_DIR / f"camt053-{args.megabytes}mb.xml"
    expected_path = path.with_suffix(".lines")
    if not path.exists() or not expected_path.exists():
        entries, lines = generate(path, args.megabytes)
        expected_path.write_text(f"{entries} {lines}\n")
    entries, lines = (int(value) for value in expected_path.read_text().split())
    size_mb = path.stat().st_size / 1e6
    print(
        f"file: {path.name}, {size_mb:.1f} MB, {entries:,} entries, {lines:,} lines, "
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores"
    )
    rows = []
    for _ in range(args.runs):
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.bank_camt", "--one", str(path)],
            check=True,
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    seconds = min(row["seconds"] for row in rows)
    cpu = min(row["cpu"] for row in rows)
    peak_mb = max(row["peak_kb"] for row in rows) / 1024
    got = rows[0]["lines"]
    print(
        f"camt.053 {size_mb:.0f} MB: {got:,} lines in {seconds:.2f} s, {cpu:.2f} s of CPU "
        f"({size_mb / seconds:.1f} MB/s, {got / seconds:,.0f} lines/s), "
        f"peak RSS {peak_mb:.1f} MB (target < {TARGET_PEAK_MB} MB)"
        + ("" if got == lines else f"  MISMATCH: expected {lines:,} lines")
    )
    if rows[0]["issues"]:
        print(f"issues reported: {', '.join(rows[0]['issues'])}")


if __name__ == "__main__":
    main()
