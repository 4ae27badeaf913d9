"""OFX: the shared corpus, our golden files, the faults of ofxparse we must not have, safety, import ids.

Golden files: ``tests/golden/bank/ofx_*.ofx`` beside their expected ``.ofx.json`` (what ``edi-gateway parse
--json`` prints). Regenerate on purpose only: ``UPDATE_GOLDEN=1 .venv/bin/pytest tests/bank/test_ofx.py``,
then read the diff before committing it.
"""

from __future__ import annotations

import io
import json
import os
import warnings
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from parsers.bank import StatementsResult, parse_statements
from parsers.bank.ofx_decode import decode_ofx
from parsers.bank.ofx_tree import MAX_DEPTH, read_tree
from parsers.errors import StatementError, UnsafeInputError
from tests.parser_suite import BANK_CORPUS, ParserSuite

OFX_CORPUS = BANK_CORPUS / "ofx"
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "bank"
GOLDEN_CASES = sorted(GOLDEN.glob("ofx_*.ofx"))


def parse(data: bytes) -> StatementsResult:
    return parse_statements(data, format="ofx")


def sgml(transactions: str, *, header: str = "", statement_extra: str = "") -> bytes:
    """An OFX 1.x file of one checking account with the given STMTTRN aggregates."""
    head = header or "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nENCODING:USASCII\nCHARSET:1252\n"
    return (
        f"{head}\n<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>"
        "<DTSERVER>20260105<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1><BANKMSGSRSV1><STMTTRNRS><TRNUID>1"
        "<STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>071000013<ACCTID>4410023<ACCTTYPE>CHECKING</BANKACCTFROM>"
        f"<BANKTRANLIST><DTSTART>20260101<DTEND>20260105\n{transactions}\n</BANKTRANLIST>{statement_extra}"
        "</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n"
    ).encode("latin-1")


def trn(
    amount: str, *, fitid: str | None = "1", posted: str = "20260102", name: str = "BCBS ILLINOIS"
) -> str:
    fitid_tag = f"<FITID>{fitid}" if fitid is not None else ""
    return f"<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>{posted}<TRNAMT>{amount}{fitid_tag}<NAME>{name}</STMTTRN>"


def xml(body: str, *, prolog: str = '<?xml version="1.0" encoding="UTF-8"?>\n') -> bytes:
    return (
        f'{prolog}<?OFX OFXHEADER="200" VERSION="211" SECURITY="NONE"?>\n<OFX><BANKMSGSRSV1><STMTTRNRS>'
        "<STMTRS><CURDEF>EUR</CURDEF><BANKACCTFROM><BANKID>30001</BANKID><ACCTID>9911</ACCTID></BANKACCTFROM>"
        f"<BANKTRANLIST>{body}</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n"
    ).encode()


class TestOfxCorpus(ParserSuite):
    corpus = OFX_CORPUS
    # Fuzzer findings kept by libofx: a statement without account or currency; a file cut inside <OFX>.
    malformed = frozenset({"libofx__heap-buffer-overflow-1.ofx", "libofx__null-ptr-deref-1.ofx"})
    error = StatementError

    def parse(self, data: bytes) -> object:
        return parse(data)


def corpus(name: str) -> StatementsResult:
    path = OFX_CORPUS / name
    if not path.is_file():
        pytest.skip(f"{path} not found (the shared corpus sits beside the project)")
    return parse(path.read_bytes())


# -- the corpus, read right ---------------------------------------------------------------------------


def test_detected_without_a_format() -> None:
    for case in GOLDEN_CASES:
        assert parse_statements(case).format == "ofx"


def test_sgml_without_closing_tags_amounts_checks_and_balances() -> None:
    result = corpus("ofxparse__bank_medium.ofx")
    (statement,) = result.statements
    assert (statement.account, statement.bank, statement.currency) == (
        "12300 000012345678",
        "160000100",
        "CAD",
    )
    assert [line.amount for line in statement.lines] == [
        Decimal("-6.60"),
        Decimal("-316.67"),
        Decimal("-22.00"),
    ]
    assert statement.lines[1].customer_reference == "0"  # CHECKNUM
    assert statement.lines[0].booking_date == date(2009, 4, 1)
    assert statement.lines[0].counterparty is not None
    assert statement.lines[0].counterparty.name == "MCDONALD'S #112"
    assert statement.closing_balance == Decimal("382.34")
    assert statement.balance("closing_available").amount == Decimal("682.34")  # type: ignore[union-attr]


