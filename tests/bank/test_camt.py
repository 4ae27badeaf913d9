"""camt.052 / camt.053 / camt.054: the shared corpus (parser suite), golden files, and the version differences,
batches, reversals, pending entries, balances and import ids one by one.

Golden files: ``tests/golden/bank/camt_*.xml`` beside their expected ``.xml.json`` (what ``edi-gateway parse
--json`` prints). Regenerate on purpose only: ``UPDATE_GOLDEN=1 .venv/bin/pytest tests/bank/test_camt.py``,
then read the diff before committing it.
"""

from __future__ import annotations

import io
import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from parsers.bank import parse_statements
from parsers.bank.camt import read_camt
from parsers.bank.result import StatementsResult
from parsers.errors import StatementError, UnsafeInputError
from tests.parser_suite import BANK_CORPUS, ParserSuite

GOLDEN = Path(__file__).parents[1] / "golden" / "bank"
CASES = sorted(GOLDEN.glob("camt_*.xml"))
ACCOUNT = "DE89370400440532013000"


class TestCamt052Corpus(ParserSuite):
    corpus = BANK_CORPUS / "camt052"

    def parse(self, data: bytes) -> object:
        return parse_statements(data)


class TestCamt053Corpus(ParserSuite):
    corpus = BANK_CORPUS / "camt053"
    # A message without any statement, and a zip of two statements (compressed deliveries are unpacked by
    # the gateway with parsers.bank.archive, never by the parser).
    malformed = frozenset({"genkgo__camt053.v2.wrong.xml", "oca16__test-camt053.zip"})
    error = StatementError

    def parse(self, data: bytes) -> object:
        return parse_statements(data)


class TestCamt054Corpus(ParserSuite):
    corpus = BANK_CORPUS / "camt054"
    malformed = frozenset({"dvbern__camt_054_Beispiel_NotificationMissing.xml"})  # an empty <Document/>
    error = StatementError

    def parse(self, data: bytes) -> object:
        return parse_statements(data)


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.name)
def test_golden(case: Path) -> None:
    actual = parse_statements(case).to_json()
    expected_path = case.with_name(case.name + ".json")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected_path.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", "utf-8")
    assert expected_path.exists(), f"{expected_path.name} is missing: run with UPDATE_GOLDEN=1 to create it"
    assert actual == json.loads(expected_path.read_text("utf-8"))


def test_there_are_golden_cases_for_each_message() -> None:
    assert {case.name.split("_")[1] for case in CASES} == {"052", "053", "054"}


# -- building small documents ------------------------------------------------------------------------------

_CONTAINERS = {
    "052": ("BkToCstmrAcctRpt", "Rpt"),
    "053": ("BkToCstmrStmt", "Stmt"),
    "054": ("BkToCstmrDbtCdtNtfctn", "Ntfctn"),
}


def document(*statements: str, kind: str = "053", version: str = "08") -> bytes:
    container = _CONTAINERS[kind][0]
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.{kind}.001.{version}"><{container}>'
        f"<GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-03-29T05:00:00+01:00</CreDtTm></GrpHdr>"
        f"{''.join(statements)}</{container}></Document>"
    ).encode()


def statement(
    *entries: str,
    account: str = ACCOUNT,
    balances: str = "",
    kind: str = "053",
    currency: str = "EUR",
    extra: str = "",
) -> str:
    tag = _CONTAINERS[kind][1]
    currency_element = f"<Ccy>{currency}</Ccy>" if currency else ""
    return (
        f"<{tag}><Id>S-{account[-4:]}</Id><Acct><Id><IBAN>{account}</IBAN></Id>{currency_element}</Acct>"
        f"{balances}{extra}{''.join(entries)}</{tag}>"
    )


def balance(code: str, amount: str, indicator: str = "CRDT", day: str = "2024-03-28") -> str:
    return (
        f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy='EUR'>{amount}</Amt>"
        f"<CdtDbtInd>{indicator}</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>"
    )


