"""A compressed delivery unpacked safely: ``open_single_member(data, max_bytes)``.

The statement parsers read plain files; a bank that zips its statements is unpacked first (by the gateway)
with this, which accepts exactly one regular file and refuses, with ``UnsafeInputError``:
* more than one member (or none), directories and symbolic links aside;
* names that try to leave the folder they would be written to (absolute, ``..``, drive letters,
  backslashes, control characters), although nothing here writes a file;
* encrypted members and unknown compression methods;
* a member larger than ``max_bytes`` (by its header, and again while it is inflated, since headers can
  lie) or expanding more than ``max_ratio`` times (zip bombs reach a thousand).
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from typing import Final

from ..errors import UnsafeInputError

__all__ = ["DEFAULT_MAX_RATIO", "open_single_member"]

DEFAULT_MAX_RATIO: Final = 200  # XML statements compress 10-50 times; a deflate bomb about 1,000
_RATIO_FLOOR: Final = 1024 * 1024  # below this the ratio says nothing (a small file of blanks is fine)
_CHUNK: Final = 64 * 1024
_BAD_NAME: Final = re.compile(r"(^[/\\])|(^[A-Za-z]:)|\\|[\x00-\x1f\x7f]|(^|/)\.\.(/|$)")


def open_single_member(data: bytes, max_bytes: int, *, max_ratio: int = DEFAULT_MAX_RATIO) -> bytes:
    """The content of the one file in the zip archive ``data`` (see the module docstring)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise UnsafeInputError("not a readable zip archive", code="ARCHIVE.UNREADABLE") from None
    with archive:
        member = _the_member(archive)
        if member.flag_bits & 0x1:
            raise UnsafeInputError("the archive's member is encrypted", code="ARCHIVE.ENCRYPTED")
        if member.file_size > max_bytes:
            raise _too_large(max_bytes)
        _check_ratio(member.file_size, member.compress_size, max_ratio)
        return _inflate(archive, member, max_bytes, max_ratio)


def _the_member(archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    files = []
    for info in archive.infolist():
        if _BAD_NAME.search(info.filename) or not info.filename.strip("/"):
            raise UnsafeInputError("an archive member's name leaves its folder", code="ARCHIVE.PATH")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise UnsafeInputError("the archive holds a symbolic link", code="ARCHIVE.LINK")
        if not info.is_dir():
            files.append(info)
    if len(files) != 1:
        raise UnsafeInputError(
            f"the archive holds {len(files)} files; one statement file per delivery is accepted",
            code="ARCHIVE.MEMBERS",
        )
    return files[0]


def _inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo, max_bytes: int, max_ratio: int) -> bytes:
    out = bytearray()
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                out += chunk
                if len(out) > max_bytes:
                    raise _too_large(max_bytes)
                _check_ratio(len(out), member.compress_size, max_ratio)
    except UnsafeInputError:
        raise
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError, ValueError, zlib.error):
        raise UnsafeInputError("the archive's member cannot be inflated", code="ARCHIVE.UNREADABLE") from None
    return bytes(out)


def _check_ratio(expanded: int, compressed: int, max_ratio: int) -> None:
    if expanded > _RATIO_FLOOR and expanded > max_ratio * max(compressed, 1):
        raise UnsafeInputError(
            f"the archive's member expands more than {max_ratio} times: refused as a possible zip bomb",
            code="ARCHIVE.RATIO",
        )


def _too_large(max_bytes: int) -> UnsafeInputError:
    return UnsafeInputError(
        f"the archive's member is larger than {max_bytes} bytes", code="ARCHIVE.TOO_LARGE"
    )
