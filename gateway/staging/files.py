"""Received files and their attempts: the rows that make ingestion exactly-once.

The pipeline's order is: read and hash -> one transaction (``insert_received_file`` or ``insert_duplicate``,
``start_attempt``, the parsed rows, ``set_state``, an audit record) -> move the original -> ``mark_archived``.
UNIQUE(source, content_key) makes the database refuse a second first arrival of the same content from the
same source; ``insert_received_file`` turns that into ``AlreadyStaged(original_id)``, and the caller records a
duplicate instead. A file row's stage and outcome mirror its latest attempt.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from ..errors import AlreadyStaged, StagingStateError
from .models import Attempt, Interchange, ReceivedFile
from .sql import insert_ignoring_conflict, utc_now
from .states import AttemptTrigger, FileKind, Outcome, Stage

__all__ = [
    "AttemptRow",
    "FileRow",
    "InterchangeSeen",
    "display_name",
    "files_needing_recovery",
    "find_original",
    "get_file",
    "insert_duplicate",
    "insert_received_file",
    "interchanges_with_control_number",
    "latest_attempt",
    "mark_archived",
    "set_state",
    "start_attempt",
]

_files: sa.Table = ReceivedFile.__table__  # type: ignore[assignment]
_attempts: sa.Table = Attempt.__table__  # type: ignore[assignment]
_interchanges: sa.Table = Interchange.__table__  # type: ignore[assignment]

_SHA256 = re.compile(r"[0-9a-f]{64}")
# Outcomes after which an attempt has finished its work (RETRYING and "no verdict yet" have not).
_FINAL = {Outcome.OK, Outcome.ERRORS, Outcome.QUARANTINED, Outcome.DUPLICATE, Outcome.FAILED}


@dataclass(frozen=True, slots=True)
class FileRow:
    id: int
    source: str
    original_name: str
    original_name_raw: bytes | None
    sha256: str
    size_bytes: int
    received_at: datetime
    partner_id: str | None
    kind: FileKind
    stage: Stage
    outcome: Outcome | None
    reason: str | None
    content_key: str | None
    duplicate_of_id: int | None
    stored_path: str | None
    archived_at: datetime | None


@dataclass(frozen=True, slots=True)
class AttemptRow:
    id: int
    file_id: int
    parent_id: int | None
    number: int
    trigger: AttemptTrigger
    started_at: datetime
    finished_at: datetime | None
    stage: Stage
    outcome: Outcome | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class InterchangeSeen:
    """An interchange staged before, for the duplicate-ISA13 check: compare ``sha256`` with the new file's."""

    interchange_id: int
    file_id: int
    attempt_id: int
    source: str
    sha256: str
    received_at: datetime


def _file_row(row: Row[tuple[object, ...]]) -> FileRow:
    return FileRow(**row._asdict())


def _attempt_row(row: Row[tuple[object, ...]]) -> AttemptRow:
    return AttemptRow(**row._asdict())


# --- names ----------------------------------------------------------------------------------------------


def display_name(name: str | bytes) -> tuple[str, bytes | None]:
    """A file name as display-safe text, and the exact bytes when that text is not the name itself.

    Undecodable bytes (``os.listdir`` gives them as surrogate escapes) become ``\\xNN``, control and
    other unprintable characters ``\\xNN``/``\\uNNNN``, and backslashes are doubled: the text is unambiguous.
    """
    raw = name if isinstance(name, bytes) else name.encode("utf-8", "surrogateescape")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and all(_printable(ch) for ch in text):
        return text, None
    decoded = raw.decode("utf-8", "surrogateescape")
    parts: list[str] = []
    for ch in decoded:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte
            parts.append(f"\\x{code - 0xDC00:02x}")
        elif ch == "\\":
            parts.append("\\\\")
        elif not _printable(ch):
            parts.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            parts.append(ch)
    return "".join(parts), raw


def _printable(ch: str) -> bool:
    return ch.isprintable() and unicodedata.category(ch) not in ("Cs", "Co", "Cn")


def _check_sha256(sha256: str) -> None:
    if not _SHA256.fullmatch(sha256):
        raise ValueError("sha256 must be 64 lowercase hexadecimal digits")


