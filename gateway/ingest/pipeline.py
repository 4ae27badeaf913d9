"""One complete file in: staged exactly once, acknowledged, archived (or quarantined), in a crash-safe order.

1. Read and hash the file; the original stays where it is, so every byte is kept until it is staged.
2. One database transaction: the file row (UNIQUE on source and sha256: a second arrival of the same content
   is recorded as a duplicate instead), its attempt, every parsed row, the acknowledgements to send with
   their exact bytes and control numbers (from the database counters, so never reused), and an audit
   record. The parse hashes what it reads: a file that changed since step 1 is left for the next look.
3. The acknowledgement files are written to ``outbox/<partner>/`` (atomically), then marked written.
4. The original moves to ``archive/YYYY/MM/DD/`` (or to ``quarantine/`` with a ``.reason.json`` beside it),
   then it is marked archived.

Inside ``Ingestor.batched()`` (the service's scans) the end of steps 3 and 4 is shared by many files: the
folders they wrote to are fsynced once each and one transaction says "written and archived" for all of them
(``settle``), instead of three fsyncs and a transaction per file.

Files are routed by content (``routing``): X12, the bank statement formats (OFX, camt.052/053/054, BAI2,
MT940), and CSV catalogs from a partner with a ``[catalog]`` mapping; anything else is quarantined unread.
Only X12 files are acknowledged (997/999/TA1); statements and catalogs are staged the same way otherwise.

A crash inside step 2 leaves nothing behind (the file is read again); a crash after it leaves the database
saying which step is missing, and ``recovery`` finishes it. Files that cannot be staged (not X12, an
unreadable or truncated interchange, too large, a control number the sender already used) are quarantined
with their reason, and a TA1 "R" tells the sender where one can be addressed.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, Final, cast

from sqlalchemy.engine import Connection

from parsers.bank import parse_statements
from parsers.catalog import open_catalog
from parsers.documents.bank_statement import StatementFormat
from parsers.errors import EdiGatewayError, QuarantineError
from parsers.x12.model import InterchangeResult, TransactionResult, TransactionSet, X12Issue
from parsers.x12.parse import parse_transactions
from parsers.x12.tokenizer import tokenize

from ..channels.names import safe_file_name
from ..config import Configuration, PartnerConfig
from ..errors import AlreadyStaged
from ..staging import audit, files
from ..staging.acks import AckRow
from ..staging.bank import stage_statements
from ..staging.catalog import stage_catalog
from ..staging.database import Database
from ..staging.states import AttemptTrigger, AuditEvent, FileKind, Outcome, Stage
from ..staging.x12 import X12Stager, envelope_of
from . import storage
from .acknowledge import mark_written, record_acknowledgements, write_files, write_pending
from .faults import crash_point
from .routing import Route, route_file

__all__ = [
    "Candidate",
    "IngestResult",
    "Ingestor",
    "archive_path",
    "move_original",
    "quarantine_path",
    "source_folder",
    "source_of",
    "stored_form",
    "write_reason",
]

log = logging.getLogger("edigw.ingest")

_HEAD_BYTES: Final = 4096  # enough for the first ISA (106 characters), with prose or a BOM before it
_READ_CHUNK: Final = 1 << 16


@dataclass(frozen=True, slots=True)
class Candidate:
    """A complete file to ingest, as a channel found it."""

    source: str  # the channel, e.g. "local:inbox/medsupplyco"
    path: bytes  # where it is now (exact bytes: any name works)
    name: bytes  # its name as received
    partner: PartnerConfig | None = None  # known from the channel; else looked up by the ISA sender
    done_file: bytes | None = None  # the partner's done-file, archived with it
    keep_original: bool = False  # ``edi-gateway ingest PATH``: copy into the archive, leave the original


@dataclass(slots=True)
class IngestResult:
    """What happened to one file (for logs, the command line and tests)."""

    file_id: int | None  # None: nothing done this time (the file changed while it was read)
    outcome: Outcome | None
    reason: str | None = None
    duplicate_of: int | None = None
    stored_path: str | None = None  # relative to the gateway's home when inside it
    acknowledgements: list[str] = field(default_factory=list)  # paths relative to the outbox
    # The acknowledgements as the staging transaction recorded them: step 3 writes these, not read back.
    pending: list[AckRow] = field(default_factory=list, repr=False, compare=False)
    transactions: int = 0
    errors: int = 0
    kind: FileKind | None = None
    # What a bank statement or catalog file held (statements, lines_new, items, rejected...); X12: empty.
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Unsettled:
    """A file whose acknowledgements are written and original moved, not yet said in the database."""

    file_id: int
    pending: list[AckRow]
    stored: str


class Unstageable(Exception):
    """Raised inside the staging transaction: the file cannot be staged (its rows are rolled back), and
    is quarantined with ``code`` and ``reason``."""

    def __init__(self, code: str, reason: str, interchanges: list[InterchangeResult] | None = None) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.interchanges = interchanges or []


class FileChanged(Exception):
    """The bytes read by the parse are not the bytes hashed before: the file is still changing."""


def archive_path(file_id: int, name: bytes, received_at: datetime) -> PurePosixPath:
    """Where an original is archived, relative to the archive folder (deterministic, for recovery)."""
    day = received_at.astimezone(UTC)
    return PurePosixPath(f"{day:%Y}", f"{day:%m}", f"{day:%d}", f"{file_id}-{safe_file_name(name)}")


def quarantine_path(file_id: int, name: bytes) -> PurePosixPath:
    """Where a quarantined original goes, relative to the quarantine folder."""
    return PurePosixPath(f"{file_id}-{safe_file_name(name)}")


def _sha256_of(path: bytes) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class _HashingReader(io.RawIOBase):
    """A binary stream that hashes what is read through it (wrap it in ``io.BufferedReader`` for readers
    that want lines or peeks: the hash counts what the buffer takes from here)."""

    def __init__(self, stream: BinaryIO) -> None:
        super().__init__()
        self._stream = stream
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        data = self._stream.read(-1 if size is None else size)
        self.digest.update(data)
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def finish(self) -> str:
        """Read what the parser left (trailing bytes count too) and return the hex digest."""
        while self.read(_READ_CHUNK):
            pass
        return self.digest.hexdigest()


@contextmanager
def _read_checked(path: bytes, sha256: str, unreadable: str) -> Iterator[BinaryIO]:
    """The file as a buffered stream, hashed as it is read. A reader's ``QuarantineError`` becomes
    ``Unstageable`` (code ``unreadable`` when it has none); when the block ends, what the reader left is
    read too and the bytes must be ``sha256`` (else ``FileChanged``: the file is still being written)."""
    with open(path, "rb") as raw:
        hashing = _HashingReader(raw)
        try:
            yield cast(BinaryIO, io.BufferedReader(hashing))
        except QuarantineError as error:
            raise Unstageable(error.code or unreadable, error.message) from None
        digest = hashing.finish()
    if digest != sha256:
        raise FileChanged()


def interchange_sender(path: bytes) -> tuple[str, str] | None:
    """ISA05/ISA06 of the file's first interchange, when it has a readable one near its start."""
    with open(path, "rb") as stream:
        head = stream.read(_HEAD_BYTES)
    try:
        for token in tokenize(io.BytesIO(head)):
            if token[0] == "isa":
                fields = cast(list[str], token[2])
                return (fields[5].strip(), fields[6].strip()) if len(fields) > 6 else None
            if token[0] == "broken_isa":
                return None
    except EdiGatewayError:
        return None
    return None


