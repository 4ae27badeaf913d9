"""MT940: the shared corpus, our golden files, the :61: and :86: forms banks write, import ids.

Golden files: ``tests/golden/bank/mt940_*`` beside their expected ``.json`` (what ``edi-gateway parse --json``
prints). Regenerate on purpose only: ``UPDATE_GOLDEN=1 .venv/bin/pytest tests/bank/test_mt940.py``, then
read the diff before committing it.
"""

from __future__ import annotations

import io
import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from parsers.bank import StatementsResult, parse_statements
from parsers.bank.mt940_details import is_iban, read_details
from parsers.bank.mt940_fields import decode_mt940
from parsers.documents.bank_statement import Counterparty, StatementLine
from parsers.errors import StatementError, UnsafeInputError
from tests.parser_suite import BANK_CORPUS, ParserSuite

MT940_CORPUS = BANK_CORPUS / "mt940"
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "bank"
GOLDEN_CASES = sorted(path for path in GOLDEN.glob("mt940_*") if path.suffix != ".json")


def parse(data: bytes | str) -> StatementsResult:
    return parse_statements(data.encode() if isinstance(data, str) else data, format="mt940")


def statement(*lines: str, opening: str = "C251230EUR1000,00", closing: str | None = None) -> str:
    body = "\n".join(lines)
    closing_field = f"\n:62F:{closing}" if closing else ""
    return f":20:KLN-1\n:25:70020270/0015820213\n:28C:00251/00001\n:60F:{opening}\n{body}{closing_field}\n-\n"


def only_line(*lines: str) -> StatementLine:
    (line,) = parse(statement(*lines)).statements[0].lines
    return line


class TestMt940Corpus(ParserSuite):
    corpus = MT940_CORPUS
    error = StatementError

    def parse(self, data: bytes) -> object:
        return parse(data)


def corpus(name: str) -> StatementsResult:
    path = MT940_CORPUS / name
    if not path.is_file():
        pytest.skip(f"{path} not found (the shared corpus sits beside the project)")
    return parse(path.read_bytes())


# -- the corpus, read right ---------------------------------------------------------------------------


def test_detected_without_a_format() -> None:
    for case in GOLDEN_CASES:
        assert parse_statements(case).format == "mt940"


def test_swift_blocks_ing_headers_and_terminators() -> None:
    with_blocks = corpus("oca10__test-ing.940")
    without_blocks = corpus("oca10__nl_ing-test-ing.940")
    assert with_blocks.to_json() == without_blocks.to_json()
    (ing,) = with_blocks.statements
    assert (ing.account, ing.currency, ing.opening_balance, ing.closing_balance) == (
        "NL77INGB0574908765",  # written NL77INGB0574908765EUR: the IBAN and the currency
        "EUR",
        Decimal("662.23"),
        Decimal("564.35"),
    )
    assert len(ing.lines) == 8 and not with_blocks.issues  # the balance adds up: no line lost or doubled
    assert [balance.code for balance in ing.balances] == [":60F:", ":62F:", ":64:", ":65:", ":65:"]


def test_several_statements_per_file_and_continuity() -> None:
    rabo = corpus("oca10__test-rabo.swi")
    assert [(s.statement_id, len(s.lines)) for s in rabo.statements] == [
        ("940S140102", 1),
        ("940S140103", 0),
        ("940S140106", 1),
        ("940S140107", 0),
    ]
    assert rabo.issues == []  # opening = previous closing throughout
    abn = corpus("wolph__jejik_abnamro.sta")
    assert [s.statement_id for s in abn.statements] == ["19321/1", "19322/1"]
    assert [b.code for b in abn.statements[1].balances] == [":60M:", ":62M:"]
    assert "BANK.CONTINUITY" in [issue.code for issue in abn.issues]  # the sample's own figures


def test_a_dash_inside_details_is_text_not_the_end_of_the_message() -> None:
    (ing,) = corpus("oca10__test-ing.940").statements
    assert ing.lines[3].end_to_end_id == "EV123REP123412T1234"
    assert ing.lines[3].counterparty == Counterparty(
        "ING Bank N.V. inzake WeB", "NL32INGB0000012345", "INGBNL2A"
    )
    assert ing.lines[5].remittance == "CONTRIBUTIE FEB 2014"


