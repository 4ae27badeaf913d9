"""Checked values and segment builders shared by the X12 document emitters (850, 855, 856, 810).

Every builder returns or appends plain ``list[str]`` segments (``segment[0]`` is the id; trailing empty
elements are trimmed by the writer). Values are written as they are or refused, never altered: a value too
long for its element, an empty mandatory value, an amount with more decimals than its element carries raise
``WriterError`` whose message starts with the document field (``lines[2].quantity: ...``), never the value.
Callers add the path of enclosing objects on the way out with ``within`` (no cost unless something fails).

Optional text that is ``""`` is written as absent, like None (X12 has no empty value), and is read back as
None. Lengths are the X12 standard's for 004010; 005010 widens a few (``Limits``). Separators are the writer's
business (``emitters.x12.writer``): a value holding one is refused there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from parsers.documents import (
    AllowanceCharge,
    Contact,
    DateReference,
    Party,
    PaymentTerms,
    ProductId,
    Reference,
    Tax,
)
from parsers.errors import ConfigurationError, WriterError

from ..writer import format_decimal, format_implied_decimal

Seg = list[str]

_TIME = re.compile(r"([01][0-9]|2[0-3])[0-5][0-9](?:[0-5][0-9](?:[0-9]{1,2})?)?\Z")


@dataclass(frozen=True, slots=True)
class Limits:
    """Maximum lengths that differ between versions (the rest are the same in 004010 and 005010)."""

    reference_value: int  # REF02 (127)
    communication_number: int  # PER04/06/08 (364)


LIMITS_004010 = Limits(reference_value=30, communication_number=80)
LIMITS_005010 = Limits(reference_value=50, communication_number=256)


def limits_for(version: str) -> Limits:
    """The limits of ``version`` ("004010", "004010VICS", "005010", "005010X..."): 005010 and later widen."""
    family = version[:6]
    if len(family) != 6 or not family.isdigit():
        raise ConfigurationError("X12 version must start with 6 digits (e.g. 004010)", code="X12.VERSION")
    return LIMITS_005010 if family >= "005010" else LIMITS_004010


# --- errors -------------------------------------------------------------------------------------------------


def field_error(field: str, problem: str, code: str = "X12.VALUE") -> WriterError:
    """A WriterError about ``field`` (a path such as ``lines[0].unit``); ``problem`` never holds the value."""
    return WriterError(f"{field}: {problem}", code=code)


def within(error: WriterError, prefix: str) -> WriterError:
    """The same error with the path of the enclosing object in front (``lines[3]`` + ``unit``)."""
    return WriterError(f"{prefix}.{error.message}", position=error.position, code=error.code)


# --- values -------------------------------------------------------------------------------------------------


def text(value: str | None, field: str, max_length: int, min_length: int = 1) -> str:
    """An optional AN/ID value: None and "" are absent; otherwise its length must fit the element."""
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        raise field_error(field, "expected text", "X12.TYPE")
    length = len(value)
    if length > max_length:
        raise field_error(field, f"longer than {max_length} characters", "X12.TOO_LONG")
    if length < min_length:
        raise field_error(field, f"shorter than {min_length} characters", "X12.TOO_SHORT")
    if value.isspace():
        raise field_error(field, "only spaces (X12 needs a non-space character)", "X12.MANDATORY")
    return value


def required_text(value: str | None, field: str, max_length: int, min_length: int = 1) -> str:
    """A mandatory AN/ID value: empty is refused."""
    if not value:
        raise field_error(field, "mandatory value is empty", "X12.MANDATORY")
    return text(value, field, max_length, min_length)


def decimal(value: Decimal | None, field: str, max_digits: int) -> str:
    """An optional R value in plain notation, trailing zeros trimmed; at most ``max_digits`` digits."""
    if value is None:
        return ""
    try:
        return format_decimal(value, max_digits=max_digits)
    except WriterError as error:
        raise field_error(field, error.message, error.code or "X12.NUMBER") from None


def required_decimal(value: Decimal | None, field: str, max_digits: int) -> str:
    if value is None:
        raise field_error(field, "mandatory value is empty", "X12.MANDATORY")
    return decimal(value, field, max_digits)


def amount(value: Decimal | None, field: str, max_digits: int = 15) -> str:
    """An optional N2 amount (implied two decimals): more than 2 decimal places are refused, not rounded."""
    if value is None:
        return ""
    try:
        return format_implied_decimal(value, 2, max_length=max_digits)
    except WriterError as error:
        raise field_error(field, error.message, error.code or "X12.NUMBER") from None


def integer(value: int | None, field: str, max_digits: int) -> str:
    """An optional N0 value from an ``int``."""
    if value is None:
        return ""
    if value.__class__ is not int:
        raise field_error(field, "expected an integer", "X12.TYPE")
    written = str(value)
    if len(written) - (value < 0) > max_digits:
        raise field_error(field, f"longer than {max_digits} digits", "X12.TOO_LONG")
    return written


def whole_number(value: Decimal | None, field: str, max_digits: int) -> str:
    """An optional N0 value from a whole ``Decimal`` (``Decimal("3.0")`` is 3; 3.5 is refused)."""
    if value is None:
        return ""
    if not isinstance(value, Decimal | int) or isinstance(value, bool):
        raise field_error(field, "expected a decimal", "X12.TYPE")
    number = Decimal(value)
    if not number.is_finite() or number != number.to_integral_value():
        raise field_error(field, "not a whole number", "X12.NUMBER")
    return integer(int(number), field, max_digits)


def date_text(value: date | None, field: str) -> str:
    """An optional DT value as CCYYMMDD."""
    if value is None:
        return ""
    if not isinstance(value, date):
        raise field_error(field, "expected a date", "X12.TYPE")
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def required_date(value: date | None, field: str) -> str:
    if value is None:
        raise field_error(field, "mandatory value is empty", "X12.MANDATORY")
    return date_text(value, field)


def time_text(value: str | None, field: str) -> str:
    """An optional TM value: HHMM, HHMMSS or HHMMSSd[d], checked, written as given."""
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or _TIME.match(value) is None:
        raise field_error(field, "not an X12 time (HHMM[SS[dd]])", "X12.TIME")
    return value


def pair(first: str, second: str, first_field: str, second_field: str) -> None:
    """X12 paired elements (syntax rule P): both or neither."""
    if bool(first) != bool(second):
        missing = second_field if first else first_field
        other = first_field if first else second_field
        raise field_error(missing, f"required together with {other}", "X12.PAIRED")


# --- segments -----------------------------------------------------------------------------------------------


def reference_segment(reference: Reference, limits: Limits) -> Seg:
    """REF: qualifier, value, description."""
    return [
        "REF",
        required_text(reference.qualifier, "qualifier", 3, 2),
        required_text(reference.value, "value", limits.reference_value),
        text(reference.description, "description", 80),
    ]


def add_references(
    out: list[Seg], references: Sequence[Reference], limits: Limits, name: str = "references"
) -> None:
    for index, reference in enumerate(references):
        try:
            out.append(reference_segment(reference, limits))
        except WriterError as error:
            raise within(error, f"{name}[{index}]") from None


def date_segment(reference: DateReference) -> Seg:
    """DTM: qualifier, date, time."""
    return [
        "DTM",
        required_text(reference.qualifier, "qualifier", 3, 3),
        required_date(reference.date, "date"),
        time_text(reference.time, "time"),
    ]


def add_dates(out: list[Seg], dates: Sequence[DateReference], name: str = "dates") -> None:
    for index, reference in enumerate(dates):
        try:
            out.append(date_segment(reference))
        except WriterError as error:
            raise within(error, f"{name}[{index}]") from None


def currency_segment(entity: str, currency: str | None) -> Seg | None:
    """CUR: entity (``BY`` buyer on orders, ``SE`` seller on acknowledgements and invoices), currency code."""
    if currency is None or currency == "":
        return None
    return ["CUR", entity, required_text(currency, "currency", 3, 3)]


def product_id_elements(ids: Sequence[ProductId], max_pairs: int, name: str = "product_ids") -> list[str]:
    """The qualifier/value pairs of a PO1, IT1, LIN or ACK, flattened, in order."""
    if len(ids) > max_pairs:
        raise field_error(name, f"more than {max_pairs} identifiers", "X12.TOO_MANY")
    elements: list[str] = []
    for index, product_id in enumerate(ids):
        qualifier = product_id.qualifier
        value = product_id.value
        if (
            not qualifier
            or not value
            or len(qualifier) != 2
            or len(value) > 48
            or value.isspace()
            or qualifier.isspace()
        ):
            try:
                required_text(qualifier, "qualifier", 2, 2)
                required_text(value, "value", 48)
            except WriterError as error:
                raise within(error, f"{name}[{index}]") from None
        elements.append(qualifier)
        elements.append(value)
    return elements


def description_segment(description: str | None) -> Seg | None:
    """PID*F: a free-form description (one written)."""
    if description is None or description == "":
        return None
    return ["PID", "F", "", "", "", text(description, "description", 80)]


def add_messages(out: list[Seg], notes: Sequence[str], name: str = "notes") -> None:
    """One MSG per note."""
    for index, note in enumerate(notes):
        if not note or len(note) > 264 or note.isspace():
            required_text(note, f"{name}[{index}]", 264)
        out.append(["MSG", note])


def _contact_segment(contact: Contact, limits: Limits) -> Seg:
    """PER: function, name, up to three (qualifier, number) pairs."""
    numbers = contact.numbers
    if len(numbers) > 3:
        raise field_error("numbers", "more than 3 communication numbers (PER carries 3)", "X12.TOO_MANY")
    segment = [
        "PER",
        required_text(contact.function, "function", 2, 2),
        text(contact.name, "name", 60),
    ]
    for index, number in enumerate(numbers):
        try:
            segment.append(required_text(number.qualifier, "qualifier", 2, 2))
            segment.append(required_text(number.number, "number", limits.communication_number))
        except WriterError as error:
            raise within(error, f"numbers[{index}]") from None
    return segment


def party_segments(out: list[Seg], party: Party, limits: Limits) -> None:
    """The N1 loop of a party: N1, N3 (two address lines each), N4, REF*, PER*."""
    name = text(party.name, "name", 60)
    qualifier = text(party.id_qualifier, "id_qualifier", 2, 1)
    identifier = text(party.id, "id", 80, 2)
    pair(qualifier, identifier, "id_qualifier", "id")
    if not name and not identifier:
        raise field_error("name", "a party needs a name or an id (N1 rule R0203)", "X12.MANDATORY")
    out.append(["N1", required_text(party.role, "role", 3, 2), name, qualifier, identifier])
    lines = party.address_lines
    if len(lines) > 4:
        raise field_error("address_lines", "more than 4 lines (two N3 segments of two)", "X12.TOO_MANY")
    for index in range(0, len(lines), 2):
        segment = ["N3", required_text(lines[index], f"address_lines[{index}]", 55)]
        if index + 1 < len(lines):
            segment.append(required_text(lines[index + 1], f"address_lines[{index + 1}]", 55))
        out.append(segment)
    city = text(party.city, "city", 30, 2)
    state = text(party.state, "state", 2, 2)
    postal_code = text(party.postal_code, "postal_code", 15, 3)
    country = text(party.country, "country", 3, 2)
    if city or state or postal_code or country:
        out.append(["N4", city, state, postal_code, country])
    add_references(out, party.references, limits)
    for index, contact in enumerate(party.contacts):
        try:
            out.append(_contact_segment(contact, limits))
        except WriterError as error:
            raise within(error, f"contacts[{index}]") from None


def add_parties(out: list[Seg], parties: Sequence[Party], limits: Limits) -> None:
    for index, party in enumerate(parties):
        try:
            party_segments(out, party, limits)
        except WriterError as error:
            raise within(error, f"parties[{index}]") from None


def terms_segment(terms: PaymentTerms) -> Seg:
    """ITD: type, basis date, discount %, discount due date and days, net due date and days, discount amount
    (N2), description."""
    return [
        "ITD",
        text(terms.type_code, "type_code", 2, 2),
        text(terms.basis_date_code, "basis_date_code", 2, 1),
        decimal(terms.discount_percent, "discount_percent", 6),
        date_text(terms.discount_due_date, "discount_due_date"),
        integer(terms.discount_days, "discount_days", 3),
        date_text(terms.net_due_date, "net_due_date"),
        integer(terms.net_days, "net_days", 3),
        amount(terms.discount_amount, "discount_amount", 10),
        "",
        "",
        "",
        text(terms.description, "description", 80),
    ]


def add_terms(out: list[Seg], terms: Sequence[PaymentTerms]) -> None:
    for index, item in enumerate(terms):
        try:
            out.append(terms_segment(item))
        except WriterError as error:
            raise within(error, f"terms[{index}]") from None


def tax_segment(tax: Tax) -> Seg:
    """TXI: type, amount (R), percent (R), jurisdiction qualifier and code, exemption code."""
    tax_amount = decimal(tax.amount, "amount", 18)
    percent = decimal(tax.percent, "percent", 10)
    exempt = text(tax.exempt_code, "exempt_code", 1, 1)
    if not tax_amount and not percent and not exempt:
        raise field_error(
            "amount",
            "a tax needs an amount, a percent or an exemption code (TXI rule R020306)",
            "X12.MANDATORY",
        )
    qualifier = text(tax.jurisdiction_qualifier, "jurisdiction_qualifier", 2, 2)
    jurisdiction = text(tax.jurisdiction, "jurisdiction", 10)
    pair(qualifier, jurisdiction, "jurisdiction_qualifier", "jurisdiction")
    return [
        "TXI",
        required_text(tax.type_code, "type_code", 2, 2),
        tax_amount,
        percent,
        qualifier,
        jurisdiction,
        exempt,
    ]


def add_taxes(out: list[Seg], taxes: Sequence[Tax]) -> None:
    for index, tax in enumerate(taxes):
        try:
            out.append(tax_segment(tax))
        except WriterError as error:
            raise within(error, f"taxes[{index}]") from None


def allowance_charge_segment(item: AllowanceCharge) -> Seg:
    """SAC: indicator, code, amount (N2), percent qualifier and percent, rate, unit and quantity, handling,
    description."""
    if item.indicator not in ("A", "C", "N"):
        raise field_error("indicator", "not A, C or N", "X12.CODE")
    percent_qualifier = text(item.percent_qualifier, "percent_qualifier", 1, 1)
    percent = decimal(item.percent, "percent", 6)
    pair(percent_qualifier, percent, "percent_qualifier", "percent")
    unit = text(item.unit, "unit", 2, 2)
    quantity = decimal(item.quantity, "quantity", 15)
    pair(unit, quantity, "unit", "quantity")
    return [
        "SAC",
        item.indicator,
        required_text(item.code, "code", 4, 4),
        "",
        "",
        amount(item.amount, "amount", 15),
        percent_qualifier,
        percent,
        decimal(item.rate, "rate", 9),
        unit,
        quantity,
        "",
        text(item.handling_code, "handling_code", 2, 2),
        "",
        "",
        text(item.description, "description", 80),
    ]


def add_allowances_charges(out: list[Seg], items: Sequence[AllowanceCharge]) -> None:
    for index, item in enumerate(items):
        try:
            out.append(allowance_charge_segment(item))
        except WriterError as error:
            raise within(error, f"allowances_charges[{index}]") from None


def line_count(declared: int | None, actual: int, field: str) -> str:
    """CTT01: the count actually written; a declared count that disagrees is refused, not overwritten."""
    if declared is not None and declared != actual:
        raise field_error(field, "does not match the number written", "X12.COUNT")
    if actual > 999_999:
        raise field_error(field, "more than 999999 (CTT01 has 6 digits)", "X12.TOO_LONG")
    return str(actual)
