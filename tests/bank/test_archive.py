"""``open_single_member``: one statement file out of a zip, and every trick refused with UnsafeInputError."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from parsers.bank import parse_statements
from parsers.bank.archive import open_single_member
from parsers.errors import UnsafeInputError
from tests.parser_suite import BANK_CORPUS

LIMIT = 10 * 1024 * 1024


def _zip(*members: tuple[str | zipfile.ZipInfo, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def _camt() -> bytes:
    return (Path(__file__).parents[1] / "golden" / "bank" / "camt_054_gpo_rebate.xml").read_bytes()


def test_the_single_member_is_returned_and_parses() -> None:
    data = open_single_member(_zip(("statements/camt054.xml", _camt())), LIMIT)
    assert data == _camt()
    assert parse_statements(data).format == "camt.054"


def test_directory_entries_do_not_count_as_members() -> None:
    assert open_single_member(_zip(("statements/", b""), ("statements/a.xml", b"<a/>")), LIMIT) == b"<a/>"


@pytest.mark.parametrize("count", [0, 2])
def test_anything_but_one_file_is_refused(count: int) -> None:
    archive = _zip(*[(f"statement-{n}.xml", b"<a/>") for n in range(count)])
    with pytest.raises(UnsafeInputError) as refused:
        open_single_member(archive, LIMIT)
    assert refused.value.code == "ARCHIVE.MEMBERS"


def test_the_corpus_zip_of_two_statements_is_refused() -> None:
    path = BANK_CORPUS / "camt053" / "oca16__test-camt053.zip"
    if not path.exists():
        pytest.skip("corpus zip not found")
    with pytest.raises(UnsafeInputError, match="2 files"):
        open_single_member(path.read_bytes(), LIMIT)


@pytest.mark.parametrize(
    "name",
    ["../camt.xml", "a/../../camt.xml", "/etc/camt.xml", "C:camt.xml", "c:\\temp\\camt.xml", "a\nb.xml"],
)
def test_names_that_leave_the_folder_are_refused(name: str) -> None:
    with pytest.raises(UnsafeInputError) as refused:
        open_single_member(_zip((name, b"<a/>")), LIMIT)
    assert refused.value.code == "ARCHIVE.PATH"


def test_a_symbolic_link_is_refused() -> None:
    link = zipfile.ZipInfo("camt.xml")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with pytest.raises(UnsafeInputError) as refused:
        open_single_member(_zip((link, b"/etc/passwd")), LIMIT)
    assert refused.value.code == "ARCHIVE.LINK"


def test_an_encrypted_member_is_refused() -> None:
    archive = bytearray(_zip(("camt.xml", b"<a/>"), method=zipfile.ZIP_STORED))
    # Set the "encrypted" flag in the local header (offset 6) and the central directory entry (offset 8).
    archive[6] |= 1
    central = archive.rfind(b"PK\x01\x02")
    archive[central + 8] |= 1
    with pytest.raises(UnsafeInputError) as refused:
        open_single_member(bytes(archive), LIMIT)
    assert refused.value.code == "ARCHIVE.ENCRYPTED"


def test_a_zip_bomb_is_refused_by_its_ratio() -> None:
    bomb = _zip(("camt.xml", b"\x00" * (20 * 1024 * 1024)))
    assert len(bomb) < 100_000
    with pytest.raises(UnsafeInputError) as refused:
        open_single_member(bomb, 100 * 1024 * 1024)
    assert refused.value.code == "ARCHIVE.RATIO"


def test_a_member_over_the_limit_is_refused() -> None:
    with pytest.raises(UnsafeInputError) as refused:
        open_single_member(_zip(("camt.xml", _camt())), max_bytes=1000)
    assert refused.value.code == "ARCHIVE.TOO_LARGE"


def test_a_header_that_lies_about_the_size_is_refused() -> None:
    content = b"<Document>" + b"<Ntry/>" * 20_000 + b"</Document>"
    archive = bytearray(_zip(("camt.xml", content)))
    small = (100).to_bytes(4, "little")
    archive[22:26] = small  # local header: uncompressed size
    central = archive.rfind(b"PK\x01\x02")
    archive[central + 24 : central + 28] = small  # central directory: uncompressed size
    with pytest.raises(UnsafeInputError) as refused:
        open_single_member(bytes(archive), 1000)
    assert refused.value.code == "ARCHIVE.UNREADABLE"  # inflated past its declared size: the CRC fails


@pytest.mark.parametrize("data", [b"", b"not a zip", b"PK\x03\x04broken"])
def test_what_is_not_a_zip_is_refused(data: bytes) -> None:
    with pytest.raises(UnsafeInputError) as refused:
        open_single_member(data, LIMIT)
    assert refused.value.code == "ARCHIVE.UNREADABLE"
