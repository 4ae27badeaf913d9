"""ISO 20022 camt.052 (account report), camt.053 (statement) and camt.054 (debit/credit notification), any
version (namespace ``urn:iso:std:iso:20022:tech:xsd:camt.05x.001.NN``), read incrementally.

The file is parsed by ``xml_safety.safe_iterparse`` (no DOCTYPE, no entities, no network, a byte limit):
each entry (``Ntry``) is turned into lines at its end and forgotten, the statement's header (account,
balances, summary) is read at its first entry, so memory holds one entry of XML at a time whatever the
size of the file. Each ``Stmt`` / ``Rpt`` / ``Ntfctn`` is one ``BankStatement`` with its own account;
camt.054 notifications and most camt.052 reports carry no balances, which is fine.

Version differences handled: ``Sts`` text (up to .001.07) or ``Sts/Cd`` (.001.08 on), ``Dt`` or ``DtTm``
(the date part as written), amounts at ``TxDtls/Amt`` or ``TxDtls/AmtDtls/TxAmt/Amt``, ``Dbtr/Nm`` or
``Dbtr/Pty/Nm``, ``BIC`` or ``BICFI``, ``Acct/Id/PrtryAcct`` (.001.01). Import ids: the bank's reference
(``AcctSvcrRef`` of the transaction, else of the entry, numbered per transaction of a split batch), else a
hash of the line's content (see ``result.line_import_id``).

Issues (``StatementIssue``, never amounts or names): ``CAMT.SUMMARY`` when ``TxsSummry`` disagrees with the
entries, ``CAMT.BATCH_NOT_SPLIT``, ``CAMT.CURRENCY``, ``CAMT.STATUS``, ``CAMT.DUPLICATE_REFERENCE``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import BinaryIO, Final

from lxml import etree

from ..documents.bank_statement import BankStatement, StatementFormat, StatementLine
from ..errors import StatementError
from .camt_entry import read_entry
from .camt_header import StatementHeader, read_header
from .camt_xml import CAMT_NAMESPACE, Paths, local_name, namespace_of
from .line_ids import StatementLineIds
from .result import StatementIssue, StatementsResult
from .xml_safety import DEFAULT_MAX_BYTES, release, safe_iterparse

__all__ = ["read_camt"]

_STATEMENT_FORMATS: Final[dict[str, StatementFormat]] = {
    "Stmt": "camt.053",
    "Rpt": "camt.052",
    "Ntfctn": "camt.054",
}
_TAGS: Final = ("{*}GrpHdr", "{*}Stmt", "{*}Rpt", "{*}Ntfctn", "{*}Ntry")
_UNKNOWN_CURRENCY: Final = "XXX"  # ISO 4217 "no currency": a notification without any currency at all


def read_camt(stream: BinaryIO, *, max_bytes: int = DEFAULT_MAX_BYTES) -> StatementsResult:
    """Every statement, report or notification of a camt file (see the module docstring)."""
    reader = _CamtReader()
    for _event, element in safe_iterparse(stream, _TAGS, max_bytes=max_bytes):
        reader.handle(element)
    return reader.result()


class _CamtReader:
    def __init__(self) -> None:
        self._format: StatementFormat | None = None
        self._paths: Paths | None = None
        self._created: date | None = None
        self._current: _StatementBuilder | None = None
        self._statements: list[BankStatement] = []
        self._issues: list[StatementIssue] = []

    def handle(self, element: etree._Element) -> None:
        name = local_name(element)
        parent = element.getparent()
        parent_name = "" if parent is None else local_name(parent)
        if name == "Ntry":
            container = None if parent is None else parent.getparent()
            if parent is not None and parent_name in _STATEMENT_FORMATS and _is_message(container):
                self._entry(element, parent)
        elif not _is_message(parent):
            return  # a GrpHdr, Stmt... elsewhere than in a camt message: not ours
        elif name == "GrpHdr":
            paths = self._paths_of(element)
            self._created = paths.date_time(element, "CreDtTm", "group header, CreDtTm")
            release(element)
        else:
            self._statement_end(element)

    def result(self) -> StatementsResult:
        if self._format is None or not self._statements:
            raise StatementError(
                "no statement, report or notification (Stmt, Rpt, Ntfctn) in the camt document",
                code="CAMT.EMPTY",
            )
        return StatementsResult(format=self._format, statements=self._statements, issues=self._issues)

    def _entry(self, entry: etree._Element, statement: etree._Element) -> None:
        builder = self._current
        if builder is None or builder.element is not statement:
            builder = self._current = self._begin(statement)
        builder.add(entry)
        release(entry)

    def _statement_end(self, statement: etree._Element) -> None:
        builder = self._current
        if builder is None or builder.element is not statement:
            builder = self._begin(statement)
        self._statements.append(builder.finish())
        self._issues.extend(builder.issues)
        self._current = None
        release(statement)

    def _begin(self, statement: etree._Element) -> _StatementBuilder:
        paths = self._paths_of(statement)
        name = local_name(statement)
        if _STATEMENT_FORMATS[name] != self._format:
            raise StatementError(
                f"a {name} element in a {self._format} document (line {statement.sourceline})",
                code="CAMT.STRUCTURE",
            )
        number = len(self._statements) + 1
        where = f"statement {number} (line {statement.sourceline})"
        header = read_header(statement, paths, where, self._created)
        return _StatementBuilder(
            element=statement,
            paths=paths,
            format=self._format,
            number=number,
            header=header,
            ids=StatementLineIds(header.account),
            currency=header.currency,
        )

    def _paths_of(self, element: etree._Element) -> Paths:
        namespace = namespace_of(element)
        if self._paths is not None:
            if namespace != self._paths.namespace:
                raise StatementError(
                    f"elements of two camt namespaces in one document (line {element.sourceline})",
                    code="CAMT.NAMESPACE",
                )
            return self._paths
        match = CAMT_NAMESPACE.fullmatch(namespace)
        if match is None:
            raise StatementError(
                "not a camt document: the namespace is not ISO 20022 camt.052, camt.053 or camt.054",
                code="CAMT.NAMESPACE",
            )
        self._format = f"camt.{match.group(1)}"  # type: ignore[assignment]
        self._paths = Paths(namespace)
        return self._paths


def _is_message(element: etree._Element | None) -> bool:
    """A camt message element: ``BkToCstmrStmt``, ``BkToCstmrAcctRpt``, ``BkToCstmrDbtCdtNtfctn`` (V01...)."""
    return element is not None and local_name(element).startswith("BkToCstmr")


@dataclass(slots=True)
class _StatementBuilder:
    """One statement being read: its header, then its entries one at a time."""

    element: etree._Element
    paths: Paths
    format: StatementFormat
    number: int
    header: StatementHeader
    ids: StatementLineIds
    currency: str | None
    lines: list[StatementLine] = field(default_factory=list)
    issues: list[StatementIssue] = field(default_factory=list)
    entries: int = 0
    credits: int = 0
    debits: int = 0
    credit_total: Decimal = Decimal(0)
    debit_total: Decimal = Decimal(0)

    def add(self, entry: etree._Element) -> None:
        self.entries += 1
        read = read_entry(
            entry,
            self.paths.namespace,
            self.ids,
            account=self.header.account,
            statement=self.number,
            number=self.entries,
            currency=self.currency,
        )
        if self.currency is None:
            self.currency = read.currency
        self.lines.extend(read.lines)
        self.issues.extend(read.issues)
        if read.credit:
            self.credits += 1
            self.credit_total += read.amount
        else:
            self.debits += 1
            self.debit_total -= read.amount

    def finish(self) -> BankStatement:
        self._check_summary()
        currency = self.currency
        if currency is None:
            currency = _UNKNOWN_CURRENCY
            self.issues.append(
                StatementIssue(
                    "CAMT.CURRENCY", "the statement names no currency", statement=self.number, record="Acct"
                )
            )
        header = self.header
        return BankStatement(
            format=self.format,
            account=header.account,
            currency=currency,
            statement_id=header.statement_id,
            bank=header.bank,
            created=header.created,
            period_start=header.period_start,
            period_end=header.period_end,
            balances=header.balances,
            lines=tuple(self.lines),
        )

    def _check_summary(self) -> None:
        summary = self.header.summary
        if summary is None:
            return
        checks = (
            (summary.count, self.entries, "the number of entries"),
            (summary.total, self.credit_total + self.debit_total, "the sum of the entries"),
            (summary.net, self.credit_total - self.debit_total, "the net amount of the entries"),
            (summary.credit_count, self.credits, "the number of credit entries"),
            (summary.credit_total, self.credit_total, "the sum of the credit entries"),
            (summary.debit_count, self.debits, "the number of debit entries"),
            (summary.debit_total, self.debit_total, "the sum of the debit entries"),
        )
        for stated, counted, what in checks:
            if stated is not None and stated != counted:
                self.issues.append(
                    StatementIssue(
                        "CAMT.SUMMARY",
                        f"{what} is not what the transaction summary (TxsSummry) states",
                        statement=self.number,
                        record="TxsSummry",
                    )
                )