def test_several_accounts_bank_and_credit_card_in_one_file() -> None:
    accounts = [(s.account, s.closing_balance) for s in corpus("ofxparse__multiple_accounts.ofx").statements]
    assert accounts == [("9100", Decimal("111")), ("9200", Decimal("222"))]
    mixed = corpus("oca16__test_ofx.ofx").statements
    assert [(s.account, len(s.lines)) for s in mixed] == [("123456", 4), ("123412341234", 0)]
    assert mixed[0].closing_balance == Decimal("2156.56")


def test_leaf_end_tags_for_elements_never_opened_as_aggregates() -> None:
    (statement,) = corpus("beancount-import__amex.ofx").statements
    assert statement.account == "379700001111222"
    assert [line.amount for line in statement.lines] == [
        Decimal("-143.94"),
        Decimal("-28.05"),
        Decimal("-18.76"),
    ]
    assert statement.closing_balance == Decimal("-2356.38")


def test_decimal_commas_read_exactly() -> None:
    plain, euro = corpus("ofxtools__stmtrs.ofx"), corpus("ofxtools__stmtrs_euro.ofx")
    assert plain.to_json() == euro.to_json()
    assert [line.amount for line in euro.statements[0].lines] == [Decimal("-200.00"), Decimal("-300.00")]


def test_cdata_values() -> None:
    (line,) = corpus("ofxparse__suncorp.ofx").statements[0].lines
    assert line.counterparty is not None and line.counterparty.name == "EFTPOS WDL HANDYWAY ALDI STORE"
    assert line.remittance == "EFTPOS WDL HANDYWAY ALDI STORE   GEELONG WEST VICAU"


def test_what_ofxparse_would_drop_is_reported_not_lost() -> None:
    missing_dates = corpus("ofxparse__fail_nice_date_missing.ofx")
    assert [line.booking_date for line in missing_dates.statements[0].lines] == [None, None, None]
    assert [issue.code for issue in missing_dates.issues].count("OFX.DATE") == 3
    bad_amount = corpus("ofxparse__fail_nice_decimal_error.ofx")
    assert bad_amount.statements[0].lines == ()
    (discarded,) = [issue for issue in bad_amount.issues if issue.code == "OFX.DISCARDED"]
    assert (discarded.severity, discarded.line, discarded.record) == ("error", 34, "STMTTRN")
    empty_balance = corpus("ofxparse__fail_nice_empty_balance.ofx")
    assert empty_balance.statements[0].balances == ()
    assert [issue.code for issue in empty_balance.issues] == ["OFX.BALANCE", "OFX.BALANCE"]


def test_issue_texts_hold_no_amounts_names_or_server_messages() -> None:
    texts = " ".join(
        issue.message
        for name in ("ofxparse__fail_nice_decimal_error.ofx", "ofxparse__signon_fail.ofx")
        for issue in corpus(name).issues
    )
    assert "120" not in texts and "Fail1" not in texts and "password" not in texts


def test_server_errors_and_investment_statements_are_reported() -> None:
    failed = corpus("ofxparse__error_message.ofx")
    assert failed.statements == []
    assert [(i.code, i.severity) for i in failed.issues] == [("OFX.STATUS", "error")]
    assert "2000" in failed.issues[0].message
    investment = corpus("ofxparse__fidelity.ofx")
    assert investment.statements == [] and [i.code for i in investment.issues] == ["OFX.UNSUPPORTED"]


def test_signon_only_and_empty_ofx_give_no_statements() -> None:
    assert corpus("ofxparse__signon_success.ofx").statements == []
    assert corpus("ofxparse__bank_small.ofx").to_json() == {"format": "ofx", "statements": [], "errors": []}