def _unstageable(interchange: InterchangeResult) -> X12Issue | None:
    """The problem that keeps an interchange from being staged: an unreadable ISA, or no IEA (truncated)."""
    if interchange.header is None:
        return interchange.issues[0] if interchange.issues else X12Issue("TA1.022", "unreadable ISA")
    return next((issue for issue in interchange.issues if issue.code == "TA1.023"), None)


class Ingestor:
    """Runs the ingestion steps for one file at a time (see the module docstring)."""

    def __init__(self, configuration: Configuration, database: Database) -> None:
        self.configuration = configuration
        self.database = database
        self._settings = configuration.settings
        self._batched = False
        self._unsettled: list[_Unsettled] = []
        self._unsynced: set[Path] = set()

    def now(self) -> datetime:
        return datetime.now(UTC)

    # -- batches -----------------------------------------------------------------------------------------

    @contextmanager
    def batched(self) -> Iterator[None]:
        """Defer the end of each file's steps 3 and 4 to ``settle`` (or the end of the block): the folders
        written to are fsynced once each and one transaction marks every file written and archived.

        A crash before ``settle`` leaves files whose staging committed and whose original moved: recovery
        marks them (nothing is read again, lost, or staged twice). The caller should call ``settle`` every
        few dozen files, and handle its errors (``RetryableError``, ``OSError``: recovery finishes)."""
        if self._batched:
            yield
            return
        self._batched = True
        try:
            yield
        finally:
            self._batched = False
            self.settle()

    @property
    def unsettled(self) -> int:
        """Files of the current batch not yet marked in the database."""
        return len(self._unsettled)

    def settle(self) -> None:
        """Fsync the folders written to, then mark the batch's files written and archived, in one
        transaction. On failure the batch is dropped all the same: what the database does not say yet,
        recovery finishes (``files_needing_recovery``)."""
        batch, self._unsettled = self._unsettled, []
        folders, self._unsynced = self._unsynced, set()
        if not batch and not folders:
            return
        for folder in sorted(folders):
            storage.fsync_folder(folder)
        if not batch:
            return
        with self.database.begin() as connection:
            for entry in batch:
                mark_written(connection, entry.pending)
                if entry.pending:
                    files.mark_acknowledged(connection, entry.file_id)
                files.mark_archived(connection, entry.file_id, entry.stored)
                details = {"path": entry.stored}
                audit.append(connection, AuditEvent.FILE_ARCHIVED, file_id=entry.file_id, details=details)
        crash_point("archived")

    # -- the steps ---------------------------------------------------------------------------------------

    def ingest(self, candidate: Candidate) -> IngestResult:
        """Take one complete file through every step; raises only ``RetryableError`` (try again later)."""
        sha256, size = _sha256_of(candidate.path)
        crash_point("hashed")
        partner = candidate.partner
        route = route_file(candidate.path, partner)
        if partner is None and route.kind is FileKind.X12:
            sender = interchange_sender(candidate.path)
            if sender is not None:
                partner = self.configuration.partner_for_interchange(*sender)
        with self.database.read() as connection:
            original = files.find_original(connection, candidate.source, sha256)
        if original is not None:
            if (
                original.archived_at is None
                and original.original_name == files.display_name(candidate.name)[0]
            ):
                # This very file, staged before a crash and not moved yet: finish it, it is no duplicate.
                if any(entry.file_id == original.id for entry in self._unsettled):
                    self.settle()
                problem = self.finish(original)
                return IngestResult(file_id=original.id, outcome=original.outcome, reason=problem)
            return self._duplicate(candidate, sha256, size, original.id, partner)
        limit = self._settings.ingest.max_file_bytes
        if size > limit:
            reason = f"{size} bytes, more than ingest.max_file_bytes ({limit}): not read"
            code = "X12.TOO_LARGE" if route.kind is FileKind.X12 else "GATEWAY.TOO_LARGE"
            return self._quarantine(candidate, sha256, size, partner, code, reason, kind=route.kind)
        if route.refused:
            assert route.code is not None and route.reason is not None
            return self._quarantine(
                candidate, sha256, size, partner, route.code, route.reason, kind=route.kind
            )
        received_at = self.now()
        original_id: int | None = None
        try:
            with self.database.begin() as connection:
                try:
                    file_id = files.insert_received_file(
                        connection,
                        source=candidate.source,
                        name=candidate.name,
                        sha256=sha256,
                        size_bytes=size,
                        kind=route.kind,
                        partner_id=partner.id if partner is not None else None,
                        received_at=received_at,
                    )
                except AlreadyStaged as already:
                    # Staged between our look and now (another process, or our own previous life).
                    original_id = already.original_id
                else:
                    attempt_id = files.start_attempt(connection, file_id, AttemptTrigger.INGEST)
                    result = self.stage_attempt(
                        connection, candidate, file_id, attempt_id, sha256, partner, received_at, route=route
                    )
                    crash_point("parsed")
        except Unstageable as problem:
            return self._quarantine(
                candidate,
                sha256,
                size,
                partner,
                problem.code,
                problem.reason,
                problem.interchanges,
                kind=route.kind,
            )
        except FileChanged:
            log.info("file changed while it was read: it will be read again", extra=_context())
            return IngestResult(file_id=None, outcome=None, reason="changed while it was read")
        if original_id is not None:
            return self._duplicate(candidate, sha256, size, original_id, partner)
        crash_point("committed")
        self._store(
            result,
            candidate,
            self._settings.paths.archive / archive_path(file_id, candidate.name, received_at),
        )
        return result

    def stage_attempt(
        self,
        connection: Connection,
        candidate: Candidate,
        file_id: int,
        attempt_id: int,
        sha256: str,
        partner: PartnerConfig | None,
        received_at: datetime,
        *,
        acknowledge: bool = True,
        route: Route | None = None,
    ) -> IngestResult:
        """Step 2 for one attempt, in the caller's transaction: parse, stage, record the acknowledgements.

        ``route``: where the file goes, when the caller looked already (else it is routed here, and the
        file's kind set accordingly: a reprocess may find a catalog where a mapping was missing before).
        Raises ``Unstageable`` (quarantine the file) or ``FileChanged`` (its bytes are not ``sha256``)."""
        if route is None:
            route = route_file(candidate.path, partner)
            files.set_kind(connection, file_id, route.kind)
        if route.refused:
            assert route.code is not None and route.reason is not None
            raise Unstageable(route.code, route.reason)
        if route.kind is FileKind.X12:
            return self._stage_x12(
                connection, candidate, file_id, attempt_id, sha256, partner, received_at, acknowledge
            )
        if route.kind is FileKind.CATALOG:
            assert partner is not None  # routing gives a catalog only to a partner with a mapping
            counts, errors = self._stage_catalog(connection, candidate, file_id, attempt_id, sha256, partner)
        else:
            assert route.format is not None and route.format not in ("x12", "catalog")
            statement_format = cast(StatementFormat, route.format)
            counts, errors = self._stage_statements(
                connection, candidate, file_id, attempt_id, sha256, partner, statement_format
            )
        outcome = Outcome.ERRORS if errors else Outcome.OK
        files.set_state(connection, file_id, attempt_id, Stage.STAGED, outcome)
        audit.append(
            connection,
            AuditEvent.FILE_STAGED,
            file_id=file_id,
            attempt_id=attempt_id,
            details={"source": candidate.source, "sha256": sha256, "kind": route.kind.value, **counts},
        )
        log.info(
            "staged",
            extra=_context(
                file_id=file_id,
                partner=partner.id if partner is not None else None,
                kind=route.kind.value,
                outcome=outcome.value,
                errors=errors,
                **counts,
            ),
        )
        return IngestResult(file_id=file_id, outcome=outcome, errors=errors, kind=route.kind, counts=counts)

    def _stage_statements(
        self,
        connection: Connection,
        candidate: Candidate,
        file_id: int,
        attempt_id: int,
        sha256: str,
        partner: PartnerConfig | None,
        statement_format: StatementFormat,
    ) -> tuple[dict[str, int], int]:
        """A bank file: every statement and line (a line staged before, by account and import id, is not
        staged again; a pending one now booked is upgraded). Returns the counts and the errors."""
        with _read_checked(candidate.path, sha256, "BANK.UNREADABLE") as stream:
            result = parse_statements(stream, format=statement_format)
        staged = stage_statements(
            connection,
            file_id=file_id,
            attempt_id=attempt_id,
            partner_id=partner.id if partner is not None else None,
            result=result,
        )
        counts = {
            "statements": staged.statements,
            "lines_new": staged.lines_new,
            "lines_known": staged.lines_known,
            "lines_upgraded": staged.lines_upgraded,
        }
        return counts, staged.errors

    def _stage_catalog(
        self,
        connection: Connection,
        candidate: Candidate,
        file_id: int,
        attempt_id: int,
        sha256: str,
        partner: PartnerConfig,
    ) -> tuple[dict[str, int], int]:
        """A CSV catalog read with the partner's mapping: a new catalog version, its rejected rows, and
        its changes from the previous version. Returns the counts and the rejected rows (errors)."""
        mapping = partner.catalog_mapping()
        assert mapping is not None
        # Staged as it is read, so the rows are written before the hash is known: a file that changed
        # (or turns out unreadable halfway) raises, and the caller's transaction drops what was written.
        with (
            _read_checked(candidate.path, sha256, "CATALOG.UNREADABLE") as stream,
            open_catalog(stream, mapping) as rows,
        ):
            staged = stage_catalog(
                connection, file_id=file_id, attempt_id=attempt_id, partner_id=partner.id, rows=rows
            )
        counts = {
            "catalog_version": staged.number,
            "items": staged.items,
            "rejected": staged.rejected,
            **{f"changes_{kind}": count for kind, count in sorted(staged.changes.items()) if count},
        }
        return counts, staged.rejected

    def _stage_x12(
        self,
        connection: Connection,
        candidate: Candidate,
        file_id: int,
        attempt_id: int,
        sha256: str,
        partner: PartnerConfig | None,
        received_at: datetime,
        acknowledge: bool,
    ) -> IngestResult:
        """An X12 file: every interchange, group, transaction set and document, and the acknowledgements
        the partner's policy asks for."""
        partner_id = partner.id if partner is not None else None
        stager = X12Stager(connection, file_id=file_id, attempt_id=attempt_id, partner_id=partner_id)
        guides = partner.companion_guide if partner is not None else None
        with open(candidate.path, "rb") as raw:
            stream = _HashingReader(raw)
            try:
                reader, transactions = parse_transactions(cast(BinaryIO, stream), companion_guides=guides)
                debug = log.isEnabledFor(logging.DEBUG)
                for transaction, transaction_result in transactions:
                    interchange, group = envelope_of(reader, transaction)
                    stager.add(transaction, transaction_result, interchange, group)
                    if debug:
                        _log_transaction(file_id, transaction, transaction_result)
                    # Staged: the acknowledgements need the result's issues, not its document; dropping it
                    # keeps memory flat however many transaction sets the file holds.
                    transaction_result.document = None
            except QuarantineError as error:
                raise Unstageable(error.code or "X12.UNREADABLE", error.message) from None
        if stream.digest.hexdigest() != sha256:
            raise FileChanged()
        for interchange in reader.interchanges:
            problem = _unstageable(interchange)
            if problem is not None:
                where = f"interchange {interchange.index}"
                raise Unstageable(problem.code, f"{where}: {problem.message}", reader.interchanges)
        self._check_control_numbers(connection, file_id, reader.interchanges, received_at)
        summary = stager.finish(reader)
        outcome = Outcome.ERRORS if summary.errors else Outcome.OK
        pending = (
            record_acknowledgements(
                connection, file_id=file_id, partner=partner, interchanges=reader.interchanges, now=self.now()
            )
            if acknowledge
            else []
        )
        files.set_state(connection, file_id, attempt_id, Stage.STAGED, outcome)
        audit.append(
            connection,
            AuditEvent.FILE_STAGED,
            file_id=file_id,
            attempt_id=attempt_id,
            details={
                "source": candidate.source,
                "sha256": sha256,
                "transactions": summary.transactions,
                "errors": summary.errors,
            },
        )
        log.info(
            "staged",
            extra=_context(
                file_id=file_id,
                partner=partner_id,
                isa13=",".join(i.control_number for i in reader.interchanges),
                outcome=outcome.value,
                transactions=summary.transactions,
                errors=summary.errors,
            ),
        )
        return IngestResult(
            file_id=file_id,
            outcome=outcome,
            acknowledgements=_paths(pending),
            pending=pending,
            transactions=summary.transactions,
            errors=summary.errors,
            kind=FileKind.X12,
        )

    def _check_control_numbers(
        self, connection: Connection, file_id: int, interchanges: list[InterchangeResult], now: datetime
    ) -> None:
        """An ISA13 this sender used in another file inside the window: quarantine (TA1 025)."""
        days = self._settings.ingest.duplicate_isa_window_days
        if not days:
            return
        since = now - timedelta(days=days)
        for interchange in interchanges:
            earlier = [
                seen.file_id
                for seen in files.interchanges_with_control_number(
                    connection,
                    interchange.sender_qualifier,
                    interchange.sender_id,
                    interchange.control_number,
                    since,
                )
                if seen.file_id != file_id
            ]
            if earlier:
                message = "duplicate interchange control number (ISA13) from this sender"
                interchange.issues.append(
                    X12Issue(
                        code="TA1.025",
                        message=message,
                        interchange_index=interchange.index,
                        interchange=interchange.control_number,
                        segment=1,
                        segment_id="ISA",
                        element=13,
                    )
                )
                reason = f"interchange {interchange.index}: {message}, first received in file {earlier[0]}"
                raise Unstageable("TA1.025", reason, interchanges)

    def acknowledge(self, result: IngestResult) -> None:
        """Step 3 alone (reprocess): write the recorded acknowledgements and mark them written."""
        assert result.file_id is not None
        write_pending(self.database, self._settings.paths.outbox, result.file_id)

    # -- duplicates and quarantine -----------------------------------------------------------------------

    def quarantine_file(self, candidate: Candidate, code: str, reason: str) -> IngestResult:
        """Set a file aside without reading it as X12 (the gateway failed on it, or it is refused)."""
        sha256, size = _sha256_of(candidate.path)
        return self._quarantine(candidate, sha256, size, candidate.partner, code, reason)

    def _duplicate(
        self, candidate: Candidate, sha256: str, size: int, original_id: int, partner: PartnerConfig | None
    ) -> IngestResult:
        received_at = self.now()
        with self.database.begin() as connection:
            duplicate_id = files.insert_duplicate(
                connection,
                source=candidate.source,
                name=candidate.name,
                sha256=sha256,
                size_bytes=size,
                duplicate_of_id=original_id,
                partner_id=partner.id if partner is not None else None,
                received_at=received_at,
            )
            audit.append(
                connection,
                AuditEvent.FILE_DUPLICATE,
                file_id=duplicate_id,
                details={"duplicate_of": original_id, "sha256": sha256},
            )
        log.info("duplicate", extra=_context(file_id=duplicate_id, duplicate_of=original_id))
        result = IngestResult(file_id=duplicate_id, outcome=Outcome.DUPLICATE, duplicate_of=original_id)
        archived = self._settings.paths.archive / archive_path(duplicate_id, candidate.name, received_at)
        self._store(result, candidate, archived)
        return result

    def _quarantine(
        self,
        candidate: Candidate,
        sha256: str,
        size: int,
        partner: PartnerConfig | None,
        code: str,
        reason: str,
        interchanges: list[InterchangeResult] | None = None,
        *,
        kind: FileKind | None = None,
    ) -> IngestResult:
        received_at = self.now()
        original_id: int | None = None
        if kind is None:
            kind = FileKind.X12 if interchanges else FileKind.UNKNOWN
        with self.database.begin() as connection:
            try:
                file_id = files.insert_received_file(
                    connection,
                    source=candidate.source,
                    name=candidate.name,
                    sha256=sha256,
                    size_bytes=size,
                    kind=kind,
                    partner_id=partner.id if partner is not None else None,
                    received_at=received_at,
                )
            except AlreadyStaged as already:
                original_id = already.original_id
            else:
                attempt_id = files.start_attempt(connection, file_id, AttemptTrigger.INGEST)
                full_reason = f"{code}: {reason}"
                files.set_state(
                    connection, file_id, attempt_id, Stage.RECEIVED, Outcome.QUARANTINED, full_reason
                )
                pending = record_acknowledgements(
                    connection,
                    file_id=file_id,
                    partner=partner,
                    interchanges=interchanges or [],
                    now=received_at,
                    rejected=True,
                )
                audit.append(
                    connection,
                    AuditEvent.FILE_QUARANTINED,
                    file_id=file_id,
                    attempt_id=attempt_id,
                    details={"code": code, "sha256": sha256},
                )
        if original_id is not None:
            return self._duplicate(candidate, sha256, size, original_id, partner)
        log.warning("quarantined", extra=_context(file_id=file_id, code=code))
        result = IngestResult(
            file_id=file_id,
            outcome=Outcome.QUARANTINED,
            reason=full_reason,
            acknowledgements=_paths(pending),
            pending=pending,
            kind=kind,
        )
        destination = self._settings.paths.quarantine / quarantine_path(file_id, candidate.name)
        write_reason(
            destination,
            file_id=file_id,
            candidate=candidate,
            sha256=sha256,
            code=code,
            reason=reason,
            unsynced=self._unsynced,
        )
        self._store(result, candidate, destination)
        return result

    # -- step 4 ------------------------------------------------------------------------------------------

    def finish(self, row: files.FileRow) -> str | None:
        """Finish a file whose database work committed but whose original was not moved (a crash in
        between): write its pending acknowledgements, move the original, mark it archived. Returns a
        problem (ids only) when the original is neither in its place nor where it was found."""
        settings = self._settings
        write_pending(self.database, settings.paths.outbox, row.id)
        name = row.original_name_raw if row.original_name_raw is not None else row.original_name.encode()
        quarantined = row.outcome == Outcome.QUARANTINED
        destination = (
            settings.paths.quarantine / quarantine_path(row.id, name)
            if quarantined
            else settings.paths.archive / archive_path(row.id, name, row.received_at)
        )
        if not destination.exists():
            folder = source_folder(self.configuration, row.source)
            original = os.path.join(os.fsencode(folder), name) if folder is not None else None
            if original is None or _sha256_or_none(original) != row.sha256:
                log.error("original not found", extra=_context(file_id=row.id, source=row.source))
                return f"file {row.id}: original not found in {row.source}"
            candidate = Candidate(source=row.source, path=original, name=name)
            if quarantined:
                code, _, reason = (row.reason or "X12.QUARANTINED: quarantined").partition(": ")
                write_reason(
                    destination,
                    file_id=row.id,
                    candidate=candidate,
                    sha256=row.sha256,
                    code=code,
                    reason=reason,
                )
            move_original(candidate, destination)
        stored = stored_form(settings.home, destination)
        with self.database.begin() as connection:
            files.mark_archived(connection, row.id, stored)
            audit.append(connection, AuditEvent.RECOVERY, file_id=row.id, details={"path": stored})
        log.info("finished after a restart", extra=_context(file_id=row.id))
        return None

    def _store(self, result: IngestResult, candidate: Candidate, destination: Path) -> None:
        """Steps 3 and 4: write the recorded acknowledgements, move (or for ``keep_original``, copy) the
        original to ``destination``, then say both in one transaction (at once, or in ``settle`` when
        batched)."""
        assert result.file_id is not None
        unsynced = self._unsynced
        write_files(self._settings.paths.outbox, result.pending, unsynced=unsynced)
        crash_point("acknowledged")
        move_original(candidate, destination, unsynced=unsynced)
        crash_point("moved")
        result.stored_path = stored_form(self._settings.home, destination)
        self._unsettled.append(_Unsettled(result.file_id, result.pending, result.stored_path))
        if not self._batched:
            self.settle()


