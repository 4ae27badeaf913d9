"""The streaming reader: separators, real-world quirks, envelope checks and chunk-boundary independence."""

from __future__ import annotations

import pytest

from parsers.errors import NotX12Error
from parsers.x12.model import Separators, X12Issue
from parsers.x12.reader import X12Reader


def isa(
    ele: str = "*",
    comp: str = ":",
    term: str = "~",
    rep: str = "^",
    version: str = "00501",
    control: str = "000000905",
    padded: bool = True,
) -> str:
    fields = [
        "00",
        "",
        "00",
        "",
        "ZZ",
        "MERCYGENERAL",
        "ZZ",
        "MEDSUPPLYCO",
        "261122",
        "0930",
        rep,
        version,
        control,
        "0",
        "P",
    ]
    if padded:
        widths = (2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1)
        fields = [value.ljust(width) for value, width in zip(fields, widths, strict=True)]
    return "ISA" + ele + ele.join(fields) + ele + comp + term


def interchange(
    ele: str = "*",
    comp: str = ":",
    term: str = "~",
    eol: str = "\n",
    control: str = "000000905",
    version: str = "005010",
    rep: str = "^",
    transactions: int = 1,
    padded: bool = True,
) -> str:
    """A small, correct interchange with one group of 850s."""
    segments: list[list[str]] = [
        ["GS", "PO", "MERCYGENERAL", "MEDSUPPLYCO", "20261122", "0930", "17", "X", version]
    ]
    for n in range(1, transactions + 1):
        body = [
            ["ST", "850", f"{n:04d}"],
            ["BEG", "00", "SA", f"PO-{n}", "", "20261122"],
            ["PO1", "1", "10", "BX", "12.45", "", "VP", "MS-1", "UK", "00614141000012"],
            ["PID", "F", "", "", "", "NITRILE GLOVES"],
            ["CTT", "1"],
        ]
        body.append(["SE", str(len(body) + 1), f"{n:04d}"])
        segments.extend(body)
    segments.append(["GE", str(transactions), "17"])
    segments.append(["IEA", "1", control])
    isa_version = "00501" if version.startswith("005") else "00401"
    head = isa(ele, comp, term, rep=rep, version=isa_version, control=control, padded=padded) + eol
    return head + "".join(ele.join(s) + term + eol for s in segments)


def read(text: str | bytes, chunk_size: int = 1 << 16) -> X12Reader:
    data = text.encode("utf-8") if isinstance(text, str) else text
    reader = X12Reader(data, chunk_size=chunk_size)
    for _ in reader.transactions():
        pass
    return reader


def codes(reader: X12Reader, severity: str = "error") -> list[str]:
    found: list[X12Issue] = list(reader.issues)
    for ic in reader.interchanges:
        found += ic.issues
        for group in ic.groups:
            found += group.issues
            for transaction in group.transactions:
                found += transaction.issues
    return [issue.code for issue in found if issue.severity == severity]


def shape(reader: X12Reader) -> list[tuple[str, list[tuple[str, list[tuple[str, str, int]]]]]]:
    return [
        (
            ic.control_number,
            [
                (
                    g.header.control_number,
                    [(t.set_id, t.control_number, t.segment_count) for t in g.transactions],
                )
                for g in ic.groups
            ],
        )
        for ic in reader.interchanges
    ]


CLEAN_SHAPE = [("000000905", [("17", [("850", "0001", 6)])])]


@pytest.mark.parametrize(
    ("ele", "comp", "term", "eol"),
    [
        ("*", ":", "~", "\n"),
        ("*", ">", "~", "\r\n"),
        ("*", ":", "~", ""),
        ("|", "^", "~", "\n"),
        ("*", ">", "\n", ""),
        ("*", ">", "\r", "\n"),  # CR terminator followed by LF: CRLF line ends with a newline-ish terminator
        ("*", "@", "!", "\n"),
        ("*", ":", "\x1c", ""),  # a control character
        ("\x1d", "\x1f", "\x1e", ""),  # the ASCII information separators some translators use
        ("*", ":", "\u00a7", "\n"),  # a multi-byte UTF-8 terminator
        ("*", ":", "'", "\r\n"),
    ],
)
def test_separators_are_taken_from_the_isa(ele: str, comp: str, term: str, eol: str) -> None:
    reader = read(interchange(ele, comp, term, eol))
    assert codes(reader) == []
    assert shape(reader) == CLEAN_SHAPE
    header = reader.interchanges[0].header
    assert header is not None
    repetition = None if comp == "^" else "^"  # ISA11 cannot repeat another separator
    assert header.separators == Separators(element=ele, component=comp, segment=term, repetition=repetition)