def entry(
    amount: str = "100.00",
    indicator: str = "CRDT",
    *,
    status: str = "<Sts><Cd>BOOK</Cd></Sts>",
    booking: str = "<BookgDt><Dt>2024-03-28</Dt></BookgDt>",
    reference: str | None = None,
    extra: str = "",
    details: str = "",
    currency: str = "EUR",
) -> str:
    ref = f"<AcctSvcrRef>{reference}</AcctSvcrRef>" if reference else ""
    inner = f"<NtryDtls>{details}</NtryDtls>" if details else ""
    return (
        f"<Ntry><Amt Ccy='{currency}'>{amount}</Amt><CdtDbtInd>{indicator}</CdtDbtInd>{status}{booking}"
        f"<ValDt><Dt>2024-03-28</Dt></ValDt>{ref}{extra}{inner}</Ntry>"
    )


def transaction(body: str = "", amount: str | None = None, indicator: str | None = None) -> str:
    amount_element = f"<Amt Ccy='EUR'>{amount}</Amt>" if amount is not None else ""
    indicator_element = f"<CdtDbtInd>{indicator}</CdtDbtInd>" if indicator else ""
    return f"<TxDtls>{amount_element}{indicator_element}{body}</TxDtls>"


def read(data: bytes) -> StatementsResult:
    return parse_statements(data)


def codes(result: StatementsResult) -> list[str]:
    return [issue.code for issue in result.issues]


# -- versions ---------------------------------------------------------------------------------------------


def test_status_as_text_or_as_code() -> None:
    old = read(
        document(statement(entry(status="<Sts>PDNG</Sts>"), entry(status="<Sts>BOOK</Sts>")), version="02")
    )
    new = read(document(statement(entry(status="<Sts><Cd>PDNG</Cd></Sts>"), entry()), version="08"))
    for result in (old, new):
        assert [line.status for line in result.statements[0].lines] == ["pending", "booked"]


def test_an_unknown_status_is_read_as_booked_with_a_warning() -> None:
    result = read(document(statement(entry(status="<Sts><Cd>WHAT</Cd></Sts>"))))
    assert result.statements[0].lines[0].status == "booked"
    assert codes(result) == ["CAMT.STATUS"]


@pytest.mark.parametrize(
    ("booking", "expected"),
    [
        ("<Dt>2024-03-31</Dt>", date(2024, 3, 31)),
        ("<DtTm>2024-03-31T23:30:00-05:00</DtTm>", date(2024, 3, 31)),  # not moved to the next day (UTC)
        ("<DtTm>2024-04-01T00:30:00+02:00</DtTm>", date(2024, 4, 1)),  # not moved to the previous day
        ("<DtTm>2024-04-01T00:30:00.000000000</DtTm>", date(2024, 4, 1)),
    ],
)
def test_the_booking_date_is_the_date_part_as_written(booking: str, expected: date) -> None:
    result = read(document(statement(entry(booking=f"<BookgDt>{booking}</BookgDt>"))))
    line = result.statements[0].lines[0]
    assert line.booking_date == expected
    assert line.value_date == date(2024, 3, 28)


def test_any_version_number_is_accepted() -> None:
    for version in ("02", "04", "08", "10", "13"):
        assert read(document(statement(entry()), version=version)).format == "camt.053"


def test_a_foreign_namespace_is_refused() -> None:
    data = document(statement(entry())).replace(b"camt.053.001.08", b"pain.001.001.09")
    with pytest.raises(StatementError) as refused:
        parse_statements(data, format="camt.053")
    assert refused.value.code == "CAMT.NAMESPACE"


def test_the_legacy_proprietary_account_is_read() -> None:
    data = document(statement(entry()), version="01").replace(
        f"<IBAN>{ACCOUNT}</IBAN>".encode(), b"<PrtryAcct><Id>0035-2915203-10</Id></PrtryAcct>"
    )
    assert read(data).statements[0].account == "0035-2915203-10"


# -- amounts, parties, references, remittance --------------------------------------------------------------


