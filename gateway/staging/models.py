"""The staging database's tables as SQLAlchemy 2 typed models (the schema; inserts on the hot path use Core).

Values copied from received files are TEXT (never VARCHAR(n): a partner's over-long id must not make staging
fail); our own vocabularies are ``EnumText``; amounts and quantities ``ExactDecimal``. Every migration in
``migrations/versions`` must leave the database equal to this metadata (a test compares them).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from parsers.catalog.diff import ChangeKind

from .states import (
    AckDirection,
    AckKind,
    AckStatus,
    AttemptTrigger,
    AuditEvent,
    CounterKind,
    DocumentKind,
    EntryStatus,
    FileKind,
    InterchangeStatus,
    Outcome,
    Stage,
)
from .types import ID, JSON_BODY, EnumText, ExactDecimal, UtcDateTime

__all__ = [
    "Acknowledgement",
    "Attempt",
    "AuditRecord",
    "BankStatementLineRow",
    "BankStatementRow",
    "Base",
    "CatalogChangeRow",
    "CatalogItemGtinRow",
    "CatalogItemRow",
    "CatalogRejectedRow",
    "CatalogVersion",
    "ControlCounter",
    "Document",
    "FunctionalGroup",
    "Interchange",
    "InvoiceAllowance",
    "InvoiceLine",
    "Issue",
    "PoAckLine",
    "PurchaseOrderLine",
    "ReceivedFile",
    "ShipNoticeItem",
    "ShipNoticeLot",
    "ShipNoticePack",
    "TransactionSetRow",
]

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def _fk(target: str) -> sa.ForeignKey:
    return sa.ForeignKey(target)


# --- files and attempts -------------------------------------------------------------------------------------


class ReceivedFile(Base):
    __tablename__ = "received_files"
    __table_args__ = (
        # "Staged once", guaranteed by the database across crashes and processes. Duplicates have a NULL
        # content_key, and NULLs are distinct in a UNIQUE constraint on SQLite and PostgreSQL alike.
        sa.UniqueConstraint("source", "content_key"),
        sa.Index(None, "received_at"),
        sa.Index(None, "stage"),
    )

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    source: Mapped[str] = mapped_column(sa.Text)
    original_name: Mapped[str] = mapped_column(sa.Text)
    original_name_raw: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size_bytes: Mapped[int] = mapped_column(sa.BigInteger)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    partner_id: Mapped[str | None] = mapped_column(sa.String(64))
    kind: Mapped[FileKind] = mapped_column(EnumText(FileKind))
    stage: Mapped[Stage] = mapped_column(EnumText(Stage))
    outcome: Mapped[Outcome | None] = mapped_column(EnumText(Outcome))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    content_key: Mapped[str | None] = mapped_column(sa.String(64))
    duplicate_of_id: Mapped[int | None] = mapped_column(ID, _fk("received_files.id"))
    stored_path: Mapped[str | None] = mapped_column(sa.Text)
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Attempt(Base):
    __tablename__ = "attempts"
    __table_args__ = (sa.UniqueConstraint("file_id", "number"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    file_id: Mapped[int] = mapped_column(ID, _fk("received_files.id"))
    parent_id: Mapped[int | None] = mapped_column(ID, _fk("attempts.id"))
    number: Mapped[int] = mapped_column(sa.Integer)
    trigger: Mapped[AttemptTrigger] = mapped_column(EnumText(AttemptTrigger))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    stage: Mapped[Stage] = mapped_column(EnumText(Stage))
    outcome: Mapped[Outcome | None] = mapped_column(EnumText(Outcome))
    reason: Mapped[str | None] = mapped_column(sa.Text)


# --- X12 envelopes ------------------------------------------------------------------------------------------


class Interchange(Base):
    __tablename__ = "interchanges"
    __table_args__ = (
        sa.Index(None, "sender_qualifier", "sender_id", "control_number"),
        sa.Index(None, "attempt_id"),
    )

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ID, _fk("attempts.id"))
    file_id: Mapped[int] = mapped_column(ID, _fk("received_files.id"))
    ordinal: Mapped[int] = mapped_column(sa.Integer)  # 1-based in the file
    sender_qualifier: Mapped[str] = mapped_column(sa.Text)
    sender_id: Mapped[str] = mapped_column(sa.Text)
    receiver_qualifier: Mapped[str] = mapped_column(sa.Text)
    receiver_id: Mapped[str] = mapped_column(sa.Text)
    control_number: Mapped[str] = mapped_column(sa.Text)  # ISA13
    version: Mapped[str | None] = mapped_column(sa.Text)  # ISA12
    date: Mapped[str | None] = mapped_column(sa.Text)  # ISA09 as sent (YYMMDD)
    time: Mapped[str | None] = mapped_column(sa.Text)
    usage: Mapped[str | None] = mapped_column(sa.Text)
    ack_requested: Mapped[bool | None] = mapped_column(sa.Boolean)
    declared_group_count: Mapped[int | None] = mapped_column(sa.Integer)  # IEA01 when it is a number
    group_count: Mapped[int] = mapped_column(sa.Integer)
    status: Mapped[InterchangeStatus] = mapped_column(EnumText(InterchangeStatus))


class FunctionalGroup(Base):
    __tablename__ = "functional_groups"
    __table_args__ = (sa.Index(None, "interchange_id"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    interchange_id: Mapped[int] = mapped_column(ID, _fk("interchanges.id"))
    attempt_id: Mapped[int] = mapped_column(ID, _fk("attempts.id"))
    functional_id: Mapped[str] = mapped_column(sa.Text)
    sender: Mapped[str] = mapped_column(sa.Text)
    receiver: Mapped[str] = mapped_column(sa.Text)
    date: Mapped[str] = mapped_column(sa.Text)
    control_number: Mapped[str] = mapped_column(sa.Text)  # GS06
    version: Mapped[str] = mapped_column(sa.Text)  # GS08
    declared_count: Mapped[int | None] = mapped_column(sa.Integer)  # GE01 when it is a number
    received_count: Mapped[int] = mapped_column(sa.Integer)
    accepted_count: Mapped[int] = mapped_column(sa.Integer)
    status: Mapped[str] = mapped_column(sa.String(1))  # AK901: A, E, P, R


class TransactionSetRow(Base):
    __tablename__ = "transaction_sets"
    __table_args__ = (sa.Index(None, "attempt_id"), sa.Index(None, "group_id"))

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    group_id: Mapped[int | None] = mapped_column(ID, _fk("functional_groups.id"))  # NULL: outside any GS
    interchange_id: Mapped[int] = mapped_column(ID, _fk("interchanges.id"))
    attempt_id: Mapped[int] = mapped_column(ID, _fk("attempts.id"))
    file_id: Mapped[int] = mapped_column(ID, _fk("received_files.id"))
    set_id: Mapped[str] = mapped_column(sa.Text)
    control_number: Mapped[str] = mapped_column(sa.Text)  # ST02
    implementation: Mapped[str | None] = mapped_column(sa.Text)  # ST03
    segment_count: Mapped[int] = mapped_column(sa.Integer)
    first_segment: Mapped[int | None] = mapped_column(sa.Integer)  # ordinal of its ST in the interchange
    status: Mapped[str] = mapped_column(sa.String(1))  # AK501: A, E, R


# --- documents and their lines ------------------------------------------------------------------------------


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (
        sa.Index(None, "kind", "number"),
        sa.Index(None, "attempt_id"),
        sa.Index(None, "transaction_id"),
    )

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    transaction_id: Mapped[int | None] = mapped_column(ID, _fk("transaction_sets.id"))
    attempt_id: Mapped[int] = mapped_column(ID, _fk("attempts.id"))
    file_id: Mapped[int] = mapped_column(ID, _fk("received_files.id"))
    kind: Mapped[DocumentKind] = mapped_column(EnumText(DocumentKind))
    number: Mapped[str | None] = mapped_column(sa.Text)  # the natural key: PO, invoice, shipment number
    order_number: Mapped[str | None] = mapped_column(sa.Text)  # the purchase order it refers to
    partner_id: Mapped[str | None] = mapped_column(sa.String(64))
    document_date: Mapped[date | None] = mapped_column(sa.Date)
    currency: Mapped[str | None] = mapped_column(sa.Text)
    total_amount: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    line_count: Mapped[int] = mapped_column(sa.Integer)
    body: Mapped[dict[str, Any]] = mapped_column(JSON_BODY)  # the canonical document's to_json()


class PurchaseOrderLine(Base):
    __tablename__ = "purchase_order_lines"
    __table_args__ = (sa.Index(None, "document_id"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    document_id: Mapped[int] = mapped_column(ID, _fk("documents.id"))
    position: Mapped[int] = mapped_column(sa.Integer)  # 1-based in the document
    line_number: Mapped[str | None] = mapped_column(sa.Text)  # PO101 as sent
    quantity: Mapped[Decimal] = mapped_column(ExactDecimal)
    unit: Mapped[str] = mapped_column(sa.Text)
    unit_price: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    vendor_part: Mapped[str | None] = mapped_column(sa.Text)
    buyer_part: Mapped[str | None] = mapped_column(sa.Text)
    gtin: Mapped[str | None] = mapped_column(sa.Text)
    ndc: Mapped[str | None] = mapped_column(sa.Text)
    hibc: Mapped[str | None] = mapped_column(sa.Text)
    description: Mapped[str | None] = mapped_column(sa.Text)
    requested_date: Mapped[date | None] = mapped_column(sa.Date)  # DTM 002 of the line, else of the order


class PoAckLine(Base):
    """One row per ACK status of a line (a line with no ACK has one row with a NULL status)."""

    __tablename__ = "po_ack_lines"
    __table_args__ = (sa.Index(None, "document_id"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    document_id: Mapped[int] = mapped_column(ID, _fk("documents.id"))
    position: Mapped[int] = mapped_column(sa.Integer)  # the line's position in the document
    line_number: Mapped[str | None] = mapped_column(sa.Text)
    quantity: Mapped[Decimal | None] = mapped_column(ExactDecimal)  # as the supplier restates the line
    unit: Mapped[str | None] = mapped_column(sa.Text)
    unit_price: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    status: Mapped[str | None] = mapped_column(sa.Text)  # ACK01: IA, IC, IR, IB, IQ, IP, DR...
    status_quantity: Mapped[Decimal | None] = mapped_column(ExactDecimal)  # ACK02
    status_unit: Mapped[str | None] = mapped_column(sa.Text)
    date_qualifier: Mapped[str | None] = mapped_column(sa.Text)  # ACK04: 068 ship, 067 delivery
    status_date: Mapped[date | None] = mapped_column(sa.Date)
    vendor_part: Mapped[str | None] = mapped_column(sa.Text)
    buyer_part: Mapped[str | None] = mapped_column(sa.Text)
    gtin: Mapped[str | None] = mapped_column(sa.Text)
    ndc: Mapped[str | None] = mapped_column(sa.Text)
    description: Mapped[str | None] = mapped_column(sa.Text)


class ShipNoticePack(Base):
    __tablename__ = "ship_notice_packs"
    __table_args__ = (sa.Index(None, "document_id"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    document_id: Mapped[int] = mapped_column(ID, _fk("documents.id"))
    parent_id: Mapped[int | None] = mapped_column(ID, _fk("ship_notice_packs.id"))  # the tare it is on
    order_number: Mapped[str | None] = mapped_column(sa.Text)  # PRF01 of its order level
    hl_id: Mapped[str] = mapped_column(sa.Text)
    level: Mapped[str] = mapped_column(sa.Text)  # P pack, T tare
    sscc: Mapped[str | None] = mapped_column(sa.Text)
    packaging_code: Mapped[str | None] = mapped_column(sa.Text)
    weight: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    weight_unit: Mapped[str | None] = mapped_column(sa.Text)


class ShipNoticeItem(Base):
    __tablename__ = "ship_notice_items"
    __table_args__ = (sa.Index(None, "document_id"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    document_id: Mapped[int] = mapped_column(ID, _fk("documents.id"))
    pack_id: Mapped[int | None] = mapped_column(ID, _fk("ship_notice_packs.id"))
    order_number: Mapped[str | None] = mapped_column(sa.Text)
    hl_id: Mapped[str] = mapped_column(sa.Text)
    line_number: Mapped[str | None] = mapped_column(sa.Text)
    quantity: Mapped[Decimal | None] = mapped_column(ExactDecimal)  # SN102 shipped
    unit: Mapped[str | None] = mapped_column(sa.Text)
    ordered_quantity: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    ordered_unit: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[str | None] = mapped_column(sa.Text)  # SN108
    vendor_part: Mapped[str | None] = mapped_column(sa.Text)
    buyer_part: Mapped[str | None] = mapped_column(sa.Text)
    gtin: Mapped[str | None] = mapped_column(sa.Text)
    ndc: Mapped[str | None] = mapped_column(sa.Text)
    hibc: Mapped[str | None] = mapped_column(sa.Text)
    description: Mapped[str | None] = mapped_column(sa.Text)


class ShipNoticeLot(Base):
    __tablename__ = "ship_notice_lots"
    __table_args__ = (sa.Index(None, "item_id"), sa.Index(None, "lot_number"))

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    item_id: Mapped[int] = mapped_column(ID, _fk("ship_notice_items.id"))
    document_id: Mapped[int] = mapped_column(ID, _fk("documents.id"))
    lot_number: Mapped[str] = mapped_column(sa.Text)
    expiry_date: Mapped[date | None] = mapped_column(sa.Date)
    production_date: Mapped[date | None] = mapped_column(sa.Date)
    quantity: Mapped[Decimal | None] = mapped_column(ExactDecimal)


class InvoiceLine(Base):
    __tablename__ = "invoice_lines"
    __table_args__ = (sa.Index(None, "document_id"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    document_id: Mapped[int] = mapped_column(ID, _fk("documents.id"))
    position: Mapped[int] = mapped_column(sa.Integer)
    line_number: Mapped[str | None] = mapped_column(sa.Text)
    quantity: Mapped[Decimal] = mapped_column(ExactDecimal)
    unit: Mapped[str] = mapped_column(sa.Text)
    unit_price: Mapped[Decimal] = mapped_column(ExactDecimal)
    vendor_part: Mapped[str | None] = mapped_column(sa.Text)
    buyer_part: Mapped[str | None] = mapped_column(sa.Text)
    gtin: Mapped[str | None] = mapped_column(sa.Text)
    ndc: Mapped[str | None] = mapped_column(sa.Text)
    hibc: Mapped[str | None] = mapped_column(sa.Text)
    description: Mapped[str | None] = mapped_column(sa.Text)


class InvoiceAllowance(Base):
    """SAC of an invoice (``line_id`` NULL) or of one of its lines."""

    __tablename__ = "invoice_allowances"
    __table_args__ = (sa.Index(None, "document_id"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    document_id: Mapped[int] = mapped_column(ID, _fk("documents.id"))
    line_id: Mapped[int | None] = mapped_column(ID, _fk("invoice_lines.id"))
    indicator: Mapped[str] = mapped_column(sa.Text)  # A allowance, C charge, N neither
    code: Mapped[str | None] = mapped_column(sa.Text)  # SAC02: C310 discount, D240 freight...
    amount: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    percent: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    rate: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    quantity: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    unit: Mapped[str | None] = mapped_column(sa.Text)
    handling_code: Mapped[str | None] = mapped_column(sa.Text)
    description: Mapped[str | None] = mapped_column(sa.Text)


# --- errors, acknowledgements, counters, audit ------------------------------------------------------------


class Issue(Base):
    """An error or warning where it was found (the offending value is never stored): X12 at its envelope
    level; bank statements and catalogs by line and record or column (VIEWS.md says how)."""

    __tablename__ = "issues"
    __table_args__ = (sa.Index(None, "attempt_id"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ID, _fk("attempts.id"))
    file_id: Mapped[int] = mapped_column(ID, _fk("received_files.id"))
    interchange_id: Mapped[int | None] = mapped_column(ID, _fk("interchanges.id"))
    group_id: Mapped[int | None] = mapped_column(ID, _fk("functional_groups.id"))
    transaction_id: Mapped[int | None] = mapped_column(ID, _fk("transaction_sets.id"))
    code: Mapped[str] = mapped_column(sa.Text)  # "AK4.7", "TA1.001", "X12.NO_ISA"...
    severity: Mapped[str] = mapped_column(sa.String(8))  # error, warning
    message: Mapped[str] = mapped_column(sa.Text)
    segment: Mapped[int | None] = mapped_column(sa.Integer)  # in the set (ST = 1), else in the interchange
    segment_id: Mapped[str | None] = mapped_column(sa.Text)
    loop_id: Mapped[str | None] = mapped_column(sa.Text)
    element: Mapped[int | None] = mapped_column(sa.Integer)
    component: Mapped[int | None] = mapped_column(sa.Integer)
    repetition: Mapped[int | None] = mapped_column(sa.Integer)
    data_element: Mapped[str | None] = mapped_column(sa.Text)


class Acknowledgement(Base):
    __tablename__ = "acknowledgements"
    __table_args__ = (sa.Index(None, "file_id"), sa.Index(None, "status"))

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    direction: Mapped[AckDirection] = mapped_column(EnumText(AckDirection))
    kind: Mapped[AckKind] = mapped_column(EnumText(AckKind))
    partner_id: Mapped[str | None] = mapped_column(sa.String(64))
    file_id: Mapped[int | None] = mapped_column(ID, _fk("received_files.id"))
    interchange_control_number: Mapped[str | None] = mapped_column(sa.Text)
    group_control_number: Mapped[str | None] = mapped_column(sa.Text)
    transaction_control_number: Mapped[str | None] = mapped_column(sa.Text)
    acknowledged_interchange: Mapped[str | None] = mapped_column(sa.Text)
    acknowledged_group: Mapped[str | None] = mapped_column(sa.Text)
    verdict: Mapped[str | None] = mapped_column(sa.Text)  # A, E, P, R...
    status: Mapped[AckStatus] = mapped_column(EnumText(AckStatus))
    path: Mapped[str | None] = mapped_column(sa.Text)  # relative to the outbox
    content: Mapped[bytes | None] = mapped_column(sa.LargeBinary)  # the exact bytes of a sent one
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    written_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ControlCounter(Base):
    __tablename__ = "control_counters"
    __table_args__ = (sa.UniqueConstraint("scope", "kind"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    scope: Mapped[str] = mapped_column(sa.String(64))  # a partner id or "default"
    kind: Mapped[CounterKind] = mapped_column(EnumText(CounterKind))
    last_value: Mapped[int] = mapped_column(sa.BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AuditRecord(Base):
    """Append-only (triggers refuse UPDATE and DELETE) and hash-chained: see ``audit.py``."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    event: Mapped[AuditEvent] = mapped_column(EnumText(AuditEvent))
    file_id: Mapped[int | None] = mapped_column(ID, _fk("received_files.id"))
    attempt_id: Mapped[int | None] = mapped_column(ID, _fk("attempts.id"))
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON_BODY)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))