def stored_form(home: Path, absolute: Path) -> str:
    """A path as the database keeps it: relative to the gateway's home when inside it."""
    try:
        return absolute.relative_to(home).as_posix()
    except ValueError:
        return absolute.as_posix()


def move_original(candidate: Candidate, destination: Path, *, unsynced: set[Path] | None = None) -> None:
    """Put the original (and its done-file) at ``destination``; nothing to do when it is there already.

    ``unsynced``: collect the folders to fsync there instead of fsyncing them (see ``storage``)."""
    if candidate.keep_original:
        if not destination.exists():
            with open(candidate.path, "rb") as original:
                storage.write_atomically(destination, original.read(), unsynced=unsynced)
        return
    if os.path.lexists(candidate.path) and not destination.exists():
        storage.move_file(candidate.path, destination, unsynced=unsynced)
    if candidate.done_file is not None and os.path.lexists(candidate.done_file):
        done = destination.with_name(destination.name + ".done")
        if not done.exists():
            storage.move_file(candidate.done_file, done, unsynced=unsynced)


def write_reason(
    destination: Path,
    *,
    file_id: int,
    candidate: Candidate,
    sha256: str,
    code: str,
    reason: str,
    unsynced: set[Path] | None = None,
) -> None:
    """The ``.reason.json`` beside a quarantined file: what was wrong and where, for the operator."""
    storage.write_json_atomically(
        destination.with_name(destination.name + ".reason.json"),
        {
            "file_id": file_id,
            "source": candidate.source,
            "original_name": files.display_name(candidate.name)[0],
            "sha256": sha256,
            "code": code,
            "reason": reason,
        },
        unsynced=unsynced,
    )