def test_transaction_amounts_at_txdtls_amt_or_amtdtls_txamt() -> None:
    details = transaction(amount="60.00", indicator="CRDT") + transaction(
        "<AmtDtls><TxAmt><Amt Ccy='EUR'>40.00</Amt></TxAmt></AmtDtls>"
    )
    result = read(document(statement(entry("100.00", details=details))))
    assert [line.amount for line in result.statements[0].lines] == [Decimal("60.00"), Decimal("40.00")]
    assert codes(result) == []


def test_debits_are_negative_and_keep_their_decimals() -> None:
    result = read(document(statement(entry("0.10500", "DBIT"), entry("0", "CRDT"))))
    assert [line.amount for line in result.statements[0].lines] == [Decimal("-0.10500"), Decimal("0")]


@pytest.mark.parametrize(
    ("version", "party"),
    [
        ("04", "<Dbtr><Nm>Northwind Health Insurance</Nm></Dbtr>"),
        ("08", "<Dbtr><Pty><Nm>Northwind Health Insurance</Nm></Pty></Dbtr>"),
    ],
)
def test_the_debtor_of_a_credit_by_name_account_and_bank(version: str, party: str) -> None:
    body = (
        f"<RltdPties>{party}<DbtrAcct><Id><IBAN>DE02120300000000202051</IBAN></Id></DbtrAcct>"
        "<Cdtr><Nm>St. Elisabeth Klinikum</Nm></Cdtr></RltdPties>"
        "<RltdAgts><DbtrAgt><FinInstnId><BIC>BYLADEM1001</BIC></FinInstnId></DbtrAgt></RltdAgts>"
    )
    result = read(document(statement(entry(details=transaction(body))), version=version))
    counterparty = result.statements[0].lines[0].counterparty
    assert counterparty is not None
    assert (counterparty.name, counterparty.account, counterparty.bank) == (
        "Northwind Health Insurance",
        "DE02120300000000202051",
        "BYLADEM1001",
    )


def test_the_creditor_of_a_debit_with_an_other_account_id() -> None:
    body = (
        "<RltdPties><Dbtr><Nm>St. Elisabeth Klinikum</Nm></Dbtr><Cdtr><Pty><Nm>Northwind Medical Supply</Nm></Pty></Cdtr>"
        "<CdtrAcct><Id><Othr><Id>000112233445</Id></Othr></Id></CdtrAcct></RltdPties>"
    )
    line = read(document(statement(entry("10.00", "DBIT", details=transaction(body))))).statements[0].lines[0]
    assert line.counterparty is not None
    assert (line.counterparty.name, line.counterparty.account) == ("Northwind Medical Supply", "000112233445")


def test_references_uetr_end_to_end_and_the_servicers_reference() -> None:
    refs = (
        "<Refs><AcctSvcrRef>TX-77</AcctSvcrRef><EndToEndId>NWH-ERA-0042</EndToEndId>"
        "<UETR>8a562c67-ca16-48ba-b074-65581be6f011</UETR></Refs>"
    )
    line = (
        read(document(statement(entry(reference="NTRY-1", details=transaction(refs))))).statements[0].lines[0]
    )
    assert line.bank_reference == "TX-77"
    assert line.end_to_end_id == line.customer_reference == "NWH-ERA-0042"
    assert line.uetr == "8a562c67-ca16-48ba-b074-65581be6f011"
    assert line.import_id == f"{ACCOUNT}:TX-77"


def test_placeholder_references_are_no_references() -> None:
    refs = "<Refs><EndToEndId>NOTPROVIDED</EndToEndId><InstrId>INSTR-5</InstrId></Refs>"
    line = (
        read(document(statement(entry(reference="NONREF", details=transaction(refs))))).statements[0].lines[0]
    )
    assert line.bank_reference is None
    assert line.end_to_end_id is None
    assert line.customer_reference == "INSTR-5"
    assert ":h:" in line.import_id


def test_structured_and_unstructured_remittance() -> None:
    body = (
        "<RmtInf><Ustrd>ERA 20240327-0042</Ustrd><Ustrd>CLAIMS 118834 118835</Ustrd>"
        "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>RF18539007547034</Ref></CdtrRefInf></Strd>"
        "</RmtInf>"
    )
    line = read(document(statement(entry(details=transaction(body))))).statements[0].lines[0]
    assert line.remittance == "ERA 20240327-0042 CLAIMS 118834 118835"
    assert line.structured_reference == "RF18539007547034"


