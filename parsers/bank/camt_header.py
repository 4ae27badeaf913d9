"""What a camt statement, report or notification says before its entries: account, currency, period,
balances and the bank's own transaction summary (``TxsSummry``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final

from lxml import etree

from ..documents.bank_statement import Balance, BalanceKind
from ..errors import StatementError
from .camt_xml import Paths, parse_amount

__all__ = ["EntrySummary", "StatementHeader", "read_header"]

# ISO 20022 balance type codes; PRCD (the previous statement's closing) opens a statement without OPBD.
_BALANCE_KINDS: Final[dict[str, BalanceKind]] = {
    "OPBD": "opening",
    "CLBD": "closing",
    "OPAV": "opening_available",
    "CLAV": "closing_available",
    "ITBD": "interim",
    "ITAV": "interim",
}

_ACCOUNT_PATHS: Final = (
    "Acct/Id/IBAN",
    "Acct/Id/Othr/Id",
    "Acct/Id/PrtryAcct/Id",
    "Acct/Id/BBAN",
    "Acct/Id/UPIC",
)
_BANK_PATHS: Final = (
    "Acct/Svcr/FinInstnId/BICFI",
    "Acct/Svcr/FinInstnId/BIC",
    "Acct/Svcr/FinInstnId/ClrSysMmbId/MmbId",
)


@dataclass(frozen=True, slots=True)
class EntrySummary:
    """``TxsSummry``: how many entries the bank says it reports, and their sums (unsigned) by direction."""

    count: int | None = None
    total: Decimal | None = None
    net: Decimal | None = None  # signed: credits less debits
    credit_count: int | None = None
    credit_total: Decimal | None = None
    debit_count: int | None = None
    debit_total: Decimal | None = None


@dataclass(frozen=True, slots=True)
class StatementHeader:
    account: str
    currency: str | None
    statement_id: str | None
    bank: str | None
    created: date | None
    period_start: date | None
    period_end: date | None
    balances: tuple[Balance, ...]
    summary: EntrySummary | None


def read_header(statement: etree._Element, paths: Paths, where: str, created: date | None) -> StatementHeader:
    """The header of ``statement`` (a ``Stmt``, ``Rpt`` or ``Ntfctn``); ``created`` is the group header's
    date, used when the statement has none of its own."""
    account = paths.any_text(statement, *_ACCOUNT_PATHS)
    if account is None:
        raise StatementError(f"{where}: the account has no identification (Acct/Id)", code="CAMT.ACCOUNT")
    balances = _balances(statement, paths, where)
    currency = paths.text(statement, "Acct/Ccy")
    if currency is None:
        currency = next((code for code in _balance_currencies(statement, paths) if code), None)
    return StatementHeader(
        account=account,
        currency=currency,
        statement_id=paths.text(statement, "Id"),
        bank=paths.any_text(statement, *_BANK_PATHS),
        created=paths.date_time(statement, "CreDtTm", f"{where}, CreDtTm") or created,
        period_start=paths.date_time(statement, "FrToDt/FrDtTm", f"{where}, FrToDt"),
        period_end=paths.date_time(statement, "FrToDt/ToDtTm", f"{where}, FrToDt"),
        balances=balances,
        summary=_summary(statement, paths, where),
    )


def _balances(statement: etree._Element, paths: Paths, where: str) -> tuple[Balance, ...]:
    found: list[Balance] = []
    for number, element in enumerate(paths.findall(statement, "Bal"), start=1):
        at = f"{where}, balance {number}"
        code = paths.any_text(element, "Tp/CdOrPrtry/Cd", "Tp/CdOrPrtry/Prtry", "Tp/Cd", "Tp/Prtry")
        amount = parse_amount(paths.text(element, "Amt"), paths.text(element, "CdtDbtInd"), at)
        kind = _BALANCE_KINDS.get(code or "", "other")
        found.append(Balance(kind=kind, amount=amount, date=paths.date_choice(element, "Dt", at), code=code))
    if not any(balance.kind == "opening" for balance in found):
        found = [
            Balance("opening", balance.amount, balance.date, balance.code)
            if balance.code == "PRCD"
            else balance
            for balance in found
        ]
    return tuple(found)


def _balance_currencies(statement: etree._Element, paths: Paths) -> list[str | None]:
    return [element.get("Ccy") for element in paths.findall(statement, "Bal/Amt")]


def _summary(statement: etree._Element, paths: Paths, where: str) -> EntrySummary | None:
    element = paths.find(statement, "TxsSummry")
    if element is None:
        return None
    at = f"{where}, TxsSummry"
    return EntrySummary(
        count=_count(paths.text(element, "TtlNtries/NbOfNtries"), at),
        total=_sum(paths.text(element, "TtlNtries/Sum"), at),
        net=_net(element, paths, at),
        credit_count=_count(paths.text(element, "TtlCdtNtries/NbOfNtries"), at),
        credit_total=_sum(paths.text(element, "TtlCdtNtries/Sum"), at),
        debit_count=_count(paths.text(element, "TtlDbtNtries/NbOfNtries"), at),
        debit_total=_sum(paths.text(element, "TtlDbtNtries/Sum"), at),
    )


def _count(text: str | None, where: str) -> int | None:
    if text is None:
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 15:
        raise StatementError(f"{where}: a number of entries is not a whole number", code="CAMT.SUMMARY")
    return int(text)


def _net(element: etree._Element, paths: Paths, where: str) -> Decimal | None:
    amount = paths.text(element, "TtlNtries/TtlNetNtry/Amt")
    if amount is None:
        return None
    return parse_amount(amount, paths.text(element, "TtlNtries/TtlNetNtry/CdtDbtInd"), where)


def _sum(text: str | None, where: str) -> Decimal | None:
    return None if text is None else parse_amount(text, "CRDT", where)
