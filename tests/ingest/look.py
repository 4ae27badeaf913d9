"""Looks into the staging database and the gateway's folders, and the checks every test ends with.

The checks say what "nothing lost, nothing twice" means: every input staged exactly once (one row per
content, with its content_key) and its original archived byte for byte; every acknowledgement recorded,
written once with exactly its bytes, its control numbers never reused and never skipped; no temporary file
left; the audit chain intact.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import sqlalchemy as sa

from gateway.staging import AckDirection, AckStatus, Outcome, Stage
from gateway.staging.acks import AckRow, acknowledgements_of_file
from gateway.staging.audit import verify_chain
from gateway.staging.database import Database
from gateway.staging.files import FileRow, get_file
from gateway.staging.models import Issue, ReceivedFile

from .x12files import read_x12

TEMPORARY_PREFIX, TEMPORARY_SUFFIX = ".edigw-", ".tmp"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- the database ---------------------------------------------------------------------------------------


def file_rows(database: Database) -> list[FileRow]:
    """Every received file, in id order."""
    table = ReceivedFile.__table__
    with database.read() as connection:
        ids = connection.execute(sa.select(table.c.id).order_by(table.c.id)).scalars().all()
        rows = [get_file(connection, file_id) for file_id in ids]
    return [row for row in rows if row is not None]


def sent_acks(database: Database) -> list[AckRow]:
    """Every acknowledgement the gateway recorded as sent, in id order."""
    table = ReceivedFile.__table__
    with database.read() as connection:
        ids = connection.execute(sa.select(table.c.id).order_by(table.c.id)).scalars().all()
        acks = [ack for file_id in ids for ack in acknowledgements_of_file(connection, file_id)]
    return sorted((ack for ack in acks if ack.direction == AckDirection.SENT), key=lambda ack: ack.id)


def count_rows(database: Database, table: str, **where: object) -> int:
    """How many rows of ``table`` match ``where`` (column = value)."""
    metadata_table = ReceivedFile.metadata.tables[table]
    query = sa.select(sa.func.count()).select_from(metadata_table)
    for column, value in where.items():
        query = query.where(metadata_table.c[column] == value)
    with database.read() as connection:
        return int(connection.execute(query).scalar_one())


def issues_of(database: Database, file_id: int) -> list[dict[str, object]]:
    table = Issue.__table__
    with database.read() as connection:
        rows = connection.execute(sa.select(table).where(table.c.file_id == file_id).order_by(table.c.id))
        return [dict(row._asdict()) for row in rows]


def audit_breaks(database: Database) -> list[str]:
    with database.read() as connection:
        return [f"record {found.id}: {found.reason}" for found in verify_chain(connection)]


# --- the folders ----------------------------------------------------------------------------------------


def regular_files(folder: Path) -> list[Path]:
    """Every regular file under ``folder`` (not following symbolic links), sorted."""
    found = []
    for root, _folders, names in os.walk(folder):
        for name in names:
            path = Path(root, name)
            if path.is_file() and not path.is_symlink():
                found.append(path)
    return sorted(found)


def temporaries(folder: Path) -> list[Path]:
    """The gateway's temporary files (``.edigw-*.tmp``) under ``folder``."""
    return [
        path
        for path in regular_files(folder)
        if path.name.startswith(TEMPORARY_PREFIX) and path.name.endswith(TEMPORARY_SUFFIX)
    ]


def tree(folder: Path) -> set[str]:
    """Every entry under ``folder`` (files, folders, links), relative to it: to see what appeared."""
    entries = set()
    for root, folders, names in os.walk(os.fsencode(folder)):
        for name in [*folders, *names]:
            entries.add(os.fsdecode(os.path.relpath(os.path.join(root, name), os.fsencode(folder))))
    return entries


# --- the checks -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Staged:
    """One input as the database and the folders hold it after the test."""

    row: FileRow
    stored: Path  # where its original lies now


def check_staged_exactly_once(
    database: Database, home: Path, inputs: Mapping[str, bytes]
) -> dict[str, Staged]:
    """Every input (name -> bytes, all different) has exactly one row, archived or quarantined, with its
    original byte-identical where the row says; no row is a duplicate of our own files. By input name."""
    rows = file_rows(database)
    assert [row.id for row in rows if row.outcome == Outcome.DUPLICATE] == [], "a file was recorded twice"
    by_sha = defaultdict(list)
    for row in rows:
        by_sha[row.sha256].append(row)
    assert {row.sha256 for row in rows} == {sha256(data) for data in inputs.values()}, "a file is missing"
    staged = {}
    for name, data in inputs.items():
        [row] = by_sha[sha256(data)]
        assert row.content_key == row.sha256, f"{name}: not staged as a first arrival"
        assert row.stage == Stage.ARCHIVED and row.archived_at is not None, f"{name}: {row.stage}"
        assert row.stored_path is not None
        stored = home / row.stored_path
        assert stored.read_bytes() == data, f"{name}: the stored original differs"
        staged[name] = Staged(row, stored)
    return staged


def check_acknowledgements(database: Database, outbox: Path) -> list[AckRow]:
    """Every recorded acknowledgement is written, once, with exactly its bytes and the control numbers it
    was recorded with; nothing else is in the outbox; per partner folder, interchange, group and
    transaction control numbers are each used once and run 1, 2, 3... with none skipped."""
    acks = sent_acks(database)
    assert [ack.id for ack in acks if ack.status != AckStatus.WRITTEN] == [], "an ack was never written"
    paths = [ack.path for ack in acks]
    assert len(set(paths)) == len(paths), "two acknowledgements share a file"
    on_disk = {path.relative_to(outbox).as_posix() for path in regular_files(outbox)}
    assert on_disk == set(paths), "the outbox holds other files than the recorded acknowledgements"
    numbers: dict[tuple[str, str], list[int]] = defaultdict(list)
    for ack in acks:
        assert ack.path is not None and ack.content is not None
        assert (outbox / ack.path).read_bytes() == ack.content, f"{ack.path}: not the recorded bytes"
        scope = PurePosixPath(ack.path).parts[0]
        [interchange] = read_x12(outbox / ack.path).interchanges
        assert interchange.control_number == ack.interchange_control_number
        numbers[scope, "interchange"].append(int(interchange.control_number))
        for group in interchange.groups:
            numbers[scope, "group"].append(int(group.header.control_number))
            numbers[scope, "transaction"] += [int(t.control_number) for t in group.transactions]
    for (scope, kind), used in numbers.items():
        assert sorted(used) == list(range(1, len(used) + 1)), f"{scope} {kind} numbers: {sorted(used)}"
    return acks


def check_no_temporaries(*folders: Path) -> None:
    left = [path for folder in folders for path in temporaries(folder)]
    assert left == [], f"temporary files left: {left}"


def check_audit_chain(database: Database) -> None:
    assert audit_breaks(database) == []


def check_untouched(paths: Iterable[Path], before: Mapping[Path, tuple[bytes, int]]) -> None:
    """Each path still holds the same bytes with the same modification time as ``before``."""
    for path in paths:
        assert path.read_bytes() == before[path][0], f"{path.name} changed"
        assert path.stat().st_mtime_ns == before[path][1], f"{path.name} was touched"