# --- files ----------------------------------------------------------------------------------------------


def get_file(connection: Connection, file_id: int) -> FileRow | None:
    row = connection.execute(sa.select(_files).where(_files.c.id == file_id)).one_or_none()
    return None if row is None else _file_row(row)


def find_original(connection: Connection, source: str, sha256: str) -> FileRow | None:
    """The first arrival of this content from this source, if any."""
    row = connection.execute(
        sa.select(_files).where(_files.c.source == source, _files.c.content_key == sha256)
    ).one_or_none()
    return None if row is None else _file_row(row)


def insert_received_file(
    connection: Connection,
    *,
    source: str,
    name: str | bytes,
    sha256: str,
    size_bytes: int,
    kind: FileKind = FileKind.X12,
    partner_id: str | None = None,
    received_at: datetime | None = None,
    stage: Stage = Stage.RECEIVED,
    outcome: Outcome | None = None,
    reason: str | None = None,
) -> int:
    """The new file row's id; ``AlreadyStaged(original_id)`` when this content from this source is known."""
    _check_sha256(sha256)
    original_name, original_name_raw = display_name(name)
    values = {
        "source": source,
        "original_name": original_name,
        "original_name_raw": original_name_raw,
        "sha256": sha256,
        "size_bytes": size_bytes,
        "received_at": received_at or utc_now(),
        "partner_id": partner_id,
        "kind": FileKind(kind).value,
        "stage": Stage(stage).value,
        "outcome": None if outcome is None else Outcome(outcome).value,
        "reason": reason,
        "content_key": sha256,
    }
    file_id = insert_ignoring_conflict(connection, _files, values, ["source", "content_key"], _files.c.id)
    if file_id is None:
        original = find_original(connection, source, sha256)
        assert original is not None, "the conflicting row is visible once the conflict is reported"
        raise AlreadyStaged(original.id)
    return int(file_id)


def insert_duplicate(
    connection: Connection,
    *,
    source: str,
    name: str | bytes,
    sha256: str,
    size_bytes: int,
    duplicate_of_id: int,
    kind: FileKind = FileKind.X12,
    partner_id: str | None = None,
    received_at: datetime | None = None,
) -> int:
    """Record a later arrival of known content (no content_key, so the UNIQUE constraint lets it in)."""
    _check_sha256(sha256)
    original_name, original_name_raw = display_name(name)
    inserted = connection.execute(
        sa.insert(_files)
        .values(
            source=source,
            original_name=original_name,
            original_name_raw=original_name_raw,
            sha256=sha256,
            size_bytes=size_bytes,
            received_at=received_at or utc_now(),
            partner_id=partner_id,
            kind=kind,
            stage=Stage.RECEIVED,
            outcome=Outcome.DUPLICATE,
            content_key=None,
            duplicate_of_id=duplicate_of_id,
        )
        .returning(_files.c.id)
    ).scalar_one()
    return int(inserted)


def files_needing_recovery(connection: Connection) -> list[FileRow]:
    """Files whose database work committed but whose original was not moved yet (a crash in between):
    staged or acknowledged, or recorded as quarantined or duplicate, and not archived."""
    column = _files.c
    rows = connection.execute(
        sa.select(_files)
        .where(
            column.archived_at.is_(None),
            sa.or_(
                column.stage.in_([Stage.STAGED.value, Stage.ACKNOWLEDGED.value]),
                column.outcome.in_([Outcome.QUARANTINED.value, Outcome.DUPLICATE.value]),
            ),
        )
        .order_by(column.id)
    )
    return [_file_row(row) for row in rows]


def mark_archived(connection: Connection, file_id: int, stored_path: str) -> None:
    """The original now lies at ``stored_path`` (relative to the gateway's home: ``archive/...``)."""
    path = PurePosixPath(stored_path)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError("stored_path must be a relative path inside the gateway's folders")
    now = utc_now()
    updated = connection.execute(
        sa.update(_files)
        .where(_files.c.id == file_id)
        .values(stored_path=str(path), archived_at=now, stage=Stage.ARCHIVED)
    ).rowcount
    if updated != 1:
        raise StagingStateError(f"no received file {file_id}", code="STAGING.NO_FILE")
    attempt = latest_attempt(connection, file_id)
    if attempt is not None and not attempt.stage.at_least(Stage.ARCHIVED):
        connection.execute(
            sa.update(_attempts).where(_attempts.c.id == attempt.id).values(stage=Stage.ARCHIVED)
        )


