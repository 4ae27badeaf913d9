"""The audit log: append-only (database triggers refuse UPDATE and DELETE) and hash-chained.

Each record's ``hash`` is ``sha256(prev_hash + canonical JSON of (at, event, file_id, attempt_id,
details))``, ``prev_hash`` being the previous record's hash (64 zeros for the first). Changing, removing or
forging a record in the middle breaks the chain, which ``verify_chain`` reports. Appends serialise: on
PostgreSQL with a transaction-level advisory lock, on SQLite through the write lock every write transaction
takes first. ``details`` is small and never business data: ids, codes, counts, reasons.

The lock and the last hash are needed once per transaction: both stay valid until it ends, so later appends
in the same transaction reuse the hash the previous one wrote (not inside a savepoint, whose rollback could
undo it). Records are therefore appended only through ``append`` while a transaction appends.
"""

from __future__ import annotations

import hashlib
import json
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Transaction

from .models import AuditRecord
from .sql import bound_values, utc_now
from .states import AuditEvent

__all__ = ["GENESIS_HASH", "AuditBreak", "AuditDetails", "append", "verify_chain"]

GENESIS_HASH = "0" * 64
_APPEND_LOCK = 0x4544_4757_0002  # pg_advisory_xact_lock key ("EDGW" 2)

AuditDetails = Mapping[str, str | int | bool | None]

_audit: sa.Table = AuditRecord.__table__  # type: ignore[assignment]
_column = _audit.c

_LOCK = sa.text("SELECT pg_advisory_xact_lock(:key)")
_SELECT_LAST_HASH = sa.select(_column.hash).order_by(_column.id.desc()).limit(1)
_INSERT_RECORD = (
    sa.insert(_audit)
    .values(bound_values(_audit, "at", "event", "file_id", "attempt_id", "details", "prev_hash", "hash"))
    .returning(_column.id)
)
# The hash of the last record appended in each open transaction (forgotten with the transaction).
_tails: weakref.WeakKeyDictionary[Transaction, str] = weakref.WeakKeyDictionary()


@dataclass(frozen=True, slots=True)
class AuditBreak:
    """Where the chain does not hold: the record's id and what is wrong with it."""

    id: int
    reason: str


def _canonical(
    at: datetime, event: str, file_id: int | None, attempt_id: int | None, details: object
) -> bytes:
    fields = {
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "event": event,
        "file_id": file_id,
        "attempt_id": attempt_id,
        "details": details,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _chain(prev_hash: str, canonical: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical).hexdigest()


def _check_details(details: AuditDetails | None) -> dict[str, str | int | bool | None] | None:
    if details is None:
        return None
    checked: dict[str, str | int | bool | None] = {}
    for key, value in details.items():
        if not isinstance(key, str) or not (value is None or isinstance(value, str | int | bool)):
            # Floats would not survive the round trip exactly, and nested data does not belong here.
            raise TypeError("audit details are flat: text keys, and text, integer, boolean or null values")
        checked[key] = value
    return checked


def append(
    connection: Connection,
    event: AuditEvent,
    *,
    file_id: int | None = None,
    attempt_id: int | None = None,
    details: AuditDetails | None = None,
) -> int:
    """Append one record in the caller's transaction; returns its id."""
    event = AuditEvent(event)
    data = _check_details(details)
    prev_hash = _last_hash(connection)
    at = utc_now()
    digest = _chain(prev_hash, _canonical(at, event.value, file_id, attempt_id, data))
    inserted = connection.execute(
        _INSERT_RECORD,
        {
            "at": at,
            "event": event,
            "file_id": file_id,
            "attempt_id": attempt_id,
            "details": data,
            "prev_hash": prev_hash,
            "hash": digest,
        },
    ).scalar_one()
    transaction = _remembering(connection)
    if transaction is not None:
        _tails[transaction] = digest
    return int(inserted)


def _last_hash(connection: Connection) -> str:
    """The chain's last hash, holding the append lock: remembered from this transaction's previous append,
    or (the first time) read after taking the lock."""
    transaction = _remembering(connection)
    if transaction is not None:
        remembered = _tails.get(transaction)
        if remembered is not None:
            return remembered
    if connection.dialect.name == "postgresql":
        connection.execute(_LOCK, {"key": _APPEND_LOCK})
    return connection.execute(_SELECT_LAST_HASH).scalar_one_or_none() or GENESIS_HASH


def _remembering(connection: Connection) -> Transaction | None:
    """The transaction whose last hash may be remembered; None inside a savepoint (whose rollback would undo
    appends made in it), which also forgets what the enclosing transaction remembered."""
    transaction = connection.get_transaction()
    if transaction is None:
        return None
    if connection.in_nested_transaction():
        _tails.pop(transaction, None)
        return None
    return transaction


def verify_chain(connection: Connection) -> list[AuditBreak]:
    """Every place where the chain does not hold, in id order (empty when it is intact)."""
    column = _column
    rows = connection.execution_options(stream_results=True, max_row_buffer=1000).execute(
        sa.select(
            column.id,
            column.at,
            column.event,
            column.file_id,
            column.attempt_id,
            column.details,
            column.prev_hash,
            column.hash,
        ).order_by(column.id)
    )
    breaks: list[AuditBreak] = []
    previous = GENESIS_HASH
    for row in rows:
        if row.prev_hash != previous:
            breaks.append(AuditBreak(row.id, "prev_hash is not the previous record's hash"))
        canonical = _canonical(row.at, AuditEvent(row.event).value, row.file_id, row.attempt_id, row.details)
        if row.hash != _chain(row.prev_hash, canonical):
            breaks.append(AuditBreak(row.id, "hash does not match the record's content"))
        previous = row.hash
    return breaks
