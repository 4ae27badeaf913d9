"""BAI2: the shared corpus (parser suite), golden files, and records, fields, funds types, control totals,
import ids and the quirks of real files one by one.

Golden files: ``tests/golden/bank/bai2_*.bai2`` beside their expected ``.bai2.json``. Regenerate on purpose
only: ``UPDATE_GOLDEN=1 .venv/bin/pytest tests/bank/test_bai2.py``, then read the diff before committing.
"""

from __future__ import annotations

import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from parsers.bank import parse_statements
from parsers.bank.bai2_fields import minor_unit, to_decimal
from parsers.bank.result import StatementsResult
from parsers.errors import StatementError
from tests.parser_suite import BANK_CORPUS, ParserSuite

GOLDEN = Path(__file__).parents[1] / "golden" / "bank"
CASES = sorted(GOLDEN.glob("bai2_*.bai2"))
CORPUS = BANK_CORPUS / "bai2"


class TestBai2Corpus(ParserSuite):
    corpus = CORPUS
    malformed = frozenset({"moov__sample-parseError.bai2"})  # begins with a "00" record
    error = StatementError

    def parse(self, data: bytes) -> object:
        return parse_statements(data, format="bai2")


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.name)
def test_golden(case: Path) -> None:
    actual = parse_statements(case).to_json()
    expected_path = case.with_name(case.name + ".json")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected_path.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", "utf-8")
    assert expected_path.exists(), f"{expected_path.name} is missing: run with UPDATE_GOLDEN=1 to create it"
    assert actual == json.loads(expected_path.read_text("utf-8"))


def test_there_are_golden_cases() -> None:
    assert len(CASES) >= 2


# -- building small files (blank trailer totals and counts are not checked) -------------------------------

FILE_HEADER = "01,021000021,MERCYGENERAL,240329,0615,1,80,,2/"
GROUP_HEADER = "02,MERCYGENERAL,021000021,1,240328,2400,USD,2/"


def bai2(*records: str, group: str = GROUP_HEADER) -> bytes:
    return "\n".join([FILE_HEADER, group, *records, "98,,,/", "99,,,/"]).encode()


def account(*records: str, header: str = "03,4589761203,,010,100000,,/") -> list[str]:
    return [header, *records, "49,,/"]


def read(data: bytes) -> StatementsResult:
    return parse_statements(data, format="bai2")


def codes(result: StatementsResult) -> list[str]:
    return [issue.code for issue in result.issues]


def only_line(data: bytes):  # type: ignore[no-untyped-def]
    result = read(data)
    (statement,) = result.statements
    (line,) = statement.lines
    return line


def corpus(name: str) -> StatementsResult:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"{name} not in the corpus")
    return read(path.read_bytes())


# -- control totals ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "kenwilcox__BAI-sample.bai2",
        "moj__nwb_example.bai2",
        "moj__svb_us_example.bai2",
        "moj__account_trailer_amount_blank_example.bai2",
        "moov__sample1.bai2",
        "moov__sample3.bai2",
        "venturehacks__eod.bai2",
        "venturehacks__eod_with_slash_in_text.bai2",
        "venturehacks__daily.bai2",
    ],
)
def test_the_corpus_agrees_with_its_own_control_totals(name: str) -> None:
    result = corpus(name)
    assert result.error_count == 0, [issue for issue in result.issues if issue.severity == "error"]


def test_a_wrong_control_total_is_an_error_issue_with_its_line() -> None:
    result = corpus("venturehacks__invalid_checksum_eod.bai2")
    errors = [issue for issue in result.issues if issue.severity == "error"]
    # The 49, 98 and 99 all say the same wrong total: the account is wrong, the levels above agree with it.
    assert [(issue.code, issue.line, issue.record, issue.statement) for issue in errors] == [
        ("BAI2.CONTROL_TOTAL", 15, "49", 1)
    ]
    assert len(result.statements[0].lines) == 1


