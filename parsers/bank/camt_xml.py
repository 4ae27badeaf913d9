"""Reading values out of camt elements: namespaced paths, texts, ISO dates, amounts and their sign.

Every camt version has its own namespace (``urn:iso:std:iso:20022:tech:xsd:camt.053.001.08``...); paths
are written without it (``"Acct/Id/IBAN"``). ``Paths`` evaluates them as XPath compiled once per namespace
(the statement header, read once per statement); ``Leaves`` gathers an entry's or a transaction's fields in
one walk (the hot path). Values are read as the bank wrote them: a ``DtTm`` gives its date part as written
(never converted to another time zone), an amount is an exact ``Decimal``. Errors name the place
(``where``) and never the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Final, cast

from lxml import etree

from ..errors import StatementError

__all__ = [
    "CAMT_NAMESPACE",
    "LeafPaths",
    "Leaves",
    "Paths",
    "local_name",
    "namespace_of",
    "parse_amount",
    "parse_date",
]

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
    """Child paths of one camt namespace: ``text(element, "Acct/Id/IBAN")``; each compiled once, as XPath
    (several times faster than ElementPath's ``find`` on lxml). One instance per parse: not shared."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace
        self._nodes: dict[str, etree.XPath] = {}
        self._strings: dict[str, etree.XPath] = {}

    def _compiled(self, cache: dict[str, etree.XPath], path: str, template: str) -> etree.XPath:
        found = cache.get(path)
        if found is None:
            steps = "/".join(f"c:{step}" for step in path.split("/"))
            found = cache[path] = etree.XPath(template.format(steps), namespaces={"c": self.namespace})
        return found

    def find(self, element: etree._Element, path: str) -> etree._Element | None:
        found = self.findall(element, path)
        return found[0] if found else None

    def findall(self, element: etree._Element, path: str) -> list[etree._Element]:
        return cast(list[etree._Element], self._compiled(self._nodes, path, "{}")(element))

    def text(self, element: etree._Element, path: str) -> str | None:
        """The stripped text at ``path`` (of its first match), or None when it is missing or blank."""
        value = cast(str, self._compiled(self._strings, path, "string({})")(element))
        return value.strip() or None

    def any_text(self, element: etree._Element, *paths: str) -> str | None:
        """The text of the first of ``paths`` present in document order, in one evaluation: for the
        alternatives of a choice (``Nm`` or ``Pty/Nm``, ``BIC`` or ``BICFI``), where only one is there."""
        key = " | ".join(paths)
        found = self._strings.get(key)
        if found is None:
            union = " | ".join("/".join(f"c:{step}" for step in path.split("/")) for path in paths)
            found = self._strings[key] = etree.XPath(f"string(({union}))", namespaces={"c": self.namespace})
        value = cast(str, found(element))
        return value.strip() or None

    def date_choice(self, element: etree._Element, path: str, where: str) -> date | None:
        """A ``Dt`` / ``DtTm`` choice (``BookgDt``, ``ValDt``, ``Bal/Dt``): the date part as written."""
        choice = self.find(element, path)
        if choice is None:
            return None
        value = self.any_text(choice, "Dt", "DtTm")
        return None if value is None else parse_date(value, where)

    def date_time(self, element: etree._Element, path: str, where: str) -> date | None:
        """The date part of an ISO date-time element (``CreDtTm``, ``FrToDt/FrDtTm``), as written."""
        value = self.text(element, path)
        return None if value is None else parse_date(value, where)


class LeafPaths:
    """The leaf paths a reader looks up under an element (``"RltdPties/Dbtr/Nm"``), and the branches that
    lead to them: ``Leaves`` descends into those branches only."""

    __slots__ = ("branches", "leaves")

    def __init__(self, paths: Iterable[str]) -> None:
        self.leaves = frozenset(paths)
        self.branches = frozenset(
            "/".join(steps[:end])
            for steps in (path.split("/") for path in self.leaves)
            for end in range(1, len(steps))
        )


class Leaves:
    """The leaf elements at the ``wanted`` paths under an element, gathered in one walk that skips every
    other branch (addresses, charges, supplementary data): an entry's few dozen lookups then cost a
    dictionary access each, the reader's hot path. Looking up a path that was not wanted is a
    programming error (``KeyError``), so that a new lookup cannot silently find nothing."""

    __slots__ = ("_found", "_wanted")

    def __init__(self, element: etree._Element, namespace: str, wanted: LeafPaths) -> None:
        self._wanted = wanted
        self._found: dict[str, list[etree._Element]] = {}
        qualifier = f"{{{namespace}}}"
        self._walk(element, "", qualifier, len(qualifier))

    def _walk(self, element: etree._Element, prefix: str, qualifier: str, cut: int) -> None:
        wanted = self._wanted
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or not tag.startswith(qualifier):
                continue
            path = prefix + tag[cut:]
            if path in wanted.branches and len(child):
                self._walk(child, f"{path}/", qualifier, cut)
            elif path in wanted.leaves:
                self._found.setdefault(path, []).append(child)

    def _leaves(self, path: str) -> list[etree._Element]:
        if path not in self._wanted.leaves:
            raise KeyError(f"{path} is not among the paths this reader gathers")
        return self._found.get(path, [])

    def element(self, path: str) -> etree._Element | None:
        found = self._leaves(path)
        return found[0] if found else None

    def text(self, path: str) -> str | None:
        """The stripped text of the first leaf at ``path``, or None when there is none or it is blank."""
        found = self._leaves(path)
        if not found or found[0].text is None:
            return None
        return found[0].text.strip() or None

    def first_text(self, *paths: str) -> str | None:
        for path in paths:
            value = self.text(path)
            if value is not None:
                return value
        return None

    def texts(self, path: str) -> list[str]:
        found = (leaf.text.strip() for leaf in self._leaves(path) if leaf.text)
        return [text for text in found if text]

    def date_choice(self, path: str, where: str) -> date | None:
        """A ``Dt`` / ``DtTm`` choice (``BookgDt``, ``ValDt``): the date part as written."""
        value = self.first_text(f"{path}/Dt", f"{path}/DtTm")
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
