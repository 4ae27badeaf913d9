"""997 / 999 / TA1 acknowledgements: content, counts, envelope-error codes, no ack of acks, and readability.

Received files are parsed with ``validate=False`` (envelope checks only); segment and element errors (AK3/AK4)
are added by hand to ``TransactionResult.issues`` as the validator would. Every acknowledgement written here is
read back by our own reader and by pyx12's (the reference implementation a partner might use), and validated
against pyx12's 997 (4010) and 999 (005010X231A1) maps where those maps allow it.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from emitters.x12.acks import (
    IMPLEMENTATION_999,
    SequentialControlNumbers,
    build_997,
    build_999,
    build_ta1,
    is_acknowledgement_interchange,
    write_acknowledgements,
)
from emitters.x12.writer import X12Writer
from parsers.errors import ConfigurationError, WriterError
from parsers.x12.model import InterchangeResult, Separators, X12Issue
from parsers.x12.parse import parse_x12
from parsers.x12.reader import X12Reader
from tests.corpus import require_x12_corpus, x12_corpus_files

DATE, TIME = "20250114", "0945"


# --- received files ---------------------------------------------------------------------------------------------


def isa(
    control: int = 905,
    *,
    version: str = "00401",
    ack: str = "0",
    usage: str = "P",
    repetition: str = "^",
    component: str = ":",
) -> str:
    isa11 = repetition if version >= "00402" else "U"
    fields = [
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        "ZZ",
        "MERCYGENERAL".ljust(15),
        "ZZ",
        "MEDSURGSUPPLY".ljust(15),
        "250114",
        "0830",
        isa11,
        version,
        f"{control:09d}",
        ack,
        usage,
        component,
    ]
    return "*".join(fields) + "~"


PO_BODY = [
    "BEG*00*SA*4500012345**20250114",
    "CUR*BY*USD",
    "PO1*1*200*BX*12.45**VC*GLV-NIT-M*IN*00812345678901",
    "PID*F****NITRILE EXAM GLOVES MEDIUM",
    "PO1*2*50*CA*38.9**VC*SYR-10ML-LL*N4*12345-6789-01",
    "PID*F****SYRINGE 10ML LUER LOCK",
    "CTT*2",
]


def transaction(
    control: str = "0001",
    body: list[str] | None = None,
    *,
    declared: int | None = None,
    trailer_control: str | None = None,
    implementation: str | None = None,
) -> str:
    segments = body if body is not None else PO_BODY
    header = f"ST*850*{control}" + (f"*{implementation}" if implementation else "")
    count = declared if declared is not None else len(segments) + 2
    return "~".join([header, *segments, f"SE*{count}*{trailer_control or control}"]) + "~"


def group(
    control: int = 17,
    sets: list[str] | None = None,
    *,
    functional_id: str = "PO",
    version: str = "004010",
    declared: int | None = None,
) -> str:
    sets = sets if sets is not None else [transaction()]
    count = declared if declared is not None else len(sets)
    return (
        f"GS*{functional_id}*MERCYGEN*MSSUPPLY*20250114*0830*{control}*X*{version}~"
        + "".join(sets)
        + f"GE*{count}*{control}~"
    )


def interchange(*groups: str, control: int = 905, trailer: int | None = None, **isa_options: str) -> bytes:
    body = "".join(groups)
    return (isa(control, **isa_options) + body + f"IEA*{len(groups)}*{trailer or control:09d}~").encode()


def read(data: bytes | Path) -> list[InterchangeResult]:
    return parse_x12(data, validate=False, documents=False).interchanges


def ack(result: InterchangeResult, kind: str = "auto", **options: object) -> str:
    arguments: dict[str, object] = {
        "kind": kind,
        "sender": None,
        "receiver": None,
        "control_numbers": SequentialControlNumbers(),
        "date": DATE,
        "time": TIME,
        "separators": None,
        "usage": None,
    }
    arguments.update(options)
    return write_acknowledgements(result, **arguments)  # type: ignore[arg-type]


def segments_of(text: str) -> list[list[str]]:
    """Split an acknowledgement written with the default ``* : ~`` separators."""
    return [s.strip().split("*") for s in text.split("~") if s.strip()]


def ids(text: str) -> list[str]:
    return [s[0] for s in segments_of(text)]


def only(text: str, segment_id: str) -> list[list[str]]:
    return [s for s in segments_of(text) if s[0] == segment_id]


def issue(code: str, segment: int, segment_id: str, **fields: object) -> X12Issue:
    located: dict[str, object] = {"segment": segment, "segment_id": segment_id, **fields}
    return X12Issue(code, "found by hand", **located)  # type: ignore[arg-type]


# --- readers of our output --------------------------------------------------------------------------------------


def assert_reads_cleanly(text: str) -> None:
    """Our reader finds no error or warning in the acknowledgement, and what it finds adds up."""
    reader = X12Reader(text.encode())
    list(reader.transactions())
    notes = [i.code for i in reader.issues]
    for found in reader.interchanges:
        notes += [i.code for i in found.issues]
        for received in found.groups:
            notes += [i.code for i in received.issues]
            for result in received.transactions:
                notes += [i.code for i in result.issues]
    assert notes == []
    assert all(found.header is not None for found in reader.interchanges)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _json_errors(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for error in node.get("errors") or []:
            yield str(error.get("err_str"))
        for key, value in node.items():
            if key != "errors" and isinstance(value, dict | list):
                yield from _json_errors(value)
    elif isinstance(node, list):
        for value in node:
            yield from _json_errors(value)


def pyx12_segments(text: str) -> list[str]:
    """Segments as pyx12's tokenizing reader sees them (raises on what it cannot read)."""
    pyx12_x12file = pytest.importorskip("pyx12.x12file")
    return [segment.format() for segment in pyx12_x12file.X12Reader(io.StringIO(text))]