def test_every_trailer_is_checked() -> None:
    data = "\n".join(
        [
            FILE_HEADER,
            GROUP_HEADER,
            "03,1,,010,100,,/",
            "16,165,50,,,,X/",
            "49,151,3/",  # 150
            "03,2,,010,7,,/",
            "49,7,9/",  # 2 records
            "98,158,3,9/",  # 158 is right (151 + 7 as stated); 2 accounts; 7 records
            "99,1,2,9/",  # 158; 1 group; 9 records is right
        ]
    ).encode()
    result = read(data)
    assert [(issue.code, issue.line) for issue in result.issues] == [
        ("BAI2.CONTROL_TOTAL", 5),
        ("BAI2.RECORD_COUNT", 7),
        ("BAI2.ACCOUNT_COUNT", 8),
        ("BAI2.RECORD_COUNT", 8),
        ("BAI2.CONTROL_TOTAL", 9),
        ("BAI2.GROUP_COUNT", 9),
    ]
    assert all(issue.severity == "error" for issue in result.issues)


def test_continuations_count_as_records_and_stray_lines_do_not() -> None:
    data = "\n".join(
        [
            FILE_HEADER,
            GROUP_HEADER,
            "03,1,,010,100,,/",
            "88,015,150,,/",
            "16,165,50,,,,ERA 1",
            "WRAPPED BY THE BANK",
            "88,CLAIMS 118834",
            "49,300,5/",
            "98,300,1,7/",
            "99,300,1,9/",
        ]
    ).encode()
    result = read(data)
    assert codes(result) == ["BAI2.STRAY_LINE"]
    assert result.statements[0].lines[0].remittance == "ERA 1 WRAPPED BY THE BANK CLAIMS 118834"


# -- amounts, codes, balances ------------------------------------------------------------------------------


def test_amounts_are_cents_signed_by_the_type_code() -> None:
    result = read(bai2(*account("16,165,4820000,,,,/", "16,475,1250000,,,,/")))
    assert [line.amount for line in result.statements[0].lines] == [Decimal("48200.00"), Decimal("-12500.00")]


@pytest.mark.parametrize(("currency", "expected"), [("USD", "123.45"), ("JPY", "12345"), ("KWD", "12.345")])
def test_the_currency_decides_the_implied_decimals(currency: str, expected: str) -> None:
    assert to_decimal(12345, currency) == Decimal(expected)
    line = only_line(bai2(*account("16,165,12345,,,,/", header=f"03,1,{currency},010,0,,/")))
    assert str(line.amount) == expected
    assert minor_unit("EUR") == 2


def test_the_account_currency_else_the_groups_else_usd() -> None:
    group_cad = GROUP_HEADER.replace(",USD,", ",CAD,")
    group_blank = GROUP_HEADER.replace(",USD,", ",,")
    assert read(bai2(*account(header="03,1,GBP,010,0,,/"), group=group_cad)).statements[0].currency == "GBP"
    assert read(bai2(*account(header="03,1,,010,0,,/"), group=group_cad)).statements[0].currency == "CAD"
    assert read(bai2(*account(header="03,1,,010,0,,/"), group=group_blank)).statements[0].currency == "USD"


@pytest.mark.parametrize(
    ("code", "sign", "warned"),
    [
        ("100", 1, False),
        ("399", 1, False),
        ("400", -1, False),
        ("699", -1, False),
        ("920", 1, False),
        ("959", 1, False),
        ("960", -1, False),
        ("999", -1, False),
        ("890", 1, True),
        ("015", 1, True),
        ("000", 1, True),
    ],
)
def test_credit_and_debit_by_type_code_range(code: str, sign: int, warned: bool) -> None:
    result = read(bai2(*account(f"16,{code},100,,,,/")))
    line = result.statements[0].lines[0]
    assert line.amount == sign * Decimal("1.00")
    assert line.transaction_code == code
    assert ("BAI2.UNKNOWN_TYPE_CODE" in codes(result)) is warned


def test_balances_from_the_account_summaries() -> None:
    header = (
        "03,4589761203,USD,010,125000000,,,015,131402575,,,040,124500000,,,045,131402575,,,030,1,,,072,500,,/"
    )
    result = read(bai2(*account(header=header)))
    found = [(b.code, b.kind, b.amount, b.date) for b in result.statements[0].balances]
    as_of = date(2024, 3, 28)
    assert found == [
        ("010", "opening", Decimal("1250000.00"), as_of),
        ("015", "closing", Decimal("1314025.75"), as_of),
        ("040", "opening_available", Decimal("1245000.00"), as_of),
        ("045", "closing_available", Decimal("1314025.75"), as_of),
        ("030", "interim", Decimal("0.01"), as_of),
        ("072", "other", Decimal("5.00"), as_of),
    ]


