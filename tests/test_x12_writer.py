"""The X12 writer: separator refusal, trimming, fixed-width ISA, computed trailers, number and date formats."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, time
from decimal import Decimal

import pytest

from emitters.x12.writer import (
    DEFAULT_SEPARATORS,
    FunctionalGroupEnvelope,
    InterchangeEnvelope,
    OutboundGroup,
    OutboundSegment,
    OutboundTransaction,
    X12Writer,
    format_date,
    format_decimal,
    format_implied_decimal,
    format_time,
    iter_interchange,
    write_interchange,
)
from parsers.errors import ConfigurationError, WriterError
from parsers.x12.model import Separators
from parsers.x12.reader import X12Reader

PIPES = Separators(element="|", component="^", segment="\n", repetition="}")


def envelope(**changes: object) -> InterchangeEnvelope:
    fields: dict[str, object] = {
        "sender_qualifier": "ZZ",
        "sender_id": "MEDSURGSUPPLY",
        "receiver_qualifier": "01",
        "receiver_id": "123456789",
        "date": "250114",
        "time": "0945",
        "control_number": 4711,
        "version": "00401",
        "usage": "P",
        "ack_requested": True,
    }
    fields.update(changes)
    return InterchangeEnvelope(**fields)  # type: ignore[arg-type]


def group_envelope(**changes: object) -> FunctionalGroupEnvelope:
    fields: dict[str, object] = {
        "functional_id": "IN",
        "sender": "MSSUPPLY",
        "receiver": "MERCYGEN",
        "date": "20250114",
        "time": "0945",
        "control_number": 88,
        "version": "004010",
    }
    fields.update(changes)
    return FunctionalGroupEnvelope(**fields)  # type: ignore[arg-type]


INVOICE_BODY: list[OutboundSegment] = [
    ["BIG", "20250114", "INV-99812", "", "4500012345"],
    ["IT1", "1", "200", "BX", "12.45", "", "VC", "GLV-NIT-M", "IN", "00812345678901"],
    ["PID", "F", "", "", "", "NITRILE EXAM GLOVES MEDIUM"],
    ["IT1", "2", "12", "BX", "215.5", "", "VC", "SUT-3-0-VIC", "LT", "L2407A"],
    ["REF", "LT", "L2407A", "", ["ZZ", "EXP20270630", "", ""]],
    ["TDS", "561430"],
    ["CTT", "2"],
]


# --- segments ---------------------------------------------------------------------------------------------------


def test_segment_with_composites_and_trimming() -> None:
    writer = X12Writer()
    assert (
        writer.segment(["REF", "LT", "L2407A", "", ("ZZ", "EXP20270630", "", "")])
        == "REF*LT*L2407A**ZZ:EXP20270630~"
    )
    assert writer.segment(["SV1", ("HC", "", "99211"), "12.25", "", "", ""]) == "SV1*HC::99211*12.25~"
    assert writer.segment(["N1", "ST", "", ["", ""], ""]) == "N1*ST~"
    assert writer.segment(["PO1", "", "", "EA"]) == "PO1***EA~"


def test_suffix_follows_each_terminator_unless_the_terminator_is_a_line_break() -> None:
    assert X12Writer(suffix="\r\n").segment(["CTT", "2"]) == "CTT*2~\r\n"
    assert X12Writer(PIPES, suffix="\n").segment(["CTT", "2"]) == "CTT|2\n"
    with pytest.raises(ConfigurationError):
        X12Writer(suffix="~~")


@pytest.mark.parametrize(
    ("segment", "where", "what"),
    [
        (["PID", "F", "", "", "", "GLOVES*LATEX FREE"], "PID05", "element separator"),
        (["PID", "F", "", "", "", "GLOVES~BOX"], "PID05", "segment terminator"),
        (["PID", "F", "", "", "", "GLOVES:NITRILE"], "PID05", "component separator"),
        (["PID", "F", "", "", "", "GLOVES^NITRILE"], "PID05", "repetition separator"),
        (["PID", "F", "", "", "", "GLOVES\nNITRILE"], "PID05", "line break"),
        (["PID", "F", "", "", "", "GLOVES\rNITRILE"], "PID05", "line break"),
        (["REF", "LT", "L1", "", ("ZZ", "EXP:2027")], "REF04-2", "component separator"),
        (["REF", "LT", "L1", "", ("ZZ", "EXP*2027")], "REF04-2", "element separator"),
    ],
)
def test_values_with_separators_are_refused_naming_the_position_never_the_value(
    segment: OutboundSegment, where: str, what: str
) -> None:
    writer = X12Writer(DEFAULT_SEPARATORS, version="00501")
    with pytest.raises(WriterError) as raised:
        writer.segment(segment, ordinal=4)
    message = str(raised.value)
    assert where in message and what in message
    assert "GLOVES" not in message and "NITRILE" not in message and "2027" not in message
    assert raised.value.position is not None and raised.value.position.segment == 4


def test_prices_never_appear_in_errors() -> None:
    with pytest.raises(WriterError) as raised:
        X12Writer().segment(["IT1", "1", "200", "BX", "12.45~"])
    assert "12.45" not in str(raised.value) and "IT104" in str(raised.value)


def test_repetition_character_is_data_before_00402_and_a_separator_after() -> None:
    assert X12Writer(DEFAULT_SEPARATORS, version="00401").segment(["N1", "ST", "A^B"]) == "N1*ST*A^B~"
    with pytest.raises(WriterError):
        X12Writer(DEFAULT_SEPARATORS, version="00501").segment(["N1", "ST", "A^B"])


def test_newline_terminator_refuses_line_breaks_in_values() -> None:
    writer = X12Writer(PIPES, version="00501")
    assert writer.segment(["MSG", "KEEP REFRIGERATED 2-8C"]) == "MSG|KEEP REFRIGERATED 2-8C\n"
    for bad in ("A\nB", "A\rB", "A|B", "A^B", "A}B"):
        with pytest.raises(WriterError):
            writer.segment(["MSG", bad])


def test_invalid_segment_ids_are_refused() -> None:
    writer = X12Writer()
    for segment in (["", "X"], ["po1", "1"], ["PO1X", "1"], ["P", "1"], []):
        with pytest.raises(WriterError):
            writer.segment(segment)


def test_separators_must_be_distinct_single_non_alphanumeric_characters() -> None:
    for separators in (
        Separators("*", "*", "~", "^"),
        Separators("*", ":", "~", "~"),
        Separators("A", ":", "~", "^"),
        Separators("**", ":", "~", "^"),
        Separators("*", " ", "~", "^"),
    ):
        with pytest.raises(ConfigurationError):
            X12Writer(separators, version="00501")


# --- envelopes --------------------------------------------------------------------------------------------------


def test_isa_is_fixed_width_with_u_before_00402_and_the_repetition_separator_after() -> None:
    text = write_interchange(envelope(), [])
    isa = text.split("~")[0]
    assert len(isa) == 105
    assert isa == (
        "ISA*00*          *00*          *ZZ*MEDSURGSUPPLY  *01*123456789      *250114*0945*U*00401*"
        "000004711*1*P*:"
    )
    assert text.endswith("IEA*0*000004711~")
    later = write_interchange(envelope(version="00501", ack_requested=False, usage="T"), [])
    assert later.split("~")[0].split("*")[11:17] == ["^", "00501", "000004711", "0", "T", ":"]


def test_whole_interchange_with_computed_trailers_and_ta1_first() -> None:
    ta1 = ["TA1", "000000905", "250114", "0830", "A", "000"]
    second = OutboundGroup(
        group_envelope(control_number=89), [OutboundTransaction("810", 12, INVOICE_BODY[:2])]
    )
    text = write_interchange(
        envelope(),
        [
            (
                group_envelope(),
                [OutboundTransaction("810", 10, INVOICE_BODY), ("810", 11, INVOICE_BODY[:1], None)],
            ),
            second,
        ],
        ta1_segments=[ta1],
        suffix="\n",
    )
    lines = text.splitlines()
    assert lines[1] == "TA1*000000905*250114*0830*A*000~"
    assert lines[2] == "GS*IN*MSSUPPLY*MERCYGEN*20250114*0945*88*X*004010~"
    assert lines[3] == "ST*810*0010~"
    assert "SE*9*0010~" in lines and "SE*3*0011~" in lines and "SE*4*0012~" in lines
    assert "GE*2*88~" in lines and "GE*1*89~" in lines
    assert lines[-1] == "IEA*2*000004711~"
    reader = X12Reader(text.encode())
    results = [result for _, result in reader.transactions()]
    assert [r.control_number for r in results] == ["0010", "0011", "0012"]
    assert all(r.accepted for r in results)
    assert reader.issue_count == 0
    assert [i.code for i in reader.interchanges[0].issues] == []
    assert len(reader.interchanges[0].ta1_segments) == 1


def test_implementation_reference_goes_into_st03() -> None:
    text = write_interchange(
        envelope(version="00501"),
        [
            (
                group_envelope(version="005010X222A1", functional_id="HC"),
                [
                    OutboundTransaction(
                        "837", 1, [["BHT", "0019", "00", "0123", "20250114", "0945", "CH"]], "005010X222A1"
                    )
                ],
            )
        ],
    )
    assert "ST*837*0001*005010X222A1~" in text


def test_bodies_may_be_generators_and_big_bodies_stream() -> None:
    def lines(count: int) -> Iterator[OutboundSegment]:
        for n in range(1, count + 1):
            yield ["IT1", str(n), "1", "EA", "3.5", "", "VC", f"CATH-{n:05d}"]

    pieces = list(iter_interchange(envelope(), [(group_envelope(), [("810", 1, lines(10_000), None)])]))
    assert len(pieces) > 3  # handed over in slices
    text = "".join(pieces)
    assert "SE*10002*0001~" in text
    reader = X12Reader(text.encode())
    [(transaction, result)] = list(reader.transactions())
    assert result.accepted and len(transaction.segments) == 10_002


def test_written_interchange_is_read_by_pyx12() -> None:
    x12file = pytest.importorskip("pyx12.x12file")
    text = write_interchange(
        envelope(), [(group_envelope(), [OutboundTransaction("810", 1, INVOICE_BODY)])], suffix="\n"
    )
    segments = [segment.format().rstrip("~") for segment in x12file.X12Reader(io.StringIO(text))]
    assert segments[0].startswith("ISA*00*")
    assert "REF*LT*L2407A**ZZ:EXP20270630" in segments
    assert segments[-1] == "IEA*1*000004711"


@pytest.mark.parametrize(
    "changes",
    [
        {"sender_id": "A-SUPPLIER-ID-TOO-LONG"},
        {"receiver_id": ""},
        {"sender_id": " PADDED"},
        {"sender_qualifier": "ZZZ"},
        {"control_number": 0},
        {"control_number": 1_000_000_000},
        {"control_number": True},
        {"date": "20250114"},
        {"time": "9:45"},
        {"version": "4010"},
        {"usage": "X"},
        {"authorization": "A" * 11},
        {"version": "00501", "separators": Separators("*", ":", "~", None)},
    ],
)
def test_interchange_envelope_inputs_are_validated(changes: dict[str, object]) -> None:
    with pytest.raises(WriterError):
        write_interchange(envelope(**changes), [])


@pytest.mark.parametrize(
    "changes",
    [
        {"functional_id": "INV"},
        {"sender": "M"},
        {"receiver": "M" * 16},
        {"date": "250114"},
        {"time": "945"},
        {"control_number": 0},
        {"version": ""},
    ],
)
def test_group_envelope_inputs_are_validated(changes: dict[str, object]) -> None:
    with pytest.raises(WriterError):
        write_interchange(envelope(), [(group_envelope(**changes), [])])


def test_transaction_control_numbers_are_validated() -> None:
    with pytest.raises(WriterError):
        write_interchange(envelope(), [(group_envelope(), [("810", 0, [], None)])])


def test_ids_with_separators_are_refused_in_the_isa() -> None:
    with pytest.raises(WriterError) as raised:
        write_interchange(envelope(sender_id="MED*SURG"), [])
    assert "ISA06" in str(raised.value) and "MED" not in str(raised.value)


def test_only_ta1_segments_may_precede_the_groups() -> None:
    with pytest.raises(WriterError):
        write_interchange(envelope(), [], ta1_segments=[["AK1", "PO", "1"]])


# --- values -----------------------------------------------------------------------------------------------------


def test_format_decimal() -> None:
    assert format_decimal(Decimal("12.450")) == "12.45"
    assert format_decimal(Decimal("215.50")) == "215.5"
    assert format_decimal(Decimal("-3.00")) == "-3"
    assert format_decimal(Decimal("1E+2")) == "100"
    assert format_decimal(Decimal("0.000")) == "0"
    assert format_decimal(Decimal("0.5")) == "0.5"
    assert format_decimal(7) == "7"
    assert format_decimal("1.005", places=2) == "1.01"
    assert format_decimal(Decimal("12345.67"), max_digits=7) == "12345.67"
    with pytest.raises(WriterError):
        format_decimal(Decimal("12345.678"), max_digits=7)
    with pytest.raises(WriterError):
        format_decimal(12.45)  # type: ignore[arg-type]
    with pytest.raises(WriterError):
        format_decimal(Decimal("NaN"))
    with pytest.raises(WriterError):
        format_decimal("twelve")


def test_format_implied_decimal() -> None:
    assert format_implied_decimal(Decimal("12.45"), 2) == "1245"
    assert format_implied_decimal(Decimal("12.4"), 2) == "1240"
    assert format_implied_decimal(Decimal("-0.07"), 2) == "-7"
    assert format_implied_decimal(3, 0) == "3"
    assert format_implied_decimal(Decimal("0.5"), 2, min_length=4) == "0050"
    with pytest.raises(WriterError) as raised:
        format_implied_decimal(Decimal("12.455"), 2)  # a price is never rounded silently
    assert "12.455" not in str(raised.value)
    with pytest.raises(WriterError):
        format_implied_decimal(Decimal("123456.78"), 2, max_length=6)
    with pytest.raises(ConfigurationError):
        format_implied_decimal(1, -1)


def test_format_date_and_time() -> None:
    expiry = date(2027, 6, 30)
    assert format_date(expiry) == "20270630"
    assert format_date(expiry, short=True) == "270630"
    assert format_time(time(9, 5, 7)) == "0905"
    assert format_time(time(9, 5, 7), seconds=True) == "090507"


def test_bulk_rendering_matches_segment_by_segment_rendering() -> None:
    writer = X12Writer(suffix="\n")
    plain = [segment for segment in INVOICE_BODY if all(isinstance(value, str) for value in segment)]
    expected = "".join(writer.segment(segment) for segment in INVOICE_BODY)
    assert writer.render_many(INVOICE_BODY) == expected  # composites: the one-by-one path
    assert writer.render_many(plain) == "".join(writer.segment(segment) for segment in plain)
    assert writer.render_many([["PID", "F", "", "", "", "SUTURE 3-0", "", ""], ["CTT", "1", ""]]) == (
        "PID*F****SUTURE 3-0~\nCTT*1~\n"
    )


def test_a_bad_value_deep_in_a_big_body_is_refused_with_its_segment_position() -> None:
    body: list[OutboundSegment] = [
        ["IT1", str(n), "1", "EA", "3.5", "", "VC", f"CATH-{n}"] for n in range(1, 9001)
    ]
    body[8499] = ["IT1", "8500", "1", "EA", "3.5", "", "VC", "CATH~8500"]
    with pytest.raises(WriterError) as raised:
        write_interchange(envelope(), [(group_envelope(), [("810", 1, body, None)])])
    assert raised.value.position is not None
    assert (raised.value.position.segment, raised.value.position.element) == (8501, 7)  # ST is segment 1
    assert "IT107" in str(raised.value) and "CATH" not in str(raised.value)
    body[8499] = ["it1", "8500"]
    with pytest.raises(WriterError):
        write_interchange(envelope(), [(group_envelope(), [("810", 1, body, None)])])
