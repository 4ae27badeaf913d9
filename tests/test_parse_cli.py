"""``edi-gateway parse`` on bank statements and catalogs: detection, the JSON contracts, exit codes.

X12 parsing and ``ack`` are in ``test_cli.py``. The bank files are the golden ones (whose expected JSON is
``StatementsResult.to_json()``) and, when it is there, every file of the shared corpus in ``../shared``.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gateway.cli import main
from tests.parser_suite import BANK_CORPUS

ROOT = Path(__file__).resolve().parents[1]
GOLDEN_BANK = ROOT / "tests" / "golden" / "bank"
BANK_CASES = sorted(path for path in GOLDEN_BANK.iterdir() if path.suffix != ".json")
GPO_CATALOG = ROOT / "tests" / "golden" / "catalog" / "gpo_contract_tiers.csv"
MEDSUPPLYCO = ROOT / "config" / "partners" / "medsupplyco.toml"
CORPUS_FILES = (
    sorted(p for p in BANK_CORPUS.rglob("*") if p.is_file() and p.name != "SOURCES.md")
    if BANK_CORPUS.is_dir()
    else []
)
# The corpus folder a file sits in -> the format auto-detection must find (CSV statements: none).
CORPUS_FORMATS = {
    "bai2": "bai2",
    "camt052": "camt.052",
    "camt053": "camt.053",
    "camt054": "camt.054",
    "mt940": "mt940",
    "ofx": "ofx",
    "csv_statement": None,
}

# The documented contracts (README): keys pinned, so that a change is a decision.
BANK_KEYS = {"format", "statements", "errors", "summary"}
STATEMENT_KEYS = {
    "format",
    "account",
    "currency",
    "statement_id",
    "bank",
    "created",
    "period_start",
    "period_end",
    "balances",
    "opening_balance",
    "closing_balance",
    "lines",
}
LINE_KEYS = {
    "import_id",
    "booking_date",
    "value_date",
    "amount",
    "status",
    "bank_reference",
    "customer_reference",
    "end_to_end_id",
    "uetr",
    "transaction_code",
    "counterparty",
    "remittance",
    "structured_reference",
    "reversal",
}
ISSUE_KEYS = {"code", "message", "severity", "statement", "line", "record"}
BANK_SUMMARY_KEYS = {"statements", "lines", "errors", "warnings"}
CATALOG_KEYS = {"format", "items", "rejected", "notes", "encoding", "delimiter", "summary"}
ITEM_KEYS = {
    "line",
    "supplier_part",
    "unit",
    "each_per_unit",
    "description",
    "manufacturer",
    "manufacturer_part",
    "gtins",
    "unspsc",
    "ndc",
    "hcpcs",
    "contract_id",
    "contract_tier",
    "price",
    "currency",
    "price_per_each",
    "effective_date",
    "expiry_date",
    "minimum_quantity",
}

CATALOG_PARTNER = """
id = "acme"
name = "Acme Surgical"
documents = ["catalog"]
[catalog]
supplier_part = "Item"
unit = "UOM"
price = "Price"
default_currency = "USD"
required = ["price"]
"""


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, ["parse", *args])


def assert_clean_exit(result: Result) -> None:
    """The command ended through its exit codes, never through an exception."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


def acme(tmp_path: Path, body: str = CATALOG_PARTNER) -> Path:
    path = tmp_path / "acme.toml"
    path.write_text(body)
    return path


# --- Bank statements ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", BANK_CASES, ids=lambda path: path.name)
def test_every_golden_bank_format_follows_the_contract(case: Path) -> None:
    result = invoke(str(case), "--json")
    assert_clean_exit(result)
    data = json.loads(result.stdout)
    expected = json.loads(case.with_name(case.name + ".json").read_text("utf-8"))
    assert {key: value for key, value in data.items() if key != "summary"} == expected
    assert set(data) == BANK_KEYS
    assert set(data["summary"]) == BANK_SUMMARY_KEYS
    for statement in data["statements"]:
        assert set(statement) == STATEMENT_KEYS
        for line in statement["lines"]:
            assert set(line) == LINE_KEYS
            assert isinstance(line["amount"], str)  # a decimal string, never a float
    assert all(set(issue) == ISSUE_KEYS for issue in data["errors"])
    summary = data["summary"]
    assert summary["statements"] == len(data["statements"])
    assert summary["lines"] == sum(len(statement["lines"]) for statement in data["statements"])
    errors = sum(1 for issue in data["errors"] if issue["severity"] == "error")
    assert summary["errors"] == errors
    assert result.exit_code == (1 if errors else 0)


