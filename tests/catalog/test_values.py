"""Cell readers: GTINs, NDC / HCPCS / UNSPSC, numbers with the partner's separators and currency signs, the
price per each, dates. A value is read exactly or refused with a reason that never repeats it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from parsers.catalog.values import (
    PRICE_PER_EACH_PLACES,
    ValueProblem,
    is_excel_scientific,
    normalise_gtin,
    parse_currency,
    parse_date,
    parse_hcpcs,
    parse_ndc,
    parse_number,
    parse_unspsc,
    price_per_each,
)


@pytest.mark.parametrize(
    ("text", "gtin"),
    [
        ("00614141000012", "00614141000012"),  # GTIN-14
        ("0614141000012", "00614141000012"),  # GTIN-13 (EAN)
        ("614141000012", "00614141000012"),  # GTIN-12 (UPC-A)
        ("96385074", "00000096385074"),  # GTIN-8
        ("10614141000019", "10614141000019"),  # a box of the same item (indicator 1)
        ("0 614141 00001 2", "00614141000012"),  # typed with spaces
    ],
)
def test_gtins_are_padded_to_14_digits(text: str, gtin: str) -> None:
    assert normalise_gtin(text) == gtin


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("00614141000013", "GTIN check digit wrong"),
        ("6.14141E+11", "scientific notation"),
        ("1.06141E+13", "scientific notation"),
        ("6,14141E+12", "scientific notation"),  # the same from an Excel with decimal commas
        ("614141000012.0", "decimal part"),
        ("14141000012", "GTIN has 11 digits"),  # a UPC whose leading zero Excel dropped
        ("061414100001", "GTIN check digit wrong"),
        ("0614141O00012", "not digits"),  # a letter O
        ("٠٦١٤١٤١٠٠٠٠١٢", "not digits"),  # Arabic-Indic digits are digits to str.isdigit, not to GS1
    ],
)
def test_bad_gtins_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueProblem) as raised:
        normalise_gtin(text)
    assert reason in raised.value.reason
    assert text not in raised.value.reason


def test_excel_scientific_notation() -> None:
    assert is_excel_scientific("1.23E+13")
    assert is_excel_scientific("1E+5")
    assert not is_excel_scientific("MDS12E")  # a part number with an E in it
    assert not is_excel_scientific("E12")


@pytest.mark.parametrize(
    ("text", "ndc"),
    [
        ("0409-4888-02", "00409488802"),  # 4-4-2
        ("63323-374-02", "63323037402"),  # 5-3-2
        ("50090-2869-1", "50090286901"),  # 5-4-1
        ("00409-4888-02", "00409488802"),  # 5-4-2 already
        ("00409488802", "00409488802"),  # 11 digits
    ],
)
def test_ndcs_become_11_digits(text: str, ndc: str) -> None:
    assert parse_ndc(text) == ndc


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("0409488802", "ambiguous"),
        ("409488802", "9 digits"),
        ("0409-48880-2", "segments"),
        ("8290-306547", "three segments"),
        ("4.09489E+9", "scientific"),
    ],
)
def test_bad_ndcs_are_refused(text: str, reason: str) -> None:
    with pytest.raises(ValueProblem, match=reason):
        parse_ndc(text)


def test_hcpcs_and_cpt_codes() -> None:
    assert parse_hcpcs("j1644") == "J1644"
    assert parse_hcpcs("A4927") == "A4927"
    assert parse_hcpcs("99213") == "99213"
    assert parse_hcpcs("0001F") == "0001F"
    for bad in ("J164", "JJ644", "A49271"):
        with pytest.raises(ValueProblem):
            parse_hcpcs(bad)


def test_unspsc_codes() -> None:
    assert parse_unspsc("42132203") == "42132203"
    assert parse_unspsc("4213220301") == "4213220301"
    with pytest.raises(ValueProblem, match="scientific"):
        parse_unspsc("4.21322E+7")
    with pytest.raises(ValueProblem, match="7 digits"):
        parse_unspsc("4213220")


@pytest.mark.parametrize(
    ("text", "decimal", "thousands", "value", "currency"),
    [
        ("12.50", ".", None, "12.50", None),
        ("12", ".", None, "12", None),
        ("$12.50", ".", None, "12.50", None),  # $ names no single currency
        ("US$ 12.50", ".", None, "12.50", "USD"),
        ("USD 12.50", ".", None, "12.50", "USD"),
        ("12.50 USD", ".", None, "12.50", "USD"),
        ("£7.05", ".", None, "7.05", "GBP"),
        ("1,234.56", ".", ",", "1234.56", None),
        ("$1,234,567.00", ".", ",", "1234567.00", None),
        ("12,50", ",", None, "12.50", None),
        ("12,50 €", ",", None, "12.50", "EUR"),
        ("€ 1.234,50", ",", ".", "1234.50", "EUR"),
        ("1 234,50", ",", " ", "1234.50", None),
        ("1\u00a0234,50\u00a0€", ",", "\u00a0", "1234.50", "EUR"),  # French no-break spaces
        ("1\u202f234,50", ",", " ", "1234.50", None),
        ("1'234.50 CHF", ".", "'", "1234.50", "CHF"),
        ("0.000125", ".", None, "0.000125", None),
    ],
)
def test_numbers(text: str, decimal: str, thousands: str | None, value: str, currency: str | None) -> None:
    number, named = parse_number(text, decimal, thousands)
    assert number == Decimal(value) and str(number) == value  # exact, trailing zeros kept
    assert named == currency


@pytest.mark.parametrize(
    ("text", "decimal", "thousands", "reason"),
    [
        ("1,234.56", ".", None, "',' in a number"),  # separators the mapping does not declare: not guessed
        ("1.234", ",", None, "'.' in a number"),
        ("12.50", ",", ".", "groups of three"),
        ("1,23,456.00", ".", ",", "groups of three"),
        ("-12.50", ".", None, "negative"),
        ("(12.50)", ".", None, "negative"),
        ("12.50-", ".", None, "negative"),
        ("1.2E+3", ".", None, "scientific"),
        ("USD 12.50 EUR", ".", None, "both before and after"),
        ("twelve", ".", None, "not a number"),
        ("1234567890123456", ".", None, "not a number"),
        ("1_000", ".", None, "not a number"),  # Decimal() would take it
        ("NaN", ".", None, "not a number"),
        ("Infinity", ".", None, "not a number"),
        ("12 50", ".", None, "not a number"),
    ],
)
def test_numbers_refused(text: str, decimal: str, thousands: str | None, reason: str) -> None:
    with pytest.raises(ValueProblem, match=reason):
        parse_number(text, decimal, thousands)


@pytest.mark.parametrize(
    ("price", "each", "per_each"),
    [
        ("12.50", "100", "0.125000"),
        ("11.95", "100", "0.119500"),
        ("1095.00", "1000", "1.095000"),
        ("10.00", "3", "3.333333"),
        ("0.0000125", "1", "0.000012"),  # half to even: ...12.5 -> ...12
        ("0.0000135", "1", "0.000014"),  # ...13.5 -> ...14
        ("2.00", "0.5", "4.000000"),
    ],
)
def test_price_per_each_is_rounded_half_even_to_6_places(price: str, each: str, per_each: str) -> None:
    result = price_per_each(Decimal(price), Decimal(each))
    assert str(result) == per_each
    assert -result.as_tuple().exponent == PRICE_PER_EACH_PLACES  # type: ignore[operator]


def test_dates_follow_the_configured_format_only() -> None:
    assert parse_date("03/04/2026", "%m/%d/%Y") == date(2026, 3, 4)
    assert parse_date("03/04/2026", "%d/%m/%Y") == date(2026, 4, 3)
    assert parse_date("03.04.2026", "%d.%m.%Y") == date(2026, 4, 3)
    for text in ("2026-03-04", "13/01/2026", "46085"):  # another format, no such month, an Excel serial
        with pytest.raises(ValueProblem, match="configured format"):
            parse_date(text, "%m/%d/%Y")


def test_currencies() -> None:
    assert parse_currency("usd") == "USD"
    for bad in ("US", "US$", "€", "U5D"):
        with pytest.raises(ValueProblem):
            parse_currency(bad)