def test_a_wrapped_details_line_looking_like_a_tag_stays_text() -> None:
    result = corpus("wolph__self-provided_wrapped_timestamp.sta")
    (line,) = result.statements[0].lines
    assert line.remittance is not None and "2014T16:26:37 Fo" in line.remittance
    assert line.value_date is None and line.booking_date == date(2016, 3, 1)  # value date 160230
    assert [issue.code for issue in result.issues] == ["MT940.DATE"]


def test_german_subfields_sepa_keywords_and_counterparty() -> None:
    line = corpus("wolph__betterplace_sepa_snippet.sta").statements[0].lines[0]
    assert (line.value_date, line.booking_date) == (date(2007, 9, 7), date(2007, 9, 4))
    assert line.amount == Decimal("50990.05")  # CR: a credit with funds code R, not a reversal
    assert not line.reversal
    assert line.end_to_end_id == "EndToEndId TFNR 22 004 00001"
    assert line.remittance == "Verw CTSc-01 BC-PPP TFNr 22 004"
    assert line.counterparty == Counterparty("KARL KAUFMANN", "DE14508800500194785000", "DRESDEFF508")
    assert line.bank_reference == "0724710333343453"


def test_non_standard_fields_are_reported_and_encodings_survive() -> None:
    sberbank = corpus("wolph__sberbank_171011_01234945.sta")
    assert [issue.code for issue in sberbank.issues] == ["MT940.IGNORED"]
    assert len(sberbank.statements[0].lines) == 3
    raiffeisen = corpus("wolph__self-provided_raiffeisen-cmi.sta")
    assert raiffeisen.issues[0].code == "MT940.ENCODING"
    assert raiffeisen.statements[0].account == "123456789150ABCDEF002"  # bank/account/HUF
    assert raiffeisen.statements[0].bank == "UBRTHUHB"


# -- :61: -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "amount", "value", "booked", "reversal"),
    [
        (
            ":61:2512311231C184220,60NTRFNONREF//HYV1",
            "184220.60",
            date(2025, 12, 31),
            date(2025, 12, 31),
            False,
        ),
        (":61:2512310102C100,NTRFNONREF", "100", date(2025, 12, 31), date(2026, 1, 2), False),  # new year
        (":61:2601021231D5,00NMSCNONREF", "-5.00", date(2026, 1, 2), date(2025, 12, 31), False),
        (":61:251231D48773,12NDDTNONREF", "-48773.12", date(2025, 12, 31), date(2025, 12, 31), False),
        (":61:2512311231RC250,00NRTINONREF", "-250.00", date(2025, 12, 31), date(2025, 12, 31), True),
        (":61:2512311231RD250,00NRTINONREF", "250.00", date(2025, 12, 31), date(2025, 12, 31), True),
        (":61:2512311231DR1310,00NMSCNONREF", "-1310.00", date(2025, 12, 31), date(2025, 12, 31), False),
        (":61:2512311231CN0,01NTRFNONREF", "0.01", date(2025, 12, 31), date(2025, 12, 31), False),
        (":61:2512311231D0,00NMSCNONREF", "0.00", date(2025, 12, 31), date(2025, 12, 31), False),
        (":61:2512311231RCD7,5NTRFNONREF", "-7.5", date(2025, 12, 31), date(2025, 12, 31), True),
        (":61:991231C500NTRF29-07-2014 10:05//B4G2", "500", date(1999, 12, 31), date(1999, 12, 31), False),
    ],
)
def test_statement_line_forms(field: str, amount: str, value: date, booked: date, reversal: bool) -> None:
    line = only_line(field)
    assert (str(line.amount), line.value_date, line.booking_date, line.reversal) == (
        amount,
        value,
        booked,
        reversal,
    )


