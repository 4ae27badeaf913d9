"""Files routed by content into the gateway (issue 4): bank statements and CSV catalogs staged like X12
files (once, archived, audited) but never acknowledged; a re-delivered or overlapping statement stages no
line twice; each catalog delivery is a version with its changes; anything else is quarantined unread with
its reason, and a reprocess after the configuration is fixed stages it."""

from __future__ import annotations

import json
import zipfile
from io import BytesIO
from pathlib import Path

from gateway.ingest.pipeline import IngestResult
from gateway.ingest.reprocess import reprocess
from gateway.staging import FileKind, Outcome, Stage
from gateway.staging.database import Database

from .home import GatewayHome, drain, gateway_on
from .look import check_audit_chain, check_staged_exactly_once, count_rows, file_rows, regular_files

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
BANK = GOLDEN / "bank"
CATALOG = GOLDEN / "catalog"

BANK_PARTNER = """\
id = "firstmidwest"
name = "First Midwest Trust"
documents = ["bank_statement"]
[[channels]]
type = "local"
folder = "firstmidwest"
completion = "rename"
"""

CATALOG_PARTNER = """\
id = "keystonegpo"
name = "Keystone Health Purchasing Alliance"
documents = ["catalog"]
[[channels]]
type = "local"
folder = "keystonegpo"
completion = "rename"
[catalog]
supplier_part = "Item Number"
manufacturer = "Manufacturer"
manufacturer_part = "Mfr Catalog #"
description = "Description"
unit = "UOM"
each_per_unit = "Qty/UOM"
gtins = { EA = "GTIN Each", BX = "GTIN Box", CS = "GTIN Case" }
unspsc = "UNSPSC"
hcpcs = "HCPCS"
contract_id = "Contract"
contract_tier = "Tier"
price = "Contract Price"
default_currency = "USD"
effective_date = "Effective"
expiry_date = "Expires"
minimum_quantity = "Min Qty"
date_format = "%m/%d/%Y"
delimiter = ","
thousands_separator = ","
required = ["price"]
"""

# The same partner before its mapping was configured (a partner listing catalogs must have one).
NO_MAPPING = CATALOG_PARTNER.split("[catalog]")[0].replace('documents = ["catalog"]\n', "")


def with_partners(home: GatewayHome, catalog: str = CATALOG_PARTNER) -> None:
    home.write_partners(firstmidwest=BANK_PARTNER, keystonegpo=catalog)


def outbox_files(home: GatewayHome) -> list[Path]:
    return regular_files(home.outbox)


def test_a_bank_statement_is_staged_archived_and_not_acknowledged(
    home: GatewayHome, database: Database
) -> None:
    with_partners(home)
    data = (BANK / "ofx_hospital_operating_sgml.ofx").read_bytes()
    home.drop_by_rename("statement.ofx", data, "firstmidwest")

    [result] = drain(gateway_on(home, database))

    assert result.outcome == Outcome.OK and result.kind == FileKind.OFX
    assert result.counts["statements"] >= 1 and result.counts["lines_new"] > 0
    assert result.counts["lines_known"] == 0 and result.acknowledgements == []
    [row] = file_rows(database)
    assert (row.kind, row.partner_id, row.stage) == (FileKind.OFX, "firstmidwest", Stage.ARCHIVED)
    assert count_rows(database, "bank_statement_lines") == result.counts["lines_new"]
    assert outbox_files(home) == []
    check_staged_exactly_once(database, home.root, {"statement": data})
    check_audit_chain(database)


def test_a_statement_delivered_again_with_other_bytes_stages_no_line_twice(
    home: GatewayHome, database: Database
) -> None:
    with_partners(home)
    data = (BANK / "ofx_hospital_operating_sgml.ofx").read_bytes()
    again = data.replace(b"<DTSERVER>20260106063000.000", b"<DTSERVER>20260107063000.000")
    assert again != data
    gateway = gateway_on(home, database)
    home.drop_by_rename("monday.ofx", data, "firstmidwest")
    [first] = drain(gateway)
    home.drop_by_rename("monday-resent.ofx", again, "firstmidwest")

    [second] = drain(gateway)

    assert second.outcome == Outcome.OK and second.counts["lines_new"] == 0
    assert second.counts["lines_known"] == first.counts["lines_new"]
    assert count_rows(database, "bank_statement_lines") == first.counts["lines_new"]
    check_staged_exactly_once(database, home.root, {"monday": data, "resent": again})


