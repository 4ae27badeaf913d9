"""The pipeline in-process, on SQLite and PostgreSQL: what becomes of each kind of file dropped into the
inbox (staged, duplicate, quarantined), its acknowledgements as read back from the outbox, and where its
original ends up."""

from __future__ import annotations

import json
import os
from datetime import UTC
from pathlib import Path

import pytest

from gateway.ingest import pipeline
from gateway.staging import FileKind, Outcome, Stage
from gateway.staging.database import Database

from .home import GatewayHome, drain, gateway_on, partner_file
from .look import (
    check_acknowledgements,
    check_audit_chain,
    check_no_temporaries,
    check_staged_exactly_once,
    count_rows,
    file_rows,
    issues_of,
    regular_files,
    sent_acks,
)
from .x12files import (
    clinic_850,
    functional_acks,
    golden,
    hospital_850,
    hospital_850_bad_unit,
    read_x12,
    renumbered,
    ta1_segments,
    truncated,
)


def outbox_files(home: GatewayHome) -> list[Path]:
    return regular_files(home.outbox)


def reason_of(home: GatewayHome, stored_path: str) -> dict[str, object]:
    reason: dict[str, object] = json.loads((home.root / (stored_path + ".reason.json")).read_text("utf-8"))
    return reason


def test_a_clean_file_is_staged_acknowledged_with_a_999_and_archived_by_day(
    home: GatewayHome, database: Database
) -> None:
    data = hospital_850()
    home.drop("hospital_850_medsurg.edi", data)

    [result] = drain(gateway_on(home, database))

    assert result.outcome == Outcome.OK and result.transactions == 1 and result.errors == 0
    [row] = file_rows(database)
    assert (row.partner_id, row.outcome, row.stage, row.kind) == (
        "mercygeneral",
        Outcome.OK,
        Stage.ARCHIVED,
        FileKind.X12,
    )
    day = row.received_at.astimezone(UTC)
    assert row.stored_path == f"archive/{day:%Y/%m/%d}/{row.id}-hospital_850_medsurg.edi"
    check_staged_exactly_once(database, home.root, {"order": data})
    assert home.inbox_files() == []
    assert count_rows(database, "transaction_sets", file_id=row.id) == 1
    assert count_rows(database, "documents", file_id=row.id, kind="purchase_order") == 1

    [ack] = outbox_files(home)
    assert ack.parent == home.outbox / "mercygeneral"
    [answer] = functional_acks(read_x12(ack))
    assert answer["kind"] == "999" and answer["group_control_number"] == "4417"
    assert answer["status"] == "A"  # AK9
    assert [(t["set_id"], t["control_number"], t["status"]) for t in answer["transactions"]] == [
        ("850", "0001", "A")  # IK5
    ]
    check_acknowledgements(database, home.outbox)
    check_no_temporaries(home.root)
    check_audit_chain(database)


def test_the_same_bytes_under_another_name_are_a_duplicate_not_staged_twice(
    home: GatewayHome, database: Database
) -> None:
    data = hospital_850()
    gateway = gateway_on(home, database)
    home.drop("order.edi", data)
    [first] = drain(gateway)
    home.drop("order-sent-again.edi", data)

    [second] = drain(gateway)

    assert second.outcome == Outcome.DUPLICATE and second.duplicate_of == first.file_id
    original, duplicate = file_rows(database)
    assert duplicate.duplicate_of_id == original.id and duplicate.content_key is None
    assert duplicate.original_name == "order-sent-again.edi"
    assert duplicate.stored_path is not None and duplicate.stored_path.endswith(
        f"/{duplicate.id}-order-sent-again.edi"
    )
    assert (home.root / duplicate.stored_path).read_bytes() == data
    assert count_rows(database, "transaction_sets") == 1  # no second staging
    assert len(sent_acks(database)) == 1  # and no second acknowledgement
    assert home.inbox_files() == []
    check_audit_chain(database)


def test_a_file_that_is_not_x12_is_quarantined_with_its_reason_and_no_ack(
    home: GatewayHome, database: Database
) -> None:
    data = b"Dear supplier,\nplease find our order attached.\n"
    home.drop("letter.txt", data)

    [result] = drain(gateway_on(home, database))

    assert result.outcome == Outcome.QUARANTINED
    [row] = file_rows(database)
    assert row.outcome == Outcome.QUARANTINED and row.kind == FileKind.UNKNOWN
    assert row.stored_path == f"quarantine/{row.id}-letter.txt"
    assert (home.root / row.stored_path).read_bytes() == data
    reason = reason_of(home, row.stored_path)
    # Routing reads its first bytes: no interchange, no bank statement, no partner with a catalog mapping.
    assert reason["code"] == "GATEWAY.UNKNOWN_KIND" and "not X12" in str(reason["reason"])
    assert reason["file_id"] == row.id and reason["original_name"] == "letter.txt"
    assert outbox_files(home) == [] and sent_acks(database) == []
    assert home.inbox_files() == []