def test_repetition_separator_only_from_00402_and_never_a_letter() -> None:
    old = read(interchange(version="004010", rep="U")).interchanges[0].header
    letter = read(interchange(version="005010", rep="U")).interchanges[0].header
    caret = read(interchange(version="005010", rep="^")).interchanges[0].header
    assert old is not None and letter is not None and caret is not None
    assert old.separators.repetition is None
    assert letter.separators.repetition is None
    assert caret.separators.repetition == "^"


def test_bom_prose_and_blank_lines_before_the_isa_are_warnings() -> None:
    text = "\ufeff\n\nHere is the purchase order you asked for:\n\n" + interchange()
    reader = read(text)
    assert codes(reader) == []
    assert set(codes(reader, "warning")) == {"X12.BOM", "X12.PREAMBLE"}
    assert shape(reader) == CLEAN_SHAPE


def test_unpadded_isa_is_accepted_with_a_warning() -> None:
    reader = read(interchange(padded=False))
    assert codes(reader) == []
    assert codes(reader, "warning") == ["X12.ISA_WIDTH"]
    assert shape(reader) == CLEAN_SHAPE


def test_lines_hard_wrapped_at_80_columns() -> None:
    flat = interchange(eol="")
    wrapped = "\n".join(flat[i : i + 80] for i in range(0, len(flat), 80)) + "\n"
    reader = read(wrapped)
    assert codes(reader) == []
    assert shape(reader) == CLEAN_SHAPE
    segments = next(t.segments for t, _ in X12Reader(wrapped.encode()).transactions())
    assert segments[2] == ["PO1", "1", "10", "BX", "12.45", "", "VP", "MS-1", "UK", "00614141000012"]


def test_trailing_spaces_after_the_terminator() -> None:
    text = interchange(eol=" \n")
    reader = read(text)
    assert codes(reader) == []
    assert shape(reader) == CLEAN_SHAPE


def test_several_interchanges_each_with_its_own_separators() -> None:
    text = (
        interchange(control="000000001")
        + interchange("|", "^", "\n", "", control="000000002", rep="U", version="004010")
        + interchange("*", ">", "\u00a7", "\r\n", control="000000003")
    )
    reader = read(text)
    assert codes(reader) == []
    assert [ic.control_number for ic in reader.interchanges] == ["000000001", "000000002", "000000003"]
    assert [ic.header.separators.segment for ic in reader.interchanges if ic.header] == ["~", "\n", "\u00a7"]


def test_groups_of_different_versions_in_one_interchange() -> None:
    text = interchange(transactions=2)
    second_group = (
        "GS*IN*A*B*20261122*0930*18*X*004010~\nST*810*0001~\nBIG*20261122*INV-1~\nSE*3*0001~\nGE*1*18~\n"
    )
    text = text.replace("IEA*1*", second_group + "IEA*2*")
    reader = read(text)
    assert codes(reader) == []
    assert [g.header.version for g in reader.interchanges[0].groups] == ["005010", "004010"]


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 7, 64, 105, 106, 107, 4096])
def test_results_do_not_depend_on_chunk_boundaries(chunk_size: int) -> None:
    text = (
        "\ufeffprose\n"
        + interchange(control="000000001", transactions=3)
        + interchange("|", "^", "\u00a7", "\r\n", control="000000002")
    )
    expected = read(text)
    got = read(text, chunk_size=chunk_size)
    assert shape(got) == shape(expected)
    assert codes(got) == codes(expected) == []
    assert codes(got, "warning") == codes(expected, "warning")


def test_envelope_mismatches_are_reported_with_codes_and_positions() -> None:
    text = interchange(transactions=2)
    text = (
        text.replace("SE*6*0002", "SE*9*0003")
        .replace("GE*2*17", "GE*3*18")
        .replace("IEA*1*000000905", "IEA*2*000000906")
    )
    reader = read(text)
    found = {issue.code: issue for issue in _all(reader)}
    assert set(codes(reader)) == {"AK5.3", "AK5.4", "AK9.4", "AK9.5", "TA1.001", "TA1.021"}
    se_count = found["AK5.4"]
    assert (se_count.interchange, se_count.group, se_count.transaction) == ("000000905", "17", "0002")
    assert (se_count.segment, se_count.segment_id, se_count.element) == (6, "SE", 1)
    assert (found["AK5.3"].segment_id, found["AK5.3"].element) == ("SE", 2)
    assert (found["AK9.4"].segment_id, found["AK9.4"].element) == ("GE", 2)
    assert (found["TA1.001"].segment_id, found["TA1.001"].element) == ("IEA", 2)
    assert found["TA1.001"].segment == 16  # ISA, GS, 2 x 6 segments, GE, IEA