def test_agrees_with_ofxparse_where_ofxparse_reads_the_file() -> None:
    """ofxparse, the reference the issue names: the same accounts, FITIDs and exact amounts."""
    ofxparse = pytest.importorskip("ofxparse")
    compared = 0
    for path in sorted(OFX_CORPUS.glob("*")) if OFX_CORPUS.is_dir() else []:
        data = path.read_bytes()
        try:
            ours = parse(data)
        except StatementError:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = ofxparse.OfxParser.parse(io.BytesIO(data), fail_fast=False)
        reference = {
            account.account_id: sorted((str(t.id), Decimal(t.amount)) for t in account.statement.transactions)
            for account in theirs.accounts
            if type(account.statement).__name__ == "Statement" and account.account_id
        }
        for statement in ours.statements:
            kept = sorted((line.bank_reference or "", line.amount) for line in statement.lines)
            # ofxparse drops what it cannot read (fail_fast=False); we keep it and say so
            assert set(reference[statement.account]) <= set(kept), path.name
            if not ours.issues:
                assert reference[statement.account] == kept, path.name
            compared += 1
    if OFX_CORPUS.is_dir():
        assert compared >= 12


# -- the faults of ofxparse ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "encoding"),
    [
        ("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nENCODING:USASCII\nCHARSET:NONE\n", "cp1252"),
        ("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nENCODING:USASCII\nCHARSET:ISO-8859-1\n", "latin-1"),
        ("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nENCODING:UTF8\nCHARSET:NONE\n", "utf-8"),
        ("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nENCODING:UNICODE\nCHARSET:UTF-8\n", "utf-8"),
    ],
)
def test_headers_ofxparse_crashes_on(header: str, encoding: str) -> None:
    data = sgml(trn("120.00"), header=header).replace(b"BCBS ILLINOIS", "Clínica São José".encode(encoding))
    (line,) = parse(data).statements[0].lines
    assert line.counterparty is not None and line.counterparty.name == "Clínica São José"


def test_byte_order_mark_and_non_ascii_xml() -> None:
    body = "<STMTTRN><TRNTYPE>CREDIT</TRNTYPE><DTPOSTED>20260301</DTPOSTED><TRNAMT>10</TRNAMT><FITID>9</FITID><NAME>Zürich – Hôpital</NAME></STMTTRN>"
    (line,) = parse(b"\xef\xbb\xbf" + xml(body)).statements[0].lines
    assert line.counterparty is not None and line.counterparty.name == "Zürich – Hôpital"


def test_a_file_lying_about_its_charset_is_read_by_what_it_is() -> None:
    lying = sgml(trn("1.00", name="Kreiskrankenhaus Gießen"))  # declares 1252, holds ASCII + one 1252 byte
    assert parse(lying.replace("ß".encode("latin-1"), "ß".encode())).statements[0].lines[0].counterparty == (
        parse(lying).statements[0].lines[0].counterparty
    )


def test_utf16_with_byte_order_mark() -> None:
    text = sgml(trn("5.00", name="Hôpital")).decode("latin-1")
    (line,) = parse(text.encode("utf-16")).statements[0].lines
    assert line.counterparty is not None and line.counterparty.name == "Hôpital"


def test_an_unreadable_charset_falls_back_to_latin1_with_a_warning() -> None:
    data = sgml(trn("1.00", name="A\x81B"), header="OFXHEADER:100\nCHARSET:ZLIB\n")
    result = parse(data)
    assert result.statements[0].lines[0].counterparty is not None
    assert [issue.code for issue in result.issues] == ["OFX.ENCODING"]


@pytest.mark.parametrize(
    ("posted", "booked"),
    [
        ("20260301000000.000[+10:AEST]", date(2026, 3, 1)),  # ofxparse: 2026-02-28 (UTC)
        ("20260301235959[-8:PST]", date(2026, 3, 1)),  # ofxparse: 2026-03-02 (UTC)
        ("20260301", date(2026, 3, 1)),
        ("202603011200", date(2026, 3, 1)),
    ],
)
def test_booking_dates_are_the_printed_dates(posted: str, booked: date) -> None:
    (line,) = parse(sgml(trn("1.00", posted=posted))).statements[0].lines
    assert line.booking_date == booked


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1250,00", "1250.00"),
        ("-.5", "-0.5"),
        ("+12", "12"),
        ("-0,01", "-0.01"),
        ("  7.10 ", "7.10"),
        ("-0.00", "0.00"),
    ],
)
def test_amounts_are_exact(text: str, amount: str) -> None:
    (line,) = parse(sgml(trn(text))).statements[0].lines
    assert str(line.amount) == amount


