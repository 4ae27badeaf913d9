"""``edi-gateway files list`` and ``files show`` as an operator runs them, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gateway.cli import main
from gateway.operator.cli import LIST_FIELDS, parse_since
from gateway.operator.segments import Position, display_safe, read_windows
from gateway.staging.database import Database
from parsers.catalog import parse_catalog
from tests.catalog.test_diff import APRIL, MARCH
from tests.catalog.test_diff import MAPPING as DIFF_MAPPING
from tests.catalog.test_golden import MAPPINGS
from tests.operator_fixtures import CLEAN_850, ERR_FILE, OperatorHome, errors_file, mutated_850
from tests.staging.helpers import BANK_GOLDEN, CATALOG_GOLDEN

# --- fixtures -------------------------------------------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty gateway home as the current directory, with no EDIGW_* variables around."""
    monkeypatch.chdir(tmp_path)
    for name in [name for name in os.environ if name.upper().startswith("EDIGW_")]:
        monkeypatch.delenv(name)
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


@pytest.fixture
def gateway(home: Path, database: Database) -> Iterator[OperatorHome]:
    yield OperatorHome(home, database)


@pytest.fixture
def filled(gateway: OperatorHome) -> dict[str, int]:
    """A clean 850 with its 999, a file with errors, a quarantined file and a duplicate (ids by role)."""
    clean = gateway.stage(CLEAN_850.read_bytes(), "order.edi")
    gateway.record_ack(clean, "medsupplyco/ack-000000007.x12", "000000007")
    errors = gateway.stage(errors_file(), "syntax.edi", partner_id="acme")
    quarantined = gateway.quarantine(
        b"not X12 at all\n", "notes.txt", code="TA1.024", reason="TA1.024: " + "x" * 80
    )
    duplicate = gateway.duplicate(clean, CLEAN_850.read_bytes(), "order-again.edi")
    return {"clean": clean, "errors": errors, "quarantined": quarantined, "duplicate": duplicate}


def listed(gateway: OperatorHome, *args: str) -> list[dict[str, Any]]:
    result = gateway.run("list", "--json", *args)
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def shown(gateway: OperatorHome, file_id: int, *args: str) -> tuple[int, dict[str, Any]]:
    result = gateway.run("show", str(file_id), "--json", *args)
    return result.exit_code, json.loads(result.stdout)


# --- files list -----------------------------------------------------------------------------------------


def test_list_json_newest_first_with_stable_keys(gateway: OperatorHome, filled: dict[str, int]) -> None:
    rows = listed(gateway)
    assert [row["id"] for row in rows] == sorted(filled.values(), reverse=True)
    assert all(tuple(row) == LIST_FIELDS for row in rows)
    by_id = {row["id"]: row for row in rows}
    clean, errors = by_id[filled["clean"]], by_id[filled["errors"]]
    assert clean["outcome"] == "ok" and clean["stage"] == "archived" and clean["transactions"] == 1
    assert errors["outcome"] == "errors" and errors["errors"] == 4 and errors["partner"] == "acme"
    assert by_id[filled["duplicate"]]["outcome"] == "duplicate"
    quarantined = by_id[filled["quarantined"]]
    assert quarantined["kind"] == "unknown" and str(quarantined["reason"]).startswith("TA1.024: xxx")
    received = str(clean["received_at"])
    assert received.endswith("Z")
    assert datetime.fromisoformat(received).tzinfo is not None


def test_list_filters(gateway: OperatorHome, filled: dict[str, int]) -> None:
    assert [row["id"] for row in listed(gateway, "--outcome", "errors")] == [filled["errors"]]
    assert [row["id"] for row in listed(gateway, "--partner", "acme")] == [filled["errors"]]
    assert [row["id"] for row in listed(gateway, "--outcome", "quarantined", "--stage", "archived")] == [
        filled["quarantined"]
    ]
    assert listed(gateway, "--stage", "staged") == []
    gateway.set_received_at(filled["clean"], datetime.now(UTC) - timedelta(days=3))
    recent = {row["id"] for row in listed(gateway, "--since", "2d")}
    assert recent == set(filled.values()) - {filled["clean"]}
    assert {row["id"] for row in listed(gateway, "--since", "4d")} == set(filled.values())
    long_ago = (datetime.now(UTC) - timedelta(days=10)).date().isoformat()
    assert len(listed(gateway, "--since", long_ago)) == 4