def test_statement_line_references_type_and_supplementary_details() -> None:
    line = only_line(":61:2601020102C15402,18NTRFGPO-Q4-2025//HYV26010200001", "Rueckverguetung GPO")
    assert (line.transaction_code, line.customer_reference, line.bank_reference) == (
        "NTRF",
        "GPO-Q4-2025",
        "HYV26010200001",
    )
    assert line.remittance == "Rueckverguetung GPO"  # no :86:: the supplementary details
    rabo = only_line(":61:140102C400,00N541NONREF", "NL66RABO0160878799", ":86:/ORDP//NAME/R. SMITH/REMI/x/")
    assert rabo.customer_reference is None
    assert rabo.counterparty == Counterparty("R. SMITH", "NL66RABO0160878799", None)


def test_unreadable_lines_are_left_out_and_reported_with_their_line() -> None:
    result = parse(statement(":61:2512311231X100,00NTRF", ":86:lost", ":61:2512311231C1,00NTRFNONREF"))
    assert [line.amount for line in result.statements[0].lines] == [Decimal("1.00")]
    (issue,) = result.issues
    assert (issue.code, issue.severity, issue.line, issue.record) == ("MT940.LINE", "error", 5, ":61:")
    assert "100" not in issue.message


def test_a_balance_that_cannot_be_read() -> None:
    result = parse(statement(":61:2512311231C1,00NTRFNONREF", closing="C25123XEUR1001,00"))
    assert [issue.code for issue in result.issues] == ["MT940.BALANCE"]
    assert result.statements[0].closing_balance is None


# -- :86: -----------------------------------------------------------------------------------------------


def test_details_with_angle_subfields() -> None:
    details = read_details(
        ["000>100987654321", ">20ALGEMENE TUSSENREKENING KOS>21TEN VAN 01-10-2010", ">310390123456"]
    )
    assert details.remittance == "ALGEMENE TUSSENREKENING KOSTEN VAN 01-10-2010"
    assert details.counterparty == Counterparty(None, "0390123456", None)


def test_details_with_codes_structured_reference() -> None:
    details = read_details(
        [
            "/EREF/MDL-2026-0211//CNTP/NL39RABO0300065264/RABONL2U/",
            "MEDLINE INTERNATIONAL NETHERLANDS BV///REMI/STRD/CUR/RF18539007547034/",
        ]
    )
    assert details.end_to_end_id == "MDL-2026-0211"
    assert details.structured_reference == "RF18539007547034"
    assert details.remittance is None
    assert details.counterparty == Counterparty(
        "MEDLINE INTERNATIONAL NETHERLANDS BV", "NL39RABO0300065264", "RABONL2U"
    )


def test_free_text_details_keep_their_lines_and_join_wrapped_ones() -> None:
    wrapped = "x" * 64 + "Y"
    details = read_details(
        ["NL49RABO0166416932 gerrits glas", " " * 65, "Factuur 17227/248/20   ", wrapped, "Z"]
    )
    assert details.remittance == f"NL49RABO0166416932 gerrits glas\nFactuur 17227/248/20\n{wrapped}Z"


def test_details_not_provided_and_unterminated_subfields() -> None:
    details = read_details(["166?00GUTSCHRIFT?20EREF+NOTPROVIDED?21SVWZ+Rg 4471?32AOK Bayern?"])
    assert details.end_to_end_id is None
    assert details.remittance == "Rg 4471"
    assert details.counterparty == Counterparty("AOK Bayern?", None, None)


# -- accounts, statements, errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "account", "bank"),
    [
        ("NL14INGB0004417730EUR", "NL14INGB0004417730", None),
        ("NL34RABO0142623393 EUR", "NL34RABO0142623393", None),
        ("70020270/0015820213", "0015820213", "70020270"),
        ("UBRTHUHB/123456789150ABCDEF002/EUR", "123456789150ABCDEF002", "UBRTHUHB"),
        ("BPHKPLPK/320000546101 ", "320000546101", "BPHKPLPK"),
        ("0001234567", "0001234567", None),
    ],
)
def test_account_forms(field: str, account: str, bank: str | None) -> None:
    text = statement(":61:2512311231C1,00NTRFNONREF").replace("70020270/0015820213", field)
    (found,) = parse(text).statements
    assert (found.account, found.bank) == (account, bank)