def test_remittance_falls_back_to_the_additional_information() -> None:
    line = (
        read(document(statement(entry(extra="<AddtlNtryInf>ACCOUNT FEE MARCH</AddtlNtryInf>"))))
        .statements[0]
        .lines[0]
    )
    assert line.remittance == "ACCOUNT FEE MARCH"
    assert line.transaction_code is None


def test_the_bank_transaction_code() -> None:
    code = "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn><Prtry><Cd>X</Cd></Prtry></BkTxCd>"
    line = read(document(statement(entry(extra=code)))).statements[0].lines[0]
    assert line.transaction_code == "PMNT/RCDT/ESCT"


# -- batches, reversals, pending ---------------------------------------------------------------------------


def test_a_batch_entry_is_split_into_its_transactions() -> None:
    details = "<Btch><NbOfTxs>3</NbOfTxs></Btch>" + "".join(
        transaction(f"<RmtInf><Ustrd>CLAIM 2024-22010{n}</Ustrd></RmtInf>", amount, "CRDT")
        for n, amount in enumerate(["25.00", "31.00", "17.00"], start=1)
    )
    lines = read(document(statement(entry("73.00", reference="B-9", details=details)))).statements[0].lines
    assert [(line.amount, line.import_id, line.remittance) for line in lines] == [
        (Decimal("25.00"), f"{ACCOUNT}:B-9/1", "CLAIM 2024-220101"),
        (Decimal("31.00"), f"{ACCOUNT}:B-9/2", "CLAIM 2024-220102"),
        (Decimal("17.00"), f"{ACCOUNT}:B-9/3", "CLAIM 2024-220103"),
    ]
    assert {line.bank_reference for line in lines} == {"B-9"}


def test_a_batch_that_does_not_add_up_stays_one_line() -> None:
    details = transaction(amount="60.00", indicator="DBIT") + transaction(amount="38.00", indicator="DBIT")
    result = read(document(statement(entry("100.00", "DBIT", details=details))))
    assert [line.amount for line in result.statements[0].lines] == [Decimal("-100.00")]
    assert codes(result) == ["CAMT.BATCH_NOT_SPLIT"]
    assert result.issues[0].line == 1
    assert result.issues[0].record == "Ntry"


def test_a_batch_in_another_currency_stays_one_line() -> None:
    details = transaction("<AmtDtls><TxAmt><Amt Ccy='USD'>60.00</Amt></TxAmt></AmtDtls>") * 2
    result = read(document(statement(entry("110.00", details=details))))
    assert len(result.statements[0].lines) == 1


def test_a_reversal_is_flagged_and_names_the_original_payer() -> None:
    body = "<RltdPties><Dbtr><Pty><Nm>Fabrikam Health Plan</Nm></Pty></Dbtr></RltdPties>"
    reversal = entry("14.50", "DBIT", extra="", details=transaction(body)).replace(
        "<Sts>", "<RvslInd>true</RvslInd><Sts>", 1
    )
    line = read(document(statement(reversal))).statements[0].lines[0]
    assert line.reversal is True
    assert line.amount == Decimal("-14.50")
    assert line.counterparty is not None and line.counterparty.name == "Fabrikam Health Plan"


def test_a_return_naming_the_other_role_still_has_its_counterparty_but_never_our_own_account() -> None:
    other = "<RltdPties><Cdtr><Nm>Test Customer</Nm></Cdtr><CdtrAcct><Id><IBAN>NL46ABNA0499998748</IBAN></Id></CdtrAcct></RltdPties>"
    own = (
        f"<RltdPties><Cdtr><Nm>Us</Nm></Cdtr><CdtrAcct><Id><IBAN>{ACCOUNT}</IBAN></Id></CdtrAcct></RltdPties>"
    )
    lines = (
        read(document(statement(entry(details=transaction(other)), entry(details=transaction(own)))))
        .statements[0]
        .lines
    )
    assert lines[0].counterparty is not None and lines[0].counterparty.name == "Test Customer"
    assert lines[1].counterparty is None


