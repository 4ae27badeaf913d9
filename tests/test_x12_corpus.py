"""Every public X12 sample is read without a crash, its envelopes counted right, its defects reported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from parsers.errors import EdiGatewayError
from parsers.x12.parse import parse_x12

from .corpus import X12_CORPUS, require_x12_corpus, x12_corpus_files

DEFECTIVE_SOURCE = re.compile(r"fail|ERR|bad|invalid")

# Files from clean sources that really do break an envelope rule; the reader is right to say so.
KNOWN_ENVELOPE_DEFECTS = {
    "edinet__x12.850a.edi": {"TA1.001"},  # ISA13 000000055, IEA02 000000001
    "gozer__asn856.txt": {"TA1.001"},  # ISA13 000003438, IEA02 000000049
    "imsweb__x12_999_accepted.txt": {"TA1.001"},  # ISA13 000000286, IEA02 000000001
    # '.' is the segment terminator, yet a PID text holds ".7MM": the segment is cut in two, so SE01 is off.
    "stupidedi__004010_PR855_pass_2.x12": {"AK5.4"},
    # A defect on purpose though its name does not say so (SOURCES.md: "envelope control numbers mismatch").
    "edi-engine__ControlNumbersMismatch.edi": {"TA1.001", "AK9.4", "AK5.3"},
}

# Files from defective sources whose defect lies in a grammar we do not validate (versions before 004010):
# stupidedi keeps them as fixtures its own older parser failed on; byte for byte their envelopes are sound.
DEFECT_NOT_VISIBLE = {
    "stupidedi__002001_SH856_fail_1.edi",
    "stupidedi__003050_PO850_fail_1.edi",
}

ENVELOPE_CODE_LISTS = ("TA1", "AK9", "AK5")


def _expected_counts() -> dict[str, tuple[int, int]]:
    """(interchanges, transaction sets) per file, from the corpus's SOURCES.md table."""
    table = (X12_CORPUS / "SOURCES.md").read_text("utf-8")
    counts: dict[str, tuple[int, int]] = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) < 10 or not cells[1] or cells[1] in ("file", "---"):
            continue
        sets = cells[2]
        match = re.search(r"\(x(\d+)\)", sets)
        transactions = int(match.group(1)) if match else (0 if sets == "-" else 1)
        # Counted from the end: a separator column may itself hold an escaped '|'.
        counts[cells[1]] = (int(cells[-8]), transactions)
    return counts


@pytest.mark.parametrize("path", x12_corpus_files(), ids=lambda p: p.name)
def test_corpus_file_is_read_and_counted(path: Path) -> None:
    require_x12_corpus()
    try:
        result = parse_x12(path)
    except EdiGatewayError as error:  # the project's own errors are allowed; nothing else is
        pytest.fail(f"{path.name}: {error}")
    expected = _expected_counts().get(path.name)
    if expected is not None:
        summary = result.summary()
        assert (summary["interchanges"], summary["transactions"]) == expected

    envelope_errors = {
        issue.code
        for issue in result.all_issues
        if issue.severity == "error" and issue.code_list in ENVELOPE_CODE_LISTS
    }
    if DEFECTIVE_SOURCE.search(path.name):
        if path.name in DEFECT_NOT_VISIBLE:
            return
        assert result.error_count > 0, f"{path.name} comes from a defective source but no error was found"
    else:
        assert envelope_errors == KNOWN_ENVELOPE_DEFECTS.get(path.name, set())


def test_corpus_counts_table_covers_the_corpus() -> None:
    require_x12_corpus()
    counts = _expected_counts()
    assert {p.name for p in x12_corpus_files()} <= set(counts)
