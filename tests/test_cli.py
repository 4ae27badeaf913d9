"""``edi-gateway parse`` and ``ack`` as a user runs them: output, the JSON contract and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gateway.cli import main
from parsers.x12.reader import X12Reader

ISA = "ISA*00*          *00*          *ZZ*MERCYGENERAL   *ZZ*MEDSUPPLYCO    *261122*0930*^*00501*000000905*0*P*:~"
ORDER_850 = [
    "ST*850*0001",
    "BEG*00*SA*PO-2026-1187**20261122",
    "REF*CT*GPO-2026-118",
    "DTM*002*20261201",
    "N1*ST*MERCY GENERAL HOSPITAL*UL*0614141000012",
    "N1*VN*MEDSUPPLY CO*1*123456789",
    "PO1*1*20*BX*12.45**VP*MS-NGL-M*UK*00614141000029",
    "PID*F****NITRILE EXAM GLOVES MEDIUM",
    "PO1*2*5*CS*88**VP*MS-SYR-10*N4*12345678901",
    "PID*F****SYRINGE 10ML LUER LOCK",
    "CTT*2",
]


def interchange(body: list[str], *, se_count: int | None = None, ack_requested: str = "0") -> str:
    segments = [*body, f"SE*{se_count if se_count is not None else len(body) + 1}*0001"]
    isa = ISA.replace("*0*P*", f"*{ack_requested}*P*")
    return (
        isa
        + "\nGS*PO*MERCYGENERAL*MEDSUPPLYCO*20261122*0930*17*X*005010~\n"
        + "~\n".join(segments)
        + "~\nGE*1*17~\nIEA*1*000000905~\n"
    )


@pytest.fixture
def clean_file(tmp_path: Path) -> Path:
    path = tmp_path / "order.edi"
    path.write_text(interchange(ORDER_850))
    return path


@pytest.fixture
def broken_file(tmp_path: Path) -> Path:
    path = tmp_path / "order-bad-count.edi"
    path.write_text(interchange(ORDER_850, se_count=99))
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_parse_json_follows_the_documented_contract(clean_file: Path) -> None:
    code, out, _ = run("parse", str(clean_file), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["format"] == "x12"
    assert data["errors"] == []
    (interchange_json,) = data["interchanges"]
    assert interchange_json["control_number"] == "000000905"
    assert interchange_json["sender"] == {"qualifier": "ZZ", "id": "MERCYGENERAL"}
    (group,) = interchange_json["groups"]
    assert (group["functional_id"], group["control_number"], group["version"]) == ("PO", "17", "005010")
    (transaction,) = group["transactions"]
    assert (transaction["set_id"], transaction["control_number"]) == ("850", "0001")
    assert transaction["segment_count"] == len(ORDER_850) + 1
    assert transaction["errors"] == []
    document = transaction["document"]
    assert document["number"] == "PO-2026-1187"
    assert document["order_date"] == "2026-11-22"
    assert [line["unit_price"] for line in document["lines"]] == ["12.45", "88"]


def test_parse_summary_prints_counts(clean_file: Path) -> None:
    code, out, _ = run("parse", str(clean_file), "--summary")
    assert code == 0
    assert out.strip() == "interchanges=1 groups=1 transactions=1 errors=0 warnings=0"


def test_parse_table_is_the_default(clean_file: Path) -> None:
    code, out, _ = run("parse", str(clean_file))
    assert code == 0
    assert "PurchaseOrder" in out


def test_errors_exit_1_with_code_and_position(broken_file: Path) -> None:
    code, out, _ = run("parse", str(broken_file), "--json")
    assert code == 1
    transaction = json.loads(out)["interchanges"][0]["groups"][0]["transactions"][0]
    (error,) = [e for e in transaction["errors"] if e["code"] == "AK5.4"]
    assert (error["interchange"], error["group"], error["transaction"]) == ("000000905", "17", "0001")
    assert error["segment_id"] == "SE"


def test_not_x12_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "catalog.csv"
    path.write_text("sku,description,price\nMS-1,gloves,12.45\n")
    code, _, err = run("parse", str(path))
    assert code == 2
    assert "catalog.csv" in err
    assert "12.45" not in err  # no business values in error text


def test_wrong_arguments_exit_2(clean_file: Path, tmp_path: Path) -> None:
    assert run("parse", str(clean_file), "--json", "--summary")[0] == 2
    assert run("parse", str(tmp_path / "missing.edi"))[0] == 2
    assert run("ack", str(clean_file), "--format", "824")[0] == 2


def test_ack_auto_writes_a_999_for_005010_that_reads_back(clean_file: Path) -> None:
    code, out, _ = run("ack", str(clean_file))
    assert code == 0
    segments = [s for t, _ in X12Reader(out.encode()).transactions() for s in t.segments]
    ids = [s[0] for s in segments]
    assert ids[:2] == ["ST", "AK1"]
    assert segments[0][1] == "999"
    ak9 = next(s for s in segments if s[0] == "AK9")
    assert ak9[1:5] == ["A", "1", "1", "1"]


def test_ack_reports_the_error_and_rejects(broken_file: Path) -> None:
    code, out, _ = run("ack", str(broken_file), "--format", "997")
    assert code == 1
    segments = [s for t, _ in X12Reader(out.encode()).transactions() for s in t.segments]
    assert segments[0][1] == "997"
    ak5 = next(s for s in segments if s[0] == "AK5")
    assert ak5[1:3] == ["R", "4"]
    ak9 = next(s for s in segments if s[0] == "AK9")
    assert ak9[1:5] == ["R", "1", "1", "0"]


def test_ack_ta1_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "order.edi"
    path.write_text(interchange(ORDER_850, ack_requested="1"))
    code, out, _ = run("ack", str(path), "--format", "ta1")
    assert code == 0
    reader = X12Reader(out.encode())
    assert list(reader.transactions()) == []
    (ta1,) = reader.interchanges[0].ta1_segments
    assert ta1[1] == "000000905"
    assert ta1[4:6] == ["A", "000"]


def test_acknowledgements_are_never_acknowledged(clean_file: Path, tmp_path: Path) -> None:
    _, ack_text, _ = run("ack", str(clean_file))
    ack_file = tmp_path / "ack.edi"
    ack_file.write_text(ack_text)
    code, out, err = run("ack", str(ack_file))
    assert code == 0
    assert out == ""
    assert "never acknowledged" in err


GUIDE = """
[companion_guide.850.elements."PO1-06"]
usage = "M"
codes = ["BP"]
"""


def test_companion_guide_tightens_the_spec(clean_file: Path, tmp_path: Path) -> None:
    guide = tmp_path / "partner.toml"
    guide.write_text(GUIDE)
    code, out, _ = run("parse", str(clean_file), "--json", "--guide", str(guide))
    assert code == 1
    errors = json.loads(out)["interchanges"][0]["groups"][0]["transactions"][0]["errors"]
    assert {(e["code"], e["segment_id"], e["element"]) for e in errors if e["code"].startswith("AK4")} == {
        ("AK4.7", "PO1", 6)
    }


def test_bad_companion_guide_names_every_bad_key(clean_file: Path, tmp_path: Path) -> None:
    guide = tmp_path / "partner.toml"
    guide.write_text(
        '[companion_guide.850.elements."PO1-99"]\nusage = "M"\n'
        '[companion_guide.850.segments.ZZZ]\nusage = "M"\n'
    )
    code, _, err = run("parse", str(clean_file), "--guide", str(guide))
    assert code == 2
    assert "PO1-99" in err
    assert "ZZZ" in err


def test_example_partner_guide_loads(clean_file: Path) -> None:
    example = Path(__file__).resolve().parents[1] / "config" / "partners" / "medsupplyco.toml"
    code, _, err = run("parse", str(clean_file), "--summary", "--guide", str(example))
    assert code == 0, err


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0
    assert "edi-gateway" in out