def pyx12_errors(text: str) -> list[str]:
    """Errors pyx12's validating reader reports against its 997 4010 / 999 5010 maps.

    pyx12 ships HIPAA maps only: AK101 must be a HIPAA functional id and AK201 a HIPAA set id. Supply-chain
    acknowledgements (PO/850) are therefore checked with those two values swapped for HC/837 (the structure,
    lengths and codes we write are what is validated). pyx12's control map also expects TA1 after the groups,
    where X12 puts it before them, so TA1s are checked by ``pyx12_segments`` and removed here.
    """
    pyx12_params = pytest.importorskip("pyx12.params")
    pyx12_document = pytest.importorskip("pyx12.x12n_document")
    text = re.sub(r"AK1\*[A-Z]{2}\*", "AK1*HC*", text)
    text = re.sub(r"AK2\*\d{3}\*", "AK2*837*", text)
    text = re.sub(r"TA1\*[^~]*~\n?", "", text)
    collector = _Collect()
    logger = logging.getLogger("pyx12")
    logger.addHandler(collector)
    try:
        report = io.StringIO()
        valid = pyx12_document.x12n_document(
            pyx12_params.params(), io.StringIO(text), fd_997=None, fd_html=None, fd_json=report
        )
    finally:
        logger.removeHandler(collector)
    errors = list(_json_errors(json.loads(report.getvalue()))) if report.getvalue() else []
    errors += collector.messages
    if not valid and not errors:
        errors.append("pyx12 says invalid")
    return errors


def assert_readable_everywhere(text: str, *, validate_with_pyx12: bool = True) -> None:
    assert_reads_cleanly(text)
    assert pyx12_segments(text)
    if validate_with_pyx12:
        assert pyx12_errors(text) == []


# --- 997 --------------------------------------------------------------------------------------------------------


def test_997_for_a_clean_4010_purchase_order() -> None:
    [received] = read(interchange(group()))
    numbers = SequentialControlNumbers(start=40)
    text = ack(received, control_numbers=numbers)
    assert ids(text) == ["ISA", "GS", "ST", "AK1", "AK2", "AK5", "AK9", "SE", "GE", "IEA"]
    head = segments_of(text)[0]
    assert len(text.split("~")[0]) == 105  # fixed-width ISA (106 with its terminator)
    assert [head[5], head[6].strip(), head[7], head[8].strip()] == [
        "ZZ",
        "MEDSURGSUPPLY",
        "ZZ",
        "MERCYGENERAL",
    ]
    assert [head[11], head[12], head[13], head[14], head[15]] == ["U", "00401", "000000040", "0", "P"]
    assert only(text, "GS") == [["GS", "FA", "MSSUPPLY", "MERCYGEN", DATE, TIME, "40", "X", "004010"]]
    assert only(text, "ST") == [["ST", "997", "0040"]]
    assert only(text, "AK1") == [["AK1", "PO", "17"]]
    assert only(text, "AK2") == [["AK2", "850", "0001"]]
    assert only(text, "AK5") == [["AK5", "A"]]
    assert only(text, "AK9") == [["AK9", "A", "1", "1", "1"]]
    assert only(text, "SE") == [["SE", "6", "0040"]]
    assert only(text, "IEA") == [["IEA", "1", "000000040"]]
    assert_readable_everywhere(text)