def _all(reader: X12Reader) -> list[X12Issue]:
    found: list[X12Issue] = list(reader.issues)
    for ic in reader.interchanges:
        found += ic.issues
        for group in ic.groups:
            found += group.issues
            for transaction in group.transactions:
                found += transaction.issues
    return found


def test_missing_trailers() -> None:
    text = interchange()
    assert set(codes(read(text.replace("SE*6*0001~\n", "")))) == {"AK5.2"}
    assert set(codes(read(text.replace("GE*1*17~\n", "")))) == {"AK9.3"}
    truncated = text[: text.index("CTT")]
    assert set(codes(read(truncated))) == {"AK5.2", "AK9.3", "TA1.023"}


def test_duplicate_control_numbers() -> None:
    text = interchange(transactions=2).replace("ST*850*0002", "ST*850*0001").replace("SE*6*0002", "SE*6*0001")
    assert codes(read(text)) == ["AK5.23"]


def test_not_x12_raises_the_projects_error() -> None:
    with pytest.raises(NotX12Error) as raised:
        read("Date,Description,Amount\n2026-11-01,Gloves,12.50\n")
    assert raised.value.code == "TA1.024"
    with pytest.raises(NotX12Error):
        read(b"")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ISA*00*          *00*      ", "TA1.023"),
        ("ISA*00*          *00*          *ZZ*SENDER*ZZ*RECEIVER~GS*PO~" + "NOT ISA " * 60, "TA1.022"),
        (
            "ISA*00*          *00*          *ZZ*MERCY          *ZZ*SUPPLY         *261122*0930*^*00501*000000001*0*P**~",
            "TA1.027",
        ),
    ],
)
def test_broken_isa_salvages_what_it_can(text: str, code: str) -> None:
    reader = read(text)
    assert codes(reader)[0] == code
    assert reader.interchanges[0].header is None


def test_broken_isa_keeps_sender_and_receiver_for_the_ta1() -> None:
    text = "ISA*00*          *00*          *ZZ*MERCY          *ZZ*SUPPLY         *261122*0930*^*00501*000000077*0*P**~"
    interchange_result = read(text).interchanges[0]
    assert (interchange_result.sender_id, interchange_result.receiver_id) == ("MERCY", "SUPPLY")
    assert interchange_result.control_number == "000000077"


def test_isa_field_checks() -> None:
    text = interchange().replace("261122*0930", "261399*2561")
    assert set(codes(read(text))) == {"TA1.014", "TA1.015"}


def test_ta1_only_interchange_counts_its_ta1() -> None:
    text = isa(control="000000007") + "\nTA1*000000100*261121*0823*R*024~\nIEA*1*000000007~\n"
    reader = read(text)
    assert codes(reader) == []
    assert reader.interchanges[0].ta1_segments == [["TA1", "000000100", "261121", "0823", "R", "024"]]


def test_non_utf8_bytes_survive() -> None:
    data = interchange().encode().replace(b"NITRILE GLOVES", b"GANTS NITRILE \xe9")
    transactions = [t for t, _ in X12Reader(data).transactions()]
    pid = transactions[0].segments[3]
    assert pid[5].encode("utf-8", "surrogateescape") == b"GANTS NITRILE \xe9"


@pytest.mark.parametrize("chunk_size", [1, 7, 64, 4096])
def test_terminator_inside_data_is_read_strictly_whatever_the_layout(chunk_size: int) -> None:
    # '.' as terminator and a description holding ".7MM": X12 says the segment ends there, and it must
    # end there whether or not the file keeps one segment per line and wherever the chunks fall.
    for eol in ("\n", ""):
        text = interchange(term=".", eol=eol).replace(
            "PO1*1*10", "PID*F****PEN,.7MM,12/PK" + "." + eol + "PO1*1*10"
        )
        transactions = [t.segments for t, _ in X12Reader(text.encode(), chunk_size=chunk_size).transactions()]
        ids = [segment[0] for segment in transactions[0]]
        assert "7MM,12/PK" in ids
        assert ["PID", "F", "", "", "", "PEN,"] in transactions[0]
