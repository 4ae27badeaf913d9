"""Acknowledgements sent: the exact bytes are committed before the file is written.

``record_sent`` stores an acknowledgement's bytes (``pending``) in the same transaction that allocated its
control numbers; the pipeline then writes the file and calls ``mark_written``. After a crash in between,
``unwritten`` hands back the same bytes to write again: no new numbers are ever allocated for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import StagingStateError
from .models import Acknowledgement
from .sql import utc_now
from .states import AckDirection, AckKind, AckStatus

__all__ = ["AckRow", "acknowledgements_of_file", "mark_written", "record_sent", "unwritten"]

_acks: sa.Table = Acknowledgement.__table__  # type: ignore[assignment]


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
    """A sent acknowledgement, ``pending`` until its file is written; ``path`` is relative to the outbox."""
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ValueError("path must be relative to the outbox")
    inserted = connection.execute(
        sa.insert(_acks)
        .values(
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
        )
        .returning(_acks.c.id)
    ).scalar_one()
    return int(inserted)


def mark_written(connection: Connection, ack_id: int) -> None:
    updated = connection.execute(
        sa.update(_acks)
        .where(_acks.c.id == ack_id, _acks.c.direction == AckDirection.SENT.value)
        .values(status=AckStatus.WRITTEN, written_at=utc_now())
    ).rowcount
    if updated != 1:
        raise StagingStateError(f"no sent acknowledgement {ack_id}", code="STAGING.NO_ACK")


def unwritten(connection: Connection) -> list[AckRow]:
    """Sent acknowledgements whose file is not written yet (write exactly ``content`` to ``path``)."""
    rows = connection.execute(
        sa.select(_acks)
        .where(_acks.c.direction == AckDirection.SENT.value, _acks.c.status == AckStatus.PENDING.value)
        .order_by(_acks.c.id)
    )
    return [AckRow(**row._asdict()) for row in rows]


def acknowledgements_of_file(connection: Connection, file_id: int) -> list[AckRow]:
    """Acknowledgements sent for, or received in, one file."""
    rows = connection.execute(sa.select(_acks).where(_acks.c.file_id == file_id).order_by(_acks.c.id))
    return [AckRow(**row._asdict()) for row in rows]