def test_997_reports_segment_and_element_errors_with_their_positions() -> None:
    [received] = read(interchange(group()))
    result = received.groups[0].transactions[0]
    result.issues += [
        issue("AK4.6", 4, "PO1", element=4, data_element="212", bad_value="12.4X"),
        issue("AK4.7", 4, "PO1", element=7, component=2, data_element="234", bad_value="GLV*NIT~M:"),
        issue("AK3.2", 9, "N9", loop_id="N9"),
        issue("AK4.1", 2, "BEG", element=3, data_element="324"),
    ]
    text = ack(received)
    assert ids(text)[4:13] == ["AK2", "AK3", "AK4", "AK3", "AK4", "AK4", "AK3", "AK5", "AK9"]
    assert only(text, "AK3") == [
        ["AK3", "BEG", "2", "", "8"],
        ["AK3", "PO1", "4", "", "8"],
        ["AK3", "N9", "9", "N9", "2"],
    ]
    assert only(text, "AK4") == [
        ["AK4", "3", "324", "1"],
        ["AK4", "4", "212", "6", "12.4X"],
        ["AK4", "7:2", "234", "7", "GLVNITM"],  # separators stripped from the copy of the bad value
    ]
    assert only(text, "AK5") == [["AK5", "R", "5"]]
    assert only(text, "AK9") == [["AK9", "R", "1", "1", "0"]]
    assert_readable_everywhere(text)


def test_bad_values_are_made_safe_and_cut_to_99_characters() -> None:
    [received] = read(interchange(group()))
    long_value = "LOT-" + "7" * 150 + "\r\n\x00\udcff"
    received.groups[0].transactions[0].issues.append(
        issue("AK4.4", 4, "PO1", element=7, data_element="234", bad_value=long_value)
    )
    text = ack(received)
    [note] = only(text, "AK4")
    assert note[4] == ("LOT-" + "7" * 150)[:99]
    assert_readable_everywhere(text)


def test_warnings_and_reader_notes_are_not_reported() -> None:
    [received] = read(interchange(group()))
    received.groups[0].transactions[0].issues += [
        issue("AK4.7", 4, "PO1", element=6, severity="warning", bad_value="VC"),
        issue("AK3.2", 9, "MSG", severity="warning"),
    ]
    received.groups[0].issues.append(X12Issue(code="AK9.5", message="only a warning", severity="warning"))
    received.issues.append(X12Issue(code="X12.ISA_WIDTH", message="padding", severity="warning"))
    text = ack(received)
    assert "TA1" not in ids(text) and "AK3" not in ids(text) and "AK4" not in ids(text)
    assert only(text, "AK5") == [["AK5", "A"]]
    assert only(text, "AK9") == [["AK9", "A", "1", "1", "1"]]


def test_ak5_codes_come_from_the_issues_at_most_five() -> None:
    [received] = read(interchange(group()))
    result = received.groups[0].transactions[0]
    result.issues += [issue(f"AK5.{code}", 1, "ST") for code in ("23", "6", "7", "16", "17", "24", "23")]
    assert only(ack(received), "AK5") == [["AK5", "R", "23", "6", "7", "16", "17"]]


def test_mixed_group_counts_add_up_and_are_partially_accepted() -> None:
    sets = [transaction("0001"), transaction("0002", declared=3), transaction("0003"), transaction("0004")]
    [received] = read(interchange(group(sets=sets)))
    received.groups[0].transactions[2].issues.append(issue("AK3.1", 3, "ZZZ"))
    text = ack(received)
    assert only(text, "AK2") == [["AK2", "850", f"000{n}"] for n in range(1, 5)]
    assert only(text, "AK5") == [["AK5", "A"], ["AK5", "R", "4"], ["AK5", "R", "5"], ["AK5", "A"]]
    assert only(text, "AK9") == [["AK9", "P", "4", "4", "2"]]
    assert_readable_everywhere(text)


