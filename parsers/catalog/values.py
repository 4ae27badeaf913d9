"""Reading one catalog cell: GTINs, NDC / HCPCS / UNSPSC codes, prices and quantities, dates, currencies.

Every reader takes the cell's text (already stripped, never empty) and returns the typed value, or raises
``ValueProblem`` with a reason that names what is wrong and never repeats the value (cells may be contract
prices). Nothing is guessed: a GTIN Excel turned into ``1.23E+13`` has lost digits, a ``1,234`` whose
separators the mapping does not declare could be a thousand or one point two, a ``03/04/2026`` is read by the
partner's configured format only.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation
from typing import Final

__all__ = [
    "PRICE_PER_EACH_PLACES",
    "ValueProblem",
    "is_excel_scientific",
    "normalise_gtin",
    "parse_currency",
    "parse_date",
    "parse_hcpcs",
    "parse_ndc",
    "parse_number",
    "parse_unspsc",
    "price_per_each",
]


class ValueProblem(Exception):
    """A cell that cannot be read exactly; ``reason`` is fit for ``RejectedRow.reason``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# -- Excel damage ------------------------------------------------------------------------------------------

_SCIENTIFIC: Final = re.compile(r"[+-]?\d+(?:[.,]\d+)?[Ee][+-]?\d+", re.ASCII)
_DECIMAL_PART: Final = re.compile(r"\d+[.,]\d+", re.ASCII)

EXCEL_SCIENTIFIC = "a number in scientific notation (Excel dropped digits): export the column as text"
EXCEL_DECIMAL = "a number with a decimal part where digits are expected (Excel number format)"


def is_excel_scientific(text: str) -> bool:
    """``1.23E+13``, ``6,14141E+12``: what Excel shows (and exports) for a long number in a General cell."""
    return ("E" in text or "e" in text) and _SCIENTIFIC.fullmatch(text) is not None


def _digits_only(text: str, what: str) -> str:
    """``text`` without the spaces and hyphens people type in codes; the Excel damage named."""
    if is_excel_scientific(text):
        raise ValueProblem(f"{what}: {EXCEL_SCIENTIFIC}")
    if _DECIMAL_PART.fullmatch(text):
        raise ValueProblem(f"{what}: {EXCEL_DECIMAL}")
    digits = text.replace(" ", "").replace("-", "")
    if not (digits.isascii() and digits.isdigit()):
        raise ValueProblem(f"{what}: not digits")
    return digits


# -- GTIN ----------------------------------------------------------------------------------------------------

_GTIN_LENGTHS: Final = frozenset({8, 12, 13, 14})
# The check digit's weights for a GTIN-14: 3 on the digits at even indexes 0..12, 1 on the odd ones 1..11.
# Summing the ASCII bytes and removing the '0' offsets keeps the loop in C.
_ASCII_ZERO_OFFSET: Final = ord("0") * (3 * 7 + 6)


def normalise_gtin(text: str) -> str:
    """The GTIN-14 of an 8, 12, 13 or 14-digit GTIN (left-padded with zeros), its check digit verified."""
    if not (len(text) in _GTIN_LENGTHS and text.isascii() and text.isdigit()):
        text = _digits_only(text, "GTIN")
        if len(text) not in _GTIN_LENGTHS:
            raise ValueProblem(f"GTIN has {len(text)} digits (8, 12, 13 or 14 expected: leading zeros lost?)")
    gtin = text.rjust(14, "0")
    raw = gtin.encode("ascii")
    total = 3 * sum(raw[0:13:2]) + sum(raw[1:12:2]) - _ASCII_ZERO_OFFSET
    if (10 - total % 10) % 10 != raw[13] - 48:
        raise ValueProblem("GTIN check digit wrong")
    return gtin


# -- other codes ---------------------------------------------------------------------------------------------

_NDC_SEGMENTS: Final = {
    (4, 4, 2): (1, 0, 0),
    (5, 3, 2): (0, 1, 0),
    (5, 4, 1): (0, 0, 1),
    (5, 4, 2): (0, 0, 0),
}


