"""Received files and attempts: staged once (UNIQUE(source, content_key)), duplicates recorded, states."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gateway.errors import AlreadyStaged, StagingStateError
from gateway.staging import files
from gateway.staging.database import Database
from gateway.staging.states import AttemptTrigger, FileKind, Outcome, Stage

from .helpers import sha256, stage_golden

CONTENT = b"ISA*00*..."
DIGEST = sha256(CONTENT)


def _insert(connection: object, source: str = "local:inbox", name: str | bytes = "po.edi") -> int:
    return files.insert_received_file(
        connection,  # type: ignore[arg-type]
        source=source,
        name=name,
        sha256=DIGEST,
        size_bytes=len(CONTENT),
        partner_id="medsupplyco",
    )


def test_the_same_content_from_the_same_source_is_staged_once(database: Database) -> None:
    with database.begin() as connection:
        original = _insert(connection)
        with pytest.raises(AlreadyStaged) as raised:
            _insert(connection, name="po-again.edi")
        assert raised.value.original_id == original
        # The transaction is still usable after the conflict (PostgreSQL would abort it on an IntegrityError).
        duplicate = files.insert_duplicate(
            connection,
            source="local:inbox",
            name="po-again.edi",
            sha256=DIGEST,
            size_bytes=len(CONTENT),
            duplicate_of_id=original,
        )
        other_source = _insert(connection, source="local:inbox/other")
        found = files.find_original(connection, "local:inbox", DIGEST)
        row = files.get_file(connection, duplicate)
    assert found is not None and found.id == original and found.content_key == DIGEST
    assert row is not None
    assert (row.outcome, row.content_key, row.duplicate_of_id) == (Outcome.DUPLICATE, None, original)
    assert other_source not in (original, duplicate)


def test_a_concurrent_first_arrival_committed_elsewhere_is_reported(database: Database) -> None:
    with database.begin() as connection:
        original = _insert(connection)
    with pytest.raises(AlreadyStaged) as raised, database.begin() as connection:
        _insert(connection, name="renamed.edi")
    assert raised.value.original_id == original


def test_a_file_row_holds_what_was_received(database: Database) -> None:
    received_at = datetime(2026, 11, 22, 9, 30, 1, 123456, tzinfo=UTC)
    with database.begin() as connection:
        file_id = files.insert_received_file(
            connection,
            source="local:inbox",
            name="po.edi",
            sha256=DIGEST,
            size_bytes=10,
            kind=FileKind.X12,
            received_at=received_at,
        )
        row = files.get_file(connection, file_id)
    assert row == files.FileRow(
        id=file_id,
        source="local:inbox",
        original_name="po.edi",
        original_name_raw=None,
        sha256=DIGEST,
        size_bytes=10,
        received_at=received_at,
        partner_id=None,
        kind=FileKind.X12,
        stage=Stage.RECEIVED,
        outcome=None,
        reason=None,
        content_key=DIGEST,
        duplicate_of_id=None,
        stored_path=None,
        archived_at=None,
    )
    with pytest.raises(ValueError), database.begin() as connection:
        files.insert_received_file(connection, source="s", name="n", sha256="ABC", size_bytes=1)


@pytest.mark.parametrize(
    ("name", "shown", "raw"),
    [
        ("po.edi", "po.edi", None),
        ("bestellung-ä.edi", "bestellung-ä.edi", None),
        ("po\n\x1b[31m.edi", "po\\x0a\\x1b[31m.edi", b"po\n\x1b[31m.edi"),
        (b"po-\xff\xfe.edi", "po-\\xff\\xfe.edi", b"po-\xff\xfe.edi"),
        ("po-\udcff.edi", "po-\\xff.edi", b"po-\xff.edi"),  # how os.listdir hands over a bad byte
        (b"a\\b\x00", "a\\\\b\\x00", b"a\\b\x00"),
    ],
)
def test_hostile_names_are_kept_exactly_and_shown_safely(
    name: str | bytes, shown: str, raw: bytes | None
) -> None:
    assert files.display_name(name) == (shown, raw)


def test_names_are_stored_with_their_exact_bytes(database: Database) -> None:
    with database.begin() as connection:
        file_id = _insert(connection, name=b"po-\xff.edi")
        row = files.get_file(connection, file_id)
    assert row is not None and (row.original_name, row.original_name_raw) == ("po-\\xff.edi", b"po-\xff.edi")


def test_attempts_are_numbered_and_the_file_mirrors_the_latest(database: Database) -> None:
    with database.begin() as connection:
        file_id = _insert(connection)
        first = files.start_attempt(connection, file_id, AttemptTrigger.INGEST)
        files.set_state(connection, file_id, first, Stage.STAGED, Outcome.ERRORS)
        files.set_state(connection, file_id, first, Stage.ACKNOWLEDGED, Outcome.ERRORS)
        files.mark_archived(connection, file_id, "archive/2026/11/22/po.edi")
        second = files.start_attempt(connection, file_id, AttemptTrigger.REPROCESS, parent_id=first)
        files.set_state(connection, file_id, second, Stage.STAGED, Outcome.OK)
        # An older attempt moving on no longer changes the file.
        files.set_state(connection, file_id, first, Stage.MATCHED, Outcome.ERRORS)
        latest = files.latest_attempt(connection, file_id)
        row = files.get_file(connection, file_id)
        with pytest.raises(StagingStateError, match="cannot go back"):
            files.set_state(connection, file_id, second, Stage.RECEIVED, Outcome.RETRYING)
        with pytest.raises(StagingStateError):
            files.set_state(connection, file_id + 1, second, Stage.STAGED, Outcome.OK)
    assert latest is not None
    assert (latest.id, latest.number, latest.parent_id, latest.trigger) == (
        second,
        2,
        first,
        AttemptTrigger.REPROCESS,
    )
    assert latest.finished_at is not None
    assert row is not None
    assert (row.stage, row.outcome, row.stored_path) == (
        Stage.STAGED,
        Outcome.OK,
        "archive/2026/11/22/po.edi",
    )


def test_recovery_finds_work_committed_but_not_archived(database: Database) -> None:
    with database.begin() as connection:
        staged = _insert(connection, source="a")
        attempt = files.start_attempt(connection, staged, AttemptTrigger.INGEST)
        files.set_state(connection, staged, attempt, Stage.STAGED, Outcome.OK)
        archived = _insert(connection, source="b")
        attempt = files.start_attempt(connection, archived, AttemptTrigger.INGEST)
        files.set_state(connection, archived, attempt, Stage.ACKNOWLEDGED, Outcome.OK)
        files.mark_archived(connection, archived, "archive/2026/11/22/b.edi")
        in_progress = _insert(connection, source="c")
        files.start_attempt(connection, in_progress, AttemptTrigger.INGEST)
        quarantined = _insert(connection, source="d")
        attempt = files.start_attempt(connection, quarantined, AttemptTrigger.INGEST)
        files.set_state(connection, quarantined, attempt, Stage.RECEIVED, Outcome.QUARANTINED, "not X12")
        duplicate = files.insert_duplicate(
            connection, source="a", name="x", sha256=DIGEST, size_bytes=1, duplicate_of_id=staged
        )
        pending = [row.id for row in files.files_needing_recovery(connection)]
        archived_row = files.get_file(connection, archived)
        with pytest.raises(ValueError):
            files.mark_archived(connection, staged, "../outside")
    assert pending == [staged, quarantined, duplicate]
    assert archived_row is not None and archived_row.stage == Stage.ARCHIVED and archived_row.archived_at


def test_interchanges_with_the_same_control_number(database: Database) -> None:
    file_id, attempt_id, _ = stage_golden(database, "hospital_850_medsurg.edi")
    with database.read() as connection:
        recent = datetime.now(UTC) - timedelta(days=1)
        seen = files.interchanges_with_control_number(connection, "ZZ", "MERCYGENERAL", "000004417", recent)
        later = files.interchanges_with_control_number(
            connection, "ZZ", "MERCYGENERAL", "000004417", datetime.now(UTC) + timedelta(days=1)
        )
        other = files.interchanges_with_control_number(connection, "ZZ", "SOMEONE", "000004417", recent)
    assert [(s.file_id, s.attempt_id) for s in seen] == [(file_id, attempt_id)]
    assert len(seen[0].sha256) == 64
    assert later == [] and other == []
