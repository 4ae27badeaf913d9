"""Moving originals and writing files so that a crash leaves either the old state or the new one.

Every file we write goes to a temporary name in its destination folder (``.edigw-*.tmp``: the ``.*``
ignore pattern keeps scanners away from it), is flushed and fsynced, then renamed over its final name, and
the folder is fsynced. Originals are moved with one ``rename``; across file systems they are copied that
way first and only then removed. Temporary files are removed at once on any error, and ``remove_temporaries``
clears what a killed process left.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = [
    "TEMPORARY_PREFIX",
    "fsync_folder",
    "move_file",
    "remove_temporaries",
    "write_atomically",
    "write_json_atomically",
]

TEMPORARY_PREFIX = ".edigw-"
_TEMPORARY_SUFFIX = ".tmp"


def fsync_folder(folder: Path) -> None:
    """Make the names created, renamed or removed in ``folder`` durable."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_atomically(path: Path, content: bytes, *, unsynced: set[Path] | None = None) -> None:
    """``path`` holds exactly ``content`` afterwards, or is as it was before (never half-written).

    With ``unsynced``, the folder is added to it instead of being fsynced here: the caller fsyncs each
    folder once for many files (``fsync_folder``) before it says in the database that they are written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        prefix=TEMPORARY_PREFIX, suffix=_TEMPORARY_SUFFIX, dir=path.parent
    )
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync(path.parent, unsynced)


def write_json_atomically(path: Path, document: dict[str, Any], *, unsynced: set[Path] | None = None) -> None:
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    write_atomically(path, text.encode("utf-8"), unsynced=unsynced)


def move_file(source: bytes | Path, destination: Path, *, unsynced: set[Path] | None = None) -> None:
    """Move a file to ``destination`` (its folder is created); durable once this returns, or with
    ``unsynced`` once the folders it adds there are fsynced.

    ``source`` may be a bytes path (names that are not UTF-8 are moved exactly). An existing destination
    is never overwritten: that would lose bytes.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    if destination.exists():
        raise FileExistsError(errno.EEXIST, "destination exists", str(destination))
    source_folder = Path(os.fsdecode(os.path.dirname(os.fsencode(source))))
    try:
        os.rename(source, destination)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        _copy_across_file_systems(source, destination)
        os.unlink(source)
    _sync(destination.parent, unsynced)
    _sync(source_folder, unsynced)


def _sync(folder: Path, unsynced: set[Path] | None) -> None:
    if unsynced is None:
        fsync_folder(folder)
    else:
        unsynced.add(folder)


def _copy_across_file_systems(source: bytes | Path, destination: Path) -> None:
    descriptor, temporary = tempfile.mkstemp(
        prefix=TEMPORARY_PREFIX, suffix=_TEMPORARY_SUFFIX, dir=destination.parent
    )
    try:
        with open(source, "rb") as original, os.fdopen(descriptor, "wb") as copy:
            shutil.copyfileobj(original, copy, 1 << 20)
            copy.flush()
            os.fsync(copy.fileno())
        os.rename(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def remove_temporaries(folders: Iterable[Path]) -> int:
    """Remove the temporary files a killed process left under ``folders``; returns how many."""
    removed = 0
    for folder in folders:
        if not folder.is_dir():
            continue
        for root, _dirs, files in os.walk(folder):
            for name in files:
                if name.startswith(TEMPORARY_PREFIX) and name.endswith(_TEMPORARY_SUFFIX):
                    Path(root, name).unlink(missing_ok=True)
                    removed += 1
    return removed
