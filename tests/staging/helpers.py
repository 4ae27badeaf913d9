"""Staging a file the way the pipeline will: file row, attempt, stager (X12, bank, catalog), state, in one
transaction."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy.engine import Connection

from gateway.staging import (
    AttemptTrigger,
    CatalogStaging,
    FileKind,
    Outcome,
    Stage,
    StagingSummary,
    StatementStaging,
    X12Stager,
    envelope_of,
    files,
    stage_catalog,
    stage_statements,
)
from gateway.staging.database import Database
from parsers.bank import parse_statements
from parsers.catalog import CatalogMapping, open_catalog
from parsers.x12.parse import parse_transactions

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "x12"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stage_bytes(
    database: Database,
    data: bytes,
    *,
    name: str = "file.edi",
    source: str = "local:inbox",
    partner_id: str | None = "medsupplyco",
    batch_size: int = 200,
    file_id: int | None = None,
    parent_id: int | None = None,
) -> tuple[int, int, StagingSummary]:
    """Stage ``data`` (a new file, or a reprocess of ``file_id``); returns (file id, attempt id, summary)."""
    with database.begin() as connection:
        if file_id is None:
            file_id = files.insert_received_file(
                connection,
                source=source,
                name=name,
                sha256=sha256(data),
                size_bytes=len(data),
                partner_id=partner_id,
            )
            trigger = AttemptTrigger.INGEST
        else:
            trigger = AttemptTrigger.REPROCESS
        attempt_id = files.start_attempt(connection, file_id, trigger, parent_id)
        stager = X12Stager(
            connection, file_id=file_id, attempt_id=attempt_id, partner_id=partner_id, batch_size=batch_size
        )
        reader, transactions = parse_transactions(data)
        for transaction, result in transactions:
            interchange, group = envelope_of(reader, transaction)
            stager.add(transaction, result, interchange, group)
        summary = stager.finish(reader)
        files.set_state(
            connection, file_id, attempt_id, Stage.STAGED, Outcome.ERRORS if summary.errors else Outcome.OK
        )
    return file_id, attempt_id, summary


def stage_golden(database: Database, name: str, **options: object) -> tuple[int, int, StagingSummary]:
    return stage_bytes(database, (GOLDEN / name).read_bytes(), name=name, **options)  # type: ignore[arg-type]


BANK_GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "bank"
CATALOG_GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "catalog"


def _new_file(
    connection: Connection, data: bytes, name: str, kind: FileKind, partner_id: str | None, source: str
) -> int:
    # Each delivery is a file of its own: the gateway dedupes identical bytes before staging, so tests that
    # deliver the same content twice give each delivery another source.
    return files.insert_received_file(
        connection,
        source=source,
        name=name,
        sha256=sha256(data),
        size_bytes=len(data),
        kind=kind,
        partner_id=partner_id,
    )


def stage_bank_bytes(
    database: Database,
    data: bytes,
    *,
    name: str = "statement.xml",
    partner_id: str | None = "firstbank",
    source: str = "local:bank",
) -> tuple[int, int, StatementStaging]:
    """Parse ``data`` with the real bank parsers and stage it as a new file: (file id, attempt id, counts)."""
    result = parse_statements(data)
    kind = FileKind(result.format.split(".")[0])
    with database.begin() as connection:
        file_id = _new_file(connection, data, name, kind, partner_id, source)
        attempt_id = files.start_attempt(connection, file_id, AttemptTrigger.INGEST)
        staging = stage_statements(
            connection, file_id=file_id, attempt_id=attempt_id, partner_id=partner_id, result=result
        )
        outcome = Outcome.ERRORS if staging.errors else Outcome.OK
        files.set_state(connection, file_id, attempt_id, Stage.STAGED, outcome)
    return file_id, attempt_id, staging


def stage_catalog_bytes(
    database: Database,
    data: bytes,
    mapping: CatalogMapping,
    *,
    name: str = "catalog.csv",
    partner_id: str = "medsupplyco",
    source: str = "local:catalogs",
) -> tuple[int, int, CatalogStaging]:
    """Read ``data`` with ``mapping`` (streaming) and stage it as a new file: (file id, attempt id, counts)."""
    with database.begin() as connection, open_catalog(data, mapping) as rows:
        file_id = _new_file(connection, data, name, FileKind.CATALOG, partner_id, source)
        attempt_id = files.start_attempt(connection, file_id, AttemptTrigger.INGEST)
        staging = stage_catalog(
            connection, file_id=file_id, attempt_id=attempt_id, partner_id=partner_id, rows=rows
        )
        outcome = Outcome.ERRORS if staging.rejected else Outcome.OK
        files.set_state(connection, file_id, attempt_id, Stage.STAGED, outcome)
    return file_id, attempt_id, staging
