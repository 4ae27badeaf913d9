"""``PurchaseOrder``: a buyer's order (X12 850), e.g. a hospital ordering med-surg supplies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .common import DateReference, Document, HasProductIds, Party, ProductId, Reference


@dataclass(frozen=True, slots=True)
class PaymentTerms(Document):
    """Terms of sale (ITD): e.g. 2% 10 days, net 30."""

    type_code: str | None = None
    basis_date_code: str | None = None
    discount_percent: Decimal | None = None
    discount_due_date: date | None = None
    discount_days: int | None = None
    net_due_date: date | None = None
    net_days: int | None = None
    discount_amount: Decimal | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class PurchaseOrderLine(HasProductIds, Document):
    """One ordered line (PO1 loop): quantity, unit, price and every identifier of the product."""

    line_number: str | None
    quantity: Decimal
    unit: str
    unit_price: Decimal | None = None
    price_basis: str | None = None
    product_ids: tuple[ProductId, ...] = ()
    description: str | None = None
    dates: tuple[DateReference, ...] = ()
    references: tuple[Reference, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PurchaseOrder(Document):
    """An order (850 BEG): purpose (``00`` original, ``05`` replace), type (``SA`` stand-alone...)."""

    purpose: str
    order_type: str
    number: str
    order_date: date
    release_number: str | None = None
    contract_number: str | None = None
    currency: str | None = None
    references: tuple[Reference, ...] = ()
    dates: tuple[DateReference, ...] = ()
    parties: tuple[Party, ...] = ()
    terms: tuple[PaymentTerms, ...] = ()
    notes: tuple[str, ...] = ()
    lines: tuple[PurchaseOrderLine, ...] = ()
    declared_line_count: int | None = None  # CTT01 as sent, checked against len(lines) by validation
    total_amount: Decimal | None = None  # AMT*TT when sent

    def party(self, role: str) -> Party | None:
        return next((p for p in self.parties if p.role == role), None)