# --- envelope errors --------------------------------------------------------------------------------------------


def test_control_number_mismatches_give_ak5_3_ak9_4_and_ta1_001() -> None:
    corpus = require_x12_corpus()
    [received] = read(corpus / "edi-engine__ControlNumbersMismatch.edi")
    text = ack(received)
    lines = [line.split("*") for line in text.splitlines()]  # that partner terminates segments with a newline
    assert [line[0] for line in lines] == [
        "ISA",
        "TA1",
        "GS",
        "ST",
        "AK1",
        "AK2",
        "AK5",
        "AK9",
        "SE",
        "GE",
        "IEA",
    ]
    assert lines[0][16] == ">"  # their component separator
    assert lines[1] == ["TA1", "000003438", "101127", "1719", "E", "001"]
    assert lines[6] == ["AK5", "R", "3"]
    assert lines[7] == ["AK9", "R", "1", "1", "0", "4"]
    assert_reads_cleanly(text)
    assert pyx12_segments(text)


def test_se_count_gives_ak5_4_and_ge_count_gives_ak9_5() -> None:
    sets = [transaction("0001", declared=4), transaction("0002")]
    [received] = read(interchange(group(sets=sets, declared=3)))
    text = ack(received)
    assert only(text, "AK5") == [["AK5", "R", "4"], ["AK5", "A"]]
    assert only(text, "AK9") == [["AK9", "R", "3", "2", "1", "5"]]  # AK902 is GE01 as declared
    assert_readable_everywhere(text)


def test_missing_group_trailer_counts_what_was_received() -> None:
    text_in = (
        isa() + "GS*PO*MERCYGEN*MSSUPPLY*20250114*0830*17*X*004010~" + transaction() + "IEA*1*000000905~"
    )
    [received] = read(text_in.encode())
    text = ack(received)
    assert only(text, "AK9") == [["AK9", "R", "1", "1", "1", "3"]]


def test_interchange_trailer_mismatch_adds_a_ta1_with_e_and_001() -> None:
    [received] = read(interchange(group(), control=905, trailer=906))
    text = ack(received)
    assert ids(text)[:3] == ["ISA", "TA1", "GS"]
    assert only(text, "TA1") == [["TA1", "000000905", "250114", "0830", "E", "001"]]
    assert only(text, "AK9") == [["AK9", "A", "1", "1", "1"]]
    assert_readable_everywhere(text)


def test_unreadable_isa_gets_a_ta1_r_addressed_from_the_salvaged_ids() -> None:
    data = (isa(123).replace("*:~", "*A~") + "GS*PO*MERCYGEN*MSSUPPLY*20250114*0830*17*X*004010~").encode()
    [received] = read(data)
    assert received.header is None
    text = ack(received)
    assert ids(text) == ["ISA", "TA1", "IEA"]
    head = segments_of(text)[0]
    assert [head[6].strip(), head[8].strip(), head[11], head[12]] == [
        "MEDSURGSUPPLY",
        "MERCYGENERAL",
        "U",
        "00401",
    ]
    assert only(text, "TA1") == [["TA1", "000000123", DATE[2:], TIME, "R", "027"]]
    assert only(text, "IEA") == [["IEA", "0", "000000001"]]
    assert_reads_cleanly(text)
    assert pyx12_segments(text)


def test_broken_header_corpus_file_is_answered() -> None:
    corpus = require_x12_corpus()
    [received] = read(corpus / "silvenga__bad-header.edi")
    text = ack(received)
    assert only(text, "TA1") == [["TA1", "000000000", "250114"[:0] + DATE[2:], "0000", "E", "014"]]
    assert only(text, "AK1") == [["AK1", "HC", "0", "00501"]]  # an 11-digit GS06 of zeros echoed as a number
    assert only(text, "IK5") == [["IK5", "R", "4"]]
    assert_reads_cleanly(text)


def test_bad_first_line_corpus_file_asks_for_a_ta1_and_gets_a_999() -> None:
    corpus = require_x12_corpus()
    [received] = read(corpus / "imsweb__x12_bad_first_line.txt")
    text = ack(received)
    assert ids(text)[:4] == ["ISA", "TA1", "GS", "ST"]
    assert only(text, "TA1") == [["TA1", "000000905", "030101", "1253", "A", "000"]]
    assert only(text, "GS")[0][8] == IMPLEMENTATION_999
    assert only(text, "AK2") == [["AK2", "837", "987654", "005010X222A1"]]
    assert only(text, "IK5") == [["IK5", "R", "4"]]
    assert_readable_everywhere(text)


