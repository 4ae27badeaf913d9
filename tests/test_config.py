"""Configuration: defaults, the example files, environment overrides, every problem at once, lookups."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from gateway.config import (
    ConfigProblem,
    Configuration,
    ConfigurationProblems,
    GatewaySettings,
    LocalChannel,
    PartnerConfig,
    load_configuration,
    load_partner_file,
)
from gateway.config.settings import environment
from parsers.catalog import CatalogMapping
from parsers.errors import ConfigurationError

ROOT = Path(__file__).resolve().parents[1]
GIB = 1 << 30


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def partner_file(home: Path, partner_id: str, body: str = "") -> Path:
    return write(
        home / "config" / "partners" / f"{partner_id}.toml", f'id = "{partner_id}"\nname = "X"\n' + body
    )


def problems_of(**kwargs: object) -> list[ConfigProblem]:
    with pytest.raises(ConfigurationProblems) as raised:
        load_configuration(**kwargs)  # type: ignore[arg-type]
    return raised.value.problems


def keys(problems: list[ConfigProblem]) -> list[str]:
    return sorted(problem.key for problem in problems)


# --- Defaults and the example files -------------------------------------------------------------------------


def test_no_file_at_all_runs_on_home(tmp_path: Path) -> None:
    configuration = load_configuration(home=tmp_path, environ={})
    settings = configuration.settings
    assert configuration.gateway_file is None
    assert configuration.partners == {}
    assert settings.home == tmp_path
    assert settings.paths.inbox == tmp_path / "inbox"
    assert settings.paths.outbox == tmp_path / "outbox"
    assert settings.paths.archive == tmp_path / "archive"
    assert settings.paths.quarantine == tmp_path / "quarantine"
    assert settings.paths.var == tmp_path / "var"
    assert settings.paths.partners_dir == tmp_path / "config" / "partners"
    assert settings.database_url == f"sqlite:///{tmp_path}/var/staging.db"
    assert settings.ingest.rescan_seconds == 2.0
    assert settings.ingest.settle_seconds == 1.0
    assert settings.ingest.settle_checks == 2
    assert settings.ingest.done_suffixes == [".done", ".ok"]
    assert settings.ingest.ignore_patterns == ["*.tmp", "*.part", "*.filepart", ".*", "~*"]
    assert settings.ingest.duplicate_isa_window_days == 30
    assert settings.ingest.max_file_bytes == GIB
    assert (settings.identity.qualifier, settings.identity.id, settings.identity.gs_id) == (
        "ZZ",
        "EDIGATEWAY",
        "EDIGATEWAY",
    )
    assert (settings.logging.level, settings.logging.json_lines) == ("INFO", False)
    assert configuration.local_folders() == [tmp_path / "inbox"]
    assert set(configuration.value_sources.values()) == {"default", "argument"}


def test_without_home_the_current_directory_is_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    configuration = load_configuration(environ={})
    assert configuration.settings.home == tmp_path
    assert configuration.settings.paths.inbox == tmp_path / "inbox"


def test_example_files_load_cleanly() -> None:
    configuration = load_configuration(home=ROOT, environ={})
    assert configuration.gateway_file == ROOT / "config" / "gateway.toml"
    assert sorted(configuration.partners) == ["firstcitybank", "medsupplyco", "mercygeneral"]
    assert configuration.secret_problems(environ={}) == []
    mercy = configuration.partners["mercygeneral"]
    assert mercy.acknowledgements.functional == "999"
    assert mercy.local_channels() == [
        LocalChannel(type="local", folder="mercygeneral", patterns=["*.edi", "*.x12", "*.txt"])
    ]
    assert set(mercy.documents) >= {"850", "855", "856", "810"}
    assert configuration.partners["medsupplyco"].companion_guide["850"]["segments"]["REF"] == {"usage": "M"}
    assert configuration.local_folders() == [
        ROOT / "inbox",
        ROOT / "inbox" / "firstcitybank",
        ROOT / "inbox" / "medsupplyco",
        ROOT / "inbox" / "mercygeneral",
    ]
    assert mercy.catalog_mapping() is None and mercy.bank is None


def test_example_catalog_and_bank_partners() -> None:
    partners = load_configuration(home=ROOT, environ={}).partners
    mapping = partners["medsupplyco"].catalog_mapping()
    assert mapping is not None and mapping.problems() == []
    assert (mapping.supplier_part, mapping.unit, mapping.each_per_unit) == ("Item Number", "UOM", "Qty/UOM")
    assert dict(mapping.gtins) == {"EA": "GTIN Each", "BX": "GTIN Box", "CS": "GTIN Case"}
    assert (mapping.date_format, mapping.required) == ("%m/%d/%Y", frozenset({"price"}))
    bank = partners["firstcitybank"]
    assert bank.x12 is None and bank.catalog_mapping() is None
    assert bank.bank is not None and len(bank.bank.accounts) == 2
    assert bank.bank.formats == ["camt.053", "bai2"]
    assert [channel.folder for channel in bank.local_channels()] == ["firstcitybank"]


def test_example_gateway_file_equals_the_embedded_default() -> None:
    from_file = load_configuration(home=ROOT, environ={}).settings
    with environment({}):
        embedded = GatewaySettings(home=ROOT)
    assert from_file.model_dump() == embedded.model_dump()


def test_settings_alone_read_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EDIGW_HOME", str(tmp_path))
    monkeypatch.setenv("EDIGW_INGEST__SETTLE_CHECKS", "4")
    settings = GatewaySettings()
    assert settings.home == tmp_path
    assert settings.ingest.settle_checks == 4


# --- The environment over the file --------------------------------------------------------------------------


def test_environment_overrides_win_over_the_file(tmp_path: Path) -> None:
    write(
        tmp_path / "config" / "gateway.toml",
        """
        database_url = "sqlite:///data/gw.db"
        [ingest]
        rescan_seconds = 3.0
        settle_checks = 3
        [logging]
        level = "WARNING"
        """,
    )
    environ = {
        "EDIGW_INGEST__RESCAN_SECONDS": "5",
        "EDIGW_INGEST__DONE_SUFFIXES": ".ready,.fin",
        "EDIGW_INGEST__IGNORE_PATTERNS": '["*.partial"]',
        "EDIGW_DATABASE_URL": "postgresql+psycopg://edi@db/edi",
        "EDIGW_LOGGING__LEVEL": "debug",
        "EDIGW_LOGGING__JSON": "true",
        "EDIGW_IDENTITY__ID": "OURCO",
    }
    configuration = load_configuration(home=tmp_path, environ=environ)
    settings = configuration.settings
    assert settings.ingest.rescan_seconds == 5.0
    assert settings.ingest.settle_checks == 3  # from the file: the nested tables merge
    assert settings.ingest.done_suffixes == [".ready", ".fin"]
    assert settings.ingest.ignore_patterns == ["*.partial"]
    assert settings.database_url == "postgresql+psycopg://edi@db/edi"
    assert (settings.logging.level, settings.logging.json_lines) == ("DEBUG", True)
    assert (settings.identity.id, settings.identity.gs_id) == ("OURCO", "OURCO")
    sources = configuration.value_sources
    assert sources["ingest.rescan_seconds"] == "environment"
    assert sources["ingest.settle_checks"] == "config/gateway.toml" or sources[
        "ingest.settle_checks"
    ].endswith("gateway.toml")
    assert sources["ingest.settle_seconds"] == "default"


def test_flat_home_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site").mkdir()
    configuration = load_configuration(environ={"EDIGW_HOME": "site"})
    assert configuration.settings.home == tmp_path / "site"
    assert configuration.settings.paths.var == tmp_path / "site" / "var"


def test_home_argument_wins_over_the_environment(tmp_path: Path) -> None:
    configuration = load_configuration(home=tmp_path, environ={"EDIGW_HOME": "/elsewhere"})
    assert configuration.settings.home == tmp_path
    assert configuration.value_sources["home"] == "argument"


def test_relative_paths_resolve_against_home_absolute_ones_stay(tmp_path: Path) -> None:
    write(
        tmp_path / "config" / "gateway.toml",
        f"""
        database_url = "sqlite:///state/../db/gw.db?timeout=5"
        [paths]
        inbox = "drop/in"
        archive = "{tmp_path / "elsewhere"}"
        """,
    )
    settings = load_configuration(home=tmp_path, environ={}).settings
    assert settings.paths.inbox == tmp_path / "drop" / "in"
    assert settings.paths.archive == tmp_path / "elsewhere"
    assert settings.database_url == f"sqlite:///{tmp_path}/db/gw.db?timeout=5"


@pytest.mark.parametrize(
    "url", ["sqlite:////var/lib/edi/gw.db", "sqlite:///:memory:", "postgresql://edi@127.0.0.1:5432/test"]
)
def test_other_database_urls_are_kept(tmp_path: Path, url: str) -> None:
    settings = load_configuration(home=tmp_path, environ={"EDIGW_DATABASE_URL": url}).settings
    assert settings.database_url == url


# --- Discovery ----------------------------------------------------------------------------------------------


def test_discovery_order(tmp_path: Path) -> None:
    home = tmp_path / "srv"
    write(home / "config" / "gateway.toml", "[ingest]\nsettle_checks = 3\n")
    write(tmp_path / "etc" / "from-env.toml", "[ingest]\nsettle_checks = 4\n")
    option = write(tmp_path / "etc" / "from-option.toml", "[ingest]\nsettle_checks = 5\n")
    environ = {"EDIGW_CONFIG": str(tmp_path / "etc" / "from-env.toml")}

    def checks(**kwargs: object) -> int:
        configuration = load_configuration(home=home, **kwargs)  # type: ignore[arg-type]
        return configuration.settings.ingest.settle_checks

    assert checks(environ={}, config_file=option) == 5
    assert checks(environ=environ, config_file=option) == 5
    assert checks(environ=environ) == 4
    assert checks(environ={}) == 3
    (home / "config" / "gateway.toml").unlink()
    assert checks(environ={}) == 2  # the embedded default


def test_partners_folder_beside_the_gateway_file(tmp_path: Path) -> None:
    gateway_file = write(tmp_path / "etc" / "gateway.toml", "")
    write(tmp_path / "etc" / "partners" / "acme.toml", 'id = "acme"\nname = "Acme"\n')
    partner_file(tmp_path / "srv", "other")
    configuration = load_configuration(home=tmp_path / "srv", config_file=gateway_file, environ={})
    assert list(configuration.partners) == ["acme"]
    assert configuration.settings.paths.partners_dir == tmp_path / "etc" / "partners"
    assert configuration.value_sources["paths.partners_dir"] == "default"


def test_a_named_gateway_file_that_is_missing_is_a_problem(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    problems = problems_of(home=tmp_path, config_file=missing, environ={})
    assert [(p.source, str(missing) in p.message) for p in problems] == [("--config", True)]
    problems = problems_of(home=tmp_path, environ={"EDIGW_CONFIG": str(missing)})
    assert [(p.source, p.key) for p in problems] == [("environment", "EDIGW_CONFIG")]


def test_a_named_partners_folder_that_is_missing_is_a_problem(tmp_path: Path) -> None:
    problems = problems_of(home=tmp_path, environ={"EDIGW_PATHS__PARTNERS_DIR": "partners"})
    assert [(p.source, p.key) for p in problems] == [("environment", "paths.partners_dir")]


# --- Every problem at once ----------------------------------------------------------------------------------


def test_every_problem_of_every_file_at_once(tmp_path: Path) -> None:
    write(
        tmp_path / "config" / "gateway.toml",
        """
        [ingest]
        settle_checks = 1
        rescan_second = 4
        [identity]
        id = "A-VERY-LONG-INTERCHANGE-ID"
        """,
    )
    partner_file(
        tmp_path,
        "medsupplyco",
        """
        [x12]
        sender_qualifier = "ZZ"
        sender_id = "MEDSUPPLYCO"
        usage = "X"
        [acknowledgements]
        functional = "998"
        """,
    )
    problems = problems_of(home=tmp_path, environ={})
    assert keys(problems) == [
        "identity.id",
        "ingest.rescan_second",
        "ingest.settle_checks",
        "partners.medsupplyco.acknowledgements.functional",
        "partners.medsupplyco.x12.usage",
    ]
    by_key = {problem.key: problem for problem in problems}
    assert by_key["ingest.rescan_second"].source.endswith("gateway.toml")
    assert 'did you mean "rescan_seconds"' in by_key["ingest.rescan_second"].message
    assert by_key["partners.medsupplyco.x12.usage"].source.endswith("medsupplyco.toml")
    assert (
        "'997', '999', 'auto' or 'none'" in by_key["partners.medsupplyco.acknowledgements.functional"].message
    )
    assert "15" in by_key["identity.id"].message


def test_configuration_problems_is_a_configuration_error_listing_all(tmp_path: Path) -> None:
    write(tmp_path / "config" / "gateway.toml", "[ingest]\nsettle_checks = 0\nsettle_seconds = -1\n")
    with pytest.raises(ConfigurationError) as raised:
        load_configuration(home=tmp_path, environ={})
    text = str(raised.value)
    assert text.startswith("2 configuration problems:")
    assert "ingest.settle_checks" in text and "ingest.settle_seconds" in text


def test_environment_problems_name_the_variable(tmp_path: Path) -> None:
    environ = {
        "EDIGW_INGEST__SETTLE_CHECKS": "many",
        "EDIGW_INGEST__RESCAN_SECOND": "1",
        "EDIGW_LOGGING__LEVEL": "loud",
    }
    problems = problems_of(home=tmp_path, environ=environ)
    assert {(p.source, p.key) for p in problems} == {
        ("environment", "ingest.settle_checks"),
        ("environment", "ingest.rescan_second"),
        ("environment", "logging.level"),
    }
    assert all(p.message.startswith("EDIGW_") for p in problems)


def test_an_unparsable_environment_table_is_reported_and_the_file_still_checked(tmp_path: Path) -> None:
    write(tmp_path / "config" / "gateway.toml", "[ingest]\nsettle_checks = 1\n")
    problems = problems_of(home=tmp_path, environ={"EDIGW_INGEST": "{not json"})
    assert {(p.source.endswith("gateway.toml"), p.key) for p in problems} == {
        (False, "EDIGW_INGEST"),
        (True, "ingest.settle_checks"),
    }


def test_toml_syntax_errors_tell_line_and_column(tmp_path: Path) -> None:
    write(tmp_path / "config" / "gateway.toml", '[ingest]\nrescan_seconds = 2.0\nsettle_checks = "2\n')
    partner_file(tmp_path, "acme", "[x12\n")
    problems = problems_of(home=tmp_path, environ={})
    assert len(problems) == 2
    assert all("line" in p.message and "column" in p.message for p in problems)
    assert keys(problems) == ["", "partners.acme"]


def test_unknown_keys_are_errors_everywhere(tmp_path: Path) -> None:
    write(tmp_path / "config" / "gateway.toml", "databse_url = 'x'\n_env_file = 'x'\n")
    partner_file(
        tmp_path,
        "acme",
        """
        document = ["850"]
        [[channels]]
        type = "local"
        pattern = ["*.edi"]
        """,
    )
    problems = problems_of(home=tmp_path, environ={})
    assert keys(problems) == [
        "_env_file",
        "databse_url",
        "partners.acme.channels[0].pattern",
        "partners.acme.document",
    ]


def test_paths_that_would_reread_the_gateways_output_are_refused(tmp_path: Path) -> None:
    write(tmp_path / "config" / "gateway.toml", '[paths]\narchive = "inbox/done"\nquarantine = "outbox"\n')
    problems = problems_of(home=tmp_path, environ={})
    assert keys(problems) == ["paths.archive", "paths.quarantine"]


def test_a_database_password_in_the_file_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "config" / "gateway.toml", 'database_url = "postgresql://edi:Tr0ub4dor@db/edi"\n')
    problems = problems_of(home=tmp_path, environ={})
    assert keys(problems) == ["database_url"]
    assert "Tr0ub4dor" not in str(problems[0])
    assert "EDIGW_DATABASE_URL" in problems[0].message


# --- Partner files ------------------------------------------------------------------------------------------


FULL_X12 = """
[x12]
sender_qualifier = "ZZ"
sender_id = "{sender}"
"""


def test_partner_ids_default_to_our_identity(tmp_path: Path) -> None:
    write(
        tmp_path / "config" / "gateway.toml",
        '[identity]\nqualifier = "01"\nid = "123456789"\ngs_id = "OURAPP"\n',
    )
    partner_file(tmp_path, "acme", FULL_X12.format(sender="ACME"))
    partner_file(tmp_path, "beta", FULL_X12.format(sender="BETA") + 'receiver_id = "OURBETAID"\n')
    partners = load_configuration(home=tmp_path, environ={}).partners
    acme, beta = partners["acme"].x12, partners["beta"].x12
    assert acme is not None and beta is not None
    assert (acme.receiver_qualifier, acme.receiver_id, acme.gs_receiver, acme.gs_sender) == (
        "01",
        "123456789",
        "OURAPP",
        "ACME",
    )
    assert (beta.receiver_id, beta.gs_receiver) == ("OURBETAID", "OURBETAID")
    assert acme.versions == ["004010", "005010"] and acme.usage == "P"
    assert acme.outbound_separators.separators().element == "*"
    assert acme.outbound_separators.suffix == "\n"


def test_partner_x12_values_are_checked(tmp_path: Path) -> None:
    partner_file(
        tmp_path,
        "acme",
        """
        [x12]
        sender_qualifier = "Z"
        sender_id = " ACME"
        gs_sender = "A"
        versions = ["5010"]
        [x12.outbound_separators]
        element = "*"
        component = "*"
        segment = "A"
        """,
    )
    problems = problems_of(home=tmp_path, environ={})
    assert keys(problems) == [
        "partners.acme.x12.gs_sender",
        "partners.acme.x12.outbound_separators.segment",
        "partners.acme.x12.sender_id",
        "partners.acme.x12.sender_qualifier",
        "partners.acme.x12.versions[0]",
    ]


def test_outbound_separators_must_differ(tmp_path: Path) -> None:
    partner_file(
        tmp_path,
        "acme",
        FULL_X12.format(sender="ACME") + '[x12.outbound_separators]\ncomponent = "*"\n',
    )
    [problem] = problems_of(home=tmp_path, environ={})
    assert problem.key == "partners.acme.x12.outbound_separators"
    assert "must all differ" in problem.message


def test_ids_may_not_hold_an_outbound_separator(tmp_path: Path) -> None:
    partner_file(tmp_path, "acme", FULL_X12.format(sender="AC~ME"))
    [problem] = problems_of(home=tmp_path, environ={})
    assert (problem.key, problem.message) == (
        "partners.acme.x12",
        "sender_id, gs_sender contain an outbound separator",
    )


def test_partner_id_must_be_a_slug_equal_to_the_file_name(tmp_path: Path) -> None:
    write(tmp_path / "config" / "partners" / "acme.toml", 'id = "acme-co"\nname = "Acme"\n')
    write(tmp_path / "config" / "partners" / "Beta.toml", 'id = "Beta"\nname = "Beta"\n')
    problems = problems_of(home=tmp_path, environ={})
    assert keys(problems) == ["partners.Beta.id", "partners.acme.id"]


def test_unknown_document_kinds_and_missing_x12_table(tmp_path: Path) -> None:
    partner_file(tmp_path, "acme", 'documents = ["850", "832"]\n')
    partner_file(tmp_path, "beta", 'documents = ["856"]\n')
    problems = problems_of(home=tmp_path, environ={})
    assert keys(problems) == ["partners.acme.documents[1]", "partners.beta"]


def test_two_partners_with_the_same_sender_are_refused(tmp_path: Path) -> None:
    partner_file(tmp_path, "acme", FULL_X12.format(sender="ACME"))
    partner_file(tmp_path, "acme2", FULL_X12.format(sender="ACME"))
    problems = problems_of(home=tmp_path, environ={})
    assert [(p.key, "acme" in p.message) for p in problems] == [("partners.acme2.x12.sender_id", True)]


def test_two_local_channels_claiming_the_same_folder_and_pattern(tmp_path: Path) -> None:
    channel = '[[channels]]\ntype = "local"\nfolder = "shared/"\npatterns = ["*.edi", "*.{ext}"]\n'
    partner_file(tmp_path, "acme", channel.format(ext="x12"))
    partner_file(tmp_path, "beta", channel.format(ext="txt"))
    problems = problems_of(home=tmp_path, environ={})
    assert [p.key for p in problems] == ["partners.beta.channels[0]"]
    assert '"*.edi"' in problems[0].message and '"shared"' in problems[0].message


def test_local_channel_folders_stay_inside_the_inbox(tmp_path: Path) -> None:
    body = "".join(
        f'[[channels]]\ntype = "local"\nfolder = "{folder}"\n' for folder in ("../out", "/abs", "")
    )
    partner_file(tmp_path, "acme", body + '[[channels]]\nfolder = "x"\n[[channels]]\ntype = "ftp"\n')
    problems = problems_of(home=tmp_path, environ={})
    assert keys(problems) == [
        f"partners.acme.channels[{index}]" + (".folder" if index < 3 else "") for index in range(5)
    ]
    assert "type is required" in problems[3].message and "type must be" in problems[4].message


def test_sftp_channel_schema(tmp_path: Path) -> None:
    good = """
        [[channels]]
        type = "sftp"
        host = "sftp.acme.example"
        username = "edi"
        key_file = "keys/acme"
        known_hosts = "config/known_hosts"
        remote_inbound = "/out"
        after_download = "move"
        remote_archive = "/out/done"
        poll_cron = "*/15 6-20 * * 1-5"
        """
    partner_file(tmp_path, "acme", good)
    partner = load_configuration(home=tmp_path, environ={}).partners["acme"]
    channel = partner.channels[0]
    assert channel.type == "sftp"
    assert channel.key_file == tmp_path / "keys" / "acme"
    assert channel.known_hosts == tmp_path / "config" / "known_hosts"
    assert (channel.port, channel.upload_strategy, channel.poll_interval_seconds) == (22, "rename", None)

    partner_file(
        tmp_path,
        "acme",
        """
        [[channels]]
        type = "sftp"
        host = "sftp.acme.example"
        username = "edi"
        port = 0
        remote_inbound = "/out"
        after_download = "move"
        poll_seconds = 60
        poll_cron = "often"
        """,
    )
    problems = problems_of(home=tmp_path, environ={})
    assert keys(problems) == ["partners.acme.channels[0].known_hosts", "partners.acme.channels[0].port"]
    partner_file(tmp_path, "acme", good.replace('remote_archive = "/out/done"', "poll_seconds = 60"))
    [problem] = problems_of(home=tmp_path, environ={})
    assert problem.key == "partners.acme.channels[0]"
    assert "remote_archive is required" in problem.message and "poll_cron or poll_seconds" in problem.message


def test_companion_guides_are_checked_against_the_specifications(tmp_path: Path) -> None:
    partner_file(
        tmp_path,
        "acme",
        FULL_X12.format(sender="ACME")
        + 'versions = ["005010"]\n'
        + '[companion_guide.850.segments.ZZZ]\nusage = "M"\n'
        + '[companion_guide.850.elements."PO1-99"]\nusage = "M"\n'
        + '[companion_guide.861.segments.BRA]\nusage = "M"\n',
    )
    problems = problems_of(home=tmp_path, environ={})
    assert keys(problems) == ["partners.acme.companion_guide.850", "partners.acme.companion_guide.861"]
    assert "ZZZ" in problems[0].message and "PO1-99" in problems[0].message
    assert "no specification" in problems[1].message


def test_partner_validates_on_its_own_without_context() -> None:
    partner = PartnerConfig.model_validate(
        {"id": "acme", "name": "Acme", "x12": {"sender_qualifier": "ZZ", "sender_id": "ACME"}}
    )
    assert partner.x12 is not None and partner.x12.receiver_id == "EDIGATEWAY"


# --- Lookups ------------------------------------------------------------------------------------------------


@pytest.fixture
def two_partners(tmp_path: Path) -> Configuration:
    partner_file(
        tmp_path,
        "acme",
        FULL_X12.format(sender="ACME")
        + '[[channels]]\ntype = "local"\nfolder = "acme"\n'
        + '[[channels]]\ntype = "local"\nfolder = "."\npatterns = ["ACME_*.edi"]\n',
    )
    partner_file(
        tmp_path,
        "beta",
        FULL_X12.format(sender="BETA CORP")
        + '[[channels]]\ntype = "local"\nfolder = "."\npatterns = ["*"]\n'
        + '[[channels]]\ntype = "local"\nfolder = "./acme/"\npatterns = ["*.beta"]\n',
    )
    return load_configuration(home=tmp_path, environ={})


def test_partner_for_interchange(two_partners: Configuration) -> None:
    assert two_partners.partner_for_interchange("ZZ", "ACME           ") is two_partners.partners["acme"]
    assert two_partners.partner_for_interchange("ZZ", "BETA CORP") is two_partners.partners["beta"]
    assert two_partners.partner_for_interchange("01", "ACME") is None
    assert two_partners.partner_for_interchange("ZZ", "NOBODY") is None


def test_partner_for_path(two_partners: Configuration, tmp_path: Path) -> None:
    acme, beta = two_partners.partners["acme"], two_partners.partners["beta"]
    assert two_partners.partner_for_path("acme/po-1.edi") is acme
    assert two_partners.partner_for_path(Path("acme") / "x.beta") is beta  # the specific pattern beats "*"
    assert two_partners.partner_for_path("ACME_0001.edi") is acme  # ... in the inbox too
    assert two_partners.partner_for_path("other.edi") is beta
    assert two_partners.partner_for_path(tmp_path / "inbox" / "acme" / "po-2.edi") is acme
    assert two_partners.partner_for_path(tmp_path / "outbox" / "po.edi") is None
    assert two_partners.partner_for_path("unknown/po.edi") is None
    assert two_partners.partner_for_path("../acme/po.edi") is None


def test_local_folders_are_deduplicated(two_partners: Configuration, tmp_path: Path) -> None:
    assert two_partners.local_folders() == [tmp_path / "inbox", tmp_path / "inbox" / "acme"]


def test_ingest_helpers(tmp_path: Path) -> None:
    ingest = load_configuration(home=tmp_path, environ={}).settings.ingest
    assert [ingest.is_ignored(name) for name in ("po.edi.tmp", ".hidden", "~lock", "po.edi")] == [
        True,
        True,
        True,
        False,
    ]
    assert [ingest.done_target(name) for name in ("po.edi.done", "po.edi.ok", "po.edi", ".done")] == [
        "po.edi",
        "po.edi",
        None,
        None,
    ]


def test_max_file_bytes_takes_a_size(tmp_path: Path) -> None:
    settings = load_configuration(home=tmp_path, environ={"EDIGW_INGEST__MAX_FILE_BYTES": "512MiB"}).settings
    assert settings.ingest.max_file_bytes == 512 << 20


# --- Catalog and bank partners ------------------------------------------------------------------------------

CATALOG = """
documents = ["catalog"]
[catalog]
supplier_part = "Item No"
unit = "UOM"
each_per_unit = 6
price = "Contract Price"
effective_date = "Start"
date_format = "%d.%m.%Y"
gtins = { EA = "GTIN Each", CS = 9 }
unit_aliases = { "Stück" = "EA" }
required = ["price"]
delimiter = ";"
decimal_separator = ","
thousands_separator = "."
header_row = 2
"""


def test_a_catalog_table_is_the_partners_catalog_mapping(tmp_path: Path) -> None:
    partner_file(tmp_path, "acme", CATALOG)
    partner = load_configuration(home=tmp_path, environ={}).partners["acme"]
    assert partner.catalog_mapping() == CatalogMapping(
        supplier_part="Item No",
        unit="UOM",
        each_per_unit=6,
        price="Contract Price",
        effective_date="Start",
        date_format="%d.%m.%Y",
        gtins={"EA": "GTIN Each", "CS": 9},
        unit_aliases={"Stück": "EA"},
        required=frozenset({"price"}),
        delimiter=";",
        decimal_separator=",",
        thousands_separator=".",
        header_row=2,
    )
    assert partner.x12 is None  # a catalog needs no [x12] table
    partner_file(tmp_path, "acme", "")
    assert load_configuration(home=tmp_path, environ={}).partners["acme"].catalog_mapping() is None


def test_every_catalog_problem_at_once_each_with_its_key(tmp_path: Path) -> None:
    partner_file(
        tmp_path,
        "acme",
        """
        [catalog]
        supplier_part = "Item"
        gtins = { EA = 0, ZZ = "GTIN Pallet" }
        effective_date = "Start"
        required = ["colour"]
        unit_aliases = { Stk = "QQ" }
        encoding = "rot13"
        delimiter = "#"
        thousands_separator = "."
        decimal_separator = "."
        default_currency = "DOLLARS"
        """,
    )
    partner_file(tmp_path, "beta", '[acknowledgements]\nfunctional = "998"\n')
    problems = problems_of(home=tmp_path, environ={})
    assert keys(problems) == [
        "partners.acme.catalog.date_format",
        "partners.acme.catalog.default_currency",
        "partners.acme.catalog.delimiter",
        "partners.acme.catalog.encoding",
        "partners.acme.catalog.gtins",
        "partners.acme.catalog.gtins.EA",
        "partners.acme.catalog.required",
        "partners.acme.catalog.thousands_separator",
        "partners.acme.catalog.unit",
        "partners.acme.catalog.unit_aliases",
        "partners.beta.acknowledgements.functional",
    ]
    by_key = {problem.key: problem for problem in problems}
    assert by_key["partners.acme.catalog.gtins.EA"].message == "positions start at 1"
    assert "'ZZ'" in by_key["partners.acme.catalog.gtins"].message
    assert "effective_date" in by_key["partners.acme.catalog.date_format"].message
    assert by_key["partners.acme.catalog.unit"].source.endswith("acme.toml")


def test_catalog_keys_and_types_are_checked(tmp_path: Path) -> None:
    partner_file(
        tmp_path,
        "acme",
        """
        documents = ["catalog", "bank_statement"]
        [catalog]
        suplier_part = "Item"
        unit = 1.0
        price = true
        decimal_separator = ";"
        """,
    )
    partner_file(tmp_path, "beta", 'documents = ["catalog"]\n')
    problems = problems_of(home=tmp_path, environ={})
    assert keys(problems) == [
        "partners.acme.catalog.decimal_separator",
        "partners.acme.catalog.price",
        "partners.acme.catalog.suplier_part",
        "partners.acme.catalog.supplier_part",
        "partners.acme.catalog.unit",
        "partners.beta",
    ]
    by_key = {problem.key: problem for problem in problems}
    assert 'did you mean "supplier_part"' in by_key["partners.acme.catalog.suplier_part"].message
    assert "[catalog] table is required" in by_key["partners.beta"].message
    assert "1-based position" in by_key["partners.acme.catalog.unit"].message


def test_a_bank_partner(tmp_path: Path) -> None:
    partner_file(
        tmp_path,
        "bank",
        'documents = ["bank_statement"]\n[bank]\naccounts = ["4112009710", "CH9300762011623852957"]\n',
    )
    partner = load_configuration(home=tmp_path, environ={}).partners["bank"]
    assert partner.bank is not None
    assert partner.bank.accounts == ["4112009710", "CH9300762011623852957"]
    assert partner.bank.formats == []  # any format
    assert partner.x12 is None


def test_bank_tables_are_checked_and_accounts_belong_to_one_bank(tmp_path: Path) -> None:
    partner_file(
        tmp_path, "one", '[bank]\naccounts = ["4112009710", " 41"]\nformats = ["camt", "bai2", "bai2"]\n'
    )
    partner_file(tmp_path, "two", '[bank]\naccounts = []\nbranch = "x"\n')
    partner_file(tmp_path, "three", '[bank]\naccounts = ["4112009710", "4112009710"]\n')
    problems = problems_of(home=tmp_path, environ={})
    assert keys(problems) == [
        "partners.one.bank.accounts[1]",
        "partners.one.bank.formats[0]",
        "partners.three.bank",
        "partners.two.bank.accounts",
        "partners.two.bank.branch",
    ]
    partner_file(tmp_path, "one", '[bank]\naccounts = ["4112009710"]\n')
    partner_file(tmp_path, "two", '[bank]\naccounts = ["4112009728"]\n')
    partner_file(tmp_path, "three", '[bank]\naccounts = ["4112009728", "4112009736"]\n')
    [problem] = problems_of(home=tmp_path, environ={})
    assert problem.key == "partners.two.bank.accounts[0]"
    assert "three" in problem.message


def test_one_partner_file_checked_on_its_own(tmp_path: Path) -> None:
    path = partner_file(tmp_path, "acme", CATALOG)
    partner = load_partner_file(path)
    assert partner.catalog_mapping() is not None
    bad = partner_file(tmp_path, "beta", "[catalog]\nsupplier_part = 0\nheader_row = 0\n")
    with pytest.raises(ConfigurationProblems) as raised:
        load_partner_file(bad)
    assert keys(raised.value.problems) == [
        "partners.beta.catalog.supplier_part",
        "partners.beta.catalog.unit",
    ]
    wrong_name = write(tmp_path / "elsewhere.toml", 'id = "acme"\nname = "Acme"\n')
    with pytest.raises(ConfigurationProblems) as raised:
        load_partner_file(wrong_name)
    assert keys(raised.value.problems) == ["partners.elsewhere.id"]
