"""Golden X12 files, variants of them, and reading back the acknowledgements the gateway wrote."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from parsers.x12.parse import ParseResult, parse_x12

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "x12"

# Text from the golden purchase order that must never reach a log: a product, a price, a person, a phone.
HOSPITAL_850_SECRETS = ("NITRILE EXAM GLOVES", "11.85", "DANA OKAFOR", "2175550142", "DOKAFOR@")


def golden(name: str) -> bytes:
    return (GOLDEN / name).read_bytes()


def renumbered(data: bytes, number: int) -> bytes:
    """The same interchange with its control numbers (ISA13 and IEA02, GS06 and GE02) set to ``number``:
    other content, as a partner's next interchange would be."""
    element, terminator = data[3:4], data[105:106]  # the ISA is fixed-length: its separators are known
    segments = []
    for segment in data.split(terminator):
        body = segment.lstrip(b"\r\n")
        fields = body.split(element)
        if fields[0] == b"ISA":
            fields[13] = b"%09d" % number
        elif fields[0] == b"IEA":
            fields[2] = b"%09d" % number
        elif fields[0] in (b"GS", b"GE"):
            fields[6 if fields[0] == b"GS" else 2] = b"%d" % number
        segments.append(segment[: len(segment) - len(body)] + element.join(fields))
    return terminator.join(segments)


def truncated(data: bytes) -> bytes:
    """The interchange with its IEA cut off (a transfer that stopped short)."""
    return data[: data.rindex(b"IEA")]


def hospital_850(number: int = 4417) -> bytes:
    """Mercy General's 005010 purchase order (a 999 answers it), with interchange number ``number``."""
    data = golden("hospital_850_medsurg.edi")
    return data if number == 4417 else renumbered(data, number)


def hospital_850_bad_unit(number: int = 4418) -> bytes:
    """The purchase order with an invalid unit of measure in its first line (PO103 "QX"): X12 errors."""
    return renumbered(golden("hospital_850_medsurg.edi").replace(b"PO1*1*20*BX*", b"PO1*1*20*QX*"), number)


def clinic_850(number: int) -> bytes:
    """Riverside Clinic's small 004010 purchase order (newlines and pipes), interchange ``number``."""
    return renumbered(golden("clinic_850_newline_pipes.edi"), number)


def read_x12(path: Path) -> ParseResult:
    return parse_x12(path.read_bytes())


def functional_acks(result: ParseResult) -> list[dict[str, Any]]:
    """The 997/999 documents of a parsed acknowledgement file, as their JSON."""
    found = []
    for interchange in result.interchanges:
        for group in interchange.groups:
            for transaction in group.transactions:
                to_json = getattr(transaction.document, "to_json", None)
                if transaction.set_id in ("997", "999") and callable(to_json):
                    found.append(to_json())
    return found


def ta1_segments(result: ParseResult) -> list[list[str]]:
    return [segment for interchange in result.interchanges for segment in interchange.ta1_segments]