# --- 999 --------------------------------------------------------------------------------------------------------


def test_999_for_5010_with_ik3_ik4_and_repetition_position() -> None:
    sets = [transaction("0001", implementation="005010"), transaction("0002")]
    [received] = read(interchange(group(sets=sets, version="005010"), version="00501"))
    result = received.groups[0].transactions[0]
    result.issues += [
        issue("AK4.7", 4, "PO1", loop_id="PO1", element=7, data_element="235", bad_value="VX"),
        issue(
            "AK4.5",
            4,
            "PO1",
            loop_id="PO1",
            element=9,
            component=1,
            repetition=2,
            data_element="234",
            bad_value="00812345678901234567",
        ),
        issue("AK3.3", 7, "CTT", loop_id="CTT"),
    ]
    text = ack(received)
    head = segments_of(text)[0]
    assert [head[11], head[12]] == ["^", "00501"]
    assert only(text, "GS")[0][8] == only(text, "ST")[0][3] == IMPLEMENTATION_999
    assert only(text, "AK1") == [["AK1", "PO", "17", "005010"]]
    assert only(text, "AK2") == [["AK2", "850", "0001", "005010"], ["AK2", "850", "0002"]]
    assert only(text, "IK3") == [["IK3", "PO1", "4", "PO1", "8"], ["IK3", "CTT", "7", "CTT", "3"]]
    assert only(text, "IK4") == [
        ["IK4", "7", "235", "7", "VX"],
        ["IK4", "9:1:2", "234", "5", "00812345678901234567"],
    ]
    assert only(text, "IK5") == [["IK5", "R", "5"], ["IK5", "A"]]
    assert only(text, "AK9") == [["AK9", "P", "2", "2", "1"]]
    assert_readable_everywhere(text)


def test_kind_997_for_a_5010_group_writes_a_5010_997() -> None:
    [received] = read(
        interchange(group(sets=[transaction(implementation="005010")], version="005010"), version="00501")
    )
    received.groups[0].transactions[0].issues.append(
        issue("AK4.7", 4, "PO1", element=9, component=2, repetition=1, data_element="234", bad_value="X")
    )
    text = ack(received, "997")
    assert only(text, "GS")[0][8] == "005010"
    assert only(text, "ST") == [["ST", "997", "0001"]]
    assert only(text, "AK1") == [["AK1", "PO", "17", "005010"]]
    assert only(text, "AK2") == [["AK2", "850", "0001", "005010"]]
    assert only(text, "AK4") == [["AK4", "9:2:1", "234", "7", "X"]]
    assert_reads_cleanly(text)  # pyx12 has no 5010 997 map


def test_kind_999_for_a_4010_group_and_different_versions_get_their_own_fa_groups() -> None:
    first = group(17)
    second = group(18, sets=[transaction("0009")], version="005010")
    [received] = read(interchange(first, second, version="00501"))
    auto = ack(received)
    assert [g[8] for g in only(auto, "GS")] == ["004010", IMPLEMENTATION_999]
    assert only(auto, "IEA")[0][1] == "2"
    assert_reads_cleanly(auto)
    forced = ack(received, "999")
    assert [g[8] for g in only(forced, "GS")] == [IMPLEMENTATION_999]
    assert [s[1] for s in only(forced, "ST")] == ["999", "999"]
    assert only(forced, "GE") == [["GE", "2", "1"]]
    assert_readable_everywhere(forced)


# --- what is (not) acknowledged ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "staedi__simple999.edi",
        "stupidedi__004010_FA997_pass_1.edi",
        "uhin__TA1.edi",
        "staedi__x12_interchange_ack.txt",
        "staedi__simple997-multiple-interchanges.edi",
        "imsweb__x12_999_rejected.txt",
    ],
)
def test_acknowledgements_are_never_acknowledged(name: str) -> None:
    corpus = require_x12_corpus()
    for received in read(corpus / name):
        assert is_acknowledgement_interchange(received)
        for kind in ("auto", "997", "999", "ta1"):
            assert ack(received, kind) == ""