def test_a_truncated_interchange_is_quarantined_and_rejected_with_a_ta1_023(
    home: GatewayHome, database: Database
) -> None:
    data = truncated(hospital_850())
    home.drop("cut-short.edi", data)

    [result] = drain(gateway_on(home, database))

    assert result.outcome == Outcome.QUARANTINED
    [row] = file_rows(database)
    assert row.stored_path == f"quarantine/{row.id}-cut-short.edi"
    assert reason_of(home, row.stored_path)["code"] == "TA1.023"
    assert count_rows(database, "transaction_sets") == 0  # nothing of it staged
    [ack] = outbox_files(home)
    assert ack.parent.name == "mercygeneral"
    [ta1] = ta1_segments(read_x12(ack))
    assert ta1[1] == "000004417" and ta1[4:6] == ["R", "023"]  # TA101, TA104, TA105
    check_acknowledgements(database, home.outbox)


def test_a_reused_control_number_with_other_content_is_quarantined_with_a_ta1_025(
    home: GatewayHome, database: Database
) -> None:
    first = hospital_850()
    second = first.replace(b"MGH-PO-2026-004417", b"MGH-PO-2026-004499")  # another order, same ISA13
    gateway = gateway_on(home, database)
    home.drop("monday.edi", first)
    drain(gateway)
    home.drop("tuesday.edi", second)

    [result] = drain(gateway)

    assert result.outcome == Outcome.QUARANTINED
    staged, quarantined = file_rows(database)
    assert staged.outcome == Outcome.OK and quarantined.outcome == Outcome.QUARANTINED
    assert quarantined.stored_path is not None
    reason = reason_of(home, quarantined.stored_path)
    assert reason["code"] == "TA1.025" and f"file {staged.id}" in str(reason["reason"])
    ta1_file = home.outbox / result.acknowledgements[0]
    [ta1] = ta1_segments(read_x12(ta1_file))
    assert ta1[1] == "000004417" and ta1[4:6] == ["R", "025"]
    assert count_rows(database, "transaction_sets") == 1
    check_acknowledgements(database, home.outbox)


