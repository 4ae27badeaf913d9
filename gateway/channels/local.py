"""Local drop folders: what is there, and which files are complete enough to take.

The folder itself is the source of truth: ``scan`` lists it in full every time (watchdog events only say
"look again soon": event queues overflow under bursts without a word). A file is complete when its
partner says so (a done-file ``X.done`` beside ``X``, or the channel declares that files only appear by
rename once written) or when its size, modification time and inode stay the same over
``settle_checks`` looks ``settle_seconds`` apart, and it was last modified at least that long ago. Names
are handled as bytes throughout: whatever a partner names a file, it is found again exactly and never
escapes its folder (``os.scandir`` yields plain entries of the folder, never paths).
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

from ..config.vocabulary import Completion
from ..staging.files import display_name

__all__ = ["FolderScan", "FolderWatch", "FoundFile", "Refused", "Settling", "iter_complete", "scan_folder"]


@dataclass(frozen=True, slots=True)
class FoundFile:
    """A regular file in a watched folder, as it was when listed."""

    folder: Path
    name: bytes  # exactly as on disk
    size: int
    mtime_ns: int
    inode: tuple[int, int]  # (device, inode): a file replaced under the same name is another file

    @property
    def path(self) -> bytes:
        return os.path.join(os.fsencode(self.folder), self.name)

    @property
    def display_name(self) -> str:
        return display_name(self.name)[0]

    @property
    def text_name(self) -> str:
        """The name as text for pattern matching (undecodable bytes as surrogate escapes)."""
        return os.fsdecode(self.name)


@dataclass(frozen=True, slots=True)
class Refused:
    """An entry that is not taken, with the reason (a symbolic link, a device, a socket...)."""

    folder: Path
    name: bytes
    reason: str


@dataclass(slots=True)
class FolderScan:
    files: list[FoundFile] = field(default_factory=list)
    done_files: set[bytes] = field(default_factory=set)  # names of done-files present
    refused: list[Refused] = field(default_factory=list)
    error: str | None = None  # the folder could not be listed (missing, no permission)


def scan_folder(folder: Path, *, ignore_patterns: Sequence[str], done_suffixes: Sequence[str]) -> FolderScan:
    """Every entry of ``folder`` (not recursive): regular files, done-files, and what is refused."""
    result = FolderScan()
    try:
        entries = list(os.scandir(os.fsencode(folder)))
    except OSError as error:
        result.error = error.strerror or type(error).__name__
        return result
    suffixes = [os.fsencode(suffix) for suffix in done_suffixes]
    for entry in entries:
        name = entry.name
        assert isinstance(name, bytes)
        text = os.fsdecode(name)
        if any(fnmatchcase(text, pattern) for pattern in ignore_patterns):
            continue  # a partner's temporary name: not ours to touch
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue  # gone between the listing and the look: the next scan will tell
        if stat.S_ISDIR(info.st_mode):
            continue  # partner folders are watched on their own
        if not stat.S_ISREG(info.st_mode):
            kind = "a symbolic link" if stat.S_ISLNK(info.st_mode) else "not a regular file"
            result.refused.append(Refused(folder, name, f"{kind}: never followed or read"))
            continue
        if any(name.endswith(suffix) and len(name) > len(suffix) for suffix in suffixes):
            result.done_files.add(name)
            continue
        inode = (info.st_dev, info.st_ino)
        result.files.append(FoundFile(folder, name, info.st_size, info.st_mtime_ns, inode))
    return result


def done_file_for(found: FoundFile, scan: FolderScan, done_suffixes: Sequence[str]) -> bytes | None:
    """The done-file that marks ``found`` complete, if one is present."""
    for suffix in done_suffixes:
        candidate = found.name + os.fsencode(suffix)
        if candidate in scan.done_files:
            return candidate
    return None


@dataclass(slots=True)
class _Watch:
    size: int
    mtime_ns: int
    inode: tuple[int, int]
    since: float  # when this state was first seen
    looks: int  # consecutive looks that saw this state, at least `interval` apart
    last_look: float


class Settling:
    """Decides, look after look, when a file being written is complete (see the module docstring)."""

    def __init__(self, *, checks: int, interval: float) -> None:
        self._checks = checks
        self._interval = interval
        self._watches: dict[tuple[Path, bytes], _Watch] = {}

    def look(self, found: FoundFile, now: float, wall_now_ns: int) -> bool:
        """Record one look at ``found``; True when it has been still for long enough."""
        key = (found.folder, found.name)
        watch = self._watches.get(key)
        state = (found.size, found.mtime_ns, found.inode)
        if watch is None or (watch.size, watch.mtime_ns, watch.inode) != state:
            self._watches[key] = _Watch(found.size, found.mtime_ns, found.inode, now, 1, now)
            return False
        if now - watch.last_look >= self._interval:
            watch.looks += 1
            watch.last_look = now
        quiet_ns = wall_now_ns - found.mtime_ns
        return watch.looks >= self._checks and quiet_ns >= self._interval * 1e9

    def forget(self, found: FoundFile) -> None:
        self._watches.pop((found.folder, found.name), None)

    def forget_missing(self, present: Iterable[tuple[Path, bytes]]) -> None:
        """Drop the state of files that are gone (taken, renamed or deleted)."""
        keep = set(present)
        for key in [key for key in self._watches if key not in keep]:
            del self._watches[key]


class FolderWatch:
    """watchdog observers on the folders, used only to wake the scanner early (a hint, never the truth)."""

    def __init__(self, folders: Sequence[Path]) -> None:
        self.wake = threading.Event()
        self._folders = list(folders)
        self._observer: object | None = None

    def start(self) -> list[str]:
        """Start watching; returns the folders that could not be watched (they are still rescanned)."""
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer

        wake = self.wake

        class _Hint(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                wake.set()

        observer = Observer()
        failed = []
        for folder in self._folders:
            try:
                observer.schedule(_Hint(), str(folder), recursive=False)
            except OSError as error:
                failed.append(f"{folder}: {error.strerror or error}")
        observer.daemon = True
        observer.start()
        self._observer = observer
        return failed

    def stop(self) -> None:
        observer = self._observer
        if observer is not None:
            observer.stop()  # type: ignore[attr-defined]
            observer.join(timeout=5)  # type: ignore[attr-defined]
            self._observer = None


def iter_complete(
    scan: FolderScan,
    settling: Settling,
    *,
    completion: Completion,
    done_suffixes: Sequence[str],
    now: float,
    wall_now_ns: int,
) -> Iterator[tuple[FoundFile, bytes | None]]:
    """The files of one folder scan that are complete, each with its done-file (if any)."""
    for found in scan.files:
        done = done_file_for(found, scan, done_suffixes)
        if done is not None:
            yield found, done
        elif completion == "rename" or (
            completion == "stable" and settling.look(found, now, wall_now_ns)
        ):  # with "done-file", only a done-file completes a file
            yield found, None