def test_fa_groups_in_a_mixed_interchange_are_skipped() -> None:
    fa = "GS*FA*MERCYGEN*MSSUPPLY*20250114*0830*5*X*004010~ST*997*0001~AK1*PO*3~AK9*A*1*1*1~SE*4*0001~GE*1*5~"
    [received] = read(interchange(fa, group()))
    text = ack(received)
    assert only(text, "AK1") == [["AK1", "PO", "17"]]


def test_nothing_to_send_consumes_no_control_numbers() -> None:
    corpus = require_x12_corpus()
    numbers = SequentialControlNumbers()
    for received in read(corpus / "staedi__simple997.edi"):
        assert ack(received, control_numbers=numbers) == ""
    assert numbers.next("interchange") == 1


def test_kind_ta1_sends_only_the_ta1_and_auto_sends_it_when_asked() -> None:
    [received] = read(interchange(group(), ack="1", version="00501"))
    only_ta1 = ack(received, "ta1")
    assert ids(only_ta1) == ["ISA", "TA1", "IEA"]
    assert segments_of(only_ta1)[0][12] == "00501"
    assert only(only_ta1, "TA1") == [["TA1", "000000905", "250114", "0830", "A", "000"]]
    assert only(only_ta1, "IEA") == [["IEA", "0", "000000001"]]
    assert ids(ack(received))[:3] == ["ISA", "TA1", "GS"]
    assert "TA1" not in ids(ack(read(interchange(group()))[0]))
    assert_reads_cleanly(only_ta1)
    assert pyx12_segments(only_ta1)


def test_ta1_policy_of_the_partner_decides_when_a_ta1_goes_along() -> None:
    [asked] = read(interchange(group(), ack="1"))
    [not_asked] = read(interchange(group()))
    [faulty] = read(interchange(group(), trailer=906))  # IEA02 differs: TA1 001
    has_ta1 = {
        policy: ["TA1" in ids(ack(received, ta1=policy)) for received in (asked, not_asked, faulty)]
        for policy in ("requested", "on_error", "always", "never")
    }
    assert has_ta1 == {
        "requested": [True, False, True],
        "on_error": [False, False, True],
        "always": [True, True, True],
        "never": [False, False, False],
    }
    assert ids(ack(not_asked, "ta1", ta1="never")) == ["ISA", "TA1", "IEA"]  # asked for explicitly
    assert ids(ack(asked, "none")) == ["ISA", "TA1", "IEA"]  # no 999/997, the TA1 as requested
    assert ack(not_asked, "none") == ""


def test_a_rejected_interchange_gets_a_ta1_r_and_nothing_else() -> None:
    [faulty] = read(interchange(group(), trailer=906))
    text = ack(faulty, rejected=True, ta1="on_error")
    assert ids(text) == ["ISA", "TA1", "IEA"]
    assert only(text, "TA1")[0][4:] == ["R", "001"]


def test_ta1_for_isa_field_errors_uses_the_first_error_code() -> None:
    data = interchange(group()).replace(b"*250114*0830*", b"*251399*0830*")
    [received] = read(data)
    assert build_ta1(received, date=DATE, time=TIME) == ["TA1", "000000905", DATE[2:], "0830", "E", "014"]


# --- options ----------------------------------------------------------------------------------------------------


def test_explicit_addresses_separators_and_usage() -> None:
    [received] = read(interchange(group(), version="00501"))
    text = ack(
        received,
        "999",
        sender=("01", "123456789"),
        receiver=("14", "HOSPITALGLN"),
        usage="T",
        separators=Separators(element="|", component=">", segment="\n", repetition="!"),
    )
    lines = text.splitlines()
    head = lines[0].split("|")
    assert [head[5], head[6].strip(), head[7], head[8].strip()] == ["01", "123456789", "14", "HOSPITALGLN"]
    assert [head[11], head[15], head[16]] == ["!", "T", ">"]
    assert not text.endswith("\n\n")
    assert_reads_cleanly(text)
    assert pyx12_segments(text)


def test_incoming_separators_are_reused_and_a_repetition_separator_added_for_5010() -> None:
    data = interchange(group(version="005010"), version="00401").replace(b"*", b"|")
    [received] = read(data)
    text = ack(received)
    head = text.split("~")[0].split("|")
    assert head[12] == "00501" and head[11] == "^"
    assert_reads_cleanly(text)