def test_each_bank_format_is_routed_by_its_content(home: GatewayHome, database: Database) -> None:
    with_partners(home)
    cases = {
        "camt_053_hospital_insurer_eft.xml": FileKind.CAMT,
        "bai2_hospital_prior_day.bai2": FileKind.BAI2,
        "mt940_hospital_swift.sta": FileKind.MT940,
        "ofx_clinic_network_xml.ofx": FileKind.OFX,
    }
    for name in cases:
        home.drop_by_rename(name, (BANK / name).read_bytes(), "firstmidwest")

    results = drain(gateway_on(home, database))

    assert {row.original_name: row.kind for row in file_rows(database)} == cases
    assert all(result.outcome in (Outcome.OK, Outcome.ERRORS) for result in results)


def test_a_catalog_delivery_is_a_version_and_the_next_one_says_what_changed(
    home: GatewayHome, database: Database
) -> None:
    with_partners(home)
    data = (CATALOG / "gpo_contract_tiers.csv").read_bytes()
    gateway = gateway_on(home, database)
    home.drop_by_rename("prices-march.csv", data, "keystonegpo")
    [first] = drain(gateway)
    # The next delivery: the gloves' contract price goes up; everything else stays.
    changed = data.replace(
        b"EA,1,00884210440210,10884210440217,30884210440211,42132203,A4927,KHPA-2026-118,1,$0.12",
        b"EA,1,00884210440210,10884210440217,30884210440211,42132203,A4927,KHPA-2026-118,1,$0.13",
    )
    assert changed != data
    home.drop_by_rename("prices-april.csv", changed, "keystonegpo")

    [second] = drain(gateway)

    assert first.kind == second.kind == FileKind.CATALOG
    assert first.counts["catalog_version"] == 1 and second.counts["catalog_version"] == 2
    assert first.counts["rejected"] > 0 and first.outcome == Outcome.ERRORS  # the bad rows, kept apart
    assert first.counts["items"] == second.counts["items"] > 0
    changes = {name: count for name, count in second.counts.items() if name.startswith("changes_")}
    assert changes == {"changes_price_changed": 1}  # the kinds that did not change are left out
    assert outbox_files(home) == []
    check_staged_exactly_once(database, home.root, {"march": data, "april": changed})


def test_a_file_of_no_known_kind_is_quarantined_unread_with_its_reason(
    home: GatewayHome, database: Database
) -> None:
    with_partners(home)
    archive = BytesIO()
    with zipfile.ZipFile(archive, "w") as packed:
        packed.writestr("statement.xml", (BANK / "camt_053_hospital_insurer_eft.xml").read_bytes())
    home.drop_by_rename("letter.txt", b"Dear team, please find our statement attached.\n", "firstmidwest")
    home.drop_by_rename("statement.zip", archive.getvalue(), "firstmidwest")

    results = drain(gateway_on(home, database))

    assert [result.outcome for result in results] == [Outcome.QUARANTINED] * 2
    reasons = {}
    for row in file_rows(database):
        assert row.kind == FileKind.UNKNOWN and row.stored_path is not None
        reason = json.loads((home.root / (row.stored_path + ".reason.json")).read_text("utf-8"))
        reasons[row.original_name] = reason["code"]
    assert reasons == {"letter.txt": "GATEWAY.UNKNOWN_KIND", "statement.zip": "GATEWAY.COMPRESSED"}
    assert outbox_files(home) == []


