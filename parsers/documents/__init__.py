"""Canonical documents: typed, format-independent, JSON-serialisable (decimals as text, ISO dates).

Parsers produce them (``parsers.x12.documents``), emitters write them (``emitters.x12``), the gateway stages
and matches them. They carry no X12 envelope data: control numbers live beside them, not inside.
"""

from .acknowledgement import ElementError, FunctionalAck, InterchangeAck, SegmentError, TransactionAck
from .common import CommunicationNumber, Contact, DateReference, Document, Party, ProductId, Reference
from .invoice import AllowanceCharge, Invoice, InvoiceLine, Tax
from .po_ack import AckLine, LineStatus, PurchaseOrderAck
from .purchase_order import PaymentTerms, PurchaseOrder, PurchaseOrderLine
from .ship_notice import Carrier, Lot, Pack, ShipItem, ShipNotice, ShipOrder

CanonicalDocument = PurchaseOrder | PurchaseOrderAck | ShipNotice | Invoice | FunctionalAck | InterchangeAck

__all__ = [
    "AckLine",
    "AllowanceCharge",
    "CanonicalDocument",
    "Carrier",
    "CommunicationNumber",
    "Contact",
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
    "Party",
    "PaymentTerms",
    "ProductId",
    "PurchaseOrder",
    "PurchaseOrderAck",
    "PurchaseOrderLine",
    "Reference",
    "SegmentError",
    "ShipItem",
    "ShipNotice",
    "ShipOrder",
    "Tax",
    "TransactionAck",
]