def parse_ndc(text: str) -> str:
    """The 11-digit NDC (5-4-2, no hyphens, as X12 ``N4`` carries it) of a hyphenated 10-digit NDC
    (4-4-2, 5-3-2, 5-4-1) or an 11-digit one. Ten digits without hyphens are refused: which segment lost
    its leading zero cannot be told."""
    if is_excel_scientific(text):
        raise ValueProblem(f"NDC: {EXCEL_SCIENTIFIC}")
    if "-" in text:
        parts = text.split("-")
        if not (len(parts) == 3 and all(part.isascii() and part.isdigit() for part in parts)):
            raise ValueProblem("NDC with hyphens not in three segments of digits")
        padding = _NDC_SEGMENTS.get((len(parts[0]), len(parts[1]), len(parts[2])))
        if padding is None:
            raise ValueProblem("NDC segments not 4-4-2, 5-3-2, 5-4-1 or 5-4-2 digits")
        return "".join("0" * pad + part for pad, part in zip(padding, parts, strict=True))
    digits = _digits_only(text, "NDC")
    if len(digits) == 11:
        return digits
    if len(digits) == 10:
        raise ValueProblem("NDC of 10 digits without hyphens is ambiguous (4-4-2, 5-3-2 or 5-4-1)")
    raise ValueProblem(f"NDC has {len(digits)} digits (10 with hyphens or 11 expected)")


_HCPCS: Final = re.compile(r"[A-Z]\d{4}|\d{4}[0-9FTU]", re.ASCII)


def parse_hcpcs(text: str) -> str:
    """A HCPCS Level II code (a letter and four digits, e.g. A4927) or a Level I (CPT) code, upper-cased."""
    code = text.upper()
    if _HCPCS.fullmatch(code) is None:
        raise ValueProblem("HCPCS code not a letter and four digits (or a five-character CPT code)")
    return code


def parse_unspsc(text: str) -> str:
    """An 8-digit UNSPSC commodity code (10 digits with the business function)."""
    digits = _digits_only(text, "UNSPSC")
    if len(digits) not in (8, 10):
        raise ValueProblem(f"UNSPSC has {len(digits)} digits (8 or 10 expected)")
    return digits


# -- numbers -------------------------------------------------------------------------------------------------

# After the separators are normalised: ASCII digits, at most one point; bounded so a Decimal stays exact.
_PLAIN_NUMBER: Final = re.compile(r"\d{1,15}(?:\.\d{1,10})?", re.ASCII)
# Currency signs and codes around a number; ``$`` and ``¥`` name no single currency.
_CURRENCY_OF_SIGN: Final = {"$": None, "¥": None, "US$": "USD", "€": "EUR", "£": "GBP"}
_CURRENCY_AFFIX: Final = re.compile(
    r"(?P<pre>[A-Z]{3}|US\$|[$€£¥])?\s*(?P<number>.*?)\s*(?P<post>[A-Z]{3}|[$€£¥])?"
)
_SPACE_SEPARATORS: Final = frozenset({" ", "\u00a0", "\u202f"})  # space, no-break space, narrow no-break
_TO_SPACE: Final = str.maketrans({"\u00a0": " ", "\u202f": " "})


def parse_number(
    text: str, decimal_separator: str, thousands_separator: str | None
) -> tuple[Decimal, str | None]:
    """The exact ``Decimal`` of a price or quantity cell, and the currency its text names (``USD 12.50``,
    ``12,50 €``; ``$`` names none: several currencies use it). Currency signs and codes before or after the
    number are dropped; the thousands separator is accepted only where the mapping declares it, between
    groups of three digits; the decimal separator only as the mapping says. Negative numbers and scientific
    notation are refused."""
    # The common cases, kept quick (string methods run in C): ASCII digits and at most one separator, short
    # enough that the integer part has at most 15 digits; or digits grouped by the declared thousands
    # separator. Everything else takes the careful path.
    if len(text) <= 15 and text.isascii():
        if decimal_separator == ".":
            if text.replace(".", "", 1).isdigit():
                return Decimal(text), None
        elif "." not in text and text.replace(",", "", 1).isdigit():
            return Decimal(text.replace(",", ".")), None
        grouped = _GROUPED.get((decimal_separator, thousands_separator))
        if grouped is not None and grouped.fullmatch(text):
            plain = text.replace(thousands_separator, "")  # type: ignore[arg-type]
            return Decimal(plain if decimal_separator == "." else plain.replace(",", ".")), None
    return _parse_number_slowly(text, decimal_separator, thousands_separator)


