"""OFX statements: 1.x (SGML) and 2.x (XML), bank and credit-card statements, several accounts per file.

Read with our own linear reader (``ofx_decode`` for the bytes, ``ofx_tree`` for the tags) rather than
ofxparse, whose faults are in exactly the parts a gateway cannot afford: it crashes on byte-order marks,
on ``CHARSET:NONE`` / ``ISO-8859-1`` / ``ENCODING:UTF8`` headers and on non-ASCII text in 2.x files; its
time grows with the square of the number of transactions; it converts dates to UTC, which moves a
``[+10:AEST]`` midnight to the previous day; and with ``fail_fast=False`` it drops what it cannot read
without saying what. ofxparse stays the reference the tests and the benchmark compare us with.

What is read, per ``STMTRS`` (bank) or ``CCSTMTRS`` (credit card):

* the account (``BANKACCTFROM``/``CCACCTFROM``: ``ACCTID``, ``BANKID``), ``CURDEF``, ``DTSTART``/``DTEND``
  of every ``BANKTRANLIST``, ``LEDGERBAL`` (closing) and ``AVAILBAL`` (closing available);
* each ``STMTTRN``: ``TRNAMT`` exactly as written (a decimal comma accepted), ``DTPOSTED`` as booking date
  and ``DTAVAIL`` as value date, both from the first eight digits of the value, never shifted by the zone;
  ``FITID`` (bank reference and import id), ``TRNTYPE``, ``CHECKNUM`` or ``REFNUM``, ``NAME`` (or
  ``PAYEE/NAME``) and ``BANKACCTTO``/``CCACCTTO`` as counterparty, ``MEMO`` as remittance text;
* each ``STMTTRNP`` of a ``BANKTRANLISTP`` (OFX 2.1 pending transactions) as a pending line.

Import ids, as for every format (``line_ids``): the account and the FITID; a content hash when there is no
FITID; a FITID that a statement gives to several transactions (``OFX.DUPLICATE_FITID``) gets ``#2``, ``#3``...
from its second use on, so two lines are never merged, and the first keeps the id an earlier delivery gave it.
The same FITID in two statements of one file (overlapping periods) is the same line. A transaction whose
amount cannot be read is left out and reported (``OFX.DISCARDED``); one whose date cannot be read is kept
without it (``OFX.DATE``). A server status of severity ERROR is reported (``OFX.STATUS``); investment
statements are not read (``OFX.UNSUPPORTED``). A statement without an account or a currency cannot be staged:
the file is refused (``StatementError``).
"""

from __future__ import annotations

import functools
import re
from datetime import date
from decimal import Decimal
from typing import BinaryIO, Final

from ..documents.bank_statement import (
    Balance,
    BalanceKind,
    BankStatement,
    Counterparty,
    EntryStatus,
    StatementLine,
)
from ..errors import StatementError
from .line_ids import StatementLineIds
from .ofx_decode import MAX_OFX_BYTES, decode_ofx
from .ofx_tree import Aggregate, LineIndex, read_tree
from .result import Severity, StatementIssue, StatementsResult

__all__ = ["MAX_OFX_BYTES", "read_ofx"]

_STATEMENTS: Final = frozenset({"STMTRS", "CCSTMTRS"})
_RESPONSES: Final = frozenset({"SONRS", "STMTTRNRS", "CCSTMTTRNRS", "STMTENDTRNRS", "CCSTMTENDTRNRS"})
_UNSUPPORTED: Final = {"INVSTMTRS": "investment statements are not read"}
_TRANSACTION_LISTS: Final[tuple[tuple[EntryStatus, str, str], ...]] = (
    ("booked", "BANKTRANLIST", "STMTTRN"),
    ("pending", "BANKTRANLISTP", "STMTTRNP"),  # OFX 2.1 pending transactions
)
_BALANCES: Final[dict[str, BalanceKind]] = {"LEDGERBAL": "closing", "AVAILBAL": "closing_available"}
_DATE: Final = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)
_CURRENCY: Final = re.compile(r"[A-Z]{3}")
_AMOUNT: Final = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)", re.ASCII)


