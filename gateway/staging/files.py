"""Received files and their attempts: the rows that make ingestion exactly-once.

The pipeline's order is: read and hash -> one transaction (``insert_received_file`` or ``insert_duplicate``,
``start_attempt``, the parsed rows, ``set_state``, an audit record) -> move the original -> ``mark_archived``.
UNIQUE(source, content_key) makes the database refuse a second first arrival of the same content from the
same source; ``insert_received_file`` turns that into ``AlreadyStaged(original_id)``, and the caller records a
duplicate instead. A file row's stage and outcome mirror its latest attempt.

Every statement is built once (see ``sql``). Parameters of UPDATE statements are named apart from the
table's columns (``file``, ``attempt``): SQLAlchemy would take a parameter named like a column for a value
to SET.
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
from .sql import PerDialect, bound_values, utc_now
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
    "mark_acknowledged",
    "mark_archived",
    "set_kind",
    "set_state",
    "start_attempt",
]

_files: sa.Table = ReceivedFile.__table__  # type: ignore[assignment]
_attempts: sa.Table = Attempt.__table__  # type: ignore[assignment]
_interchanges: sa.Table = Interchange.__table__  # type: ignore[assignment]
_file = _files.c
_attempt = _attempts.c

_SHA256 = re.compile(r"[0-9a-f]{64}")
# Outcomes after which an attempt has finished its work (RETRYING and "no verdict yet" have not).
_FINAL = (Outcome.OK, Outcome.ERRORS, Outcome.QUARANTINED, Outcome.DUPLICATE, Outcome.FAILED)


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


# --- statements (built once) ---------------------------------------------------------------------------


def _latest_attempt_id(file_parameter: str) -> sa.ScalarSelect[int]:
    """The id of the file's latest attempt (an alias, so that an UPDATE of attempts does not correlate)."""
    other = _attempts.alias("latest")
    return (
        sa.select(other.c.id)
        .where(other.c.file_id == sa.bindparam(file_parameter))
        .order_by(other.c.number.desc())
        .limit(1)
        .correlate(None)
        .scalar_subquery()
    )


def _stage_at_most(column: sa.Column[Stage], stage: Stage) -> sa.ColumnElement[bool]:
    """``column`` holds ``stage`` or an earlier one (fixed values: one compiled form, no expanding IN)."""
    return sa.or_(*(column == earlier.value for earlier in Stage if stage.at_least(earlier)))


def _stage_before(column: sa.Column[Stage], stage: Stage) -> sa.ColumnElement[bool]:
    return sa.or_(*(column == earlier.value for earlier in Stage if earlier.rank < stage.rank))