@pytest.mark.parametrize("text", ["1.234,56", "$120", "12e3", "NaN", "1 000", ""])
def test_unreadable_amounts_are_left_out_and_reported(text: str) -> None:
    result = parse(sgml(trn(text) + trn("2.00", fitid="2")))
    assert [line.amount for line in result.statements[0].lines] == [Decimal("2.00")]
    assert [issue.code for issue in result.issues] == ["OFX.DISCARDED"]


def test_transaction_fields() -> None:
    transaction = (
        "<STMTTRN><TRNTYPE>CHECK<DTPOSTED>20260103<DTAVAIL>20260105<TRNAMT>-12877.40<FITID>77<CHECKNUM>100231"
        "<PAYEE><NAME>MEDLINE INDUSTRIES<ADDR1>3 LAKES DR<CITY>NORTHFIELD</PAYEE>"
        "<BANKACCTTO><BANKID>071000039<ACCTID>88120<ACCTTYPE>CHECKING</BANKACCTTO>"
        "<MEMO>INV 7718820 AT&amp;T &#233;t&#xE9; &unknown;</STMTTRN>"
    )
    (line,) = parse(sgml(transaction)).statements[0].lines
    assert (line.booking_date, line.value_date) == (date(2026, 1, 3), date(2026, 1, 5))
    assert (line.bank_reference, line.customer_reference, line.transaction_code) == ("77", "100231", "CHECK")
    assert line.counterparty is not None
    assert (line.counterparty.name, line.counterparty.account, line.counterparty.bank) == (
        "MEDLINE INDUSTRIES",
        "88120",
        "071000039",
    )
    assert line.remittance == "INV 7718820 AT&T été &unknown;"
    assert line.import_id == "4410023:77"


def test_pending_transactions_are_pending_and_outside_the_balance() -> None:
    pending = (
        "<BANKTRANLISTP><DTASOF>20260105<STMTTRNP><TRNTYPE>CREDIT<DTTRAN>20260105<TRNAMT>900.00"
        "<NAME>HCF HEALTH FUND</STMTTRNP></BANKTRANLISTP>"
    )
    result = parse(sgml(trn("100.00"), statement_extra=pending))
    assert [(line.status, line.amount) for line in result.statements[0].lines] == [
        ("booked", Decimal("100.00")),
        ("pending", Decimal("900.00")),
    ]


def test_a_statement_without_account_or_currency_is_refused() -> None:
    with pytest.raises(StatementError, match="no account id"):
        parse(sgml(trn("1.00")).replace(b"<ACCTID>4410023", b""))
    with pytest.raises(StatementError, match="no currency"):
        parse(sgml(trn("1.00")).replace(b"<CURDEF>USD", b""))


def test_not_ofx_and_truncated_files_are_refused_with_a_position() -> None:
    with pytest.raises(StatementError, match="no <OFX>"):
        parse(b"OFXHEADER:100\n\n<HTML><BODY>maintenance</BODY></HTML>")
    with pytest.raises(StatementError, match=r"ends inside <BANKTRANLIST> opened at line 7"):
        parse(sgml(trn("1.00")).split(b"</BANKTRANLIST>")[0])
    with pytest.raises(StatementError, match="empty"):
        parse(b"  \n")


# -- safety ------------------------------------------------------------------------------------------


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n'
    "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD</CURDEF><BANKACCTFROM><ACCTID>1</ACCTID>"
    "</BANKACCTFROM><BANKTRANLIST><STMTTRN><TRNAMT>1</TRNAMT><NAME>&lol2;</NAME></STMTTRN></BANKTRANLIST>"
    "</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
)
XXE = '<?xml version="1.0"?>\n<!DOCTYPE OFX [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<OFX><NAME>&xxe;</NAME></OFX>'


