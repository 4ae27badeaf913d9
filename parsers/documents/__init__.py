"""Canonical documents: typed, format-independent, JSON-serialisable (decimals as text, ISO dates).

Parsers produce them (``parsers.x12.documents``), emitters write them (``emitters.x12``), the gateway stages
and matches them. They carry no X12 envelope data: control numbers live beside them, not inside.
"""

from .acknowledgement import ElementError, FunctionalAck, InterchangeAck, SegmentError, TransactionAck
from .bank_statement import Balance, BankStatement, Counterparty, StatementLine
from .catalog import Catalog, CatalogChange, CatalogItem, PackagingGtin, RejectedRow
from .common import CommunicationNumber, Contact, DateReference, Document, Party, ProductId, Reference
from .invoice import AllowanceCharge, Invoice, InvoiceLine, Tax
from .po_ack import AckLine, LineStatus, PurchaseOrderAck
from .purchase_order import PaymentTerms, PurchaseOrder, PurchaseOrderLine
from .ship_notice import Carrier, Lot, Pack, ShipItem, ShipNotice, ShipOrder

CanonicalDocument = (
    PurchaseOrder
    | PurchaseOrderAck
    | ShipNotice
    | Invoice
    | FunctionalAck
    | InterchangeAck
    | BankStatement
    | Catalog
)

__all__ = [
    "AckLine",
    "AllowanceCharge",
    "Balance",
    "BankStatement",
    "CanonicalDocument",
    "Carrier",
    "Catalog",
    "CatalogChange",
    "CatalogItem",
    "CommunicationNumber",
    "Contact",
    "Counterparty",
    "DateReference",
    "Document",
    "ElementError",
    "FunctionalAck",
    "InterchangeAck",
    "Invoice",
    "InvoiceLine",
    "LineStatus",
    "Lot",
    "Pack",
    "PackagingGtin",
    "Party",
    "PaymentTerms",
    "ProductId",
    "PurchaseOrder",
    "PurchaseOrderAck",
    "PurchaseOrderLine",
    "Reference",
    "RejectedRow",
    "SegmentError",
    "ShipItem",
    "ShipNotice",
    "ShipOrder",
    "StatementLine",
    "Tax",
    "TransactionAck",
]