def read_ofx(stream: BinaryIO) -> StatementsResult:
    """Every bank and credit-card statement of an OFX file (see the module docstring); a file of more than
    ``MAX_OFX_BYTES`` is refused (``UnsafeInputError``)."""
    decoded = decode_ofx(stream)
    root = read_tree(decoded.text)
    ofx = next((aggregate for aggregate in root.walk() if aggregate.name == "OFX"), None)
    if ofx is None:
        raise StatementError("no <OFX> aggregate in the file", code="OFX.NOT_OFX")
    aggregates = ofx.walk()
    reader = _Reader(LineIndex(decoded.text))
    reader.issues.extend(decoded.issues)
    for aggregate in aggregates:
        if aggregate.name in _STATEMENTS:
            reader.statement(aggregate)
        elif aggregate.name in _RESPONSES:
            reader.status(aggregate)
        elif aggregate.name in _UNSUPPORTED:
            reader.issue("OFX.UNSUPPORTED", _UNSUPPORTED[aggregate.name], aggregate)
    return StatementsResult("ofx", reader.statements, reader.issues)


class _Reader:
    def __init__(self, lines: LineIndex) -> None:
        self.lines = lines
        self.issues: list[StatementIssue] = []
        self.statements: list[BankStatement] = []
        self.created: date | None = None

    def issue(
        self,
        code: str,
        message: str,
        aggregate: Aggregate,
        *,
        severity: Severity = "warning",
        statement: int | None = None,
    ) -> None:
        line = self.lines.line(aggregate.offset)
        self.issues.append(StatementIssue(code, message, severity, statement, line, aggregate.name))

    def status(self, response: Aggregate) -> None:
        """A sign-on or statement response the server marks as failed (its code only: no message text)."""
        if response.name == "SONRS":
            self.created = _date_or_none(response.values.get("DTSERVER"))
        status = response.child("STATUS")
        if status is None or status.values.get("SEVERITY", "").upper() != "ERROR":
            return
        code = status.values.get("CODE", "?")
        what = "sign-on" if response.name == "SONRS" else "statement request"
        self.issue("OFX.STATUS", f"the server reports error {code} for the {what}", status, severity="error")

    def statement(self, aggregate: Aggregate) -> None:
        index = len(self.statements) + 1
        account_from = _account_from(aggregate)
        account = account_from.values.get("ACCTID", "") if account_from is not None else ""
        currency = aggregate.values.get("CURDEF", "").upper()
        if not account:
            line = self.lines.line(aggregate.offset)
            raise StatementError(f"statement {index} has no account id (line {line})", code="OFX.NO_ACCOUNT")
        if not _CURRENCY.fullmatch(currency):
            line = self.lines.line(aggregate.offset)
            raise StatementError(f"statement {index} has no currency (line {line})", code="OFX.NO_CURRENCY")
        bank = (account_from.values.get("BANKID") or None) if account_from is not None else None
        lists = aggregate.all("BANKTRANLIST")
        starts = [d for d in (_date_or_none(t.values.get("DTSTART")) for t in lists) if d is not None]
        ends = [d for d in (_date_or_none(t.values.get("DTEND")) for t in lists) if d is not None]
        ids = StatementLineIds(account)
        repeated: set[str] = set()
        lines: list[StatementLine] = []
        for status, list_name, transaction_name in _TRANSACTION_LISTS:
            for transactions in aggregate.all(list_name):
                for transaction in transactions.all(transaction_name):
                    read = self.transaction(transaction, index, status, ids, repeated)
                    if read is not None:
                        lines.append(read)
        if repeated:
            self.issues.append(
                StatementIssue(
                    "OFX.DUPLICATE_FITID",
                    f"{len(repeated)} transaction id(s) (FITID) appear more than once in the statement",
                    statement=index,
                    line=self.lines.line(aggregate.offset),
                    record=aggregate.name,
                )
            )
        self.statements.append(
            BankStatement(
                format="ofx",
                account=account,
                currency=currency,
                bank=bank,
                created=self.created,
                period_start=min(starts, default=None),
                period_end=max(ends, default=None),
                balances=tuple(self.balances(aggregate, index)),
                lines=tuple(lines),
            )
        )

    def balances(self, aggregate: Aggregate, index: int) -> list[Balance]:
        found = []
        for name, kind in _BALANCES.items():
            balance = aggregate.child(name)
            if balance is None:
                continue
            amount = _amount(balance.values.get("BALAMT", ""))
            if amount is None:
                self.issue(
                    "OFX.BALANCE", "a balance without a readable amount is left out", balance, statement=index
                )
                continue
            found.append(Balance(kind, amount, _date_or_none(balance.values.get("DTASOF")), code=name))
        return found

    def transaction(
        self,
        transaction: Aggregate,
        index: int,
        status: EntryStatus,
        ids: StatementLineIds,
        repeated: set[str],
    ) -> StatementLine | None:
        values = transaction.values
        amount = _amount(values.get("TRNAMT", ""))
        if amount is None:
            self.issue(
                "OFX.DISCARDED",
                "a transaction without a readable amount (TRNAMT) is left out",
                transaction,
                severity="error",
                statement=index,
            )
            return None
        booking_date = _date_or_none(values.get("DTPOSTED" if status == "booked" else "DTTRAN"))
        if booking_date is None:
            self.issue(
                "OFX.DATE",
                "a transaction without a readable posting date is kept without it",
                transaction,
                severity="error",
                statement=index,
            )
        value_date = _date_or_none(values.get("DTAVAIL"))
        if "CORRECTACTION" in values:
            self.issue(
                "OFX.CORRECTION",
                "a transaction corrects an earlier one (CORRECTACTION): kept as a line of its own",
                transaction,
                statement=index,
            )
        fitid = values.get("FITID") or None
        reference = values.get("CHECKNUM") or values.get("REFNUM") or None
        counterparty = _counterparty(transaction)
        memo = values.get("MEMO") or None
        transaction_type = values.get("TRNTYPE") or None
        # Without a FITID, what the line says decides its id.
        content = (
            ()
            if fitid is not None
            else (
                None,  # the missing FITID, kept first: ids stay what earlier versions gave these lines
                status,
                booking_date,
                value_date,
                amount,
                transaction_type,
                reference,
                counterparty.name if counterparty else None,
                counterparty.account if counterparty else None,
                memo,
            )
        )
        import_id, again = ids.assign(fitid, content)
        if again and fitid is not None:
            repeated.add(fitid)
        return StatementLine(
            import_id=import_id,
            amount=amount,
            booking_date=booking_date,
            value_date=value_date,
            status=status,
            bank_reference=fitid,
            customer_reference=reference,
            transaction_code=transaction_type,
            counterparty=counterparty,
            remittance=memo,
        )


