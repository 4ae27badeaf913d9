"""The closed vocabularies of the staging database.

A received file (and each of its attempts) moves along two axes: ``Stage`` says how far it got, ``Outcome``
gives the verdict. Stages are ordered, so code can ask ``stage.at_least(Stage.STAGED)``.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "AckDirection",
    "AckKind",
    "AckStatus",
    "AttemptTrigger",
    "AuditEvent",
    "CounterKind",
    "DocumentKind",
    "EntryStatus",
    "FileKind",
    "InterchangeStatus",
    "Outcome",
    "Stage",
]


class Stage(StrEnum):
    """How far a received file got, in order."""

    RECEIVED = "received"  # bytes read and hashed, the row exists
    STAGED = "staged"  # interchanges, documents and errors are in the database
    ACKNOWLEDGED = "acknowledged"  # the acks its partner's policy requires are written to the outbox
    ARCHIVED = "archived"  # the original moved to archive/ or quarantine/
    MATCHED = "matched"  # matched against Odoo (a later issue)

    @property
    def rank(self) -> int:
        return _STAGE_RANK[self]

    def at_least(self, other: Stage) -> bool:
        return _STAGE_RANK[self] >= _STAGE_RANK[other]


_STAGE_RANK = {stage: rank for rank, stage in enumerate(Stage)}


class Outcome(StrEnum):
    """The verdict on a file or attempt (NULL in the database while it is still being worked on)."""

    OK = "ok"
    ERRORS = "errors"  # staged, but X12 errors were found and reported in the acks
    QUARANTINED = "quarantined"  # could not be staged: ``reason`` says why
    DUPLICATE = "duplicate"  # the same content from the same source was received before
    RETRYING = "retrying"  # a transient failure: it will be tried again
    FAILED = "failed"  # gave up after retries


class FileKind(StrEnum):
    X12 = "x12"
    OFX = "ofx"
    CAMT = "camt"
    BAI2 = "bai2"
    MT940 = "mt940"
    CATALOG = "catalog"
    UNKNOWN = "unknown"


class EntryStatus(StrEnum):
    """A bank statement line's status (``parsers.documents.bank_statement.EntryStatus`` as an enum)."""

    BOOKED = "booked"
    PENDING = "pending"


class AttemptTrigger(StrEnum):
    INGEST = "ingest"
    REPROCESS = "reprocess"
    RECOVERY = "recovery"


class DocumentKind(StrEnum):
    PURCHASE_ORDER = "purchase_order"
    PO_ACK = "po_ack"
    SHIP_NOTICE = "ship_notice"
    INVOICE = "invoice"
    FUNCTIONAL_ACK = "functional_ack"
    INTERCHANGE_ACK = "interchange_ack"
    BANK_STATEMENT = "bank_statement"
    CATALOG = "catalog"


class InterchangeStatus(StrEnum):
    """TA104 as words: how the envelope itself was received."""

    ACCEPTED = "accepted"
    ACCEPTED_WITH_ERRORS = "accepted_with_errors"
    REJECTED = "rejected"


class AckDirection(StrEnum):
    SENT = "sent"
    RECEIVED = "received"


class AckKind(StrEnum):
    FA_997 = "997"
    FA_999 = "999"
    TA1 = "TA1"


class AckStatus(StrEnum):
    PENDING = "pending"  # the row and its exact bytes are committed, the file is not written yet
    WRITTEN = "written"  # the file is in the outbox
    DELIVERED = "delivered"  # handed to the partner (for received acks: they reached us)


class CounterKind(StrEnum):
    INTERCHANGE = "interchange"
    GROUP = "group"
    TRANSACTION = "transaction"


class AuditEvent(StrEnum):
    FILE_RECEIVED = "file_received"
    FILE_STAGED = "file_staged"
    FILE_DUPLICATE = "file_duplicate"
    FILE_QUARANTINED = "file_quarantined"
    FILE_FAILED = "file_failed"
    ACK_WRITTEN = "ack_written"
    FILE_ARCHIVED = "file_archived"
    ATTEMPT_STARTED = "attempt_started"
    REPROCESS_REQUESTED = "reprocess_requested"
    RECOVERY = "recovery"
    SCHEMA_UPGRADED = "schema_upgraded"
    BANK_LINES_UPGRADED = "bank_lines_upgraded"  # pending lines of earlier deliveries arrived booked
