"""Staging a file the way the pipeline will: file row, attempt, X12Stager, state, in one transaction."""

from __future__ import annotations

import hashlib
from pathlib import Path

from gateway.staging import AttemptTrigger, Outcome, Stage, StagingSummary, X12Stager, envelope_of, files
from gateway.staging.database import Database
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
