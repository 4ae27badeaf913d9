"""One BAI2 account of one group (``03`` ... ``49``) into a ``BankStatement``.

The ``03`` record gives the account, its currency (else the group's, else USD: BAI2 is a US format) and
its summaries: status codes (001-099, 900-919) become balances dated at the group's as-of date (010
opening ledger, 015 closing ledger, 040/045 opening/closing available, 030 current ledger, the others
kept with their code as "other"); activity summaries (100 total credits...) only count for the control
total. Each ``16`` is one line dated at the as-of date: credit or debit by its type code's range, a
code outside the known ranges kept with its amount as written and a warning. The bank reference, when
there is one, makes the import id.

The account's control total (``49``) is the sum of every amount of its ``03``, ``16`` and ``88`` records as
written (funds availability amounts aside), and its record count includes the ``03``, the ``88`` and the
``49``: both are kept here for the trailer check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from ..documents.bank_statement import Balance, BankStatement, StatementLine
from ..errors import StatementError
from .bai2_codes import BALANCE_KINDS, direction
from .bai2_fields import FieldCursor, parse_amount, parse_count, read_funds, to_decimal
from .bai2_records import Record
from .line_ids import StatementLineIds
from .result import StatementIssue

__all__ = ["AccountBuilder", "Group", "open_account"]

DEFAULT_CURRENCY: Final = "USD"
_TYPE_CODE: Final = re.compile(r"\d{3}")
_CURRENCY: Final = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True, slots=True)
class Group:
    """What a group header (``02``) says for its accounts."""

    originator: str | None  # the bank (routing number, BIC)
    as_of: date | None
    currency: str | None
    created: date | None  # the file's creation date (01)


@dataclass(slots=True)
class AccountBuilder:
    number: int  # 1-based index of the statement in the file
    account: str
    currency: str
    group: Group
    balances: list[Balance]
    ids: StatementLineIds
    units: int  # the control total so far, in minor units as written
    records: int
    lines: list[StatementLine] = field(default_factory=list)
    issues: list[StatementIssue] = field(default_factory=list)

    def add_transaction(self, record: Record) -> None:
        """A ``16`` record and its continuations."""
        where = f"line {record.line}"
        self.records += record.count
        cursor = FieldCursor(record.bodies)
        code = cursor.next() or ""
        if not code:
            # "16,,115,450000,..." (seen in the wild): an empty field before the type code.
            code = cursor.next() or ""
            self._issue("BAI2.EMPTY_FIELD", "an empty field before the type code was skipped", record)
        if _TYPE_CODE.fullmatch(code) is None:
            raise StatementError(
                f"{where}: the transaction's type code is not three digits", code="BAI2.TYPE_CODE"
            )
        kind = direction(code)
        amount_text = cursor.next()
        if amount_text:
            units = parse_amount(amount_text, where)
        elif kind in ("credit", "debit"):
            raise StatementError(f"{where}: the transaction has no amount", code="BAI2.AMOUNT")
        else:
            units = 0  # an information-only record (890 "non-monetary information") may leave it blank
        self.units += units
        value_date = read_funds(cursor, where)
        bank_reference = cursor.next() or None
        customer_reference = cursor.next() or None
        text = cursor.text()
        amount = to_decimal(units, self.currency)
        if kind == "debit":
            amount = -amount
        elif kind != "credit":
            self._issue(
                "BAI2.UNKNOWN_TYPE_CODE",
                f"type code {code} is neither a credit nor a debit: its amount is kept as written",
                record,
            )
        as_of = self.group.as_of
        content = (as_of, value_date, code, amount, customer_reference, text)
        import_id, repeated = self.ids.assign(bank_reference, content)
        if repeated:
            self._issue("BAI2.DUPLICATE_REFERENCE", "the bank reference repeats within the account", record)
        self.lines.append(
            StatementLine(
                import_id=import_id,
                amount=amount,
                booking_date=as_of,
                value_date=value_date,
                bank_reference=bank_reference,
                customer_reference=customer_reference,
                transaction_code=code,
                remittance=text,
            )
        )

    def finish(self) -> BankStatement:
        as_of = self.group.as_of
        return BankStatement(
            format="bai2",
            account=self.account,
            currency=self.currency,
            bank=self.group.originator,
            created=self.group.created,
            period_start=as_of,
            period_end=as_of,
            balances=tuple(self.balances),
            lines=tuple(self.lines),
        )

    def _issue(self, code: str, message: str, record: Record) -> None:
        self.issues.append(
            StatementIssue(code, message, statement=self.number, line=record.line, record="16")
        )


def open_account(record: Record, group: Group, number: int) -> AccountBuilder:
    """The account of a ``03`` record (and its continuations), the ``number``-th statement of the file."""
    where = f"line {record.line}"
    cursor = FieldCursor(record.bodies)
    account = cursor.next()
    if not account:
        raise StatementError(f"{where}: the account record (03) has no account number", code="BAI2.ACCOUNT")
    currency = (cursor.next() or "").upper() or group.currency or DEFAULT_CURRENCY
    if _CURRENCY.fullmatch(currency) is None:
        raise StatementError(f"{where}: the currency is not an ISO 4217 code", code="BAI2.CURRENCY")
    balances: list[Balance] = []
    units = 0
    while cursor.skip_blank():
        code = cursor.next() or ""
        amount_text = cursor.next()
        parse_count(cursor.next(), f"{where}, item count")
        read_funds(cursor, where)
        if code and _TYPE_CODE.fullmatch(code) is None:
            raise StatementError(f"{where}: a summary's type code is not three digits", code="BAI2.TYPE_CODE")
        if not amount_text:
            continue
        amount = parse_amount(amount_text, where)
        units += amount
        if code and direction(code) == "status":
            balances.append(
                Balance(
                    kind=BALANCE_KINDS.get(code, "other"),
                    amount=to_decimal(amount, currency),
                    date=group.as_of,
                    code=code,
                )
            )
    return AccountBuilder(
        number=number,
        account=account,
        currency=currency,
        group=group,
        balances=balances,
        ids=StatementLineIds(account),
        units=units,
        records=record.count,
    )