def test_a_broken_bank_file_is_quarantined_with_the_parsers_reason(
    home: GatewayHome, database: Database
) -> None:
    with_partners(home)
    data = (BANK / "bai2_hospital_prior_day.bai2").read_bytes()
    broken = data[: len(data) // 2]  # cut inside the file: the trailer records and control totals are gone
    home.drop_by_rename("prior-day.bai2", broken, "firstmidwest")

    [result] = drain(gateway_on(home, database))

    [row] = file_rows(database)
    assert row.kind == FileKind.BAI2
    if result.outcome == Outcome.QUARANTINED:
        assert result.reason is not None and result.reason.startswith(("BAI2.", "BANK."))
    else:  # read as far as it goes: what is missing is an error of the file, staged with it
        assert result.outcome == Outcome.ERRORS


def test_a_catalog_quarantined_for_want_of_a_mapping_stages_once_it_has_one(
    home: GatewayHome, database: Database
) -> None:
    with_partners(home, catalog=NO_MAPPING)
    data = (CATALOG / "gpo_contract_tiers.csv").read_bytes()
    home.drop_by_rename("prices.csv", data, "keystonegpo")
    [result] = drain(gateway_on(home, database))
    assert result.outcome == Outcome.QUARANTINED and result.file_id is not None
    assert result.reason is not None and "no [catalog] mapping" in result.reason

    with_partners(home)  # the operator adds the mapping, then reprocesses
    again = reprocess(home.configuration(), database, result.file_id)

    assert isinstance(again, IngestResult)
    assert again.outcome == Outcome.ERRORS  # staged, with the rows it rejects
    [row] = file_rows(database)
    assert (row.kind, row.stage) == (FileKind.CATALOG, Stage.ARCHIVED)
    assert row.stored_path is not None and row.stored_path.startswith("archive/")
    assert count_rows(database, "catalog_versions") == 1


def test_a_bank_file_in_a_format_the_bank_does_not_send_is_quarantined(
    home: GatewayHome, database: Database
) -> None:
    only_camt = BANK_PARTNER + '[bank]\naccounts = ["004417730021"]\nformats = ["camt.053"]\n'
    home.write_partners(firstmidwest=only_camt, keystonegpo=CATALOG_PARTNER)
    home.drop_by_rename(
        "statement.ofx", (BANK / "ofx_hospital_operating_sgml.ofx").read_bytes(), "firstmidwest"
    )

    [result] = drain(gateway_on(home, database))

    assert result.outcome == Outcome.QUARANTINED and result.kind == FileKind.OFX
    assert result.reason is not None and result.reason.startswith(
        "GATEWAY.NOT_EXPECTED: a bank statement in ofx"
    )
    assert count_rows(database, "bank_statement_lines") == 0


def test_hostile_xml_is_quarantined_and_the_files_beside_it_are_staged(
    home: GatewayHome, database: Database
) -> None:
    """An external entity (XXE) and a billion-laughs camt file are refused by the parser before anything
    is resolved: quarantined with its code; the good statement dropped with them is staged."""
    with_partners(home)
    good = (BANK / "camt_053_hospital_insurer_eft.xml").read_bytes()
    namespace = b"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"
    xxe = (
        b'<?xml version="1.0"?>\n<!DOCTYPE Document [<!ENTITY payload SYSTEM "file:///etc/passwd">]>\n'
        b'<Document xmlns="' + namespace + b'"><BkToCstmrStmt><Stmt><Id>&payload;</Id></Stmt>'
        b"</BkToCstmrStmt></Document>\n"
    )
    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE Document [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
            for n in range(1, 10)
        )
        + b']>\n<Document xmlns="'
        + namespace
        + b'"><BkToCstmrStmt><Stmt><Id>&lol9;</Id></Stmt>'
        b"</BkToCstmrStmt></Document>\n"
    )
    for name, data in (("xxe.xml", xxe), ("laughs.xml", laughs), ("good.xml", good)):
        home.drop_by_rename(name, data, "firstmidwest")

    results = drain(gateway_on(home, database))

    outcomes = {row.original_name: (row.kind, row.outcome) for row in file_rows(database)}
    assert outcomes == {
        "xxe.xml": (FileKind.CAMT, Outcome.QUARANTINED),
        "laughs.xml": (FileKind.CAMT, Outcome.QUARANTINED),
        "good.xml": (FileKind.CAMT, Outcome.OK),
    }
    for result in results:
        if result.outcome == Outcome.QUARANTINED:
            assert result.reason is not None and result.reason.startswith("XML.")
            assert "passwd" not in result.reason and "lol" not in result.reason


def test_a_catalog_unreadable_halfway_is_quarantined_and_leaves_no_rows(
    home: GatewayHome, database: Database
) -> None:
    """Catalogs are staged as they are read: the rows written before the undecodable line go with the
    transaction, and the file is quarantined as if it had been refused whole."""
    with_partners(home)
    data = (CATALOG / "gpo_contract_tiers.csv").read_bytes().rstrip(b"\r\n") + b"\r\n"
    rows = b"".join(
        b"MS-9%05d,Medline Industries,MDS1,Gloves,EA,1,,,,,,KHPA-2026-118,1,$0.12,03/04/2026,02/28/2027,1\r\n"
        % number
        for number in range(5_000)  # more than a batch of staged rows
    )
    home.drop_by_rename("prices.csv", data + rows + b"MS-1,\xff\xfe,EA\r\n" + rows[:1000], "keystonegpo")

    [result] = drain(gateway_on(home, database))

    assert result.outcome == Outcome.QUARANTINED
    assert result.reason is not None and result.reason.startswith("CATALOG.ENCODING")
    for table in ("catalog_versions", "catalog_items", "catalog_rejected_rows", "issues"):
        assert count_rows(database, table) == 0, table