def test_list_limit_says_when_more_files_match(gateway: OperatorHome, filled: dict[str, int]) -> None:
    result = gateway.run("list", "--json", "--limit", "2")
    assert result.exit_code == 0
    assert [row["id"] for row in json.loads(result.stdout)] == [filled["duplicate"], filled["quarantined"]]
    assert "more files match" in result.stderr
    everything = gateway.run("list", "--json", "--limit", "0")
    assert len(json.loads(everything.stdout)) == 4 and "more files match" not in everything.stderr


def test_list_csv_has_a_header_and_one_row_per_file(gateway: OperatorHome, filled: dict[str, int]) -> None:
    result = gateway.run("list", "--csv")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == LIST_FIELDS
    assert [int(row[0]) for row in rows[1:]] == sorted(filled.values(), reverse=True)
    assert rows[1][LIST_FIELDS.index("outcome")] == "duplicate"


def test_list_table_shortens_reasons(gateway: OperatorHome, filled: dict[str, int]) -> None:
    result = gateway.run("list", env={"COLUMNS": "250"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    quarantined = next(line for line in lines if line.strip().startswith(str(filled["quarantined"]) + " "))
    assert "notes.txt" in quarantined and "quarantined" in quarantined and "…" in quarantined
    assert "x" * 80 not in result.stdout
    assert "received" in result.stdout and "transactions" in result.stdout


def test_list_of_an_empty_database_exits_0(gateway: OperatorHome) -> None:
    table = gateway.run("list")
    assert table.exit_code == 0 and "no files match" in table.stdout
    assert listed(gateway) == []
    assert gateway.run("list", "--csv").stdout == ",".join(LIST_FIELDS) + "\n"


@pytest.mark.parametrize(
    "args",
    [
        ["--stage", "shipped"],
        ["--outcome", "fine"],
        ["--since", "yesterday"],
        ["--json", "--csv"],
        ["--limit", "-1"],
    ],
)
def test_list_usage_errors_exit_2(gateway: OperatorHome, args: list[str]) -> None:
    result = gateway.run("list", *args)
    assert result.exit_code == 2, result.output


def test_parse_since() -> None:
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert parse_since("2h", now) == datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    assert parse_since("30m", now) == datetime(2026, 12, 1, 11, 30, tzinfo=UTC)
    assert parse_since("3d", now) == datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert parse_since("2026-12-01T08:00:00+01:00") == datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
    assert parse_since("2026-12-01T08:00Z") == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    local_midnight = datetime(2026, 12, 1).astimezone().astimezone(UTC)
    assert parse_since("2026-12-01") == local_midnight
    with pytest.raises(ValueError):
        parse_since("last tuesday")


# --- reaching the database ------------------------------------------------------------------------------


def test_invalid_configuration_exits_2_with_the_problems(gateway: OperatorHome) -> None:
    result = gateway.run("list", env={"EDIGW_INGEST__SETTLE_CHECKS": "1"})
    assert result.exit_code == 2
    assert "configuration invalid: 1 problem" in result.stderr and "ingest.settle_checks" in result.stderr


def test_a_missing_database_exits_2_and_is_not_created(home: Path) -> None:
    result = CliRunner().invoke(main, ["files", "list"], env={"EDIGW_HOME": str(home)})
    assert result.exit_code == 2
    assert "no staging database" in result.stderr
    assert not (home / "var").exists()


def test_a_database_not_migrated_exits_2(home: Path, empty_database: Database) -> None:
    assert empty_database.current_revision() is None  # (on SQLite, this creates the empty file)
    result = OperatorHome(home, empty_database).run("show", "1")
    assert result.exit_code == 2
    assert "not migrated" in result.stderr and "db upgrade" in result.stderr


def test_config_option_names_the_gateway_file(gateway: OperatorHome, tmp_path: Path) -> None:
    result = gateway.run("list", "--config", str(tmp_path / "nowhere.toml"))
    assert result.exit_code == 2 and "no gateway file" in result.stderr
    config = tmp_path / "gateway.toml"
    config.write_text(f'home = "{gateway.home}"\n')
    assert gateway.run("list", "--config", str(config)).exit_code == 0


# --- files show -----------------------------------------------------------------------------------------


def test_show_a_clean_file(gateway: OperatorHome, filled: dict[str, int]) -> None:
    code, view = shown(gateway, filled["clean"])
    assert code == 0
    file = view["file"]
    assert file["name"] == "order.edi" and file["outcome"] == "ok" and file["original"] == "available"
    assert file["stored_at"] == str(gateway.home / file["stored_path"])
    assert file["duplicates"] == [filled["duplicate"]] and file["duplicate_of"] is None
    (interchange,) = view["interchanges"]
    assert interchange["control_number"] == "000004417" and interchange["status"] == "accepted"
    (group,) = interchange["groups"]
    assert (group["functional_id"], group["control_number"], group["status"]) == ("PO", "4417", "A")
    assert [(t["set_id"], t["control_number"], t["status"]) for t in group["transactions"]] == [
        ("850", "0001", "A")
    ]
    (document,) = view["documents"]
    assert document == {
        "kind": "purchase_order",
        "number": "MGH-PO-2026-004417",
        "order_number": "MGH-PO-2026-004417",
        "date": "2026-11-16",
        "line_count": 6,
        "transaction_control_number": "0001",
    }
    acknowledgements = view["acknowledgements"]
    (sent,) = acknowledgements["sent"]
    assert sent["kind"] == "999" and sent["interchange_control_number"] == "000000007"
    assert sent["status"] == "written"
    assert sent["outbox_path"] == str(gateway.home / "outbox" / "medsupplyco" / "ack-000000007.x12")
    assert acknowledgements["received"] == []
    assert view["issues"] == [] and view["raw"]["windows"] == []
    assert [event["event"] for event in view["events"]] == ["file_staged", "ack_written"]
    assert [attempt["trigger"] for attempt in view["attempts"]] == ["ingest"]


def test_show_text_of_a_clean_file(gateway: OperatorHome, filled: dict[str, int]) -> None:
    result = gateway.run("show", str(filled["clean"]), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    for expected in (
        f"File {filled['clean']}: order.edi",
        "Timeline",
        "attempt 1 started (ingest)",
        "file_staged source=local:inbox",
        "000004417",
        "PO 4417",
        "MGH-PO-2026-004417",
        "Acknowledgements sent",
        "ack-000000007.x12",
    ):
        assert expected in out, expected
    assert re.search(rf"duplicates +file {filled['duplicate']}\b", out)
    assert "Issues" not in out


def test_show_a_file_with_errors_marks_the_faulty_segments(
    gateway: OperatorHome, filled: dict[str, int]
) -> None:
    if not ERR_FILE.is_file():
        pytest.skip("the corpus file is not there (the mutated golden file is tested below)")
    code, view = shown(gateway, filled["errors"])
    assert code == 1
    issues = view["issues"]
    assert [(i["code"], i["segment"], i["segment_id"], i["element"]) for i in issues] == [
        ("AK3.8", 13, "PO1", None),
        ("AK4.2", 13, "PO1", 7),
        ("AK3.8", 30, "PO4", None),
        ("AK4.2", 30, "PO4", 6),
    ]
    assert {(i["interchange"], i["group"], i["set_id"], i["transaction"]) for i in issues} == {
        ("000003438", "1421", "850", "000000010")
    }
    assert [i["segment_ordinal"] for i in issues] == [15, 15, 32, 32]  # ST is segment 3 of the interchange
    raw = view["raw"]
    assert raw["original"] == "available" and raw["context"] == 2
    first, second = raw["windows"]
    assert [segment["ordinal"] for segment in first["segments"]] == [13, 14, 15, 16, 17]
    faulty = first["segments"][2]
    assert faulty["faulty"] and faulty["text"] == "PO1*1*120*EA*9.25*TE*CB**PR*RO*VN*AB3542"
    (mark,) = faulty["marks"]
    assert mark["start"] == mark["end"] == len("PO1*1*120*EA*9.25*TE*CB*")  # PO107 is empty
    assert not any(segment["faulty"] for segment in first["segments"] if segment is not faulty)
    assert second["segments"][2]["text"] == "PO4*6*6*EA*PLT94*X**LR*10*CT"


def test_show_text_prints_the_raw_segments_with_a_caret(gateway: OperatorHome) -> None:
    file_id = gateway.stage(mutated_850(), "mutated.edi")
    result = gateway.run("show", str(file_id), "--context", "1", env={"COLUMNS": "200"})
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any("AK4.7 PO103: invalid code value (element 3" in line for line in lines)
    assert any("segment 25 PO1 (segment 27 of the interchange)" in line for line in lines)
    faulty_index = next(index for index, line in enumerate(lines) if line.lstrip().startswith("> 27"))
    faulty = lines[faulty_index]
    assert faulty.endswith("PO1*2*10*QQ*11.85*PE*VP*NG-5001-L*UK*10614141000026*BP*MGH-100234")
    carets = lines[faulty_index + 1]
    assert carets.strip() == "^^" and carets.index("^") == faulty.index("QQ")
    assert lines[faulty_index - 1].strip().startswith("26  PID*F")
    assert lines[faulty_index + 2].strip().startswith("28  PID*F")


def test_show_context_option(gateway: OperatorHome) -> None:
    file_id = gateway.stage(mutated_850(), "mutated.edi")
    _, view = shown(gateway, file_id, "--context", "0")
    (window,) = view["raw"]["windows"]
    assert [segment["ordinal"] for segment in window["segments"]] == [27]
    _, view = shown(gateway, file_id, "--context", "50")
    (window,) = view["raw"]["windows"]
    assert window["segments"][0]["ordinal"] == 1 and window["segments"][0]["text"].startswith("ISA*00*")
    assert window["segments"][-1]["text"] == "IEA*1*000004417"


def test_show_when_the_original_is_gone(gateway: OperatorHome) -> None:
    file_id = gateway.stage(mutated_850(), "mutated.edi")
    _, before = shown(gateway, file_id)
    stored = Path(before["file"]["stored_at"])
    stored.unlink()
    code, view = shown(gateway, file_id)
    assert code == 1  # the file still has its errors
    assert view["file"]["original"] == "missing"
    assert view["raw"]["windows"] == [] and "the original is gone" in view["raw"]["note"]
    assert len(view["issues"]) == 2
    text = gateway.run("show", str(file_id), env={"COLUMNS": "200"})
    assert text.exit_code == 1 and "raw segments not shown: the original is gone" in text.stdout


def test_show_when_the_original_changed(gateway: OperatorHome) -> None:
    file_id = gateway.stage(mutated_850(), "mutated.edi")
    _, before = shown(gateway, file_id)
    Path(before["file"]["stored_at"]).write_bytes(CLEAN_850.read_bytes())
    _, view = shown(gateway, file_id)
    assert view["file"]["original"] == "changed" and view["raw"]["windows"] == []


def test_show_a_file_not_archived_yet(gateway: OperatorHome) -> None:
    file_id = gateway.stage(mutated_850(), "mutated.edi", archive=False)
    code, view = shown(gateway, file_id)
    assert code == 1
    assert view["file"]["original"] == "not_stored" and view["file"]["stored_at"] is None
    assert "not stored yet" in view["raw"]["note"]


def test_show_a_quarantined_file_exits_1(gateway: OperatorHome, filled: dict[str, int]) -> None:
    result = gateway.run("show", str(filled["quarantined"]), env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert "quarantined" in result.stdout and "TA1.024: xxx" in result.stdout
    assert "file_quarantined code=TA1.024" in result.stdout
    assert str(gateway.home / "quarantine") in result.stdout


def test_show_a_duplicate_exits_0(gateway: OperatorHome, filled: dict[str, int]) -> None:
    code, view = shown(gateway, filled["duplicate"])
    assert code == 0
    assert view["file"]["duplicate_of"] == filled["clean"] and view["attempts"] == []
    assert [event["event"] for event in view["events"]] == ["file_duplicate"]


def test_show_a_reprocessed_file_shows_the_latest_attempt(gateway: OperatorHome) -> None:
    file_id = gateway.stage(mutated_850(), "fixed-later.edi")
    gateway.reprocess(file_id, CLEAN_850.read_bytes())
    code, view = shown(gateway, file_id)
    assert code == 0  # the latest attempt staged it without errors
    assert [(a["number"], a["trigger"], a["parent"]) for a in view["attempts"]] == [
        (1, "ingest", None),
        (2, "reprocess", 1),
    ]
    assert view["latest_attempt"] == 2 and view["issues"] == []
    text = gateway.run("show", str(file_id), env={"COLUMNS": "200"}).stdout
    assert "attempt 2 started (reprocess of attempt 1)" in text


def test_show_an_unknown_id_exits_2(gateway: OperatorHome) -> None:
    result = gateway.run("show", "4242")
    assert result.exit_code == 2 and "no file 4242" in result.stderr
    assert gateway.run("show", "first").exit_code == 2


# --- raw segments ---------------------------------------------------------------------------------------


def test_windows_across_interchanges_components_and_hostile_bytes() -> None:
    isa = (
        "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *261201*1200*^*00501*{}*0*P*:~"
    )
    first = isa.format("000000001") + "GS*PO*S*R*20261201*1200*1*X*005010~ST*850*0001~BEG*00*SA*\x1b[31mX~"
    second = (
        isa.format("000000002") + "GS*PO*S*R*20261201*1200*2*X*005010~ST*850*0001~PO1*1*2*EA*3**VP:AB^VP:CD~"
    )
    data = (
        first + "SE*3*0001~GE*1*1~IEA*1*000000001~\n" + second + "SE*3*0001~GE*1*2~IEA*1*000000002~"
    ).encode()
    data = data.replace(b"*SA*", b"*SA*\xff", 1)
    positions = [
        Position(1, 4, element=3),  # BEG03: control characters and a byte that is not UTF-8
        Position(2, 4, element=6, repetition=2, component=2),  # PO106, second repetition, "CD"
        Position(2, 4, element=9),  # past the last element: marked at the end
        Position(3, 1),  # an interchange the file does not have
    ]
    windows = read_windows(io.BytesIO(data), positions, context=1)
    assert [(window.interchange, window.segment) for window in windows] == [(1, 4), (2, 4)]
    beg = windows[0].segments[1]
    assert beg.text == "BEG*00*SA*\\xff\\x1b[31mX" and beg.faulty
    assert beg.marks == ((len("BEG*00*SA*"), len(beg.text)),)
    assert [segment.ordinal for segment in windows[0].segments] == [3, 4, 5]
    po1 = windows[1].segments[1]
    assert po1.text == "PO1*1*2*EA*3**VP:AB^VP:CD"
    cd = po1.text.index("CD")
    assert po1.marks == ((cd, cd + 2), (len(po1.text), len(po1.text)))


def test_display_safe_maps_positions() -> None:
    text, where = display_safe("A\x1dB\udcffC")
    assert text == "A\\x1dB\\xffC"
    assert where == [0, 1, 5, 6, 10, 11]


# --- bank statements and catalogs -----------------------------------------------------------------------

BANK = BANK_GOLDEN / "camt_053_hospital_insurer_eft.xml"
OFX_XML = BANK_GOLDEN / "ofx_clinic_network_xml.ofx"
GPO = CATALOG_GOLDEN / "gpo_contract_tiers.csv"


def busy_ofx(count: int = 60) -> bytes:
    """The OFX golden statement with ``count`` more transactions (more lines than the terminal shows)."""
    extra = b"".join(
        b"<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20260301</DTPOSTED><TRNAMT>-1.%02d</TRNAMT>"
        b"<FITID>FEE-%04d</FITID><NAME>FEE</NAME></STMTTRN>\n" % (number % 100, number)
        for number in range(count)
    )
    return OFX_XML.read_bytes().replace(b"</BANKTRANLIST>", extra + b"</BANKTRANLIST>", 1)


def test_list_shows_bank_and_catalog_files(gateway: OperatorHome) -> None:
    bank = gateway.stage_bank(BANK.read_bytes(), "march.xml")
    catalog = gateway.stage_catalog(GPO.read_bytes(), "gpo.csv", MAPPINGS[GPO.name])
    rows = {row["id"]: row for row in listed(gateway)}
    assert (rows[bank]["kind"], rows[bank]["outcome"], rows[bank]["transactions"]) == ("camt", "ok", 0)
    assert (rows[catalog]["kind"], rows[catalog]["outcome"]) == ("catalog", "errors")
    assert rows[catalog]["errors"] == len(parse_catalog(GPO.read_bytes(), MAPPINGS[GPO.name]).rejected)
    table = gateway.run("list", env={"COLUMNS": "200"})
    assert "march.xml" in table.stdout and "camt" in table.stdout and "catalog" in table.stdout


def test_show_a_bank_file_json_has_every_statement_and_line(gateway: OperatorHome) -> None:
    first = gateway.stage_bank(BANK.read_bytes(), "march.xml")
    again = gateway.stage_bank(BANK.read_bytes(), "march-again.xml", source="sftp:bank")
    code, view = shown(gateway, first)
    assert code == 0
    assert [s["account"] for s in view["statements"]] == [
        "DE89370400440532013000", "DE27100777770209299700",
    ]  # fmt: skip
    statement = view["statements"][0]
    assert (statement["currency"], statement["lines_new"], statement["lines_known"]) == ("EUR", 8, 0)
    assert statement["opening_balance"] is not None and statement["period_start"] is not None
    # The second delivery delivered every line last: the first file still shows the lines it brought.
    assert view["bank_lines"]["total"] == 9 and len(view["bank_lines"]["lines"]) == 9
    assert all(line["first_seen_here"] for line in view["bank_lines"]["lines"])
    code, repeated = shown(gateway, again)
    assert [(s["lines_new"], s["lines_known"]) for s in repeated["statements"]] == [(0, 8), (0, 1)]
    lines = repeated["bank_lines"]["lines"]
    assert len(lines) == 9 and not any(line["first_seen_here"] for line in lines)
    assert {line["first_seen_file"] for line in lines} == {first}
    assert "interchanges" in repeated and "catalog" not in repeated


def test_show_a_bank_file_text_shows_the_first_50_lines(gateway: OperatorHome) -> None:
    file_id = gateway.stage_bank(busy_ofx(), "busy.ofx")
    result = gateway.run("show", str(file_id), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Statements (attempt 1)" in out and "10448812" in out and "AUD" in out
    assert "Lines: 66 brought first or delivered last by this file" in out
    assert "16 more lines: --json shows them all" in out
    assert out.count("FEE-") == 45  # the golden file's five booked lines, then the first 45 fees
    _, view = shown(gateway, file_id)
    assert len(view["bank_lines"]["lines"]) == 66


def test_show_a_bank_file_with_errors(gateway: OperatorHome) -> None:
    case = BANK_GOLDEN / "bai2_clinic_intraday_quirks.bai2"
    file_id = gateway.stage_bank(case.read_bytes(), case.name)
    code, view = shown(gateway, file_id)
    assert code == 1
    errors = [issue for issue in view["issues"] if issue["severity"] == "error"]
    assert [issue["code"] for issue in errors] == ["BAI2.CONTROL_TOTAL"]
    result = gateway.run("show", str(file_id), env={"COLUMNS": "200"})
    assert "BAI2.CONTROL_TOTAL" in result.stdout and "Issues: 1 error" in result.stdout


def test_show_a_catalog_version_with_changes_and_rejected_rows(gateway: OperatorHome) -> None:
    gateway.stage_catalog(MARCH.encode(), "march.csv", DIFF_MAPPING)
    april = gateway.stage_catalog(APRIL.encode(), "april.csv", DIFF_MAPPING)
    code, view = shown(gateway, april)
    assert code == 0
    catalog = view["catalog"]
    assert [(v["number"], v["item_count"], v["rejected_count"]) for v in catalog["versions"]] == [(2, 5, 0)]
    assert catalog["changes"] == {"new": 1, "removed": 1, "price_changed": 2, "dates_changed": 2}
    assert catalog["rejected"] == [] and "statements" not in view
    gpo = gateway.stage_catalog(GPO.read_bytes(), "gpo.csv", MAPPINGS[GPO.name])
    code, view = shown(gateway, gpo)
    expected = parse_catalog(GPO.read_bytes(), MAPPINGS[GPO.name]).rejected
    assert code == 1
    assert view["catalog"]["rejected"] == [
        {"line": row.line, "reason": row.reason, "column": row.column} for row in expected
    ]
    assert [issue["code"] for issue in view["issues"]] == ["CATALOG.ROW"] * len(expected)
    result = gateway.run("show", str(gpo), env={"COLUMNS": "200"})
    out = result.stdout
    assert "Catalog version 3 of medsupplyco" in out and "Rejected rows" in out
    assert f"line {expected[0].line}" in out and "price_changed" in out


def test_show_text_of_a_catalog(gateway: OperatorHome) -> None:
    gateway.stage_catalog(MARCH.encode(), "march.csv", DIFF_MAPPING)
    april = gateway.stage_catalog(APRIL.encode(), "april.csv", DIFF_MAPPING)
    result = gateway.run("show", str(april), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Catalog version 2 of medsupplyco" in out and "Changes" in out
    assert re.search(r"price_changed +2", out) and re.search(r"new +1", out)
    assert "Rejected rows" not in out and "Interchanges" not in out
