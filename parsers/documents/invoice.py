"""``Invoice``: a supplier's invoice (X12 810) with lines, allowances and charges, terms and totals.

TDS and SAC amounts travel in X12 as implied-decimal numbers (``N2``: "123456" is 1234.56); here they are
plain ``Decimal`` amounts, converted by the mapper and back by the emitter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from .common import DateReference, Document, HasProductIds, Party, ProductId, Reference
from .purchase_order import PaymentTerms

AllowanceOrCharge = Literal["A", "C", "N"]  # SAC01: allowance, charge, no allowance or charge


@dataclass(frozen=True, slots=True)
class AllowanceCharge(Document):
    """SAC: an allowance (``A``, e.g. ``C310`` discount) or charge (``C``, e.g. ``D240`` freight)."""

    indicator: AllowanceOrCharge
    code: str | None = None
    amount: Decimal | None = None
    percent_qualifier: str | None = None
    percent: Decimal | None = None
    rate: Decimal | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    handling_code: str | None = None  # SAC12: 02 off invoice, 06 charge to be paid by customer...
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Tax(Document):
    """TXI: tax type (``ST`` state sales tax...), amount, percent, jurisdiction."""

    type_code: str
    amount: Decimal | None = None
    percent: Decimal | None = None
    jurisdiction_qualifier: str | None = None
    jurisdiction: str | None = None
    exempt_code: str | None = None


@dataclass(frozen=True, slots=True)
class InvoiceLine(HasProductIds, Document):
    """An invoiced line (IT1 loop)."""

    line_number: str | None
    quantity: Decimal
    unit: str
    unit_price: Decimal
    price_basis: str | None = None
    product_ids: tuple[ProductId, ...] = ()
    description: str | None = None
    allowances_charges: tuple[AllowanceCharge, ...] = ()
    taxes: tuple[Tax, ...] = ()
    references: tuple[Reference, ...] = ()
    dates: tuple[DateReference, ...] = ()


@dataclass(frozen=True, slots=True)
class Invoice(Document):
    """810 BIG: invoice number and date, the order it bills (number, date, release), then lines and totals."""

    number: str
    invoice_date: date
    po_number: str | None = None
    po_date: date | None = None
    release_number: str | None = None
    transaction_type: str | None = None  # BIG07: DI debit invoice, CR credit memo...
    purpose: str | None = None  # BIG08
    currency: str | None = None
    references: tuple[Reference, ...] = ()
    dates: tuple[DateReference, ...] = ()
    parties: tuple[Party, ...] = ()
    terms: tuple[PaymentTerms, ...] = ()
    lines: tuple[InvoiceLine, ...] = ()
    total_amount: Decimal | None = None  # TDS01
    amount_subject_to_discount: Decimal | None = None  # TDS02
    discounted_amount_due: Decimal | None = None  # TDS03
    terms_discount_amount: Decimal | None = None  # TDS04
    taxes: tuple[Tax, ...] = ()
    allowances_charges: tuple[AllowanceCharge, ...] = ()
    declared_line_count: int | None = None  # CTT01
