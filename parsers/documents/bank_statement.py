"""``BankStatement``: one account's statement from any bank format (OFX, camt.052/053/054, BAI2, MT940).

Amounts are signed ``Decimal`` (credit positive, debit negative) in the statement's currency; booking and
value dates are the dates the bank printed, never shifted by a time zone. Every line has an ``import_id``
that stays the same when the bank delivers the line again (in a re-sent or overlapping statement): the
account and the bank's own transaction id when there is one, else a hash of what identifies the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from .common import Document

EntryStatus = Literal["booked", "pending"]
BalanceKind = Literal["opening", "closing", "opening_available", "closing_available", "interim", "other"]
StatementFormat = Literal["ofx", "camt.052", "camt.053", "camt.054", "bai2", "mt940"]


@dataclass(frozen=True, slots=True)
class Balance(Document):
    """A balance the bank states: its kind, signed amount, and the date it is at."""

    kind: BalanceKind
    amount: Decimal
    date: date | None = None
    code: str | None = None  # the bank's own code (camt OPBD/CLBD/ITBD..., BAI2 010/015..., MT940 :60F:)


@dataclass(frozen=True, slots=True)
class Counterparty(Document):
    """Who paid or was paid: name, account (IBAN or number), bank (BIC or routing number)."""

    name: str | None = None
    account: str | None = None
    bank: str | None = None


@dataclass(frozen=True, slots=True)
class StatementLine(Document):
    """One booked or pending entry (a batch entry is split into its transactions)."""

    import_id: str  # stable across re-deliveries (see the module docstring)
    amount: Decimal  # signed: credit > 0, debit < 0
    booking_date: date | None
    value_date: date | None = None
    status: EntryStatus = "booked"
    bank_reference: str | None = None  # FITID, AcctSvcrRef, BAI2 bank reference, MT940 :61: bank ref
    customer_reference: str | None = None  # EndToEndId, check number, MT940 :61: customer ref
    end_to_end_id: str | None = None
    uetr: str | None = None
    transaction_code: str | None = None  # OFX TRNTYPE, camt BkTxCd, BAI2 type code, MT940 type
    counterparty: Counterparty | None = None
    remittance: str | None = None  # unstructured remittance text, memo, :86: details
    structured_reference: str | None = None  # creditor reference (RF...) or invoice number
    reversal: bool = False


@dataclass(frozen=True, slots=True)
class BankStatement(Document):
    """One account's statement (a file may hold several, each with its own account)."""

    format: StatementFormat
    account: str  # IBAN, or the bank's account number
    currency: str
    statement_id: str | None = None
    bank: str | None = None  # BIC, routing number, or the OFX bank id
    created: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    balances: tuple[Balance, ...] = ()
    lines: tuple[StatementLine, ...] = ()

    def balance(self, kind: BalanceKind) -> Balance | None:
        return next((balance for balance in self.balances if balance.kind == kind), None)

    @property
    def opening_balance(self) -> Decimal | None:
        found = self.balance("opening")
        return found.amount if found is not None else None

    @property
    def closing_balance(self) -> Decimal | None:
        found = self.balance("closing")
        return found.amount if found is not None else None