def test_a_file_over_the_size_limit_is_quarantined_without_being_parsed(
    home: GatewayHome, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = hospital_850()
    home.environment["EDIGW_INGEST__MAX_FILE_BYTES"] = str(len(data) - 1)

    def no_parsing(*_arguments: object, **_options: object) -> None:
        raise AssertionError("a file over the limit was parsed")

    monkeypatch.setattr(pipeline, "parse_transactions", no_parsing)
    home.drop("huge.edi", data)

    [result] = drain(gateway_on(home, database))

    assert result.outcome == Outcome.QUARANTINED
    [row] = file_rows(database)
    assert row.kind == FileKind.X12 and row.size_bytes == len(data)  # routed by its first bytes only
    assert row.stored_path is not None
    assert reason_of(home, row.stored_path)["code"] == "X12.TOO_LARGE"
    assert (home.root / row.stored_path).read_bytes() == data
    assert count_rows(database, "interchanges") == 0 and outbox_files(home) == []


def test_x12_errors_are_staged_and_the_999_names_the_segment_and_element(
    home: GatewayHome, database: Database
) -> None:
    data = hospital_850_bad_unit()
    home.drop("bad-unit.edi", data)

    [result] = drain(gateway_on(home, database))

    assert result.outcome == Outcome.ERRORS and result.errors >= 1
    [row] = file_rows(database)
    assert row.outcome == Outcome.ERRORS and row.stage == Stage.ARCHIVED
    issues = {str(issue["code"]): issue for issue in issues_of(database, row.id)}
    assert sorted(issues) == ["AK3.8", "AK4.7"]  # the segment has errors; its element 3 has a bad code
    issue = issues["AK4.7"]
    assert (issue["segment_id"], issue["element"], issue["data_element"]) == ("PO1", 3, "355")
    [ack] = outbox_files(home)
    [answer] = functional_acks(read_x12(ack))
    assert answer["kind"] == "999" and answer["status"] == "R"  # AK9: the only set is rejected
    [transaction] = answer["transactions"]
    assert transaction["status"] == "R"  # IK5
    [segment_error] = transaction["segment_errors"]  # IK3
    assert segment_error["segment_id"] == "PO1" and segment_error["position"] == issue["segment"]
    [element_error] = segment_error["element_errors"]  # IK4
    assert element_error["position"] == 3 and element_error["code"] == "7"  # invalid code value
    check_staged_exactly_once(database, home.root, {"bad": data})
    check_acknowledgements(database, home.outbox)


def test_a_partner_that_wants_no_functional_acknowledgements_gets_no_997(
    home: GatewayHome, database: Database
) -> None:
    home.write_partners(
        medsupplyco=partner_file(
            "medsupplyco", "MEDSUPPLYCO", ["004010", "005010"], functional="none", folder="medsupplyco"
        )
    )
    data = golden("distributor_856_lots.edi")
    home.drop("asn.edi", data, folder="medsupplyco")

    [result] = drain(gateway_on(home, database))

    assert result.outcome == Outcome.OK and result.acknowledgements == []
    check_staged_exactly_once(database, home.root, {"asn": data})
    assert file_rows(database)[0].partner_id == "medsupplyco"
    assert sent_acks(database) == [] and outbox_files(home) == []


def test_the_same_partner_with_its_default_policy_gets_its_997(home: GatewayHome, database: Database) -> None:
    """The counterpart of the test above: the 997 is there when the policy asks for one."""
    data = renumbered(golden("distributor_856_lots.edi"), 55121)
    home.drop("asn.edi", data, folder="medsupplyco")

    [result] = drain(gateway_on(home, database))

    [ack] = outbox_files(home)
    assert ack.parent.name == "medsupplyco"
    [answer] = functional_acks(read_x12(ack))
    assert answer["kind"] == "997" and answer["status"] == "A"
    assert result.acknowledgements == ["medsupplyco/" + ack.name]


def test_a_batch_is_marked_in_one_settle_after_each_folder_is_fsynced_once(
    home: GatewayHome, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inside ``batched()`` files are staged, acknowledged and moved at once, and said "written and
    archived" together: every folder written to is fsynced (once) before that transaction."""
    ingestor = pipeline.Ingestor(home.configuration(), database)
    synced: list[Path] = []
    monkeypatch.setattr(pipeline.storage, "fsync_folder", synced.append)
    dropped = {f"po-{number}": hospital_850(5000 + number) for number in range(3)}
    with ingestor.batched():
        for name, data in dropped.items():
            path = home.drop(name, data)
            result = ingestor.ingest(pipeline.Candidate(source="local:inbox", path=path, name=name.encode()))
            assert result.outcome == Outcome.OK and result.stored_path is not None
            assert (home.root / result.stored_path).exists() and not os.path.lexists(path)
        assert ingestor.unsettled == 3 and synced == []
        assert {row.stage for row in file_rows(database)} == {Stage.STAGED}
        assert [row.archived_at for row in file_rows(database)] == [None] * 3

    assert ingestor.unsettled == 0
    assert len(synced) == len(set(synced)) == 3  # the inbox, the outbox's partner folder, the archive's day
    assert {row.stage for row in file_rows(database)} == {Stage.ARCHIVED}
    check_staged_exactly_once(database, home.root, dropped)
    check_acknowledgements(database, home.outbox)
    check_audit_chain(database)


def test_files_a_failed_settle_left_unmarked_are_finished_by_the_next_cycle(
    home: GatewayHome, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    gateway = gateway_on(home, database)
    data = clinic_850(5101)
    home.drop_by_rename("po.edi", data, "riverside")  # complete at once: taken by the first cycle
    mark_archived = pipeline.files.mark_archived
    failures: list[int] = []

    def fail_once(connection: object, file_id: int, stored_path: str) -> None:
        if not failures:
            failures.append(file_id)
            raise OSError("the disk went away")
        mark_archived(connection, file_id, stored_path)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline.files, "mark_archived", fail_once)

    report = gateway.cycle()  # staged and moved; marking it failed: the gateway goes on

    assert report.taken == 1 and failures
    [row] = file_rows(database)
    assert row.archived_at is None
    assert drain(gateway) == []  # nothing new to take: recovery marks it
    check_staged_exactly_once(database, home.root, {"po": data})
    check_acknowledgements(database, home.outbox)
