"""Reading values out of camt elements: namespaced paths, texts, ISO dates, amounts and their sign.

Every camt version has its own namespace (``urn:iso:std:iso:20022:tech:xsd:camt.053.001.08``...); paths
are written without it (``"Acct/Id/IBAN"``) and qualified once per namespace. Values are read as the bank
wrote them: a ``DtTm`` gives its date part as written (never converted to another time zone), an amount
is an exact ``Decimal``. Errors name the place (``where``) and never the value.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Final

from lxml import etree

from ..errors import StatementError

__all__ = ["CAMT_NAMESPACE", "Paths", "local_name", "namespace_of", "parse_amount", "parse_date"]

# camt.052 (account report), camt.053 (statement), camt.054 (debit/credit notification), any version.
CAMT_NAMESPACE: Final = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.(05[234])\.001\.(\d{2,})")

_DATE: Final = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")
_AMOUNT: Final = re.compile(r"\d{1,30}(?:\.\d{1,10})?")


def local_name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def namespace_of(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return ""
    return tag[1 : tag.index("}")]


class Paths:
    """Child paths of one camt namespace: ``text(element, "Acct/Id/IBAN")``; compiled once each."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace
        self._qualified: dict[str, str] = {}

    def qualified(self, path: str) -> str:
        found = self._qualified.get(path)
        if found is None:
            found = "/".join(f"{{{self.namespace}}}{step}" for step in path.split("/"))
            self._qualified[path] = found
        return found

    def find(self, element: etree._Element, path: str) -> etree._Element | None:
        return element.find(self.qualified(path))

    def findall(self, element: etree._Element, path: str) -> list[etree._Element]:
        return element.findall(self.qualified(path))

    def text(self, element: etree._Element, path: str) -> str | None:
        """The stripped text at ``path``, or None when it is missing or blank."""
        found = element.find(self.qualified(path))
        if found is None or found.text is None:
            return None
        return found.text.strip() or None

    def first_text(self, element: etree._Element, *paths: str) -> str | None:
        for path in paths:
            value = self.text(element, path)
            if value is not None:
                return value
        return None

    def texts(self, element: etree._Element, path: str) -> list[str]:
        found = (child.text.strip() for child in element.findall(self.qualified(path)) if child.text)
        return [text for text in found if text]

    def date_choice(self, element: etree._Element, path: str, where: str) -> date | None:
        """A ``Dt`` / ``DtTm`` choice (``BookgDt``, ``ValDt``, ``Bal/Dt``): the date part as written."""
        choice = element.find(self.qualified(path))
        if choice is None:
            return None
        value = self.first_text(choice, "Dt", "DtTm")
        return None if value is None else parse_date(value, where)

    def date_time(self, element: etree._Element, path: str, where: str) -> date | None:
        """The date part of an ISO date-time element (``CreDtTm``, ``FrToDt/FrDtTm``), as written."""
        value = self.text(element, path)
        return None if value is None else parse_date(value, where)


def parse_date(text: str, where: str) -> date:
    """The date of ``YYYY-MM-DD`` or the date part of ``YYYY-MM-DDThh:mm:ss[zone]``, as written."""
    match = _DATE.match(text)
    if match is None:
        raise StatementError(f"{where}: not an ISO date", code="CAMT.DATE")
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise StatementError(f"{where}: not a valid calendar date", code="CAMT.DATE") from None


def parse_amount(text: str | None, indicator: str | None, where: str) -> Decimal:
    """A signed amount from an unsigned ISO 20022 amount and its ``CdtDbtInd`` (credit > 0)."""
    if text is None:
        raise StatementError(f"{where}: the amount is missing", code="CAMT.AMOUNT")
    if _AMOUNT.fullmatch(text) is None:
        raise StatementError(f"{where}: the amount is not an unsigned decimal number", code="CAMT.AMOUNT")
    amount = Decimal(text)
    if indicator == "CRDT":
        return amount
    if indicator == "DBIT":
        return -amount
    raise StatementError(f"{where}: the credit/debit indicator is not CRDT or DBIT", code="CAMT.INDICATOR")
