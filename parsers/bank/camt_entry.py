"""One camt entry (``Ntry``) into its statement lines: a batch entry is split into its transactions.

Splitting: an entry with several ``TxDtls`` becomes one line per transaction when every transaction has
its own amount in the entry's currency (``TxDtls/Amt``, else ``AmtDtls/TxAmt/Amt``) and their signed sum is
the entry's amount; otherwise (charges deducted, amounts in another currency, amounts missing) it stays one
line with the entry's amount, and a warning says so. An entry with one ``TxDtls`` is one line with the
entry's amount (what moved on the account) and the transaction's details.

The counterparty is the debtor of an incoming payment and the creditor of an outgoing one; a reversal
(``RvslInd``) turns the direction round, since its parties are those of the payment it reverses. Banks
differ there (some name the party of the return itself), so an empty role falls back to the other one
unless that is the statement's own account. ``NONREF`` and ``NOTPROVIDED`` count as no reference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

from lxml import etree

from ..documents.bank_statement import Counterparty, EntryStatus, StatementLine
from .camt_xml import LeafPaths, Leaves, parse_amount
from .line_ids import StatementLineIds
from .result import StatementIssue

__all__ = ["EntryRead", "read_entry"]

_STATUSES: Final[dict[str, EntryStatus]] = {
    "BOOK": "booked",
    "PDNG": "pending",
    "INFO": "pending",
    "FUTR": "pending",
}
# Placeholders banks write where a reference is mandatory but unknown: no reference at all.
_NO_REFERENCE: Final = frozenset({"NOTPROVIDED", "NOT PROVIDED", "NONREF"})

_TRANSACTION_CODE: Final = (
    "BkTxCd/Domn/Cd",
    "BkTxCd/Domn/Fmly/Cd",
    "BkTxCd/Domn/Fmly/SubFmlyCd",
    "BkTxCd/Prtry/Cd",
)
# What is read of an entry (its NtryDtls are read transaction by transaction) and of a transaction.
_ENTRY: Final = LeafPaths(
    [
        *("Amt", "CdtDbtInd", "Sts", "Sts/Cd", "Sts/Prtry", "RvslInd", "AcctSvcrRef", "AddtlNtryInf"),
        *("BookgDt/Dt", "BookgDt/DtTm", "ValDt/Dt", "ValDt/DtTm"),
        *_TRANSACTION_CODE,
    ]
)
_DETAIL: Final = LeafPaths(
    [
        *("Refs/AcctSvcrRef", "Refs/EndToEndId", "Refs/UETR", "Refs/ChqNb", "Refs/InstrId"),
        *("Amt", "CdtDbtInd", "AmtDtls/TxAmt/Amt", "AddtlTxInf", "RmtInf/Ustrd", "RmtInf/Strd/AddtlRmtInf"),
        *("RmtInf/Strd/CdtrRefInf/Ref", "RmtInf/Strd/CdtrRefInf/CdtrRef", "RmtInf/Strd/RfrdDocInf/Nb"),
        *_TRANSACTION_CODE,
        *(
            path
            for role in ("Dbtr", "Cdtr")
            for path in (
                f"RltdPties/{role}/Nm",
                f"RltdPties/{role}/Pty/Nm",
                f"RltdPties/{role}Acct/Id/IBAN",
                f"RltdPties/{role}Acct/Id/Othr/Id",
                f"RltdPties/{role}Acct/Id/PrtryAcct/Id",
                f"RltdAgts/{role}Agt/FinInstnId/BICFI",
                f"RltdAgts/{role}Agt/FinInstnId/BIC",
                f"RltdAgts/{role}Agt/FinInstnId/ClrSysMmbId/MmbId",
            )
        ),
    ]
)


@dataclass(slots=True)
class EntryRead:
    """The lines of one entry, its signed amount and currency (for the summary check), its issues."""

    amount: Decimal
    credit: bool
    currency: str | None
    lines: list[StatementLine] = field(default_factory=list)
    issues: list[StatementIssue] = field(default_factory=list)


def read_entry(
    entry: etree._Element,
    namespace: str,
    ids: StatementLineIds,
    *,
    account: str,
    statement: int,
    number: int,
    currency: str | None,
) -> EntryRead:
    """The lines of ``entry`` (in ``namespace``), the ``number``-th of the ``statement``-th statement of
    ``account`` (``currency`` is the statement's, when known)."""
    where = f"statement {statement}, entry {number} (line {entry.sourceline})"
    fields = Leaves(entry, namespace, _ENTRY)
    amount_element = fields.element("Amt")
    indicator = fields.text("CdtDbtInd")
    amount = parse_amount(fields.text("Amt"), indicator, where)
    entry_currency = None if amount_element is None else amount_element.get("Ccy")
    read = EntryRead(amount=amount, credit=indicator == "CRDT", currency=entry_currency)

    def issue(code: str, message: str) -> None:
        read.issues.append(StatementIssue(code, message, statement=statement, line=number, record="Ntry"))

    if currency and entry_currency and entry_currency != currency:
        issue("CAMT.CURRENCY", "the entry's currency is not the statement's")
    status = _STATUSES.get(fields.first_text("Sts", "Sts/Cd", "Sts/Prtry") or "")
    if status is None:
        issue("CAMT.STATUS", "the entry's status is missing or unknown: read as booked")
        status = "booked"
    reversal = (fields.text("RvslInd") or "").lower() in ("true", "1")
    booking_date = fields.date_choice("BookgDt", f"{where}, BookgDt")
    value_date = fields.date_choice("ValDt", f"{where}, ValDt")
    entry_reference = _reference(fields.text("AcctSvcrRef"))
    entry_code = _transaction_code(fields)
    entry_information = fields.text("AddtlNtryInf")

    qualifier = f"{{{namespace}}}"
    details = [
        Leaves(detail, namespace, _DETAIL)
        for block in entry.iterchildren(f"{qualifier}NtryDtls")
        for detail in block.iterchildren(f"{qualifier}TxDtls")
    ]
    parts: list[tuple[Leaves | None, Decimal]]
    if len(details) <= 1:
        parts = [(details[0] if details else None, amount)]
    else:
        amounts = [_transaction_amount(detail, entry_currency, indicator, where) for detail in details]
        known = [value for value in amounts if value is not None]
        if len(known) == len(details) and sum(known, Decimal(0)) == amount:
            parts = list(zip(details, known, strict=True))
        else:
            issue(
                "CAMT.BATCH_NOT_SPLIT",
                "the batch entry's transactions do not add up to its amount: kept as one line",
            )
            parts = [(None, amount)]

    for index, (detail, line_amount) in enumerate(parts, start=1):
        if detail is None:
            references: _References = _References()
            counterparty = None
            remittance = entry_information
            structured = None
            code = entry_code
        else:
            references = _references(detail)
            counterparty = _counterparty(detail, (line_amount >= 0) != reversal, account)
            remittance, structured = _remittance(detail)
            remittance = remittance or detail.text("AddtlTxInf") or entry_information
            code = _transaction_code(detail) or entry_code
        if references.servicer:
            bank_id: str | None = references.servicer
        elif entry_reference:
            bank_id = entry_reference if len(parts) == 1 else f"{entry_reference}/{index}"
        else:
            bank_id = None
        content = (
            booking_date,
            value_date,
            line_amount,
            entry_currency,
            code,
            reversal,
            references.end_to_end,
            references.uetr,
            references.customer,
            None if counterparty is None else counterparty.account,
            None if counterparty is None else counterparty.name,
            remittance,
            structured,
        )
        import_id, repeated = ids.assign(bank_id, content)
        if repeated:
            issue("CAMT.DUPLICATE_REFERENCE", "the bank's reference repeats within the statement")
        read.lines.append(
            StatementLine(
                import_id=import_id,
                amount=line_amount,
                booking_date=booking_date,
                value_date=value_date,
                status=status,
                bank_reference=references.servicer or entry_reference,
                customer_reference=references.customer,
                end_to_end_id=references.end_to_end,
                uetr=references.uetr,
                transaction_code=code,
                counterparty=counterparty,
                remittance=remittance,
                structured_reference=structured,
                reversal=reversal,
            )
        )
    return read


@dataclass(frozen=True, slots=True)
class _References:
    servicer: str | None = None  # AcctSvcrRef: the bank's own reference
    end_to_end: str | None = None
    uetr: str | None = None
    customer: str | None = None  # EndToEndId, else the cheque number, else the instruction id


def _references(detail: Leaves) -> _References:
    end_to_end = _reference(detail.text("Refs/EndToEndId"))
    return _References(
        servicer=_reference(detail.text("Refs/AcctSvcrRef")),
        end_to_end=end_to_end,
        uetr=detail.text("Refs/UETR"),
        customer=end_to_end or detail.first_text("Refs/ChqNb", "Refs/InstrId"),
    )


def _reference(value: str | None) -> str | None:
    return None if value is None or value.upper() in _NO_REFERENCE else value


def _transaction_amount(
    detail: Leaves, currency: str | None, entry_indicator: str | None, where: str
) -> Decimal | None:
    """The transaction's own signed amount in the entry's currency, or None when it has none."""
    indicator = detail.text("CdtDbtInd") or entry_indicator
    for path in ("Amt", "AmtDtls/TxAmt/Amt"):
        element = detail.element(path)
        if element is None or element.text is None:
            continue
        if currency is not None and element.get("Ccy") not in (None, currency):
            continue
        return parse_amount(element.text.strip(), indicator, f"{where}, TxDtls")
    return None


def _counterparty(detail: Leaves, incoming: bool, own_account: str) -> Counterparty | None:
    """The other party: the debtor of an incoming payment, the creditor of an outgoing one; the other role
    when that one is empty (banks differ on returns), unless its account is the statement's own."""
    preferred = _party(detail, "Dbtr" if incoming else "Cdtr")
    if preferred is not None:
        return preferred
    other = _party(detail, "Cdtr" if incoming else "Dbtr")
    if other is None or other.account == own_account:
        return None
    return other


def _party(detail: Leaves, role: str) -> Counterparty | None:
    name = detail.first_text(f"RltdPties/{role}/Nm", f"RltdPties/{role}/Pty/Nm")
    account = detail.first_text(
        f"RltdPties/{role}Acct/Id/IBAN",
        f"RltdPties/{role}Acct/Id/Othr/Id",
        f"RltdPties/{role}Acct/Id/PrtryAcct/Id",
    )
    bank = detail.first_text(
        f"RltdAgts/{role}Agt/FinInstnId/BICFI",
        f"RltdAgts/{role}Agt/FinInstnId/BIC",
        f"RltdAgts/{role}Agt/FinInstnId/ClrSysMmbId/MmbId",
    )
    if name is None and account is None and bank is None:
        return None
    return Counterparty(name=name, account=account, bank=bank)


def _remittance(detail: Leaves) -> tuple[str | None, str | None]:
    """Unstructured text (``Ustrd``, then structured ``AddtlRmtInf``) and the structured references
    (creditor references, else referred document numbers), each joined by spaces."""
    texts = detail.texts("RmtInf/Ustrd") + detail.texts("RmtInf/Strd/AddtlRmtInf")
    references = (
        detail.texts("RmtInf/Strd/CdtrRefInf/Ref")
        or detail.texts("RmtInf/Strd/CdtrRefInf/CdtrRef")
        or detail.texts("RmtInf/Strd/RfrdDocInf/Nb")
    )
    return " ".join(texts) or None, " ".join(dict.fromkeys(references)) or None


def _transaction_code(fields: Leaves) -> str | None:
    """``DOMAIN/FAMILY/SUBFAMILY`` from ``BkTxCd/Domn``, else the proprietary code."""
    domain = fields.text("BkTxCd/Domn/Cd")
    if domain is not None:
        family = fields.text("BkTxCd/Domn/Fmly/Cd") or ""
        subfamily = fields.text("BkTxCd/Domn/Fmly/SubFmlyCd") or ""
        return "/".join((domain, family, subfamily)).rstrip("/")
    return fields.text("BkTxCd/Prtry/Cd")