def test_pending_entries_are_marked_and_left_out_of_the_balance_check() -> None:
    balances = balance("OPBD", "100.00") + balance("CLBD", "150.00")
    pending = entry("30.00", status="<Sts><Cd>PDNG</Cd></Sts>", booking="")
    result = read(document(statement(entry("50.00"), pending, balances=balances)))
    lines = result.statements[0].lines
    assert [line.status for line in lines] == ["booked", "pending"]
    assert lines[1].booking_date is None
    assert "BANK.BALANCE" not in codes(result)


# -- statements and balances ------------------------------------------------------------------------------


def test_several_statements_each_with_its_own_account() -> None:
    result = read(
        document(
            statement(entry("1.00"), account="DE89370400440532013000"),
            statement(entry("2.00"), entry("3.00"), account="DE27100777770209299700", currency="CHF"),
            statement(account="DE12500105170648489890"),
        )
    )
    assert [(s.account, s.currency, len(s.lines)) for s in result.statements] == [
        ("DE89370400440532013000", "EUR", 1),
        ("DE27100777770209299700", "CHF", 2),
        ("DE12500105170648489890", "EUR", 0),
    ]
    assert all(s.created == date(2024, 3, 29) for s in result.statements)  # from the group header


def test_balance_kinds_and_signs() -> None:
    balances = "".join(
        balance(code, amount, indicator)
        for code, amount, indicator in [
            ("OPBD", "10.00", "CRDT"),
            ("PRCD", "10.00", "CRDT"),
            ("ITBD", "12.00", "CRDT"),
            ("CLBD", "5.00", "DBIT"),
            ("OPAV", "9.00", "CRDT"),
            ("CLAV", "4.00", "DBIT"),
            ("FWAV", "4.00", "CRDT"),
        ]
    )
    result = read(document(statement(entry("15.00", "DBIT"), balances=balances)))
    found = [(b.code, b.kind, b.amount) for b in result.statements[0].balances]
    assert found == [
        ("OPBD", "opening", Decimal("10.00")),
        ("PRCD", "other", Decimal("10.00")),
        ("ITBD", "interim", Decimal("12.00")),
        ("CLBD", "closing", Decimal("-5.00")),
        ("OPAV", "opening_available", Decimal("9.00")),
        ("CLAV", "closing_available", Decimal("-4.00")),
        ("FWAV", "other", Decimal("4.00")),
    ]
    assert codes(result) == []  # 10 - 15 = -5


def test_the_previous_closing_opens_a_statement_without_opbd() -> None:
    result = read(document(statement(balances=balance("PRCD", "20.00") + balance("CLBD", "20.00"))))
    assert result.statements[0].opening_balance == Decimal("20.00")


def test_a_balance_that_does_not_add_up_is_a_warning() -> None:
    result = read(
        document(statement(entry("5.00"), balances=balance("OPBD", "1.00") + balance("CLBD", "9.00")))
    )
    assert codes(result) == ["BANK.BALANCE"]


def test_reports_and_notifications() -> None:
    report = read(document(statement(entry(), kind="052"), kind="052", version="02"))
    notification = read(document(statement(entry(), kind="054"), kind="054", version="08"))
    assert (report.format, notification.format) == ("camt.052", "camt.054")
    assert notification.statements[0].balances == ()
    assert report.statements[0].format == "camt.052"


def test_a_statement_element_of_another_message_is_refused() -> None:
    data = document(statement(entry(), kind="052"), kind="053")
    with pytest.raises(StatementError) as refused:
        read(data)
    assert refused.value.code == "CAMT.STRUCTURE"


def test_the_currency_comes_from_the_account_a_balance_or_an_entry() -> None:
    from_balance = read(document(statement(entry(), balances=balance("OPBD", "1.00"), currency="")))
    from_entry = read(document(statement(entry(currency="SEK"), currency="")))
    nowhere = read(document(statement(currency="")))
    assert from_balance.statements[0].currency == "EUR"
    assert from_entry.statements[0].currency == "SEK"
    assert nowhere.statements[0].currency == "XXX"
    assert codes(nowhere) == ["CAMT.CURRENCY"]