def test_unsafe_echoed_values_do_not_break_the_acknowledgement() -> None:
    [received] = read(interchange(group()))
    result = received.groups[0].transactions[0]
    result.control_number = "00*1~"
    result.issues.append(issue("AK3.2", 5, "P~D", loop_id="TOOLONG"))
    text = ack(received)
    assert only(text, "AK2") == [["AK2", "850", "0001"]]  # separators stripped, then padded to 4
    assert only(text, "AK3") == [["AK3", "PD", "5", "", "2"]]


def test_bad_arguments_are_refused() -> None:
    [received] = read(interchange(group()))
    with pytest.raises(WriterError):
        ack(received, date="250114")
    with pytest.raises(WriterError):
        ack(received, time="9:45")
    with pytest.raises(ConfigurationError):
        ack(received, usage="X")
    with pytest.raises(WriterError):
        ack(received, sender=("ZZ", "A-SENDER-ID-THAT-IS-TOO-LONG"))
    with pytest.raises(ConfigurationError):
        ack(received, separators=Separators(element="*", component="*", segment="~"))


def test_results_read_without_transactions_cannot_be_acknowledged() -> None:
    reader = X12Reader(interchange(group()), keep_results=False)
    list(reader.transactions())
    with pytest.raises(ConfigurationError):
        build_997(reader.interchanges[0].groups[0])
    with pytest.raises(ConfigurationError):
        build_999(reader.interchanges[0].groups[0])


def test_builders_return_bodies_without_envelopes() -> None:
    [received] = read(interchange(group()))
    built = build_997(received.groups[0])
    assert (built.set_id, built.version, built.implementation, built.received, built.accepted) == (
        "997",
        "004010",
        None,
        1,
        1,
    )
    assert [s[0] for s in built.segments] == ["AK1", "AK2", "AK5", "AK9"]
    writer = X12Writer()
    assert writer.segments(built.segments) == "AK1*PO*17~AK2*850*0001~AK5*A~AK9*A*1*1*1~"


def test_sequential_control_numbers_count_each_kind_and_wrap() -> None:
    numbers = SequentialControlNumbers(start=999_999_998)
    assert [numbers.next("interchange") for _ in range(3)] == [999_999_998, 999_999_999, 1]
    assert numbers.next("group") == 999_999_998
    assert numbers.next("transaction") == 999_999_998
    with pytest.raises(ConfigurationError):
        SequentialControlNumbers(start=0)


def test_control_numbers_are_taken_in_order() -> None:
    [received] = read(interchange(group(17), group(18, sets=[transaction("0001"), transaction("0002")])))
    numbers = SequentialControlNumbers(start=7)
    text = ack(received, control_numbers=numbers)
    assert only(text, "GS")[0][6] == "7"
    assert [s[2] for s in only(text, "ST")] == ["0007", "0008"]
    assert only(text, "AK9") == [["AK9", "A", "1", "1", "1"], ["AK9", "A", "2", "2", "2"]]
    assert numbers.next("interchange") == 8


# --- the corpus -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", x12_corpus_files(), ids=lambda p: p.name)
def test_every_corpus_file_is_acknowledged_readably(path: Path) -> None:
    try:
        interchanges = read(path)
    except Exception as error:  # files our reader refuses (no ISA at all) have nothing to acknowledge
        pytest.skip(f"not readable: {type(error).__name__}")
    numbers = SequentialControlNumbers()
    for received in interchanges:
        if max(len(received.sender_id), len(received.receiver_id)) > 15:
            with pytest.raises(ConfigurationError):  # such a partner's address must be configured
                ack(received, control_numbers=numbers)
            continue
        text = ack(received, control_numbers=numbers)
        if not text:
            continue
        assert_reads_cleanly(text)
        assert pyx12_segments(text)
        for received_group, answered in zip(
            [g for g in received.groups if g.header.functional_id != "FA"], _ak9s(text), strict=True
        ):
            assert answered[3] == str(received_group.received)
            assert answered[4] == str(sum(t.accepted for t in received_group.transactions))


def _ak9s(text: str) -> list[list[str]]:
    reader = X12Reader(text.encode())
    found: list[list[str]] = []
    for transaction_set, _ in reader.transactions():
        found += [s for s in transaction_set.segments if s[0] == "AK9"]
    return found
