"""Pieces every X12 document mapper shares: element values, dates, decimals, N1 loops, REF, DTM, product ids.

The mappers are tolerant of where partners put things; what they cannot read (a date that is no date, a
quantity that is no number) raises ``BadValue`` with the element position, which the mapper turns into a
``DocumentError`` at the segment it was reading. Values are converted once and cached: the same quantities,
prices, dates and product ids come back thousands of times in a large file, and documents are immutable,
so sharing the converted values is safe.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, Final, TypeVar

from ...documents.common import CommunicationNumber, Contact, DateReference, Party, ProductId, Reference
from ...documents.purchase_order import PaymentTerms
from ...errors import DocumentError, SourcePosition
from ..model import Segment, TransactionSet

__all__ = [
    "DECIMALS",
    "BadValue",
    "PartyBuilder",
    "date_reference",
    "document_error",
    "element",
    "fast_constructor",
    "integer",
    "missing",
    "optional_date",
    "optional_decimal",
    "optional_implied_decimal",
    "optional_integer",
    "payment_terms",
    "product_ids",
    "product_ids_without_lot",
    "reference",
    "required_date",
    "required_decimal",
]

T = TypeVar("T")

_CACHE_LIMIT: Final = 8192  # entries per cache; cleared when full so memory stays flat on any file

_DECIMAL_TEXT: Final = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z")


class BadValue(Exception):
    """A value the document needs is missing or unreadable at ``element`` of the segment being mapped."""

    def __init__(self, message: str, element: int | None, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.element = element
        self.code = code


def document_error(
    transaction: TransactionSet, index: int | None, message: str, element: int | None, code: str
) -> DocumentError:
    """A ``DocumentError`` at segment ``index`` (0-based in ``transaction.segments``; ST is 0)."""
    position = SourcePosition(
        interchange=transaction.interchange.control_number,
        group=transaction.group.control_number,
        transaction=transaction.control_number,
        segment=None if index is None else index + 1,
        element=element,
    )
    return DocumentError(message, position=position, code=code)


def missing(segment_id: str, set_id: str) -> BadValue:
    """A mandatory segment the document cannot exist without is absent (AK3 code 3)."""
    return BadValue(f"{set_id}: mandatory segment {segment_id} missing", None, "AK3.3")


def element(segment: Segment, n: int) -> str:
    """Element ``n`` of ``segment`` as received, ``""`` when absent."""
    return segment[n] if len(segment) > n else ""


def required(segment: Segment, n: int) -> str:
    value = segment[n] if len(segment) > n else ""
    if not value:
        raise BadValue(f"{segment[0]}{n:02d} missing", n, "AK4.1")
    return value


def optional(segment: Segment, n: int) -> str | None:
    """Element ``n`` or None when absent or empty."""
    return (segment[n] or None) if len(segment) > n else None


def fast_constructor(cls: type[T]) -> Callable[..., T]:
    """A constructor for the frozen, slotted dataclass ``cls`` that takes every field (no defaults), several
    times faster than the generated ``__init__`` (which pays an ``object.__setattr__`` call per field).

    It builds a twin class with the same bases and slots whose plain ``__init__`` stores the fields and then
    turns the object into a ``cls`` (``__class__`` assignment, allowed between identical slot layouts). The
    result is indistinguishable from ``cls(...)``: same type, equality, hash, immutability. Used for the
    objects made once per line, where the mapping time goes. Falls back to ``cls`` itself when the layout
    is not the expected one.
    """
    names = tuple(field.name for field in dataclasses.fields(cls))  # type: ignore[arg-type]
    if getattr(cls, "__slots__", None) != names or any(not name.isidentifier() for name in names):
        return cls
    arguments = ", ".join(names)
    stores = "".join(f"    self.{name} = {name}\n" for name in names)
    namespace: dict[str, Any] = {"cls": cls}
    exec(f"def __init__(self, {arguments}):\n{stores}    self.__class__ = cls\n", namespace)
    twin = type(
        f"_Building{cls.__name__}", cls.__bases__, {"__slots__": names, "__init__": namespace["__init__"]}
    )
    return twin


# --- Decimals -----------------------------------------------------------------------------------------------

# Decimal values by their text, for the mappers' hot paths to look up before calling a reading function.
DECIMALS: Final[dict[str, Decimal]] = {}


def _decimal(text: str, n: int, segment_id: str) -> Decimal:
    value = DECIMALS.get(text)
    if value is not None:
        return value
    stripped = text.strip()
    if not _DECIMAL_TEXT.match(stripped):
        raise BadValue(f"{segment_id}{n:02d} is not a number", n, "AK4.6")
    value = Decimal(stripped)
    if len(DECIMALS) >= _CACHE_LIMIT:
        DECIMALS.clear()
    DECIMALS[text] = value
    return value


def required_decimal(segment: Segment, n: int) -> Decimal:
    """An ``R`` element the document cannot do without."""
    text = segment[n] if len(segment) > n else ""
    if not text:
        raise BadValue(f"{segment[0]}{n:02d} missing", n, "AK4.1")
    value = DECIMALS.get(text)
    return value if value is not None else _decimal(text, n, segment[0])


def optional_decimal(segment: Segment, n: int) -> Decimal | None:
    """An ``R`` element, None when absent."""
    text = segment[n] if len(segment) > n else ""
    if not text:
        return None
    value = DECIMALS.get(text)
    return value if value is not None else _decimal(text, n, segment[0])


def optional_implied_decimal(segment: Segment, n: int) -> Decimal | None:
    """An ``N2`` element (two implied decimal places). A value sent with a decimal point is read as written:
    partners do that often enough, and the point leaves no doubt about what they mean."""
    text = segment[n] if len(segment) > n else ""
    if not text:
        return None
    stripped = text.strip()
    if "." in stripped:
        return _decimal(text, n, segment[0])
    body = stripped[1:] if stripped[:1] in "+-" else stripped
    if not body.isdigit() or not body.isascii():
        raise BadValue(f"{segment[0]}{n:02d} is not a number", n, "AK4.6")
    return Decimal(stripped).scaleb(-2)


def integer(text: str, n: int, segment_id: str) -> int:
    stripped = text.strip()
    if not stripped.isdigit() or not stripped.isascii():
        raise BadValue(f"{segment_id}{n:02d} is not a whole number", n, "AK4.6")
    return int(stripped)


def optional_integer(segment: Segment, n: int) -> int | None:
    """An ``N0`` element (counts, days), None when absent."""
    text = segment[n] if len(segment) > n else ""
    return integer(text, n, segment[0]) if text else None


# --- Dates --------------------------------------------------------------------------------------------------

_dates: Final[dict[str, date]] = {}


def _date(text: str, n: int, segment_id: str) -> date:
    found = _dates.get(text)
    if found is not None:
        return found
    try:
        if len(text) == 8 and text.isdigit():
            found = date(int(text[:4]), int(text[4:6]), int(text[6:]))
        elif len(text) == 6 and text.isdigit():
            # Century window 50: 49 -> 2049, 50 -> 1950 (YYMMDD from versions before 4010).
            year = int(text[:2])
            found = date(year + (2000 if year < 50 else 1900), int(text[2:4]), int(text[4:]))
    except ValueError:
        found = None
    if found is None:
        raise BadValue(f"{segment_id}{n:02d} is not a date", n, "AK4.8")
    if len(_dates) >= _CACHE_LIMIT:
        _dates.clear()
    _dates[text] = found
    return found


def required_date(segment: Segment, n: int) -> date:
    text = segment[n] if len(segment) > n else ""
    if not text:
        raise BadValue(f"{segment[0]}{n:02d} missing", n, "AK4.1")
    found = _dates.get(text)
    return found if found is not None else _date(text, n, segment[0])


def optional_date(segment: Segment, n: int) -> date | None:
    text = segment[n] if len(segment) > n else ""
    if not text:
        return None
    found = _dates.get(text)
    return found if found is not None else _date(text, n, segment[0])


# --- Shared segments ----------------------------------------------------------------------------------------


_reference: Final = fast_constructor(Reference)
_date_reference: Final = fast_constructor(DateReference)
_party: Final = fast_constructor(Party)


def reference(segment: Segment) -> Reference:
    """REF: REF01 qualifier, REF02 value, REF03 description."""
    size = len(segment)
    return _reference(
        qualifier=segment[1] if size > 1 else "",
        value=segment[2] if size > 2 else "",
        description=(segment[3] or None) if size > 3 else None,
    )


def date_reference(segment: Segment) -> DateReference | None:
    """DTM: DTM01 qualifier, DTM02 date, DTM03 time. A DTM that carries its date only as a ``D8`` period
    (DTM05/DTM06) is read from there; one with no single date (a range, a month) gives None."""
    size = len(segment)
    text = segment[2] if size > 2 else ""
    n = 2
    if not text:
        if size > 6 and segment[5] == "D8" and segment[6]:
            text, n = segment[6], 6
        else:
            return None
    found = _dates.get(text)
    if found is None:
        found = _date(text, n, "DTM")
    return _date_reference(
        qualifier=segment[1] if size > 1 else "", date=found, time=(segment[3] or None) if size > 3 else None
    )


_product_id: Final = fast_constructor(ProductId)
_product_id_tuples: Final[dict[tuple[str, ...], tuple[ProductId, ...]]] = {}
_product_id_tuples_without_lots: Final[dict[tuple[str, ...], tuple[ProductId, ...]]] = {}


def product_ids(segment: Segment, first: int) -> tuple[ProductId, ...]:
    """The (qualifier, value) pairs from element ``first`` on, in order; pairs without a value are skipped.

    Results are cached by the elements they come from: the same products come back line after line."""
    key = tuple(segment[first:])
    found = _product_id_tuples.get(key)
    if found is None:
        found = _product_id_tuples[key] = _read_pairs(segment[first:], None, _product_id_tuples)
    return found


def product_ids_without_lot(segment: Segment, first: int) -> tuple[ProductId, ...]:
    """``product_ids`` leaving out the ``LT`` pair (in LIN it carries the lot number, not a product id)."""
    key = tuple(segment[first:])
    found = _product_id_tuples_without_lots.get(key)
    if found is None:
        found = _read_pairs(segment[first:], "LT", _product_id_tuples_without_lots)
        _product_id_tuples_without_lots[key] = found
    return found


def _read_pairs(
    elements: list[str], skip_qualifier: str | None, cache: dict[tuple[str, ...], tuple[ProductId, ...]]
) -> tuple[ProductId, ...]:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    return tuple(
        _product_id(elements[n], elements[n + 1])
        for n in range(0, len(elements) - 1, 2)
        if elements[n + 1] and elements[n] != skip_qualifier
    )


def contact(segment: Segment) -> Contact:
    """PER: PER01 function, PER02 name, then up to three (qualifier, number) pairs."""
    size = len(segment)
    numbers = tuple(
        CommunicationNumber(segment[n], segment[n + 1]) for n in (3, 5, 7) if size > n + 1 and segment[n + 1]
    )
    return Contact(segment[1] if size > 1 else "", (segment[2] or None) if size > 2 else None, numbers)


class PartyBuilder:
    """An N1 loop being read: N1 opens it; N2, N3, N4, REF and PER add to it until the loop ends."""

    __slots__ = (
        "address_lines",
        "city",
        "contacts",
        "country",
        "id",
        "id_qualifier",
        "name",
        "postal_code",
        "references",
        "role",
        "state",
    )

    def __init__(self, segment: Segment) -> None:
        size = len(segment)
        self.role = segment[1] if size > 1 else ""
        self.name = (segment[2] or None) if size > 2 else None
        self.id_qualifier = (segment[3] or None) if size > 3 else None
        self.id = (segment[4] or None) if size > 4 else None
        self.address_lines: list[str] = []
        self.city: str | None = None
        self.state: str | None = None
        self.postal_code: str | None = None
        self.country: str | None = None
        self.references: list[Reference] = []
        self.contacts: list[Contact] = []

    def add(self, segment: Segment) -> bool:
        """Take ``segment`` (N2, N3, N4, REF, PER) into the party; False for any other segment."""
        segment_id = segment[0]
        if segment_id == "N3":
            self.address_lines.extend(line for line in segment[1:3] if line)
        elif segment_id == "N4":
            size = len(segment)
            self.city = (segment[1] or None) if size > 1 else None
            self.state = (segment[2] or None) if size > 2 else None
            self.postal_code = (segment[3] or None) if size > 3 else None
            self.country = (segment[4] or None) if size > 4 else None
        elif segment_id == "REF":
            self.references.append(reference(segment))
        elif segment_id == "PER":
            self.contacts.append(contact(segment))
        elif segment_id == "N2":
            extra = " ".join(part for part in segment[1:3] if part)
            if extra:
                self.name = f"{self.name} {extra}" if self.name else extra
        else:
            return False
        return True

    def build(self) -> Party:
        return _party(
            role=self.role,
            name=self.name,
            id_qualifier=self.id_qualifier,
            id=self.id,
            address_lines=tuple(self.address_lines),
            city=self.city,
            state=self.state,
            postal_code=self.postal_code,
            country=self.country,
            references=tuple(self.references),
            contacts=tuple(self.contacts),
        )


def payment_terms(segment: Segment) -> PaymentTerms:
    """ITD: 01 type, 02 basis date code, 03 discount %, 04 discount due date, 05 discount days, 06 net due
    date, 07 net days, 08 discount amount (N2), 12 description."""
    return PaymentTerms(
        type_code=optional(segment, 1),
        basis_date_code=optional(segment, 2),
        discount_percent=optional_decimal(segment, 3),
        discount_due_date=optional_date(segment, 4),
        discount_days=optional_integer(segment, 5),
        net_due_date=optional_date(segment, 6),
        net_days=optional_integer(segment, 7),
        discount_amount=optional_implied_decimal(segment, 8),
        description=optional(segment, 12),
    )
