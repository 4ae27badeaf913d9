"""The staging database: files, attempts, X12 envelopes, documents and lines, errors, acknowledgements,
control-number counters and the audit log, on SQLite (default) or PostgreSQL.

Entry points: ``open_database(url)`` -> ``Database`` (``upgrade()``, ``begin()``), then in a transaction
``files.*``, ``X12Stager``, ``stage_statements`` (bank files), ``stage_catalog`` (supplier catalogs),
``counters.allocate``, ``audit.append``. Operator views: VIEWS.md.
"""

from .bank import StatementStaging, stage_statements
from .catalog import CatalogStaging, stage_catalog
from .database import Database, open_database
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
from .x12 import StagingSummary, X12Stager, envelope_of

__all__ = [
    "AckDirection",
    "AckKind",
    "AckStatus",
    "AttemptTrigger",
    "AuditEvent",
    "CatalogStaging",
    "CounterKind",
    "Database",
    "DocumentKind",
    "EntryStatus",
    "FileKind",
    "InterchangeStatus",
    "Outcome",
    "Stage",
    "StagingSummary",
    "StatementStaging",
    "X12Stager",
    "envelope_of",
    "open_database",
    "stage_catalog",
    "stage_statements",
]