_FILE_COLUMNS = (
    "source",
    "original_name",
    "original_name_raw",
    "sha256",
    "size_bytes",
    "received_at",
    "partner_id",
    "kind",
    "stage",
    "outcome",
    "reason",
    "content_key",
)
_SELECT_FILE = sa.select(_files).where(_file.id == sa.bindparam("file"))
_SELECT_ORIGINAL = sa.select(_files).where(
    _file.source == sa.bindparam("source"), _file.content_key == sa.bindparam("sha256")
)
_INSERT_FILE = PerDialect(
    lambda insert: (
        insert(_files)
        .values(bound_values(_files, *_FILE_COLUMNS))
        .on_conflict_do_nothing(index_elements=["source", "content_key"])
        .returning(_file.id)
    )
)
_INSERT_DUPLICATE = (
    sa.insert(_files).values(bound_values(_files, *_FILE_COLUMNS, "duplicate_of_id")).returning(_file.id)
)
_SELECT_NEEDING_RECOVERY = (
    sa.select(_files)
    .where(
        _file.archived_at.is_(None),
        sa.or_(
            _file.stage.in_([Stage.STAGED.value, Stage.ACKNOWLEDGED.value]),
            _file.outcome.in_([Outcome.QUARANTINED.value, Outcome.DUPLICATE.value]),
        ),
    )
    .order_by(_file.id)
)
_ARCHIVE_FILE = (
    sa.update(_files)
    .where(_file.id == sa.bindparam("file"))
    .values(
        stored_path=sa.bindparam("stored_path"),
        archived_at=sa.bindparam("archived_at", type_=_file.archived_at.type),
        stage=Stage.ARCHIVED,
    )
)
_ARCHIVE_LATEST_ATTEMPT = (
    sa.update(_attempts)
    .where(_attempt.id == _latest_attempt_id("file"), _stage_before(_attempt.stage, Stage.ARCHIVED))
    .values(stage=Stage.ARCHIVED)
)
# ``set_state(latest, ACKNOWLEDGED, its own outcome and reason)`` without reading the attempt first.
_ACKNOWLEDGE_LATEST_ATTEMPT = (
    sa.update(_attempts)
    .where(_attempt.id == _latest_attempt_id("file"), _stage_before(_attempt.stage, Stage.ACKNOWLEDGED))
    .values(
        stage=Stage.ACKNOWLEDGED,
        finished_at=sa.case(
            (
                sa.or_(*(_attempt.outcome == outcome.value for outcome in _FINAL)),
                sa.bindparam("now", type_=_attempt.finished_at.type),
            ),
            else_=sa.null(),
        ),
    )
    .returning(_attempt.id, _attempt.outcome, _attempt.reason)
)
_SELECT_LATEST_ATTEMPT = (
    sa.select(_attempts)
    .where(_attempt.file_id == sa.bindparam("file"))
    .order_by(_attempt.number.desc())
    .limit(1)
)
_numbered = _attempts.alias("numbered")
_START_ATTEMPT = (
    sa.insert(_attempts)
    .values(
        {
            **bound_values(_attempts, "file_id", "parent_id", "trigger", "started_at", "stage", "outcome"),
            # The next number in the same statement: one round trip, the same row as reading the maximum.
            "number": sa.select(sa.func.coalesce(sa.func.max(_numbered.c.number), 0) + 1)
            .where(_numbered.c.file_id == sa.bindparam("file"))
            .scalar_subquery(),
        }
    )
    .returning(_attempt.id)
)
_SELECT_ATTEMPT_STATE = sa.select(_attempt.file_id, _attempt.stage).where(
    _attempt.id == sa.bindparam("attempt")
)
# One UPDATE per target stage: the WHERE clause refuses to go backwards, so nothing is read first.
_MOVE_ATTEMPT = {
    stage: sa.update(_attempts)
    .where(
        _attempt.id == sa.bindparam("attempt"),
        _attempt.file_id == sa.bindparam("file"),
        _stage_at_most(_attempt.stage, stage),
    )
    .values(
        stage=sa.bindparam("stage", type_=_attempt.stage.type),
        outcome=sa.bindparam("outcome", type_=_attempt.outcome.type),
        reason=sa.bindparam("reason", type_=_attempt.reason.type),
        finished_at=sa.bindparam("finished_at", type_=_attempt.finished_at.type),
    )
    for stage in Stage
}
_MIRROR_LATEST_ATTEMPT = (
    sa.update(_files)
    .where(_file.id == sa.bindparam("file"), _latest_attempt_id("file") == sa.bindparam("attempt"))
    .values(
        stage=sa.bindparam("stage", type_=_file.stage.type),
        outcome=sa.bindparam("outcome", type_=_file.outcome.type),
        reason=sa.bindparam("reason", type_=_file.reason.type),
    )
)
_SELECT_INTERCHANGES_WITH_CONTROL_NUMBER = (
    sa.select(
        _interchanges.c.id.label("interchange_id"),
        _interchanges.c.file_id,
        _interchanges.c.attempt_id,
        _file.source,
        _file.sha256,
        _file.received_at,
    )
    .join(_files, _file.id == _interchanges.c.file_id)
    .where(
        _interchanges.c.sender_qualifier == sa.bindparam("sender_qualifier"),
        _interchanges.c.sender_id == sa.bindparam("sender_id"),
        _interchanges.c.control_number == sa.bindparam("control_number"),
        _file.received_at >= sa.bindparam("since"),
    )
    .order_by(_file.received_at, _interchanges.c.id)
)


# --- files ----------------------------------------------------------------------------------------------


def get_file(connection: Connection, file_id: int) -> FileRow | None:
    row = connection.execute(_SELECT_FILE, {"file": file_id}).one_or_none()
    return None if row is None else _file_row(row)


def find_original(connection: Connection, source: str, sha256: str) -> FileRow | None:
    """The first arrival of this content from this source, if any."""
    row = connection.execute(_SELECT_ORIGINAL, {"source": source, "sha256": sha256}).one_or_none()
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
        "kind": FileKind(kind),
        "stage": Stage(stage),
        "outcome": None if outcome is None else Outcome(outcome),
        "reason": reason,
        "content_key": sha256,
    }
    file_id = connection.execute(_INSERT_FILE.of(connection), values).scalar_one_or_none()
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
    values = {
        "source": source,
        "original_name": original_name,
        "original_name_raw": original_name_raw,
        "sha256": sha256,
        "size_bytes": size_bytes,
        "received_at": received_at or utc_now(),
        "partner_id": partner_id,
        "kind": FileKind(kind),
        "stage": Stage.RECEIVED,
        "outcome": Outcome.DUPLICATE,
        "reason": None,
        "content_key": None,
        "duplicate_of_id": duplicate_of_id,
    }
    return int(connection.execute(_INSERT_DUPLICATE, values).scalar_one())


