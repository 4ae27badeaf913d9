"""BAI2 fields: reading a record and its continuations field by field, amounts, dates, funds types.

A record's fields continue in its ``88`` records as if they were one (``03,...,190/`` then ``88,500000,...``
gives type code 190 its amount). The text field of a transaction (``16``) is the last one: it takes the
rest of the record, commas and slashes included, and the text of every ``88`` after it, joined by spaces.
A trailing ``/`` ends a record; in a text it is dropped too (the specification's text has no terminator,
but most banks write one), so a text that really ends in ``/`` loses it.

Amounts carry no decimal point: the currency's minor unit decides (two decimals for most currencies, none
for JPY, KRW..., three for BHD, KWD...: ISO 4217), and a currency we do not list has two.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Final

from ..errors import StatementError

__all__ = [
    "FieldCursor",
    "minor_unit",
    "parse_amount",
    "parse_count",
    "parse_date",
    "read_funds",
    "to_decimal",
]

_AMOUNT: Final = re.compile(r"[+-]?\d{1,20}")
_DATE: Final = re.compile(r"\d{6}")
_NO_DECIMALS: Final = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF"}
    | {"XOF", "XPF"}
)
_THREE_DECIMALS: Final = frozenset({"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"})
_SIMPLE_FUNDS: Final = frozenset({"", "0", "1", "2", "Z"})
_MAX_DISTRIBUTIONS: Final = 99


class FieldCursor:
    """The fields of one logical record (its body, then each ``88`` body), read in order."""

    __slots__ = ("_at", "_bodies", "_index")

    def __init__(self, bodies: list[str]) -> None:
        self._bodies = [_unterminated(body) for body in bodies]
        self._index = 0
        self._at = 0  # in the current body; len(body) + 1 once its last field is read

    def next(self) -> str | None:
        """The next field (stripped), or None when the record and its continuations are exhausted."""
        while self._index < len(self._bodies):
            body = self._bodies[self._index]
            if self._at <= len(body):
                comma = body.find(",", self._at)
                if comma < 0:
                    value = body[self._at :]
                    self._at = len(body) + 1
                else:
                    value = body[self._at : comma]
                    self._at = comma + 1
                return value.strip()
            self._index += 1
            self._at = 0
        return None

    def skip_blank(self) -> bool:
        """Skip the rest of each body that holds nothing but empty fields (``,,,`` after the last summary of
        a record: some banks write them); True when fields remain."""
        while self._index < len(self._bodies):
            body = self._bodies[self._index]
            if self._at <= len(body) and body[self._at :].replace(",", "").strip():
                return True
            self._index += 1
            self._at = 0
        return False

    def text(self) -> str | None:
        """The rest of the record as one text: what is left of the current body, then every later body,
        each stripped, joined by spaces."""
        parts = []
        if self._index < len(self._bodies) and self._at <= len(self._bodies[self._index]):
            parts.append(self._bodies[self._index][self._at :])
        parts.extend(self._bodies[self._index + 1 :])
        self._index = len(self._bodies)
        text = " ".join(stripped for part in parts if (stripped := part.strip()))
        return text or None


def _unterminated(body: str) -> str:
    body = body.rstrip()
    return body[:-1] if body.endswith("/") else body


def minor_unit(currency: str) -> int:
    """How many decimals the amounts of ``currency`` imply."""
    if currency in _NO_DECIMALS:
        return 0
    if currency in _THREE_DECIMALS:
        return 3
    return 2


def parse_amount(text: str, where: str) -> int:
    """An amount as written: a signed whole number of minor units."""
    if _AMOUNT.fullmatch(text) is None:
        raise StatementError(f"{where}: the amount is not a whole number of minor units", code="BAI2.AMOUNT")
    return int(text)


def to_decimal(units: int, currency: str) -> Decimal:
    return Decimal(units).scaleb(-minor_unit(currency))


def parse_count(text: str | None, where: str) -> int | None:
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        raise StatementError(f"{where}: not a whole number", code="BAI2.COUNT")
    return int(text)


def parse_date(text: str | None, where: str) -> date | None:
    """``YYMMDD``, in the years 2000 to 2099 (BAI2 has no century)."""
    if not text:
        return None
    if _DATE.fullmatch(text) is None:
        raise StatementError(f"{where}: the date is not YYMMDD", code="BAI2.DATE")
    try:
        return date(2000 + int(text[:2]), int(text[2:4]), int(text[4:]))
    except ValueError:
        raise StatementError(f"{where}: not a valid calendar date", code="BAI2.DATE") from None


def read_funds(cursor: FieldCursor, where: str) -> date | None:
    """Read a funds type and its details; the value date of a value-dated (``V``) one.

    0, 1, 2: available immediately, in one day, in two or more; Z or blank: unknown; S: distributed, three
    amounts follow (immediate, one day, two or more days); V: value dated, a date and a time follow;
    D: distributed, a count then that many (days, amount) pairs. Only the value date is kept: the other
    details say when funds become available, which the canonical statement does not carry."""
    funds = (cursor.next() or "").upper()
    if funds in _SIMPLE_FUNDS:
        return None
    if funds == "S":
        for _ in range(3):
            _optional_amount(cursor.next(), where)
        return None
    if funds == "V":
        value_date = parse_date(cursor.next(), f"{where}, value date")
        cursor.next()  # the value time: the canonical line has no place for it
        return value_date
    if funds == "D":
        distributions = parse_count(cursor.next(), f"{where}, number of distributions") or 0
        if distributions > _MAX_DISTRIBUTIONS:
            raise StatementError(f"{where}: too many availability distributions", code="BAI2.FUNDS")
        for _ in range(distributions):
            parse_count(cursor.next(), f"{where}, availability days")
            _optional_amount(cursor.next(), where)
        return None
    raise StatementError(f"{where}: unknown funds type", code="BAI2.FUNDS")


def _optional_amount(text: str | None, where: str) -> None:
    if text:
        parse_amount(text, where)