def test_bank_formats_covered() -> None:
    formats = {json.loads(case.with_name(case.name + ".json").read_text())["format"] for case in BANK_CASES}
    assert formats == {"ofx", "camt.052", "camt.053", "camt.054", "bai2", "mt940"}


def test_bank_summary_and_table() -> None:
    case = GOLDEN_BANK / "camt_053_hospital_insurer_eft.xml"
    result = invoke(str(case), "--summary")
    assert (result.exit_code, result.stdout.strip()) == (
        0,
        "format=camt.053 statements=2 lines=9 errors=0 warnings=0",
    )
    result = CliRunner().invoke(main, ["parse", str(case)], env={"COLUMNS": "160"})
    assert result.exit_code == 0
    assert "DE89370400440532013000" in result.stdout
    assert "1,250,000.00" in result.stdout  # the opening balance


def test_statement_errors_exit_1() -> None:
    case = GOLDEN_BANK / "bai2_clinic_intraday_quirks.bai2"
    result = invoke(str(case), "--summary")
    assert result.exit_code == 1
    assert "errors=1" in result.stdout


@pytest.mark.parametrize(
    ("choice", "case"),
    [
        ("ofx", "ofx_clinic_network_xml.ofx"),
        ("camt", "camt_054_gpo_rebate.xml"),
        ("bai2", "bai2_hospital_prior_day.bai2"),
        ("mt940", "mt940_hospital_swift.sta"),
    ],
)
def test_an_explicit_bank_format(choice: str, case: str) -> None:
    result = invoke(str(GOLDEN_BANK / case), "--format", choice, "--summary")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"format={choice}")


def test_a_file_not_in_the_format_asked_for_exits_2() -> None:
    bai2 = GOLDEN_BANK / "bai2_hospital_prior_day.bai2"
    for choice in ("ofx", "camt", "mt940"):
        result = invoke(str(bai2), "--format", choice)
        assert_clean_exit(result)
        assert result.exit_code == 2, choice
        assert bai2.name in result.stderr


def test_xml_with_a_doctype_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "statement.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY big "1,250,000.00">]>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>\n'
    )
    result = invoke(str(path))
    assert result.exit_code == 2
    assert "DOCTYPE" in result.stderr
    assert "1,250,000.00" not in result.stderr


def test_a_statement_that_cannot_be_read_names_no_amount(tmp_path: Path) -> None:
    path = tmp_path / "broken.bai2"
    path.write_text("01,021000021,MERCYGENERAL,240329,0615,1,80,,2/\n16,195,98765.43,Z/\n")
    result = invoke(str(path), "--json")
    assert_clean_exit(result)
    assert result.exit_code == 2
    assert "98765.43" not in result.output


@pytest.mark.parametrize("path", CORPUS_FILES or [None], ids=lambda p: p.name if p else "missing")
def test_the_shared_bank_corpus(path: Path | None) -> None:
    if path is None:
        pytest.skip(
            f"shared bank corpus not found at {BANK_CORPUS} (it sits beside the project in ../shared)"
        )
    result = invoke(str(path), "--json")
    assert_clean_exit(result)
    assert result.exit_code in (0, 1, 2)
    if result.exit_code == 2:
        assert path.name in result.stderr  # said why, naming the file
        return
    data = json.loads(result.stdout)
    assert set(data) == BANK_KEYS
    expected = CORPUS_FORMATS[path.parent.name]
    assert data["format"] == expected
    assert all(set(statement) == STATEMENT_KEYS for statement in data["statements"])


# --- Catalogs -----------------------------------------------------------------------------------------------


