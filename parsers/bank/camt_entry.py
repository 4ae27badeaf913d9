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
from .camt_xml import Paths, parse_amount
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
    paths: Paths,
    ids: StatementLineIds,
    *,
    account: str,
    statement: int,
    number: int,
    currency: str | None,
) -> EntryRead:
    """The lines of ``entry``, the ``number``-th of the ``statement``-th statement of ``account``
    (``currency`` is the statement's, when known)."""
    where = f"statement {statement}, entry {number} (line {entry.sourceline})"
    amount_element = paths.find(entry, "Amt")
    indicator = paths.text(entry, "CdtDbtInd")
    text = None if amount_element is None or amount_element.text is None else amount_element.text.strip()
    amount = parse_amount(text, indicator, where)
    entry_currency = None if amount_element is None else amount_element.get("Ccy")
    read = EntryRead(amount=amount, credit=indicator == "CRDT", currency=entry_currency)

    def issue(code: str, message: str) -> None:
        read.issues.append(StatementIssue(code, message, statement=statement, line=number, record="Ntry"))

    if currency and entry_currency and entry_currency != currency:
        issue("CAMT.CURRENCY", "the entry's currency is not the statement's")
    status_code = paths.first_text(entry, "Sts/Cd", "Sts/Prtry", "Sts")
    status = _STATUSES.get(status_code or "")
    if status is None:
        issue("CAMT.STATUS", "the entry's status is missing or unknown: read as booked")
        status = "booked"
    reversal = (paths.text(entry, "RvslInd") or "").lower() in ("true", "1")
    booking_date = paths.date_choice(entry, "BookgDt", f"{where}, BookgDt")
    value_date = paths.date_choice(entry, "ValDt", f"{where}, ValDt")
    entry_reference = _reference(paths.text(entry, "AcctSvcrRef"))
    entry_code = _transaction_code(paths, entry)
    entry_information = paths.text(entry, "AddtlNtryInf")

    details = paths.findall(entry, "NtryDtls/TxDtls")
    parts: list[tuple[etree._Element | None, Decimal]]
    if len(details) <= 1:
        parts = [(details[0] if details else None, amount)]
    else:
        amounts = [_transaction_amount(paths, detail, entry_currency, indicator, where) for detail in details]
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
            references = _references(paths, detail)
            counterparty = _counterparty(paths, detail, (line_amount >= 0) != reversal, account)
            remittance, structured = _remittance(paths, detail)
            remittance = remittance or paths.text(detail, "AddtlTxInf") or entry_information
            code = _transaction_code(paths, detail) or entry_code
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


def _references(paths: Paths, detail: etree._Element) -> _References:
    refs = paths.find(detail, "Refs")
    if refs is None:
        return _References()
    end_to_end = _reference(paths.text(refs, "EndToEndId"))
    return _References(
        servicer=_reference(paths.text(refs, "AcctSvcrRef")),
        end_to_end=end_to_end,
        uetr=paths.text(refs, "UETR"),
        customer=end_to_end or paths.first_text(refs, "ChqNb", "InstrId"),
    )


def _reference(value: str | None) -> str | None:
    return None if value is None or value.upper() in _NO_REFERENCE else value


def _transaction_amount(
    paths: Paths, detail: etree._Element, currency: str | None, entry_indicator: str | None, where: str
) -> Decimal | None:
    """The transaction's own signed amount in the entry's currency, or None when it has none."""
    indicator = paths.text(detail, "CdtDbtInd") or entry_indicator
    for path in ("Amt", "AmtDtls/TxAmt/Amt"):
        element = paths.find(detail, path)
        if element is None or element.text is None:
            continue
        if currency is not None and element.get("Ccy") not in (None, currency):
            continue
        return parse_amount(element.text.strip(), indicator, f"{where}, TxDtls")
    return None


def _counterparty(
    paths: Paths, detail: etree._Element, incoming: bool, own_account: str
) -> Counterparty | None:
    """The other party: the debtor of an incoming payment, the creditor of an outgoing one; the other role
    when that one is empty (banks differ on returns), unless its account is the statement's own."""
    preferred = _party(paths, detail, "Dbtr" if incoming else "Cdtr")
    if preferred is not None:
        return preferred
    other = _party(paths, detail, "Cdtr" if incoming else "Dbtr")
    if other is None or other.account == own_account:
        return None
    return other


def _party(paths: Paths, detail: etree._Element, role: str) -> Counterparty | None:
    name = paths.first_text(detail, f"RltdPties/{role}/Nm", f"RltdPties/{role}/Pty/Nm")
    account = paths.first_text(
        detail,
        f"RltdPties/{role}Acct/Id/IBAN",
        f"RltdPties/{role}Acct/Id/Othr/Id",
        f"RltdPties/{role}Acct/Id/PrtryAcct/Id",
    )
    bank = paths.first_text(
        detail,
        f"RltdAgts/{role}Agt/FinInstnId/BICFI",
        f"RltdAgts/{role}Agt/FinInstnId/BIC",
        f"RltdAgts/{role}Agt/FinInstnId/ClrSysMmbId/MmbId",
    )
    if name is None and account is None and bank is None:
        return None
    return Counterparty(name=name, account=account, bank=bank)


def _remittance(paths: Paths, detail: etree._Element) -> tuple[str | None, str | None]:
    """Unstructured text (``Ustrd``, then structured ``AddtlRmtInf``) and the structured references
    (creditor references, else referred document numbers), each joined by spaces."""
    texts = paths.texts(detail, "RmtInf/Ustrd") + paths.texts(detail, "RmtInf/Strd/AddtlRmtInf")
    references = (
        paths.texts(detail, "RmtInf/Strd/CdtrRefInf/Ref")
        or paths.texts(detail, "RmtInf/Strd/CdtrRefInf/CdtrRef")
        or paths.texts(detail, "RmtInf/Strd/RfrdDocInf/Nb")
    )
    return " ".join(texts) or None, " ".join(dict.fromkeys(references)) or None


def _transaction_code(paths: Paths, element: etree._Element) -> str | None:
    """``DOMAIN/FAMILY/SUBFAMILY`` from ``BkTxCd/Domn``, else the proprietary code."""
    domain = paths.text(element, "BkTxCd/Domn/Cd")
    if domain is not None:
        family = paths.text(element, "BkTxCd/Domn/Fmly/Cd") or ""
        subfamily = paths.text(element, "BkTxCd/Domn/Fmly/SubFmlyCd") or ""
        return "/".join((domain, family, subfamily)).rstrip("/")
    return paths.text(element, "BkTxCd/Prtry/Cd")