def test_an_entry_in_another_currency_is_a_warning() -> None:
    result = read(document(statement(entry(currency="USD"))))
    assert codes(result) == ["CAMT.CURRENCY"]


def test_the_transaction_summary_is_checked() -> None:
    summary = (
        "<TxsSummry><TtlNtries><NbOfNtries>2</NbOfNtries><Sum>15.00</Sum>"
        "<TtlNetNtry><Amt>5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></TtlNetNtry></TtlNtries>"
        "<TtlCdtNtries><NbOfNtries>1</NbOfNtries><Sum>10.00</Sum></TtlCdtNtries>"
        "<TtlDbtNtries><NbOfNtries>1</NbOfNtries><Sum>5.00</Sum></TtlDbtNtries></TxsSummry>"
    )
    good = read(document(statement(entry("10.00"), entry("5.00", "DBIT"), extra=summary)))
    assert codes(good) == []
    bad = read(document(statement(entry("10.00"), entry("6.00", "DBIT"), extra=summary)))
    assert codes(bad) == ["CAMT.SUMMARY"] * 3  # the total, the net amount and the debits' sum
    assert {issue.record for issue in bad.issues} == {"TxsSummry"}


# -- import ids ---------------------------------------------------------------------------------------------


def _unreferenced(text: str, amount: str = "42.00") -> str:
    return entry(amount, details=transaction(f"<RmtInf><Ustrd>{text}</Ustrd></RmtInf>"))


def test_a_redelivered_or_overlapping_statement_gives_the_same_ids() -> None:
    day_one = document(
        statement(entry("10.00", reference="REF-1"), _unreferenced("CLAIM 1"), _unreferenced("CLAIM 2"))
    )
    day_two = document(
        statement(_unreferenced("CLAIM 2"), _unreferenced("CLAIM 3"), entry("10.00", reference="REF-1"))
    )
    first = {line.remittance: line.import_id for line in read(day_one).statements[0].lines}
    again = {line.remittance: line.import_id for line in read(day_one).statements[0].lines}
    second = {line.remittance: line.import_id for line in read(day_two).statements[0].lines}
    assert first == again
    assert first["CLAIM 2"] == second["CLAIM 2"]
    assert first[None] == second[None] == f"{ACCOUNT}:REF-1"
    assert len(set(first.values()) | set(second.values())) == 4


def test_identical_unreferenced_lines_are_two_lines() -> None:
    lines = read(document(statement(_unreferenced("COPAY"), _unreferenced("COPAY")))).statements[0].lines
    assert lines[0].import_id.endswith(":1")
    assert lines[1].import_id.endswith(":2")
    assert lines[0].import_id[:-2] == lines[1].import_id[:-2]


def test_a_repeated_bank_reference_never_merges_two_lines() -> None:
    result = read(document(statement(entry("1.00", reference="DUP"), entry("2.00", reference="DUP"))))
    assert [line.import_id for line in result.statements[0].lines] == [f"{ACCOUNT}:DUP", f"{ACCOUNT}:DUP#2"]
    assert codes(result) == ["CAMT.DUPLICATE_REFERENCE"]
    assert result.issues[0].line == 2


def test_the_same_reference_in_two_statements_of_an_account_is_the_same_line() -> None:
    result = read(document(statement(entry("1.00", reference="R")), statement(entry("1.00", reference="R"))))
    assert result.statements[0].lines[0].import_id == result.statements[1].lines[0].import_id