def test_a_catalog_with_rejected_rows_exits_1() -> None:
    result = invoke(str(GPO_CATALOG), "--mapping", str(MEDSUPPLYCO), "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == CATALOG_KEYS
    assert data["format"] == "catalog"
    assert data["summary"] == {"items": 7, "rejected": 6}
    assert all(set(item) == ITEM_KEYS for item in data["items"])
    assert all(set(row) == {"line", "reason", "column"} for row in data["rejected"])
    first = data["items"][0]
    assert (first["supplier_part"], first["price"], first["effective_date"]) == (
        "MS-44021",
        "0.12",
        "2026-03-04",
    )
    assert [gtin["level"] for gtin in first["gtins"]] == ["EA", "BX", "CS"]
    assert {"line": 13, "reason": "price missing", "column": "Contract Price"} in data["rejected"]


def test_catalog_summary_and_table() -> None:
    result = invoke(str(GPO_CATALOG), "--mapping", str(MEDSUPPLYCO), "--summary")
    assert (result.exit_code, result.stdout.strip()) == (1, "format=catalog items=7 rejected=6")
    result = CliRunner().invoke(
        main, ["parse", str(GPO_CATALOG), "--mapping", str(MEDSUPPLYCO)], env={"COLUMNS": "160"}
    )
    assert result.exit_code == 1
    assert "rejected rows" in result.stdout
    assert "GTIN check digit wrong" in result.stdout
    assert "$0.12" not in result.stdout and "0.12" not in result.stdout  # counts and reasons, not prices


def test_a_clean_catalog_exits_0_with_format_catalog(tmp_path: Path) -> None:
    path = tmp_path / "items.csv"
    path.write_text("Item,UOM,Price\nMS-1,EA,12.45\nMS-2,DZ,88.00\n")
    mapping = acme(tmp_path)
    result = invoke(str(path), "--format", "catalog", "--mapping", str(mapping), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [item["price"] for item in data["items"]] == ["12.45", "88.00"]
    assert data["rejected"] == []


def test_a_catalog_that_cannot_be_read_exits_2_without_its_content(tmp_path: Path) -> None:
    path = tmp_path / "items.csv"
    path.write_text("Sku;Cost\nMS-1;12.45\n")  # no header the mapping names
    result = invoke(str(path), "--mapping", str(acme(tmp_path)))
    assert_clean_exit(result)
    assert result.exit_code == 2
    assert "items.csv" in result.stderr and "12.45" not in result.stderr


def test_an_invalid_mapping_is_reported_like_the_configuration(tmp_path: Path) -> None:
    bad = CATALOG_PARTNER.replace('price = "Price"', 'price = "Price"\neffective_date = 3\ndelimiter = "#"')
    result = invoke(str(GPO_CATALOG), "--mapping", str(acme(tmp_path, bad)))
    assert result.exit_code == 2
    assert "2 configuration problems" in result.stderr
    assert "partners.acme.catalog.date_format" in result.stderr
    assert "partners.acme.catalog.delimiter" in result.stderr


def test_a_partner_file_without_a_catalog_table(tmp_path: Path) -> None:
    result = invoke(str(GPO_CATALOG), "--mapping", str(acme(tmp_path, 'id = "acme"\nname = "Acme"\n')))
    assert result.exit_code == 2
    assert "no [catalog] table" in result.stderr


def test_a_catalog_needs_a_mapping_and_a_mapping_is_for_catalogs() -> None:
    result = invoke(str(GPO_CATALOG), "--format", "catalog")
    assert result.exit_code == 2 and "--mapping" in result.stderr
    result = invoke(str(GPO_CATALOG), "--format", "bai2", "--mapping", str(MEDSUPPLYCO))
    assert result.exit_code == 2 and "--mapping is for catalogs" in result.stderr
    result = invoke(str(GPO_CATALOG), "--mapping", str(MEDSUPPLYCO), "--guide", str(MEDSUPPLYCO))
    assert result.exit_code == 2 and "--guide is for X12" in result.stderr


# --- What cannot be read ------------------------------------------------------------------------------------


def test_an_unknown_file_exits_2_and_says_what_is_known(tmp_path: Path) -> None:
    path = tmp_path / "prices.csv"
    path.write_text("sku,description,price\nMS-1,gloves,12.45\n")
    result = invoke(str(path))
    assert result.exit_code == 2
    assert "prices.csv" in result.stderr and "not a known format" in result.stderr
    assert "--mapping" in result.stderr
    assert "12.45" not in result.stderr and "gloves" not in result.stderr


def zipped(tmp_path: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("statement.xml", (GOLDEN_BANK / "camt_054_gpo_rebate.xml").read_bytes())
    path = tmp_path / "statement.zip"
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize("extra", [[], ["--format", "camt"], ["--mapping", str(MEDSUPPLYCO)]])
def test_a_zip_is_refused_whatever_the_format(tmp_path: Path, extra: list[str]) -> None:
    result = invoke(str(zipped(tmp_path)), *extra)
    assert result.exit_code == 2
    assert "compressed deliveries are not accepted" in result.stderr


def test_the_corpus_zip_is_refused() -> None:
    path = BANK_CORPUS / "camt053" / "oca16__test-camt053.zip"
    if not path.is_file():
        pytest.skip(f"corpus zip not found at {path}")
    result = invoke(str(path))
    assert result.exit_code == 2
    assert "compressed deliveries are not accepted" in result.stderr


def test_ack_is_for_x12_only(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["ack", str(GOLDEN_BANK / "camt_053_hospital_insurer_eft.xml")])
    assert result.exit_code == 2
    assert "camt.053, not X12" in result.stderr
    result = CliRunner().invoke(main, ["ack", str(zipped(tmp_path))])
    assert result.exit_code == 2
    assert "compressed deliveries are not accepted" in result.stderr