def test_activity_summaries_are_not_balances() -> None:
    header = "03,1,,010,100,,,100,50,1,,400,0,0,/"
    statement = read(bai2(*account("16,165,50,,,,/", header=header))).statements[0]
    assert [b.code for b in statement.balances] == ["010"]


def test_a_summary_continued_in_the_middle_of_a_group() -> None:
    # "190/" then "88,500000,...": the amount of type code 190 is the first field of the continuation.
    result = corpus("kenwilcox__BAI-sample.bai2")
    second = result.statements[1]
    assert [(b.code, b.amount) for b in second.balances] == [
        ("010", Decimal("-5000.00")),
        ("072", Decimal("5000.00")),
        ("074", Decimal("5000.00")),
        ("040", Decimal("-15000.00")),
    ]


def test_trailing_empty_fields_after_the_last_summary_are_ignored() -> None:
    result = corpus("moj__svb_us_example.bai2")
    assert [b.code for b in result.statements[0].balances] == ["010", "015", "040", "045", "072", "074"]


def test_an_empty_summary_group_is_skipped() -> None:
    header = "03,107049924,USD,,,,,060,13053325440,,,100,000,0,,400,000,0,/"
    statement = read(bai2(*account(header=header))).statements[0]
    assert [(b.code, b.amount) for b in statement.balances] == [("060", Decimal("130533254.40"))]


# -- transaction fields ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("funds", "value_date"),
    [
        ("", None),
        ("Z", None),
        ("0", None),
        ("1", None),
        ("2", None),
        ("S,400000,200000,45000", None),
        ("V,240329,1030", date(2024, 3, 29)),
        ("V,240329,", date(2024, 3, 29)),
        ("D,3,0,20000000,1,30000000,3,20000000", None),
        ("D,0", None),
    ],
)
def test_funds_types_and_their_details(funds: str, value_date: date | None) -> None:
    line = only_line(bai2(*account(f"16,195,645000,{funds},W2408800003,PPA-Q2-REBATE,INCOMING WIRE/")))
    assert line.value_date == value_date
    assert (line.bank_reference, line.customer_reference, line.remittance) == (
        "W2408800003",
        "PPA-Q2-REBATE",
        "INCOMING WIRE",
    )


def test_an_unknown_funds_type_is_refused() -> None:
    with pytest.raises(StatementError) as refused:
        read(bai2(*account("16,195,645000,Q,REF,,TEXT/")))
    assert refused.value.code == "BAI2.FUNDS"


def test_text_keeps_commas_and_slashes_and_joins_continuations() -> None:
    line = only_line(
        bai2(
            *account(
                "16,195,100,,,,ORG ADDRESS:=2/AV MAIN, SUITE 4/",
                "88,/MEXICO ; OBI:=INVOICE 123456",
                "88,       CLAIM 2024-190077/",
            )
        )
    )
    assert (
        line.remittance == "ORG ADDRESS:=2/AV MAIN, SUITE 4 /MEXICO ; OBI:=INVOICE 123456 CLAIM 2024-190077"
    )


def test_a_record_may_end_before_its_text() -> None:
    line = only_line(
        bai2(*account("16,218,20000000,V,040622,,SP4738,YRC065321/", "88,PROCEEDS OF LETTER OF CREDIT"))
    )
    assert (line.bank_reference, line.customer_reference) == ("SP4738", "YRC065321")
    assert line.remittance == "PROCEEDS OF LETTER OF CREDIT"


def test_a_transaction_without_text() -> None:
    line = only_line(bai2(*account("16,699,971,,,/")))
    assert (line.bank_reference, line.customer_reference, line.remittance) == (None, None, None)


def test_an_empty_field_before_the_type_code_is_skipped_with_a_warning() -> None:
    result = read(bai2(*account("16,,115,450000,S,100000,200000,150000,,,/")))
    line = result.statements[0].lines[0]
    assert (line.transaction_code, line.amount) == ("115", Decimal("4500.00"))
    assert codes(result) == ["BAI2.EMPTY_FIELD"]


