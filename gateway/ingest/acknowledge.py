"""The acknowledgements a partner's policy asks for: built and recorded inside the staging transaction,
written to the outbox after it.

Recording first (``pending``, with the exact bytes and the control numbers taken from the database
counters in the same transaction) and writing second means a crash in between loses nothing and never
spends numbers twice: recovery writes the recorded bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy.engine import Connection

from emitters.x12.acks import write_acknowledgements
from parsers.x12.model import InterchangeResult

from ..channels.names import safe_file_name
from ..config import PartnerConfig
from ..staging import acks as staged_acks
from ..staging import audit
from ..staging.counters import DatabaseControlNumbers
from ..staging.database import Database
from ..staging.states import AckKind, AuditEvent
from . import storage
from .faults import crash_point

__all__ = [
    "mark_written",
    "outbox_folder",
    "pending_of",
    "record_acknowledgements",
    "write_files",
    "write_pending",
]

log = logging.getLogger("edigw.ingest")


class _RecordingControlNumbers(DatabaseControlNumbers):
    """Database control numbers that remember the first number of each kind handed out."""

    def __init__(self, connection: Connection, scope: str) -> None:
        super().__init__(connection, scope)
        self.first: dict[str, int] = {}

    def next(self, kind: str) -> int:
        value = super().next(kind)
        self.first.setdefault(kind, value)
        return value


def outbox_folder(partner: PartnerConfig | None, interchange: InterchangeResult) -> str:
    """``outbox/<partner id>/``, or for an unknown sender a folder named after its ISA05/ISA06."""
    if partner is not None:
        return partner.id
    return "unknown-" + safe_file_name(f"{interchange.sender_qualifier}-{interchange.sender_id}".encode())


def record_acknowledgements(
    connection: Connection,
    *,
    file_id: int,
    partner: PartnerConfig | None,
    interchanges: Sequence[InterchangeResult],
    now: datetime,
    rejected: bool = False,
) -> list[staged_acks.AckRow]:
    """Build and record (pending) what the partner's policy asks for; returns the rows as recorded (their
    ``path`` is relative to the outbox), so that step 3 need not read them back.

    ``rejected``: the file is quarantined, so only a TA1 (saying "R") goes, unless the policy says never.
    A sender we have no configuration for gets the defaults: 999 for 005010 and later, 997 before, a TA1
    when asked for or needed.
    """
    policy = partner.acknowledgements if partner is not None else None
    functional = policy.functional if policy is not None else "auto"
    kind: Literal["auto", "997", "999", "none"] = functional
    ta1 = policy.interchange if policy is not None else "requested"
    separators = suffix = None
    if partner is not None and partner.x12 is not None:
        separators = partner.x12.outbound_separators.separators()
        suffix = partner.x12.outbound_separators.suffix
    recorded: list[staged_acks.AckRow] = []
    for interchange in interchanges:
        folder = outbox_folder(partner, interchange)
        numbers = _RecordingControlNumbers(connection, partner.id if partner is not None else folder)
        text = write_acknowledgements(
            interchange,
            kind=kind,
            sender=None,
            receiver=None,
            control_numbers=numbers,
            date=now.strftime("%Y%m%d"),
            time=now.strftime("%H%M"),
            separators=separators,
            usage=None,
            suffix=suffix if suffix is not None else "\n",
            ta1=ta1,
            rejected=rejected,
        )
        if not text:
            continue
        control = numbers.first["interchange"]
        path = f"{folder}/ack-{control:09d}.x12"
        element = text[3]  # the ISA's element separator
        row = staged_acks.record_sent_row(
            connection,
            kind=AckKind.TA1
            if "group" not in numbers.first
            else AckKind.FA_999
            if f"ST{element}999{element}" in text
            else AckKind.FA_997,
            partner_id=partner.id if partner is not None else None,
            file_id=file_id,
            content=text.encode("utf-8"),
            path=path,
            interchange_control_number=f"{control:09d}",
            group_control_number=str(numbers.first["group"]) if "group" in numbers.first else None,
            acknowledged_interchange=interchange.control_number or None,
        )
        recorded.append(row)
    return recorded


def pending_of(database: Database, file_id: int | None = None) -> list[staged_acks.AckRow]:
    """The recorded, unwritten acknowledgements (of one file, or all)."""
    with database.read() as connection:
        return staged_acks.unwritten(connection, file_id)


def write_files(
    outbox: Path, pending: Sequence[staged_acks.AckRow], *, unsynced: set[Path] | None = None
) -> None:
    """Write each acknowledgement's exact bytes to its outbox path (atomically; again is harmless).

    ``unsynced``: collect the folders to fsync there instead of fsyncing each (see ``storage``)."""
    for ack in pending:
        assert ack.path is not None and ack.content is not None
        storage.write_atomically(outbox / ack.path, ack.content, unsynced=unsynced)
        crash_point("ack-written")
        log.info("acknowledgement written", extra={"context": {"file_id": ack.file_id, "path": ack.path}})


def mark_written(connection: Connection, pending: Sequence[staged_acks.AckRow]) -> None:
    """In the caller's transaction: the acknowledgements' files are written."""
    for ack in pending:
        staged_acks.mark_written(connection, ack.id)
        audit.append(
            connection,
            AuditEvent.ACK_WRITTEN,
            file_id=ack.file_id,
            details={"path": ack.path, "kind": ack.kind.value, "control": ack.interchange_control_number},
        )


def write_pending(database: Database, outbox: Path, file_id: int | None = None) -> list[str]:
    """Write every recorded, unwritten acknowledgement (of one file, or all) and mark it written."""
    pending = pending_of(database, file_id)
    if pending:
        write_files(outbox, pending)
        with database.begin() as connection:
            mark_written(connection, pending)
    return [ack.path for ack in pending if ack.path is not None]
