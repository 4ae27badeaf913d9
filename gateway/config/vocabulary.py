"""Closed vocabularies of the configuration, each in one place."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

__all__ = [
    "X12_DOCUMENT_KINDS",
    "AfterDownload",
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
    """The kinds of documents a partner exchanges with us (bank statements and catalogs come later)."""

    PURCHASE_ORDER = "850"
    PURCHASE_ORDER_ACK = "855"
    SHIP_NOTICE = "856"
    INVOICE = "810"
    FUNCTIONAL_ACK = "997"
    IMPLEMENTATION_ACK = "999"
    INTERCHANGE_ACK = "TA1"


X12_DOCUMENT_KINDS = frozenset(DocumentKind)  # every kind is X12 for now; "ofx", "camt"... will not be

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
Usage = Literal["P", "T"]  # ISA15: production or test
FunctionalAckPolicy = Literal["997", "999", "auto", "none"]  # auto: 999 for 005010 and later, 997 before
InterchangeAckPolicy = Literal["requested", "always", "on_error", "never"]  # requested: as ISA14 asks
WhenToAcknowledge = Literal["on_receipt", "scheduled"]
AfterDownload = Literal["delete", "move"]
Completion = Literal["stable", "rename", "done-file"]  # when a local file counts as complete
UploadStrategy = Literal["rename", "posix-rename", "direct"]