def _document_number(document: object) -> str | None:
    """The natural key of a canonical document: PO, invoice or shipment number."""
    for name in ("number", "shipment_id", "po_number"):
        value = getattr(document, name, None)
        if isinstance(value, str):
            return value
    return None


def _log_transaction(file_id: int, transaction: TransactionSet, result: TransactionResult) -> None:
    """One debug line per staged set, with its correlation ids (the document number is an id, not data)."""
    log.debug(
        "transaction set staged",
        extra=_context(
            file_id=file_id,
            isa13=transaction.interchange.control_number,
            gs06=transaction.group.control_number,
            st02=transaction.control_number,
            set_id=transaction.set_id,
            document=_document_number(result.document),
            errors=sum(1 for issue in result.issues if issue.severity == "error"),
        ),
    )


def source_folder(configuration: Configuration, source: str) -> Path | None:
    """The folder a ``local:`` source names (relative to the gateway's home), None for other sources."""
    kind, _, where = source.partition(":")
    if kind != "local" or not where:
        return None
    folder = Path(where)
    return folder if folder.is_absolute() else configuration.settings.home / folder


def source_of(home: Path, folder: Path) -> str:
    """The source name of a local folder: ``local:`` and its path relative to the gateway's home."""
    return "local:" + stored_form(home, folder)


def _paths(acknowledgements: list[AckRow]) -> list[str]:
    return [ack.path for ack in acknowledgements if ack.path is not None]


def _sha256_or_none(path: bytes) -> str | None:
    try:
        return _sha256_of(path)[0]
    except OSError:
        return None


def _context(**fields: object) -> dict[str, object]:
    """Log record extras: ids, codes and counts only (never content, names of people or prices)."""
    return {"context": fields}