# --- attempts -------------------------------------------------------------------------------------------


def latest_attempt(connection: Connection, file_id: int) -> AttemptRow | None:
    row = connection.execute(
        sa.select(_attempts)
        .where(_attempts.c.file_id == file_id)
        .order_by(_attempts.c.number.desc())
        .limit(1)
    ).one_or_none()
    return None if row is None else _attempt_row(row)


def start_attempt(
    connection: Connection, file_id: int, trigger: AttemptTrigger, parent_id: int | None = None
) -> int:
    """A new attempt (number = previous + 1) at stage ``received``; a reprocess names its parent attempt."""
    previous = connection.execute(
        sa.select(sa.func.max(_attempts.c.number)).where(_attempts.c.file_id == file_id)
    ).scalar_one_or_none()
    inserted = connection.execute(
        sa.insert(_attempts)
        .values(
            file_id=file_id,
            parent_id=parent_id,
            number=(previous or 0) + 1,
            trigger=AttemptTrigger(trigger),
            started_at=utc_now(),
            stage=Stage.RECEIVED,
            outcome=None,
        )
        .returning(_attempts.c.id)
    ).scalar_one()
    return int(inserted)


def set_state(
    connection: Connection,
    file_id: int,
    attempt_id: int,
    stage: Stage,
    outcome: Outcome | None,
    reason: str | None = None,
) -> None:
    """Move an attempt (and its file, when it is the latest attempt) to ``stage`` with ``outcome``.

    Stages never go backwards. ``reason`` is for operators: codes and positions, never business data.
    """
    stage = Stage(stage)
    outcome = None if outcome is None else Outcome(outcome)
    current = connection.execute(
        sa.select(_attempts.c.file_id, _attempts.c.stage).where(_attempts.c.id == attempt_id)
    ).one_or_none()
    if current is None or current.file_id != file_id:
        raise StagingStateError(
            f"attempt {attempt_id} is not an attempt of file {file_id}", code="STAGING.STATE"
        )
    if not stage.at_least(Stage(current.stage)):
        raise StagingStateError(
            f"attempt {attempt_id} cannot go back from {Stage(current.stage).value} to {stage.value}",
            code="STAGING.STATE",
        )
    values: dict[str, object] = {"stage": stage, "outcome": outcome, "reason": reason}
    connection.execute(
        sa.update(_attempts)
        .where(_attempts.c.id == attempt_id)
        .values(**values, finished_at=utc_now() if outcome in _FINAL else None)
    )
    latest = latest_attempt(connection, file_id)
    if latest is not None and latest.id == attempt_id:
        connection.execute(sa.update(_files).where(_files.c.id == file_id).values(**values))


# --- interchanges ---------------------------------------------------------------------------------------


def interchanges_with_control_number(
    connection: Connection, sender_qualifier: str, sender_id: str, control_number: str, since: datetime
) -> list[InterchangeSeen]:
    """Interchanges from this sender with this ISA13 in files received since ``since``, oldest first."""
    rows = connection.execute(
        sa.select(
            _interchanges.c.id.label("interchange_id"),
            _interchanges.c.file_id,
            _interchanges.c.attempt_id,
            _files.c.source,
            _files.c.sha256,
            _files.c.received_at,
        )
        .join(_files, _files.c.id == _interchanges.c.file_id)
        .where(
            _interchanges.c.sender_qualifier == sender_qualifier,
            _interchanges.c.sender_id == sender_id,
            _interchanges.c.control_number == control_number,
            _files.c.received_at >= since,
        )
        .order_by(_files.c.received_at, _interchanges.c.id)
    )
    return [InterchangeSeen(**row._asdict()) for row in rows]
