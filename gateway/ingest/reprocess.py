"""Reprocessing a stored file: a new attempt linked to its parent, never an overwrite of history.

An operator fixes a partner's companion guide or configuration and reprocesses a file: its original is read
again from where it is kept (the archive, or quarantine), checked against the sha256 recorded when it came
in, and staged into a new attempt whose ``parent_id`` is the previous attempt. The earlier attempt's rows
stay as they were; the file row shows the latest attempt. A file that now stages leaves quarantine for the
archive. Acknowledgements are not sent again unless asked for (the partner had its answer already);
``dry_run`` reads and validates without writing anything.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from parsers.bank import parse_statements
from parsers.catalog import parse_catalog
from parsers.documents.bank_statement import StatementFormat
from parsers.errors import EdiGatewayError, FatalError
from parsers.x12.parse import parse_x12

from ..config import Configuration, PartnerConfig
from ..staging import audit, files
from ..staging.database import Database
from ..staging.states import AttemptTrigger, AuditEvent, FileKind, Outcome, Stage
from . import storage
from .pipeline import Candidate, Ingestor, IngestResult, Unstageable, archive_path, stored_form
from .routing import Route, route_file

__all__ = ["CannotReprocess", "DryRun", "reprocess"]

log = logging.getLogger("edigw.ingest")


class CannotReprocess(FatalError):
    """The file cannot be reprocessed (unknown, a duplicate, its original missing or changed)."""


@dataclass(frozen=True, slots=True)
class DryRun:
    """What a reprocess would find, without writing anything."""

    file_id: int
    interchanges: int
    transactions: int
    errors: int
    warnings: int
    problem: str | None  # why it would be quarantined, if it would
    kind: str = "x12"  # what the file would be read as (``FileKind``)
    counts: dict[str, int] = field(default_factory=dict)  # statements and lines, or catalog items


def _stored_original(configuration: Configuration, row: files.FileRow) -> Path:
    if row.duplicate_of_id is not None:
        raise CannotReprocess(
            f"file {row.id} is a duplicate of file {row.duplicate_of_id}: reprocess that one",
            code="GATEWAY.REPROCESS",
        )
    if row.stored_path is None:
        raise CannotReprocess(
            f"file {row.id} is not stored yet (still being ingested)", code="GATEWAY.REPROCESS"
        )
    path = Path(row.stored_path)
    path = path if path.is_absolute() else configuration.settings.home / path
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as error:
        raise CannotReprocess(
            f"the original of file {row.id} cannot be read at {row.stored_path} ({error.strerror})",
            code="GATEWAY.REPROCESS",
        ) from None
    if digest != row.sha256:
        raise CannotReprocess(
            f"the original of file {row.id} at {row.stored_path} is not the file received (sha256 differs)",
            code="GATEWAY.REPROCESS",
        )
    return path


def reprocess(
    configuration: Configuration,
    database: Database,
    file_id: int,
    *,
    dry_run: bool = False,
    send_acknowledgements: bool = False,
) -> IngestResult | DryRun:
    """Stage file ``file_id`` again as a new attempt (see the module docstring)."""
    with database.read() as connection:
        row = files.get_file(connection, file_id)
        parent = files.latest_attempt(connection, file_id) if row is not None else None
    if row is None:
        raise CannotReprocess(f"there is no file {file_id}", code="GATEWAY.REPROCESS")
    original = _stored_original(configuration, row)
    partner = configuration.partners.get(row.partner_id) if row.partner_id else None
    if dry_run:
        route = route_file(os.fsencode(original), partner)
        if route.kind is FileKind.X12:
            return _dry_run(row, original, partner.companion_guide if partner is not None else None)
        return _dry_run_other(row, original, route, partner)
    ingestor = Ingestor(configuration, database)
    name = row.original_name_raw if row.original_name_raw is not None else row.original_name.encode()
    candidate = Candidate(
        source=row.source, path=os.fsencode(original), name=name, partner=partner, keep_original=True
    )
    try:
        with database.begin() as connection:
            attempt_id = files.start_attempt(
                connection, file_id, AttemptTrigger.REPROCESS, parent.id if parent is not None else None
            )
            audit.append(
                connection,
                AuditEvent.REPROCESS_REQUESTED,
                file_id=file_id,
                attempt_id=attempt_id,
                details={"parent_attempt": parent.id if parent is not None else None},
            )
            result = ingestor.stage_attempt(
                connection,
                candidate,
                file_id,
                attempt_id,
                row.sha256,
                partner,
                row.received_at,
                acknowledge=send_acknowledgements,
            )
    except Unstageable as problem:
        with database.begin() as connection:
            attempt_id = files.start_attempt(
                connection, file_id, AttemptTrigger.REPROCESS, parent.id if parent is not None else None
            )
            reason = f"{problem.code}: {problem.reason}"
            files.set_state(connection, file_id, attempt_id, Stage.RECEIVED, Outcome.QUARANTINED, reason)
            audit.append(
                connection,
                AuditEvent.FILE_QUARANTINED,
                file_id=file_id,
                attempt_id=attempt_id,
                details={"code": problem.code, "reprocess": True},
            )
            files.mark_archived(
                connection, file_id, row.stored_path or stored_form(configuration.settings.home, original)
            )
        return IngestResult(
            file_id=file_id, outcome=Outcome.QUARANTINED, reason=reason, stored_path=row.stored_path
        )
    if send_acknowledgements and result.acknowledgements:
        ingestor.acknowledge(result)
    # Staged now: a file that was in quarantine moves to the archive; one in the archive stays there.
    settings = configuration.settings
    destination = original
    if original.is_relative_to(settings.paths.quarantine):
        destination = settings.paths.archive / archive_path(file_id, name, row.received_at)
        storage.move_file(original, destination)
        original.with_name(original.name + ".reason.json").unlink(missing_ok=True)
    stored = stored_form(settings.home, destination)
    with database.begin() as connection:
        files.mark_archived(connection, file_id, stored)
        audit.append(connection, AuditEvent.FILE_ARCHIVED, file_id=file_id, details={"path": stored})
    result.stored_path = stored
    log.info("reprocessed", extra={"context": {"file_id": file_id, "outcome": result.outcome}})
    return result


def _dry_run(row: files.FileRow, original: Path, guides: dict[str, dict[str, object]] | None) -> DryRun:
    try:
        parsed = parse_x12(original, companion_guides=guides)
    except EdiGatewayError as error:
        return DryRun(row.id, 0, 0, 1, 0, f"{error.code}: {error.message}")
    summary = parsed.summary()
    problem = next(
        (
            f"{issue.code}: interchange {interchange.index}: {issue.message}"
            for interchange in parsed.interchanges
            for issue in interchange.issues
            if interchange.header is None or issue.code == "TA1.023"
        ),
        None,
    )
    return DryRun(
        row.id,
        summary["interchanges"],
        summary["transactions"],
        summary["errors"],
        summary["warnings"],
        problem,
    )


def _dry_run_other(row: files.FileRow, original: Path, route: Route, partner: PartnerConfig | None) -> DryRun:
    """A bank statement or catalog file read again without staging (or why it would be quarantined)."""
    if route.refused:
        return DryRun(row.id, 0, 0, 1, 0, f"{route.code}: {route.reason}", kind=route.kind.value)
    try:
        if route.kind is FileKind.CATALOG:
            mapping = partner.catalog_mapping() if partner is not None else None
            assert mapping is not None  # routing gives a catalog only to a partner with a mapping
            catalog = parse_catalog(original, mapping)
            counts = {"items": len(catalog.items), "rejected": len(catalog.rejected)}
            errors, warnings = len(catalog.rejected), 0
        else:
            result = parse_statements(original, format=cast(StatementFormat, route.format))
            counts = {
                "statements": len(result.statements),
                "lines": sum(len(statement.lines) for statement in result.statements),
            }
            errors = result.error_count
            warnings = len(result.issues) - errors
    except EdiGatewayError as error:
        return DryRun(row.id, 0, 0, 1, 0, f"{error.code}: {error.message}", kind=route.kind.value)
    return DryRun(row.id, 0, 0, errors, warnings, None, kind=route.kind.value, counts=counts)