# --- bank statements (migration 0002) -----------------------------------------------------------------------


class BankStatementRow(Base):
    """One statement of a delivered bank file (each delivery has its own row; lines are deduplicated)."""

    __tablename__ = "bank_statements"
    __table_args__ = (sa.Index(None, "attempt_id"), sa.Index(None, "file_id"), sa.Index(None, "account"))

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    file_id: Mapped[int] = mapped_column(ID, _fk("received_files.id"))
    attempt_id: Mapped[int] = mapped_column(ID, _fk("attempts.id"))
    partner_id: Mapped[str | None] = mapped_column(sa.String(64))
    ordinal: Mapped[int] = mapped_column(sa.Integer)  # 1-based in the file (StatementIssue.statement)
    format: Mapped[str] = mapped_column(sa.String(32))  # ofx, camt.052, camt.053, camt.054, bai2, mt940
    account: Mapped[str] = mapped_column(sa.Text)
    currency: Mapped[str] = mapped_column(sa.Text)
    statement_id: Mapped[str | None] = mapped_column(sa.Text)  # the bank's own id of the statement
    bank: Mapped[str | None] = mapped_column(sa.Text)
    created: Mapped[date | None] = mapped_column(sa.Date)
    period_start: Mapped[date | None] = mapped_column(sa.Date)
    period_end: Mapped[date | None] = mapped_column(sa.Date)
    opening_balance: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    opening_date: Mapped[date | None] = mapped_column(sa.Date)
    closing_balance: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    closing_date: Mapped[date | None] = mapped_column(sa.Date)
    line_count: Mapped[int] = mapped_column(sa.Integer)  # lines in this delivery
    lines_new: Mapped[int] = mapped_column(sa.Integer)  # staged from this delivery
    lines_known: Mapped[int] = mapped_column(sa.Integer)  # staged before (or earlier in the file): skipped
    lines_upgraded: Mapped[int] = mapped_column(sa.Integer)  # pending before, booked now
    body: Mapped[dict[str, Any]] = mapped_column(JSON_BODY)  # the statement's to_json() without its lines