def test_several_records_on_one_line() -> None:
    data = bai2("03,1,,010,0,,/ 16,142,2500,Z,,,TRANSFER PPD/   16,451,100,Z,,,FEE/  49,,/")
    assert [line.amount for line in read(data).statements[0].lines] == [Decimal("25.00"), Decimal("-1.00")]


def test_the_as_of_date_dates_the_lines_and_the_file_date_the_statement() -> None:
    statement = read(bai2(*account("16,165,100,,,,/"))).statements[0]
    assert statement.lines[0].booking_date == date(2024, 3, 28)
    assert (statement.period_start, statement.period_end, statement.created) == (
        date(2024, 3, 28),
        date(2024, 3, 28),
        date(2024, 3, 29),
    )
    assert statement.bank == "021000021"
    assert statement.format == "bai2"


def test_one_statement_per_account_per_group() -> None:
    result = corpus("moj__svb_us_example.bai2")
    assert [(s.account, s.period_end) for s in result.statements] == [
        ("1234567890", date(2022, 2, 1)),
        ("1234567890", date(2022, 2, 2)),
    ]
    assert "BANK.CONTINUITY" not in codes(result)  # the second group opens with the first's closing


# -- import ids ---------------------------------------------------------------------------------------------


def test_the_bank_reference_makes_the_import_id() -> None:
    line = only_line(bai2(*account("16,165,100,0,C24088000001,NWH-ERA-0042,ACH CREDIT/")))
    assert line.import_id == "4589761203:C24088000001"


def test_unreferenced_lines_are_hashed_and_counted() -> None:
    lines = (
        read(bai2(*account("16,165,100,,,,COPAY/", "16,165,100,,,,COPAY/", "16,165,101,,,,COPAY/")))
        .statements[0]
        .lines
    )
    assert lines[0].import_id.endswith(":1")
    assert lines[1].import_id == lines[0].import_id[:-1] + "2"
    assert lines[2].import_id.endswith(":1")
    assert len({line.import_id for line in lines}) == 3


def test_a_redelivered_file_gives_the_same_ids() -> None:
    data = bai2(*account("16,165,100,,,,COPAY/", "16,165,100,0,C1,,X/"))
    assert read(data).to_json() == read(data).to_json()


def test_a_repeated_bank_reference_is_numbered_with_a_warning() -> None:
    result = read(bai2(*account("16,165,100,,C1,,A/", "16,165,200,,C1,,B/")))
    assert [line.import_id for line in result.statements[0].lines] == ["4589761203:C1", "4589761203:C1#2"]
    assert codes(result) == ["BAI2.DUPLICATE_REFERENCE"]


# -- structure ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"02,A,B,1,240328,,,/\n", 1),
        (b"88,A/\n", 1),
        (b"00,0004,1/2/345,06/0321,0829,001,80,1,2/", 1),
        ("\n".join([FILE_HEADER, GROUP_HEADER, "16,165,100,,,,/"]).encode(), 3),
        ("\n".join([FILE_HEADER, "03,1,,010,0,,/"]).encode(), 2),
        ("\n".join([FILE_HEADER, GROUP_HEADER, "03,1,,/", "03,2,,/"]).encode(), 4),
        ("\n".join([FILE_HEADER, GROUP_HEADER, GROUP_HEADER]).encode(), 3),
        ("\n".join([FILE_HEADER, GROUP_HEADER, "03,1,,/", "98,,,/"]).encode(), 4),
        ("\n".join([FILE_HEADER, GROUP_HEADER, "99,,,/"]).encode(), 3),
        ("\n".join([FILE_HEADER, FILE_HEADER]).encode(), 2),
        ("\n".join([FILE_HEADER, GROUP_HEADER, "07,1,,/"]).encode(), 3),
        ("\n".join([FILE_HEADER, GROUP_HEADER, "49,,/"]).encode(), 3),
    ],
)
def test_records_out_of_place_are_refused_with_their_line(data: bytes, line: int) -> None:
    with pytest.raises(StatementError) as refused:
        read(data)
    assert f"line {line}" in str(refused.value)