def test_statement_id_period_and_balances() -> None:
    text = statement(
        ":61:2512311231C1,00NTRFNONREF",
        ":64:C251231EUR1001,00",
        ":65:C260102EUR1001,00",
        closing="C251231EUR1001,00",
    )
    (found,) = parse(text).statements
    assert found.statement_id == "00251/00001"
    assert (found.period_start, found.period_end) == (date(2025, 12, 30), date(2025, 12, 31))
    assert [(b.kind, b.code) for b in found.balances] == [
        ("opening", ":60F:"),
        ("closing_available", ":64:"),
        ("other", ":65:"),
        ("closing", ":62F:"),
    ]
    assert parse(text.replace(":28C:00251/00001", ":28C:0")).statements[0].statement_id == "KLN-1"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no :20:"),
        ("{1:F01HYVEDEMMAXXX0000000000}{2:O940}{4:\n:25:123\n-}", "no :20:"),
        (":20:X\n:60F:C251230EUR1,00\n:62F:C251230EUR1,00\n", "no account"),
        (":20:X\n:25:123\n:61:2512311231C1,00NTRFNONREF\n", "no readable balance"),
    ],
)
def test_files_that_cannot_be_staged_are_refused(text: str, message: str) -> None:
    with pytest.raises(StatementError, match=message):
        parse(text)


def test_oversized_files_are_refused() -> None:
    with pytest.raises(UnsafeInputError, match="larger than 10 bytes"):
        decode_mt940(io.BytesIO(b":20:" + b"x" * 100), max_bytes=10)


def test_iban_check() -> None:
    assert is_iban("DE89 3704 0044 0532 0130 00") and is_iban("NL66RABO0160878799")
    assert not is_iban("DE89370400440532013001") and not is_iban("0015820213")


# -- import ids ----------------------------------------------------------------------------------------


def test_equal_lines_are_two_lines_and_a_redelivery_gives_the_same_ids() -> None:
    text = statement(
        ":61:2512311231C212,40NTRFNONREF",
        ":86:KARTENZAHLUNG",
        ":61:2512311231C212,40NTRFNONREF",
        ":86:KARTENZAHLUNG",
    )
    first, second = (line.import_id for line in parse(text).statements[0].lines)
    assert first != second and first.rsplit(":", 1)[0] == second.rsplit(":", 1)[0]
    assert [line.import_id for line in parse(text).statements[0].lines] == [first, second]


def test_an_overlapping_statement_stages_no_line_twice_whatever_its_wrapping() -> None:
    shared = ":61:2512311231C184220,60NTRFNONREF//HYV1"
    first = parse(
        statement(shared, ":86:166?20SVWZ+KH-Abrechnung Fall?212025-000481", ":61:2512311231D1,00NMSCNONREF")
    )
    rewrapped = parse(statement(shared, ":86:166?20SVWZ+KH-Abrechnung", " Fall?212025-000481"))
    assert first.statements[0].lines[0].import_id == rewrapped.statements[0].lines[0].import_id


def test_import_ids_are_per_account() -> None:
    text = statement(":61:2512311231C1,00NTRFNONREF")
    other = text.replace("0015820213", "0015820299")
    assert parse(text).statements[0].lines[0].import_id.startswith("0015820213:h:")
    assert parse(text).statements[0].lines[0].import_id != parse(other).statements[0].lines[0].import_id


# -- golden files --------------------------------------------------------------------------------------


def test_there_are_golden_cases() -> None:
    assert len(GOLDEN_CASES) >= 2


@pytest.mark.parametrize("case", GOLDEN_CASES, ids=lambda path: path.name)
def test_golden(case: Path) -> None:
    actual = parse_statements(case).to_json()
    expected_path = case.with_name(case.name + ".json")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected_path.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", "utf-8")
    if not expected_path.exists():
        pytest.fail(f"{expected_path.name} is missing: run with UPDATE_GOLDEN=1 to create it")
    assert actual == json.loads(expected_path.read_text("utf-8"))