# Numbers grouped in thousands as the mapping declares: 1,234.56 or 1.234,56 (digits on both sides).
_GROUPED: Final[dict[tuple[str, str | None], re.Pattern[str]]] = {
    (".", ","): re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d{1,10})?", re.ASCII),
    (",", "."): re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,10})?", re.ASCII),
    (".", "'"): re.compile(r"\d{1,3}(?:'\d{3})+(?:\.\d{1,10})?", re.ASCII),
    (",", "'"): re.compile(r"\d{1,3}(?:'\d{3})+(?:,\d{1,10})?", re.ASCII),
}


def _parse_number_slowly(
    text: str, decimal_separator: str, thousands_separator: str | None
) -> tuple[Decimal, str | None]:
    affix = _CURRENCY_AFFIX.fullmatch(text.upper().translate(_TO_SPACE).strip())
    assert affix is not None  # every part of the pattern is optional
    pre, number, post = affix.group("pre", "number", "post")
    if not any(character.isdigit() for character in number):
        raise ValueProblem("not a number")
    if pre and post:
        raise ValueProblem("a currency both before and after the number")
    sign = pre or post
    currency = _CURRENCY_OF_SIGN.get(sign, sign) if sign else None
    if number.startswith(("-", "(")) or number.endswith("-"):
        raise ValueProblem("a negative number")
    if is_excel_scientific(number):
        raise ValueProblem("a number in scientific notation")
    if thousands_separator is not None:
        separator = " " if thousands_separator in _SPACE_SEPARATORS else thousands_separator
        number = _drop_thousands(number, decimal_separator, separator)
    if decimal_separator == ",":
        if "." in number:
            raise ValueProblem(
                "a '.' in a number whose decimal separator is ',' (thousands separator not declared)"
            )
        number = number.replace(",", ".")
    elif "," in number:
        raise ValueProblem(
            "a ',' in a number whose decimal separator is '.' (thousands separator not declared)"
        )
    if _PLAIN_NUMBER.fullmatch(number) is None:
        raise ValueProblem("not a number (or more than 15 digits before the decimal separator, 10 after)")
    return Decimal(number), currency


def _drop_thousands(text: str, decimal_separator: str, thousands_separator: str) -> str:
    whole, separator, fraction = text.partition(decimal_separator)
    if thousands_separator in whole:
        groups = whole.split(thousands_separator)
        if not (1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])):
            raise ValueProblem("thousands separator not between groups of three digits")
        whole = "".join(groups)
    if thousands_separator in fraction:
        raise ValueProblem("thousands separator after the decimal separator")
    return whole + separator + fraction


# -- price per each ------------------------------------------------------------------------------------------

PRICE_PER_EACH_PLACES: Final = 6
_PER_EACH_QUANTUM: Final = Decimal(1).scaleb(-PRICE_PER_EACH_PLACES)
# Our own context: the process-wide decimal context is not ours to rely on (or to change).
_CONTEXT: Final = Context(prec=34, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation])


def price_per_each(price: Decimal, each_per_unit: Decimal) -> Decimal:
    """``price / each_per_unit`` to 6 decimal places, half to even (banker's rounding: no drift up over many
    items); exact whenever the quotient has 6 places or fewer (12.50 / 100 = 0.125000)."""
    if each_per_unit == 1:
        return _CONTEXT.quantize(price, _PER_EACH_QUANTUM)
    return _CONTEXT.quantize(_CONTEXT.divide(price, each_per_unit), _PER_EACH_QUANTUM)


# -- dates and currencies ------------------------------------------------------------------------------------


def parse_date(text: str, date_format: str) -> date:
    """The date of ``text`` in the partner's ``strptime`` format (nothing else is tried)."""
    try:
        return datetime.strptime(text, date_format).date()
    except ValueError:
        raise ValueProblem(f"not a date in the configured format {date_format}") from None


def parse_currency(text: str) -> str:
    """An ISO 4217 code (three letters), upper-cased."""
    code = text.upper()
    if not (len(code) == 3 and code.isascii() and code.isalpha()):
        raise ValueProblem("currency not a three-letter ISO 4217 code")
    return code
