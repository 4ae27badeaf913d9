"""Building blocks shared by every canonical document: parties, product identifiers, references, dates.

Qualifiers are kept as the partner sent them (X12 code lists are open-ended in practice); the properties
(``Party.gln``, ``LineItemIds.gtin``...) read the well-known ones so that matching code never spells codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Self

from .serialize import from_json, to_json

# N103 identification code qualifiers (X12 element 66)
GLN_QUALIFIERS = frozenset({"UL"})
DUNS_QUALIFIERS = frozenset({"1", "9"})

# Product/service id qualifiers (X12 element 235) by what they identify.
VENDOR_PART_QUALIFIERS = ("VP", "VN", "VC", "SK")
BUYER_PART_QUALIFIERS = ("BP", "IN")
GTIN_QUALIFIERS = ("UK", "EN", "UP", "UA", "UI", "UN")
NDC_QUALIFIERS = ("N4", "ND", "N1", "N2", "N3", "N5", "N6")
HIBC_QUALIFIERS = ("HI", "HD")
MANUFACTURER_PART_QUALIFIERS = ("MG", "MF")
LOT_QUALIFIERS = ("LT",)


class Document:
    """Mixin of every canonical document type: JSON out (decimals as text, ISO dates) and back."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        data = to_json(self)
        assert isinstance(data, dict)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Self:
        return from_json(cls, data)


@dataclass(frozen=True, slots=True)
class ProductId(Document):
    """A product identifier by its X12 qualifier (``VP`` vendor part, ``UK`` GTIN-14, ``N4`` NDC...)."""

    qualifier: str
    value: str


@dataclass(frozen=True, slots=True)
class Reference(Document):
    """A REF-style reference: qualifier (``CT`` contract, ``BM`` bill of lading...), value, text."""

    qualifier: str
    value: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class DateReference(Document):
    """A DTM-style date by qualifier (``002`` delivery requested, ``036`` expiration, ``011`` shipped)."""

    qualifier: str
    date: date
    time: str | None = None


@dataclass(frozen=True, slots=True)
class CommunicationNumber(Document):
    """A telephone, e-mail or fax of a contact: qualifier (``TE``, ``EM``, ``FX``) and number."""

    qualifier: str
    number: str


@dataclass(frozen=True, slots=True)
class Contact(Document):
    """A PER contact: function code (``BD`` buyer, ``IC`` information contact...), name, numbers."""

    function: str
    name: str | None = None
    numbers: tuple[CommunicationNumber, ...] = ()


@dataclass(frozen=True, slots=True)
class Party(Document):
    """A trading party of a document (N1 loop): role (``ST`` ship to, ``BT`` bill to, ``VN`` vendor...)."""

    role: str
    name: str | None = None
    id_qualifier: str | None = None
    id: str | None = None
    address_lines: tuple[str, ...] = ()
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None
    references: tuple[Reference, ...] = ()
    contacts: tuple[Contact, ...] = ()

    @property
    def gln(self) -> str | None:
        return self.id if self.id_qualifier in GLN_QUALIFIERS else None

    @property
    def duns(self) -> str | None:
        return self.id if self.id_qualifier in DUNS_QUALIFIERS else None


def first_id(ids: tuple[ProductId, ...], qualifiers: tuple[str, ...]) -> str | None:
    """The first identifier by the order of ``qualifiers`` (preferred qualifier first)."""
    for qualifier in qualifiers:
        for product_id in ids:
            if product_id.qualifier == qualifier:
                return product_id.value
    return None


class HasProductIds:
    """Mixin for lines carrying ``product_ids``: every identifier stays; these read the well-known ones."""

    __slots__ = ()
    product_ids: tuple[ProductId, ...]

    @property
    def vendor_part(self) -> str | None:
        return first_id(self.product_ids, VENDOR_PART_QUALIFIERS)

    @property
    def buyer_part(self) -> str | None:
        return first_id(self.product_ids, BUYER_PART_QUALIFIERS)

    @property
    def gtin(self) -> str | None:
        return first_id(self.product_ids, GTIN_QUALIFIERS)

    @property
    def ndc(self) -> str | None:
        return first_id(self.product_ids, NDC_QUALIFIERS)

    @property
    def hibc(self) -> str | None:
        return first_id(self.product_ids, HIBC_QUALIFIERS)

    @property
    def manufacturer_part(self) -> str | None:
        return first_id(self.product_ids, MANUFACTURER_PART_QUALIFIERS)
