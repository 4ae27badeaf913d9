"""Secrets: named in the configuration (an environment variable or a 0600 file), never written in it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from pyfakefs.fake_filesystem import FakeFilesystem

from gateway.config import (
    ConfigurationProblems,
    SecretRef,
    SecretUnavailableError,
    SftpChannel,
    check_secret,
    load_configuration,
    resolve_secret,
)
from gateway.config.render import effective_configuration, render_toml

PASSWORD = "c0rrect-h0rse"  # a value that must never appear in any message or output

SFTP = """
id = "acme"
name = "Acme Surgical"
[[channels]]
type = "sftp"
host = "sftp.acme.example"
username = "edi"
known_hosts = "known_hosts"
remote_inbound = "/out"
{secret}
"""


def partner(home: Path, secret: str) -> None:
    folder = home / "config" / "partners"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "acme.toml").write_text(textwrap.dedent(SFTP.format(secret=secret)))


# --- The rules, on a fake file system -----------------------------------------------------------------------


def test_env_reference(fs: FakeFilesystem) -> None:
    ref = SecretRef(key="partners.acme.channels[0].password", env="ACME_SFTP_PASSWORD")
    assert check_secret(ref, {}) == "environment variable ACME_SFTP_PASSWORD is not set"
    assert check_secret(ref, {"ACME_SFTP_PASSWORD": PASSWORD}) is None
    secret = resolve_secret(ref, {"ACME_SFTP_PASSWORD": PASSWORD})
    assert secret.get_secret_value() == PASSWORD
    assert PASSWORD not in repr(secret) and PASSWORD not in str(secret)
    with pytest.raises(SecretUnavailableError) as raised:
        resolve_secret(ref, {})
    assert "partners.acme.channels[0].password" in str(raised.value)


@pytest.mark.parametrize(("mode", "accepted"), [(0o600, True), (0o400, True), (0o640, False), (0o644, False)])
def test_file_reference_needs_owner_only_mode(fs: FakeFilesystem, mode: int, accepted: bool) -> None:
    fs.create_file("/run/secrets/acme", contents=PASSWORD + "\n", st_mode=0o100000 | mode)
    ref = SecretRef(key="partners.acme.channels[0].password", file=Path("/run/secrets/acme"))
    problem = check_secret(ref)
    if accepted:
        assert problem is None
        assert resolve_secret(ref).get_secret_value() == PASSWORD  # the trailing newline dropped
    else:
        assert problem is not None and f"{mode:04o}" in problem and "chmod 600" in problem
        with pytest.raises(SecretUnavailableError) as raised:
            resolve_secret(ref)
        assert PASSWORD not in str(raised.value)


def test_file_reference_must_be_a_regular_file(fs: FakeFilesystem) -> None:
    fs.create_dir("/run/secrets")
    assert "not a regular file" in str(check_secret(SecretRef(key="k", file=Path("/run/secrets"))))
    assert "does not exist" in str(check_secret(SecretRef(key="k", file=Path("/run/none"))))


# --- In partner files ---------------------------------------------------------------------------------------


def test_a_literal_secret_is_refused_saying_how_to_give_it(tmp_path: Path) -> None:
    partner(tmp_path, f'password = "{PASSWORD}"\n[[channels]]\ntype = "local"\napi_token = "{PASSWORD}"')
    with pytest.raises(ConfigurationProblems) as raised:
        load_configuration(home=tmp_path, environ={})
    problems = raised.value.problems
    assert sorted(p.key for p in problems) == [
        "partners.acme.channels[0]",  # the SFTP channel then lacks a way to log in
        "partners.acme.channels[0].password",
        "partners.acme.channels[1].api_token",
    ]
    by_key = {p.key: p.message for p in problems}
    assert 'password_env = "VARIABLE"' in by_key["partners.acme.channels[0].password"]
    assert "api_token_file" in by_key["partners.acme.channels[1].api_token"]
    assert PASSWORD not in str(raised.value)


def test_a_literal_secret_in_the_gateway_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "gateway.toml").write_text(f'[identity]\ntoken = "{PASSWORD}"\n')
    with pytest.raises(ConfigurationProblems) as raised:
        load_configuration(home=tmp_path, environ={})
    assert [p.key for p in raised.value.problems] == ["identity.token"]
    assert PASSWORD not in str(raised.value)


def test_secret_references_load_and_are_checked_on_demand(tmp_path: Path) -> None:
    partner(tmp_path, 'password_env = "ACME_SFTP_PASSWORD"\nkey_file = "keys/acme"')
    configuration = load_configuration(home=tmp_path, environ={})  # loading reads no secret
    channel = configuration.partners["acme"].channels[0]
    assert isinstance(channel, SftpChannel)
    refs = configuration.secret_refs()
    assert refs["partners.acme.channels[0].password"].env == "ACME_SFTP_PASSWORD"
    assert refs["partners.acme.channels[0].key_file"].file == tmp_path / "keys" / "acme"
    problems = configuration.secret_problems(environ={})
    assert [p.key for p in problems] == [
        "partners.acme.channels[0].password",
        "partners.acme.channels[0].key_file",
    ]
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "acme").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    (tmp_path / "keys" / "acme").chmod(0o644)
    problems = configuration.secret_problems(environ={"ACME_SFTP_PASSWORD": PASSWORD})
    assert [p.key for p in problems] == ["partners.acme.channels[0].key_file"]
    (tmp_path / "keys" / "acme").chmod(0o600)
    assert configuration.secret_problems(environ={"ACME_SFTP_PASSWORD": PASSWORD}) == []


def test_both_an_env_and_a_file_for_one_secret_is_refused(tmp_path: Path) -> None:
    partner(tmp_path, 'password_env = "ACME_SFTP_PASSWORD"\npassword_file = "secrets/acme"')
    with pytest.raises(ConfigurationProblems) as raised:
        load_configuration(home=tmp_path, environ={})
    [problem] = raised.value.problems
    assert "password_env or password_file, not both" in problem.message


def test_secrets_are_masked_in_the_effective_configuration(tmp_path: Path) -> None:
    partner(tmp_path, 'password_env = "ACME_SFTP_PASSWORD"')
    environ = {
        "ACME_SFTP_PASSWORD": PASSWORD,
        "EDIGW_DATABASE_URL": f"postgresql://edi:{PASSWORD}@db:5432/edi",
    }
    configuration = load_configuration(home=tmp_path, environ=environ)
    effective = effective_configuration(configuration)
    assert effective["partners"]["acme"]["channels"][0]["password"] == "****"
    assert effective["settings"]["database_url"] == "postgresql://edi:****@db:5432/edi"
    text = render_toml(configuration)
    assert PASSWORD not in text and PASSWORD not in repr(configuration.settings)
    assert 'password = "****"' in text
