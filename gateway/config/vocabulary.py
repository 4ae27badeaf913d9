"""Closed vocabularies of the configuration, each in one place."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from parsers.documents.bank_statement import StatementFormat

__all__ = [
    "X12_DOCUMENT_KINDS",
    "AfterDownload",
    "BankFormat",
    "Completion",
    "DocumentKind",
    "FunctionalAckPolicy",
    "InterchangeAckPolicy",
    "LogLevel",
    "UploadStrategy",
    "Usage",
    "WhenToAcknowledge",
]


class DocumentKind(StrEnum):
    """The kinds of documents a partner exchanges with us: the X12 sets, bank statements and catalogs."""

    PURCHASE_ORDER = "850"
    PURCHASE_ORDER_ACK = "855"
    SHIP_NOTICE = "856"
    INVOICE = "810"
    FUNCTIONAL_ACK = "997"
    IMPLEMENTATION_ACK = "999"
    INTERCHANGE_ACK = "TA1"
    BANK_STATEMENT = "bank_statement"  # OFX, camt.052/053/054, BAI2 or MT940
    CATALOG = "catalog"  # a CSV item and contract-price file, read with the partner's [catalog] mapping


# The kinds that travel in X12 interchanges, and so need the partner's [x12] table.
X12_DOCUMENT_KINDS = frozenset(DocumentKind) - {DocumentKind.BANK_STATEMENT, DocumentKind.CATALOG}

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
Usage = Literal["P", "T"]  # ISA15: production or test
FunctionalAckPolicy = Literal["997", "999", "auto", "none"]  # auto: 999 for 005010 and later, 997 before
InterchangeAckPolicy = Literal["requested", "always", "on_error", "never"]  # requested: as ISA14 asks
WhenToAcknowledge = Literal["on_receipt", "scheduled"]
AfterDownload = Literal["delete", "move"]
Completion = Literal["stable", "rename", "done-file"]  # when a local file counts as complete
UploadStrategy = Literal["rename", "posix-rename", "direct"]
BankFormat = StatementFormat  # what a bank may deliver: "ofx", "camt.052", "camt.053", "camt.054", "bai2"...