def test_a_file_that_ends_before_its_trailer_is_refused() -> None:
    data = "\n".join([FILE_HEADER, GROUP_HEADER, *account("16,165,100,,,,/")]).encode()
    with pytest.raises(StatementError) as refused:
        read(data)
    assert refused.value.code == "BAI2.TRUNCATED"


@pytest.mark.parametrize(
    ("record", "code"),
    [
        ("16,165,12.50,,,,/", "BAI2.AMOUNT"),
        ("16,165,,,,,/", "BAI2.AMOUNT"),
        ("16,16A,1250,,,,/", "BAI2.TYPE_CODE"),
        ("16,195,1250,V,241301,,,/", "BAI2.DATE"),
        ("16,195,1250,D,X,,,/", "BAI2.COUNT"),
        ("16,195,1250,D,500,,,/", "BAI2.FUNDS"),
    ],
)
def test_unreadable_fields_name_their_line_and_never_their_value(record: str, code: str) -> None:
    with pytest.raises(StatementError) as refused:
        read(bai2(*account(record)))
    assert refused.value.code == code
    assert "line 4" in str(refused.value)
    assert "1250" not in str(refused.value)


def test_an_information_record_may_leave_its_amount_blank() -> None:
    result = read(bai2(*account("16,890,,,N1,,STOP PAYMENT PLACED/")))
    line = result.statements[0].lines[0]
    assert (line.amount, line.remittance) == (Decimal("0.00"), "STOP PAYMENT PLACED")
    assert codes(result) == ["BAI2.UNKNOWN_TYPE_CODE"]


def test_an_account_without_a_number_or_a_bad_currency_is_refused() -> None:
    with pytest.raises(StatementError):
        read(bai2(*account(header="03,,USD,010,0,,/")))
    with pytest.raises(StatementError):
        read(bai2(*account(header="03,1,US DOLLARS,010,0,,/")))


def test_group_status_and_version_warnings() -> None:
    test_group = GROUP_HEADER.replace(",1,240328,", ",4,240328,")
    result = read(bai2(*account(), group=test_group).replace(b",2/\n02", b",3/\n02", 1))
    assert codes(result) == ["BAI2.VERSION", "BAI2.GROUP_STATUS"]
    assert "test only" in result.issues[1].message


def test_line_ends_bom_and_latin1_text() -> None:
    records = [FILE_HEADER, GROUP_HEADER, *account("16,165,100,,,,CAFÉ/"), "98,,,/", "99,,,/"]
    crlf = "\r\n".join(records).encode("latin-1")
    cr_only = "\r".join(records).encode("utf-8")
    bom = b"\xef\xbb\xbf" + "\n".join(records).encode("utf-8")
    for data in (crlf, cr_only, bom):
        assert only_line(data).remittance == "CAFÉ"


def test_files_one_after_the_other_are_read_in_turn() -> None:
    one = bai2(*account("16,165,100,,,,/"))
    assert len(read(one + b"\n" + one).statements) == 2


def test_detection_finds_bai2() -> None:
    assert parse_statements(bai2(*account())).format == "bai2"


def test_issues_never_carry_amounts_or_names() -> None:
    for path in sorted(CORPUS.glob("*.bai2")) + CASES:
        try:
            result = read(path.read_bytes())
        except StatementError:
            continue
        amounts = {
            format(abs(line.amount), "f") for s in result.statements for line in s.lines if line.amount
        }
        for issue in result.issues:
            for amount in amounts:
                assert amount not in issue.message, (path.name, issue)


def test_the_json_contract() -> None:
    header = "03,4589761203,,010,100000,,,015,104820,,/"
    payload = json.loads(json.dumps(read(bai2(*account("16,165,4820,0,C1,,ERA/", header=header))).to_json()))
    assert payload["format"] == "bai2"
    first = payload["statements"][0]
    assert (first["account"], first["currency"], first["opening_balance"], first["closing_balance"]) == (
        "4589761203",
        "USD",
        "1000.00",
        "1048.20",
    )
    line = first["lines"][0]
    assert (
        line["import_id"],
        line["booking_date"],
        line["amount"],
        line["bank_reference"],
        line["status"],
    ) == (
        "4589761203:C1",
        "2024-03-28",
        "48.20",
        "C1",
        "booked",
    )
    assert line["value_date"] is None
    assert payload["errors"] == []