def files_needing_recovery(connection: Connection) -> list[FileRow]:
    """Files whose database work committed but whose original was not moved yet (a crash in between):
    staged or acknowledged, or recorded as quarantined or duplicate, and not archived."""
    return [_file_row(row) for row in connection.execute(_SELECT_NEEDING_RECOVERY)]


def mark_archived(connection: Connection, file_id: int, stored_path: str) -> None:
    """The original now lies at ``stored_path`` (relative to the gateway's home: ``archive/...``); the
    file and its latest attempt are at stage ``archived`` (an attempt further on stays where it is)."""
    path = PurePosixPath(stored_path)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError("stored_path must be a relative path inside the gateway's folders")
    parameters = {"file": file_id, "stored_path": str(path), "archived_at": utc_now()}
    if connection.execute(_ARCHIVE_FILE, parameters).rowcount != 1:
        raise StagingStateError(f"no received file {file_id}", code="STAGING.NO_FILE")
    connection.execute(_ARCHIVE_LATEST_ATTEMPT, {"file": file_id})


def mark_acknowledged(connection: Connection, file_id: int) -> None:
    """The acknowledgements of the file's latest attempt are written: it (and the file) reach stage
    ``acknowledged`` with their outcome and reason unchanged, as ``set_state`` would move them. Nothing
    changes when the attempt is there already (or further on)."""
    moved = connection.execute(_ACKNOWLEDGE_LATEST_ATTEMPT, {"file": file_id, "now": utc_now()}).one_or_none()
    if moved is not None:
        connection.execute(
            _MIRROR_LATEST_ATTEMPT,
            {
                "file": file_id,
                "attempt": moved.id,
                "stage": Stage.ACKNOWLEDGED,
                "outcome": moved.outcome,
                "reason": moved.reason,
            },
        )


def set_kind(connection: Connection, file_id: int, kind: FileKind) -> None:
    """What the file turned out to be when read again (a reprocess routes it afresh)."""
    connection.execute(sa.update(_files).where(_file.id == file_id).values(kind=kind))


# --- attempts -------------------------------------------------------------------------------------------


def latest_attempt(connection: Connection, file_id: int) -> AttemptRow | None:
    row = connection.execute(_SELECT_LATEST_ATTEMPT, {"file": file_id}).one_or_none()
    return None if row is None else _attempt_row(row)


def start_attempt(
    connection: Connection, file_id: int, trigger: AttemptTrigger, parent_id: int | None = None
) -> int:
    """A new attempt (number = previous + 1) at stage ``received``; a reprocess names its parent attempt."""
    values = {
        "file_id": file_id,
        "file": file_id,
        "parent_id": parent_id,
        "trigger": AttemptTrigger(trigger),
        "started_at": utc_now(),
        "stage": Stage.RECEIVED,
        "outcome": None,
    }
    return int(connection.execute(_START_ATTEMPT, values).scalar_one())


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
    Two statements: the attempt's UPDATE checks its file and stage itself (the attempt is read only to say
    why it refused), and the file's UPDATE applies only when this attempt is the latest.
    """
    stage = Stage(stage)
    outcome = None if outcome is None else Outcome(outcome)
    parameters = {
        "attempt": attempt_id,
        "file": file_id,
        "stage": stage,
        "outcome": outcome,
        "reason": reason,
        "finished_at": utc_now() if outcome in _FINAL else None,
    }
    if connection.execute(_MOVE_ATTEMPT[stage], parameters).rowcount != 1:
        _refuse_state(connection, file_id, attempt_id, stage)
    connection.execute(_MIRROR_LATEST_ATTEMPT, parameters)


def _refuse_state(connection: Connection, file_id: int, attempt_id: int, stage: Stage) -> None:
    current = connection.execute(_SELECT_ATTEMPT_STATE, {"attempt": attempt_id}).one_or_none()
    if current is None or current.file_id != file_id:
        raise StagingStateError(
            f"attempt {attempt_id} is not an attempt of file {file_id}", code="STAGING.STATE"
        )
    raise StagingStateError(
        f"attempt {attempt_id} cannot go back from {Stage(current.stage).value} to {stage.value}",
        code="STAGING.STATE",
    )


# --- interchanges ---------------------------------------------------------------------------------------


def interchanges_with_control_number(
    connection: Connection, sender_qualifier: str, sender_id: str, control_number: str, since: datetime
) -> list[InterchangeSeen]:
    """Interchanges from this sender with this ISA13 in files received since ``since``, oldest first."""
    rows = connection.execute(
        _SELECT_INTERCHANGES_WITH_CONTROL_NUMBER,
        {
            "sender_qualifier": sender_qualifier,
            "sender_id": sender_id,
            "control_number": control_number,
            "since": since,
        },
    )
    return [InterchangeSeen(**row._asdict()) for row in rows]
