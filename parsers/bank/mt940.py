"""SWIFT MT940 statements: our own small linear reader (``mt940_fields`` splits, ``mt940_details`` reads
``:86:``, this module reads the fields).

Per statement (``:20:`` to the next): ``:25:`` account (a ``bank/account`` pair split, a currency the bank
appended to an IBAN dropped), ``:28C:`` statement number (the statement id; ``:20:`` when there is none),
``:60F:``/``:60M:`` opening and ``:62F:``/``:62M:`` closing balance, ``:64:`` closing available, ``:65:``
forward available; each ``:61:`` with the ``:86:`` after it:

* value date YYMMDD and optional entry date MMDD (the booking date; its year taken from the value date,
  across the new year: value 31 Dec, entry 0102 is 2 January of the next year); no entry date: the value
  date is the booking date;
* debit/credit mark ``C``, ``D``, ``RC`` (reversal of a credit: a debit) or ``RD``; optional funds code;
  amount with a decimal comma (``15000,`` is 15000); transaction type (``NTRF``, ``S   `` ...); customer
  reference (``NONREF`` is none); ``//`` bank reference; supplementary details on the next line.

Lines get a content-hash import id: MT940 bank references are not unique (a statement may repeat one).
An ``:61:`` that cannot be read is left out and reported (``MT940.LINE``), an unreadable date is reported
and left empty (``MT940.DATE``). A statement without an account or a currency cannot be staged: the file
is refused (``StatementError``).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import Decimal
from typing import BinaryIO, Final

from ..documents.bank_statement import Balance, BalanceKind, BankStatement, Counterparty, StatementLine
from ..errors import StatementError
from .mt940_details import Details, is_iban, read_details
from .mt940_fields import MAX_MT940_BYTES, Field, RawStatement, decode_mt940, split_statements
from .result import Severity, StatementIssue, StatementsResult, line_import_id

__all__ = ["MAX_MT940_BYTES", "read_mt940"]

_BALANCE: Final = re.compile(r"\s*([CD])(\d{6})([A-Z]{3})(\d{1,15}(?:[,.]\d*)?)\s*$", re.ASCII)
_BALANCES: Final[dict[str, BalanceKind]] = {
    "60F": "opening",
    "60M": "opening",  # an intermediate opening: the statement continues one of several messages
    "62F": "closing",
    "62M": "closing",
    "64": "closing_available",
    "65": "other",  # forward available
}
_STATEMENT_LINE: Final = re.compile(
    r"(?P<value>\d{6})(?P<entry>\d{4})?(?P<mark>R?[CD])(?P<funds>[A-Za-z])?(?P<amount>\d{1,15}(?:,\d*)?)"
    r"(?P<type>[NSF][A-Za-z0-9 ]{3})(?P<reference>.*?)(?://(?P<bank_reference>.*))?$",
    re.ASCII,
)
_SIGNS: Final = {"C": 1, "D": -1, "RC": -1, "RD": 1}  # a reversed credit takes money out
_NO_REFERENCE: Final = frozenset({"", "NONREF"})
_IBAN_SHAPE: Final = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
_CURRENCY_SUFFIX: Final = re.compile(r"(?P<account>.+?)[\s/]+(?P<currency>[A-Z]{3})")


def read_mt940(stream: BinaryIO) -> StatementsResult:
    """Every statement of an MT940 file (see the module docstring); a file of more than
    ``MAX_MT940_BYTES`` is refused (``UnsafeInputError``)."""
    decoded = decode_mt940(stream)
    result = StatementsResult("mt940", issues=list(decoded.issues))
    for index, raw in enumerate(split_statements(decoded.text), start=1):
        result.statements.append(_StatementReader(raw, index, result.issues).read())
    return result


class _StatementReader:
    def __init__(self, raw: RawStatement, index: int, issues: list[StatementIssue]) -> None:
        self.raw = raw
        self.index = index
        self.issues = issues

    def issue(self, code: str, message: str, field: Field, *, severity: Severity = "warning") -> None:
        self.issues.append(StatementIssue(code, message, severity, self.index, field.line, f":{field.tag}:"))

    def read(self) -> BankStatement:
        fields = self.raw.fields
        balances = [balance for f in fields if f.tag in _BALANCES if (balance := self.balance(f)) is not None]
        currency = next((balance_currency for _, balance_currency in balances), None)
        if currency is None:
            raise StatementError(
                f"statement {self.index} has no readable balance, so no currency (line {self.raw.line})",
                code="MT940.NO_CURRENCY",
            )
        account_field = next((f for f in fields if f.tag in {"25", "25P"}), None)
        account, bank = _account(account_field, currency) if account_field is not None else ("", None)
        if not account:
            raise StatementError(
                f"statement {self.index} has no account (:25:) (line {self.raw.line})",
                code="MT940.NO_ACCOUNT",
            )
        ignored = next((f for f in fields if f.tag == "NS"), None)
        if ignored is not None:
            self.issue("MT940.IGNORED", "bank-specific :NS: fields are not read", ignored)
        opening = next((b for b, _ in balances if b.kind == "opening"), None)
        closing = next((b for b, _ in balances if b.kind == "closing"), None)
        return BankStatement(
            format="mt940",
            account=account,
            currency=currency,
            statement_id=self.statement_id(),
            bank=bank,
            period_start=opening.date if opening is not None else None,
            period_end=closing.date if closing is not None else None,
            balances=tuple(balance for balance, _ in balances),
            lines=tuple(self.lines(account)),
        )

    def statement_id(self) -> str | None:
        number = next((f for f in self.raw.fields if f.tag in {"28C", "28"}), None)
        if number is not None:
            text = "".join(number.lines).strip()
            if text.strip("0/"):
                return text
        reference = next((f for f in self.raw.fields if f.tag == "20"), None)
        return (reference.first.strip() or None) if reference is not None else None

    def balance(self, field: Field) -> tuple[Balance, str] | None:
        match = _BALANCE.match(field.first)
        if match is None:
            self.issue("MT940.BALANCE", "a balance that cannot be read is left out", field, severity="error")
            return None
        mark, when, currency, amount = match.groups()
        signed = _signed(_amount(amount), 1 if mark == "C" else -1)
        balance_date = _date(*_yymmdd(when))
        if balance_date is None:
            self.issue(
                "MT940.DATE", "a balance date that cannot be read is left empty", field, severity="error"
            )
        return Balance(_BALANCES[field.tag], signed, balance_date, code=f":{field.tag}:"), currency

    def lines(self, account: str) -> list[StatementLine]:
        fields = self.raw.fields
        occurrences: Counter[tuple[object, ...]] = Counter()
        lines = []
        for position, field in enumerate(fields):
            if field.tag != "61":
                continue
            following = fields[position + 1] if position + 1 < len(fields) else None
            details = following if following is not None and following.tag == "86" else None
            line = self.line(field, details, account, occurrences)
            if line is not None:
                lines.append(line)
        return lines

    def line(
        self,
        field: Field,
        details_field: Field | None,
        account: str,
        occurrences: Counter[tuple[object, ...]],
    ) -> StatementLine | None:
        match = _STATEMENT_LINE.match(field.first.strip())
        if match is None:
            self.issue("MT940.LINE", "an :61: line that cannot be read is left out", field, severity="error")
            return None
        value_year, value_month, value_day = _yymmdd(match["value"])
        value_date = _date(value_year, value_month, value_day)
        booking_date = value_date
        entry = match["entry"]
        if entry is not None:
            entry_month, entry_day = int(entry[:2]), int(entry[2:])
            year = value_year
            if entry_month - value_month > 6:  # entered in December for a January value date
                year -= 1
            elif value_month - entry_month > 6:  # entered in January for a December value date
                year += 1
            booking_date = _date(year, entry_month, entry_day)
        if value_date is None or (entry is not None and booking_date is None):
            self.issue(
                "MT940.DATE", "a date of an :61: line cannot be read: left empty", field, severity="error"
            )
        mark = match["mark"]
        amount = _signed(_amount(match["amount"]), _SIGNS[mark])
        reference = match["reference"].strip()
        bank_reference = (match["bank_reference"] or "").strip() or None
        supplementary = _clean("".join(field.more))
        details = read_details(details_field.lines) if details_field is not None else Details()
        counterparty = details.counterparty
        if (
            supplementary is not None
            and is_iban(supplementary)
            and (counterparty is None or not counterparty.account)
        ):
            # Rabobank puts the counterparty's IBAN there
            name = counterparty.name if counterparty is not None else None
            bank = counterparty.bank if counterparty is not None else None
            counterparty = Counterparty(name, supplementary.replace(" ", ""), bank)
        remittance = details.remittance if details_field is not None else supplementary
        content = (
            value_date,
            booking_date,
            amount,
            mark,
            match["type"],
            reference,
            bank_reference,
            supplementary,
            "".join("".join(details_field.lines).split()) if details_field is not None else None,
        )
        occurrences[content] += 1
        return StatementLine(
            import_id=line_import_id(account, None, content, occurrences[content]),
            amount=amount,
            booking_date=booking_date,
            value_date=value_date,
            bank_reference=bank_reference,
            customer_reference=None if reference.upper() in _NO_REFERENCE else reference,
            end_to_end_id=details.end_to_end_id,
            transaction_code=match["type"].strip() or None,
            counterparty=counterparty,
            remittance=remittance,
            structured_reference=details.structured_reference,
            reversal=mark.startswith("R"),
        )


def _account(field: Field, currency: str) -> tuple[str, str | None]:
    """The account and the bank of a ``:25:``: ``bank/account``, ``account``, an IBAN with the currency
    appended (``NL77INGB0574908765EUR``, ``NL34RABO0142623393 EUR``, ``bank/account/HUF``)."""
    raw = field.first.strip()
    suffix = _CURRENCY_SUFFIX.fullmatch(raw)
    if suffix is not None and suffix["currency"] == currency:
        raw = suffix["account"]
    elif raw.endswith(currency) and _IBAN_SHAPE.fullmatch(raw[: -len(currency)]):
        raw = raw[: -len(currency)]  # ING: the IBAN and the currency written together
    bank, slash, account = raw.partition("/")
    if not slash:
        return raw, None
    return account.strip(), bank.strip() or None


def _yymmdd(text: str) -> tuple[int, int, int]:
    """Year, month, day of a YYMMDD date, not yet checked; years 80-99 are the 1900s."""
    year = int(text[:2])
    return (1900 if year >= 80 else 2000) + year, int(text[2:4]), int(text[4:6])


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _amount(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def _signed(amount: Decimal, sign: int) -> Decimal:
    """``amount`` with ``sign``; a zero stays unsigned (no "-0.00" in the JSON)."""
    return -amount if sign < 0 and amount else amount


def _clean(value: str) -> str | None:
    return " ".join(value.split()) or None