class BankStatementLineRow(Base):
    """One bank entry, once however many deliveries bring it (UNIQUE account and import id)."""

    __tablename__ = "bank_statement_lines"
    __table_args__ = (
        sa.UniqueConstraint("account", "import_id"),
        sa.Index(None, "account", "booking_date"),
        sa.Index(None, "statement_id"),
        sa.Index(None, "first_seen_file_id"),
        sa.Index(None, "last_seen_file_id"),
    )

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    statement_id: Mapped[int] = mapped_column(ID, _fk("bank_statements.id"))  # the delivery that brought it
    account: Mapped[str] = mapped_column(sa.Text)
    import_id: Mapped[str] = mapped_column(sa.Text)
    amount: Mapped[Decimal] = mapped_column(ExactDecimal)
    booking_date: Mapped[date | None] = mapped_column(sa.Date)
    value_date: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[EntryStatus] = mapped_column(EnumText(EntryStatus))
    bank_reference: Mapped[str | None] = mapped_column(sa.Text)
    customer_reference: Mapped[str | None] = mapped_column(sa.Text)
    end_to_end_id: Mapped[str | None] = mapped_column(sa.Text)
    uetr: Mapped[str | None] = mapped_column(sa.Text)
    transaction_code: Mapped[str | None] = mapped_column(sa.Text)
    counterparty_name: Mapped[str | None] = mapped_column(sa.Text)
    counterparty_account: Mapped[str | None] = mapped_column(sa.Text)
    counterparty_bank: Mapped[str | None] = mapped_column(sa.Text)
    remittance: Mapped[str | None] = mapped_column(sa.Text)
    structured_reference: Mapped[str | None] = mapped_column(sa.Text)
    reversal: Mapped[bool] = mapped_column(sa.Boolean)
    first_seen_file_id: Mapped[int] = mapped_column(ID, _fk("received_files.id"))
    last_seen_file_id: Mapped[int] = mapped_column(ID, _fk("received_files.id"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


# --- supplier catalogs (migration 0002) ---------------------------------------------------------------------


class CatalogVersion(Base):
    """One delivery of a partner's catalog: version 1, 2, 3... (equal content still makes a new version)."""

    __tablename__ = "catalog_versions"
    __table_args__ = (
        sa.UniqueConstraint("partner_id", "number"),
        sa.Index(None, "file_id"),
        sa.Index(None, "attempt_id"),
    )

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    partner_id: Mapped[str] = mapped_column(sa.String(64))
    file_id: Mapped[int] = mapped_column(ID, _fk("received_files.id"))
    attempt_id: Mapped[int] = mapped_column(ID, _fk("attempts.id"))
    number: Mapped[int] = mapped_column(sa.Integer)
    previous_version_id: Mapped[int | None] = mapped_column(ID, _fk("catalog_versions.id"))
    item_count: Mapped[int] = mapped_column(sa.Integer)
    rejected_count: Mapped[int] = mapped_column(sa.Integer)
    encoding: Mapped[str | None] = mapped_column(sa.Text)
    delimiter: Mapped[str | None] = mapped_column(sa.Text)
    notes: Mapped[list[str]] = mapped_column(JSON_BODY)  # how the file was read (Catalog.notes)


class CatalogItemRow(Base):
    __tablename__ = "catalog_items"
    __table_args__ = (sa.Index(None, "version_id", "supplier_part"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    version_id: Mapped[int] = mapped_column(ID, _fk("catalog_versions.id"))
    line: Mapped[int] = mapped_column(sa.Integer)  # physical line in the file (header counted)
    supplier_part: Mapped[str] = mapped_column(sa.Text)
    unit: Mapped[str] = mapped_column(sa.Text)
    each_per_unit: Mapped[Decimal] = mapped_column(ExactDecimal)
    description: Mapped[str | None] = mapped_column(sa.Text)
    manufacturer: Mapped[str | None] = mapped_column(sa.Text)
    manufacturer_part: Mapped[str | None] = mapped_column(sa.Text)
    unspsc: Mapped[str | None] = mapped_column(sa.Text)
    ndc: Mapped[str | None] = mapped_column(sa.Text)
    hcpcs: Mapped[str | None] = mapped_column(sa.Text)
    contract_id: Mapped[str | None] = mapped_column(sa.Text)
    contract_tier: Mapped[str | None] = mapped_column(sa.Text)
    price: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    currency: Mapped[str | None] = mapped_column(sa.Text)
    price_per_each: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    effective_date: Mapped[date | None] = mapped_column(sa.Date)
    expiry_date: Mapped[date | None] = mapped_column(sa.Date)
    minimum_quantity: Mapped[Decimal | None] = mapped_column(ExactDecimal)


class CatalogItemGtinRow(Base):
    """The GTIN of one packaging level of an item: a table (not JSON) so that GTINs are indexed."""

    __tablename__ = "catalog_item_gtins"
    __table_args__ = (sa.Index(None, "item_id"), sa.Index(None, "gtin"))

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    item_id: Mapped[int] = mapped_column(ID, _fk("catalog_items.id"))
    level: Mapped[str] = mapped_column(sa.Text)  # EA, BX, CS...
    gtin: Mapped[str] = mapped_column(sa.Text)  # GTIN-14, check digit verified


class CatalogRejectedRow(Base):
    """A row refused: where and why, never its values (they may be contract prices)."""

    __tablename__ = "catalog_rejected_rows"
    __table_args__ = (sa.Index(None, "version_id"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    version_id: Mapped[int] = mapped_column(ID, _fk("catalog_versions.id"))
    line: Mapped[int] = mapped_column(sa.Integer)
    reason: Mapped[str] = mapped_column(sa.Text)
    column: Mapped[str | None] = mapped_column(sa.Text)


class CatalogChangeRow(Base):
    """How a row of this version differs from the partner's previous version (``diff_catalogs``, in SQL)."""

    __tablename__ = "catalog_changes"
    __table_args__ = (sa.Index(None, "version_id"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    version_id: Mapped[int] = mapped_column(ID, _fk("catalog_versions.id"))
    kind: Mapped[ChangeKind] = mapped_column(EnumText(ChangeKind))
    supplier_part: Mapped[str] = mapped_column(sa.Text)
    unit: Mapped[str] = mapped_column(sa.Text)
    contract_id: Mapped[str | None] = mapped_column(sa.Text)
    contract_tier: Mapped[str | None] = mapped_column(sa.Text)
    old_price: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    new_price: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    old_effective_date: Mapped[date | None] = mapped_column(sa.Date)
    new_effective_date: Mapped[date | None] = mapped_column(sa.Date)
    old_expiry_date: Mapped[date | None] = mapped_column(sa.Date)
    new_expiry_date: Mapped[date | None] = mapped_column(sa.Date)