def _account_from(statement: Aggregate) -> Aggregate | None:
    return statement.child("BANKACCTFROM") or statement.child("CCACCTFROM")


def _counterparty(transaction: Aggregate) -> Counterparty | None:
    if not transaction.children:  # the common case: a NAME at most
        name = transaction.values.get("NAME")
        return Counterparty(name=name) if name else None
    payee = transaction.child("PAYEE")
    name = transaction.values.get("NAME") or (payee.values.get("NAME") if payee is not None else None)
    to = transaction.child("BANKACCTTO") or transaction.child("CCACCTTO")
    account = (to.values.get("ACCTID") or None) if to is not None else None
    bank = (to.values.get("BANKID") or None) if to is not None else None
    if not (name or account or bank):
        return None
    return Counterparty(name=name or None, account=account, bank=bank)


def _date_or_none(raw: str | None) -> date | None:
    """The calendar date of an OFX date-time: its first eight digits, whatever the time and zone after."""
    if not raw:
        return None
    return _calendar_date(raw[:8])


@functools.lru_cache(maxsize=4096)  # a statement has few distinct dates and many lines on each
def _calendar_date(digits: str) -> date | None:
    match = _DATE.fullmatch(digits)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _amount(raw: str) -> Decimal | None:
    text = raw.strip()
    if not _AMOUNT.fullmatch(text):
        return None
    amount = Decimal(text.replace(",", "."))
    return amount if amount else abs(amount)  # "-0.00" is 0.00