@pytest.mark.parametrize(
    "data",
    [
        BILLION_LAUGHS.encode(),
        XXE.encode(),
        b'<!DOCTYPE OFX SYSTEM "http://attacker.invalid/ofx.dtd">\n<OFX></OFX>',
        sgml(trn("1.00")).replace(b"<OFX>", b'<!ENTITY x "y"><OFX>'),
        sgml(trn("1.00")).replace(b"<OFX>", b"<OFX><!ELEMENT OFX ANY>"),
    ],
    ids=["billion-laughs", "xxe", "external-dtd", "sgml-entity", "element-declaration"],
)
def test_markup_declarations_are_refused(data: bytes) -> None:
    with pytest.raises(UnsafeInputError, match="declarations"):
        parse(data)


def test_references_are_never_expanded_beyond_characters() -> None:
    body = "<STMTTRN><TRNAMT>1</TRNAMT><FITID>1</FITID><NAME>&lol; &#0; &#x110000; &#xD800; &lt;x&gt;</NAME></STMTTRN>"
    (line,) = parse(xml(body)).statements[0].lines
    assert line.counterparty is not None
    assert line.counterparty.name == "&lol; &#0; &#x110000; &#xD800; <x>"


def test_oversized_files_are_refused_before_reading_on() -> None:
    with pytest.raises(UnsafeInputError, match="larger than 100 bytes"):
        decode_ofx(io.BytesIO(sgml(trn("1.00"))), max_bytes=100)


def test_hostile_nesting_is_refused() -> None:
    with pytest.raises(StatementError, match="nested deeper"):
        read_tree("<OFX>" + "<A><B>" * MAX_DEPTH + "x")


@pytest.mark.parametrize("markup", ["<!-- never closed", "<![CDATA[ never closed", "<? never closed"])
def test_unterminated_markup_is_an_error(markup: str) -> None:
    with pytest.raises(StatementError, match="unterminated"):
        parse(sgml(trn("1.00")).replace(b"<BANKTRANLIST>", b"<BANKTRANLIST>" + markup.encode()))


# -- import ids ----------------------------------------------------------------------------------------


def test_import_ids_the_fitid_or_a_content_hash_counted_among_equal_lines() -> None:
    lines = parse(sgml(trn("212.40", fitid=None) * 2 + trn("5.00", fitid="F-1"))).statements[0].lines
    first, second, third = (line.import_id for line in lines)
    assert first.startswith("4410023:h:") and first.endswith(":1")
    assert second == first[:-1] + "2"
    assert third == "4410023:F-1"


def test_a_redelivered_or_overlapping_statement_stages_no_line_twice() -> None:
    monday = [trn("100.00", fitid="A"), trn("5.00", fitid=None, posted="20260102")]
    tuesday = [trn("7.00", fitid="B", posted="20260103"), trn("9.00", fitid=None, posted="20260103")]
    first = parse(sgml("".join(monday + tuesday))).statements[0]
    overlapping = parse(sgml("".join([*tuesday, trn("1.00", fitid="C", posted="20260104")]))).statements[0]
    again = parse(sgml("".join(monday + tuesday))).statements[0]
    assert [line.import_id for line in again.lines] == [line.import_id for line in first.lines]
    assert [line.import_id for line in overlapping.lines][:2] == [line.import_id for line in first.lines][2:]


def test_a_fitid_the_bank_repeats_never_merges_two_different_lines() -> None:
    result = parse(sgml(trn("80.00", fitid="2000957249") + trn("200.00", fitid="2000957249")))
    ids = [line.import_id for line in result.statements[0].lines]
    # As in every format: the first keeps the id an earlier delivery gave it, the next is numbered.
    assert [import_id.split(":", 1)[1] for import_id in ids] == ["2000957249", "2000957249#2"]
    assert [issue.code for issue in result.issues] == ["OFX.DUPLICATE_FITID"]
    same = parse(sgml(trn("80.00", fitid="X") * 2)).statements[0].lines
    assert same[0].import_id != same[1].import_id  # equal lines under one FITID: still two lines


def test_a_fitid_delivered_again_keeps_its_import_id() -> None:
    result = parse(sgml(trn("80.00", fitid="2000957249") + trn("12.00", fitid="2000957250")))
    first = {line.import_id for line in result.statements[0].lines}
    again = parse(sgml(trn("80.00", fitid="2000957249"))).statements[0].lines
    assert {line.import_id for line in again} <= first  # a re-delivery finds the same id


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