# -- errors -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("broken", "code"),
    [
        (entry("12,50"), "CAMT.AMOUNT"),
        (entry("-12.50"), "CAMT.AMOUNT"),
        (entry("12.50", "CREDIT"), "CAMT.INDICATOR"),
        (entry("12.50", booking="<BookgDt><Dt>2024-02-30</Dt></BookgDt>"), "CAMT.DATE"),
        (entry("12.50", booking="<BookgDt><Dt>30.03.2024</Dt></BookgDt>"), "CAMT.DATE"),
        (entry("").replace("<Amt Ccy='EUR'></Amt>", ""), "CAMT.AMOUNT"),
    ],
)
def test_an_unreadable_entry_names_its_place_and_never_its_value(broken: str, code: str) -> None:
    with pytest.raises(StatementError) as refused:
        read(document(statement(entry("1.00"), broken)))
    assert refused.value.code == code
    assert "statement 1, entry 2" in str(refused.value)
    assert "12" not in str(refused.value).split("(line")[0].replace("statement 1, entry 2", "")


def test_a_statement_without_an_account_is_refused() -> None:
    data = document(statement(entry())).replace(f"<Id><IBAN>{ACCOUNT}</IBAN></Id>".encode(), b"")
    with pytest.raises(StatementError) as refused:
        read(data)
    assert refused.value.code == "CAMT.ACCOUNT"


def test_a_document_without_statements_is_refused() -> None:
    with pytest.raises(StatementError) as refused:
        read(document())
    assert refused.value.code == "CAMT.EMPTY"


def test_a_zip_is_refused_with_a_clear_error() -> None:
    path = BANK_CORPUS / "camt053" / "oca16__test-camt053.zip"
    data = path.read_bytes() if path.exists() else b"PK\x03\x04" + b"\x00" * 64
    with pytest.raises(StatementError, match="zip archive"):
        read_camt(io.BytesIO(data))
    with pytest.raises(StatementError, match="zip archive"):
        parse_statements(data, format="camt.053")
    with pytest.raises(StatementError):
        parse_statements(data)  # detection finds no bank format in compressed bytes


def test_a_doctype_is_unsafe_not_merely_unreadable() -> None:
    data = document(statement(entry())).replace(b"\n", b"\n<!DOCTYPE Document>\n", 1)
    with pytest.raises(UnsafeInputError):
        read(data)


def test_issues_never_carry_amounts_or_names() -> None:
    paths = sorted(BANK_CORPUS.glob("camt05*/*.xml")) + CASES
    for path in paths:
        try:
            result = parse_statements(path)
        except StatementError:
            continue
        secrets = set()
        for found in result.statements:
            for line in found.lines:
                secrets.add(format(abs(line.amount), "f"))
                if line.counterparty is not None and line.counterparty.name:
                    secrets.add(line.counterparty.name)
        for issue in result.issues:
            for secret in secrets:
                assert secret not in issue.message, (path.name, issue)


def test_the_json_contract() -> None:
    data = read(
        document(
            statement(
                entry("10.00", reference="R1"), balances=balance("OPBD", "1.00") + balance("CLBD", "11.00")
            )
        )
    )
    payload = json.loads(json.dumps(data.to_json()))
    assert payload["format"] == "camt.053"
    assert payload["errors"] == []
    first = payload["statements"][0]
    assert (first["account"], first["currency"], first["opening_balance"], first["closing_balance"]) == (
        ACCOUNT,
        "EUR",
        "1.00",
        "11.00",
    )
    line = first["lines"][0]
    for key, value in {
        "import_id": f"{ACCOUNT}:R1",
        "booking_date": "2024-03-28",
        "value_date": "2024-03-28",
        "amount": "10.00",
        "bank_reference": "R1",
        "status": "booked",
    }.items():
        assert line[key] == value


def test_leaves_refuse_a_path_they_were_not_asked_to_gather() -> None:
    from lxml import etree

    from parsers.bank.camt_xml import LeafPaths, Leaves

    namespace = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"
    element = etree.fromstring(
        f'<Ntry xmlns="{namespace}"><Amt>1</Amt><Sts><Cd>BOOK</Cd></Sts><Chrgs><Amt>2</Amt></Chrgs></Ntry>'
    )
    leaves = Leaves(element, namespace, LeafPaths(["Amt", "Sts", "Sts/Cd"]))
    assert (leaves.text("Amt"), leaves.text("Sts"), leaves.text("Sts/Cd")) == ("1", None, "BOOK")
    with pytest.raises(KeyError):
        leaves.text("Chrgs/Amt")
