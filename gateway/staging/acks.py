"""Acknowledgements sent: the exact bytes are committed before the file is written.

``record_sent`` stores an acknowledgement's bytes (``pending``) in the same transaction that allocated its
control numbers; the pipeline then writes the file and calls ``mark_written``. After a crash in between,
``unwritten`` hands back the same bytes to write again: no new numbers are ever allocated for them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import PurePosixPath

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import StagingStateError
from .models import Acknowledgement
from .sql import bound_values, utc_now
from .states import AckDirection, AckKind, AckStatus

__all__ = [
    "AckRow",
    "acknowledgements_of_file",
    "mark_written",
    "record_sent",
    "record_sent_row",
    "unwritten",
]

_acks: sa.Table = Acknowledgement.__table__  # type: ignore[assignment]
_ack = _acks.c

_SENT_COLUMNS = (
    "direction",
    "kind",
    "partner_id",
    "file_id",
    "interchange_control_number",
    "group_control_number",
    "transaction_control_number",
    "acknowledged_interchange",
    "acknowledged_group",
    "verdict",
    "status",
    "path",
    "content",
    "created_at",
)
_INSERT_SENT = sa.insert(_acks).values(bound_values(_acks, *_SENT_COLUMNS)).returning(_ack.id)
# Parameters named apart from the columns: SQLAlchemy would take ``id`` for a value to SET.
_MARK_WRITTEN = (
    sa.update(_acks)
    .where(_ack.id == sa.bindparam("ack"), _ack.direction == AckDirection.SENT.value)
    .values(status=AckStatus.WRITTEN, written_at=sa.bindparam("now", type_=_ack.written_at.type))
)
_UNWRITTEN = sa.select(_acks).where(
    _ack.direction == AckDirection.SENT.value, _ack.status == AckStatus.PENDING.value
)
_SELECT_UNWRITTEN = _UNWRITTEN.order_by(_ack.id)
_SELECT_UNWRITTEN_OF_FILE = _UNWRITTEN.where(_ack.file_id == sa.bindparam("file")).order_by(_ack.id)
_SELECT_OF_FILE = sa.select(_acks).where(_ack.file_id == sa.bindparam("file")).order_by(_ack.id)


@dataclass(frozen=True, slots=True)
class AckRow:
    id: int
    direction: AckDirection
    kind: AckKind
    partner_id: str | None
    file_id: int | None
    interchange_control_number: str | None
    group_control_number: str | None
    transaction_control_number: str | None
    acknowledged_interchange: str | None
    acknowledged_group: str | None
    verdict: str | None
    status: AckStatus
    path: str | None
    content: bytes | None
    created_at: datetime
    written_at: datetime | None


def record_sent(
    connection: Connection,
    *,
    kind: AckKind,
    partner_id: str | None,
    file_id: int | None,
    content: bytes,
    path: str,
    interchange_control_number: str,
    group_control_number: str | None = None,
    transaction_control_number: str | None = None,
    acknowledged_interchange: str | None = None,
    acknowledged_group: str | None = None,
    verdict: str | None = None,
) -> int:
    """A sent acknowledgement, ``pending`` until its file is written; ``path`` is relative to the outbox.
    Returns its id."""
    return record_sent_row(
        connection,
        kind=kind,
        partner_id=partner_id,
        file_id=file_id,
        content=content,
        path=path,
        interchange_control_number=interchange_control_number,
        group_control_number=group_control_number,
        transaction_control_number=transaction_control_number,
        acknowledged_interchange=acknowledged_interchange,
        acknowledged_group=acknowledged_group,
        verdict=verdict,
    ).id


def record_sent_row(
    connection: Connection,
    *,
    kind: AckKind,
    partner_id: str | None,
    file_id: int | None,
    content: bytes,
    path: str,
    interchange_control_number: str,
    group_control_number: str | None = None,
    transaction_control_number: str | None = None,
    acknowledged_interchange: str | None = None,
    acknowledged_group: str | None = None,
    verdict: str | None = None,
) -> AckRow:
    """``record_sent``, returning the row as stored (what ``unwritten`` would read back after the commit)."""
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ValueError("path must be relative to the outbox")
    row = AckRow(
        id=0,
        direction=AckDirection.SENT,
        kind=AckKind(kind),
        partner_id=partner_id,
        file_id=file_id,
        interchange_control_number=interchange_control_number,
        group_control_number=group_control_number,
        transaction_control_number=transaction_control_number,
        acknowledged_interchange=acknowledged_interchange,
        acknowledged_group=acknowledged_group,
        verdict=verdict,
        status=AckStatus.PENDING,
        path=str(relative),
        content=content,
        created_at=utc_now(),
        written_at=None,
    )
    values = {name: getattr(row, name) for name in _SENT_COLUMNS}
    return replace(row, id=int(connection.execute(_INSERT_SENT, values).scalar_one()))


def mark_written(connection: Connection, ack_id: int) -> None:
    updated = connection.execute(_MARK_WRITTEN, {"ack": ack_id, "now": utc_now()}).rowcount
    if updated != 1:
        raise StagingStateError(f"no sent acknowledgement {ack_id}", code="STAGING.NO_ACK")


def unwritten(connection: Connection, file_id: int | None = None) -> list[AckRow]:
    """Sent acknowledgements (of one file, or all) whose file is not written yet: write exactly ``content``
    to ``path``."""
    rows = (
        connection.execute(_SELECT_UNWRITTEN)
        if file_id is None
        else connection.execute(_SELECT_UNWRITTEN_OF_FILE, {"file": file_id})
    )
    return [AckRow(**row._asdict()) for row in rows]


def acknowledgements_of_file(connection: Connection, file_id: int) -> list[AckRow]:
    """Acknowledgements sent for, or received in, one file."""
    return [AckRow(**row._asdict()) for row in connection.execute(_SELECT_OF_FILE, {"file": file_id})]
