"""The long-running gateway: watch the local folders, take complete files, stage them exactly once.

``Gateway.run`` first finishes what a previous process left half-done (``recovery``), then loops: scan
every watched folder in full (watchdog events only wake the loop early), let each file settle, ingest the
complete ones one by one (the last bookkeeping step of up to ``_SETTLE_EVERY`` files is shared: see
``Ingestor.batched``). Nothing a file contains can stop the loop: a transient failure (the database
locked or full, a disk full) leaves the file where it is for a later look, with a growing pause; an
unexpected error is logged and, after ``_MAX_FAILURES`` tries, the file is quarantined with that reason.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from parsers.errors import EdiGatewayError, RetryableError

from .channels.local import FolderWatch, Settling, iter_complete, scan_folder
from .config import Configuration, PartnerConfig
from .config.vocabulary import Completion
from .ingest.pipeline import Candidate, Ingestor, IngestResult, source_of
from .ingest.recovery import recover
from .staging.database import Database

__all__ = ["Gateway", "WatchedFolder"]

log = logging.getLogger("edigw.gateway")

_MAX_FAILURES: Final = 3  # unexpected errors on one file before it is quarantined
_MAX_PAUSE: Final = 60.0  # seconds between tries of a file that keeps failing transiently
_SETTLE_EVERY: Final = 64  # files whose "written and archived" one transaction says, at most...
_SETTLE_SECONDS: Final = 1.0  # ...and at most this long after the first of them was staged


@dataclass(frozen=True, slots=True)
class WatchedFolder:
    path: Path
    source: str
    completion: Completion
    partner: PartnerConfig | None  # the partner whose channel this folder is (None: any, by ISA sender)


@dataclass(slots=True)
class _Trouble:
    failures: int = 0
    retry_at: float = 0.0


@dataclass(slots=True)
class CycleReport:
    taken: int = 0
    pending: int = 0  # files still settling or waiting for a retry
    results: list[IngestResult] = field(default_factory=list)


def watched_folders(configuration: Configuration) -> list[WatchedFolder]:
    """The inbox and every partner's local channel folder, each once, with how files complete there."""
    settings = configuration.settings
    inbox = settings.paths.inbox
    found: dict[Path, WatchedFolder] = {}
    for folder in configuration.local_folders():
        completion: Completion = "stable"
        partner: PartnerConfig | None = None
        for candidate in configuration.partners.values():
            for channel in candidate.local_channels():
                if (inbox / channel.folder).resolve() == folder.resolve():
                    completion = channel.completion
                    partner = candidate if channel.folder != "." else None
        found.setdefault(folder, WatchedFolder(folder, source_of(settings.home, folder), completion, partner))
    return list(found.values())


class Gateway:
    """One gateway process on one staging database (the caller holds the instance lock)."""

    def __init__(
        self,
        configuration: Configuration,
        database: Database,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.configuration = configuration
        self.database = database
        self.ingestor = Ingestor(configuration, database)
        self.folders = watched_folders(configuration)
        ingest = configuration.settings.ingest
        self._settling = Settling(checks=ingest.settle_checks, interval=ingest.settle_seconds)
        self._trouble: dict[tuple[Path, bytes], _Trouble] = {}
        self._clock = clock
        self._needs_recovery = True

    def prepare(self) -> None:
        """Create the folders, finish half-done work."""
        paths = self.configuration.settings.paths
        for folder in [paths.outbox, paths.archive, paths.quarantine, *(f.path for f in self.folders)]:
            folder.mkdir(parents=True, exist_ok=True)
        self._recover(at_start=True)

    def _recover(self, *, at_start: bool = False) -> None:
        report = recover(self.configuration, self.database, remove_temporaries=at_start)
        for problem in report.problems:
            log.error("recovery: %s", problem)
        self._needs_recovery = False

    def run(self, stop: threading.Event, *, on_cycle: Callable[[CycleReport], None] | None = None) -> None:
        """Serve until ``stop`` is set (a signal handler sets it); a file being ingested is finished first."""
        self.prepare()
        watch = FolderWatch([folder.path for folder in self.folders])
        for problem in watch.start():
            log.warning("not watched for events (rescanned anyway): %s", problem)
        ingest = self.configuration.settings.ingest
        log.info(
            "gateway started",
            extra={"context": {"folders": len(self.folders), "partners": len(self.configuration.partners)}},
        )
        try:
            while not stop.is_set():
                watch.wake.clear()
                report = self.cycle(stop)
                if on_cycle is not None:
                    on_cycle(report)
                if stop.is_set():
                    break
                if report.taken and not report.pending:
                    self._checkpoint()  # a quiet moment: fold the database's write-ahead log in
                # Files settling need another look soon; otherwise the next rescan, or an event, wakes us.
                pause = ingest.settle_seconds if report.pending else ingest.rescan_seconds
                if watch.wake.wait(pause) and not report.pending:
                    # An event: give a writer a moment, so that a burst comes in one scan.
                    stop.wait(min(0.2, pause))
        finally:
            watch.stop()
            log.info("gateway stopped")

    def _checkpoint(self) -> None:
        try:
            self.database.checkpoint()
        except RetryableError as error:
            log.info("checkpoint postponed: %s", error)

    def cycle(self, stop: threading.Event | None = None) -> CycleReport:
        """One full scan of every folder; ingests every complete file."""
        if self._needs_recovery:
            try:
                self._recover()
            except RetryableError as error:
                log.warning("recovery postponed: %s", error)
                return CycleReport(pending=1)
        report = CycleReport()
        with self.ingestor.batched():
            try:
                self._scan_all(report, stop)
            finally:
                self._settle()
        return report

    def _settle(self) -> None:
        """Mark the batch's files written and archived; on failure recovery does it, in the next cycle."""
        try:
            self.ingestor.settle()
        except (RetryableError, OSError) as error:
            self._needs_recovery = True
            context = {"error": type(error).__name__}
            log.warning("files left for recovery to finish", extra={"context": context})
        except Exception as error:  # nothing may stop the gateway; recovery says what it cannot finish
            self._needs_recovery = True
            log.error("cannot finish files", extra={"context": {"error": type(error).__name__}})

    def _scan_all(self, report: CycleReport, stop: threading.Event | None) -> None:
        ingest = self.configuration.settings.ingest
        present: list[tuple[Path, bytes]] = []
        batch_started = 0.0
        for folder in self.folders:
            scan = scan_folder(
                folder.path, ignore_patterns=ingest.ignore_patterns, done_suffixes=ingest.done_suffixes
            )
            if scan.error is not None:
                log.warning(
                    "cannot list folder", extra={"context": {"folder": folder.source, "error": scan.error}}
                )
                continue
            for refused in scan.refused:
                key = (refused.folder, refused.name)
                if key not in self._trouble:  # say it once
                    self._trouble[key] = _Trouble(failures=0, retry_at=float("inf"))
                    log.warning(
                        "refused", extra={"context": {"folder": folder.source, "reason": refused.reason}}
                    )
            present += [(found.folder, found.name) for found in scan.files]
            now = self._clock()
            complete = list(
                iter_complete(
                    scan,
                    self._settling,
                    completion=folder.completion,
                    done_suffixes=ingest.done_suffixes,
                    now=now,
                    wall_now_ns=time.time_ns(),
                )
            )
            report.pending += len(scan.files) - len(complete)
            for found, done_file in complete:
                if stop is not None and stop.is_set():
                    return
                key = (found.folder, found.name)
                trouble = self._trouble.get(key)
                if trouble is not None and trouble.retry_at > now:
                    report.pending += 1
                    continue
                partner = folder.partner or self.configuration.partner_for_path(
                    os.path.relpath(os.fsdecode(found.path), self.configuration.settings.paths.inbox)
                )
                candidate = Candidate(
                    source=folder.source,
                    path=found.path,
                    name=found.name,
                    partner=partner,
                    done_file=os.path.join(os.fsencode(found.folder), done_file) if done_file else None,
                )
                if not self.ingestor.unsettled:
                    batch_started = self._clock()
                result = self._take(candidate, key)
                if result is not None:
                    self._settling.forget(found)
                    report.taken += 1
                    report.results.append(result)
                else:
                    report.pending += 1
                unsettled = self.ingestor.unsettled
                if unsettled >= _SETTLE_EVERY or (
                    unsettled and self._clock() - batch_started >= _SETTLE_SECONDS
                ):
                    self._settle()
        self._settling.forget_missing(present)
        for key in [key for key in self._trouble if key not in set(present) and self._trouble[key].failures]:
            del self._trouble[key]

    def _take(self, candidate: Candidate, key: tuple[Path, bytes]) -> IngestResult | None:
        """Ingest one file; None when it must be tried again later."""
        try:
            result = self.ingestor.ingest(candidate)
        except RetryableError as error:
            # The database may have failed after the staging commit, with the original already moved out
            # of the inbox: no later scan would see the file again, recovery finishes it.
            self._needs_recovery = True
            self._postpone(key, f"{type(error).__name__}: {error}")
            return None
        except OSError as error:
            # A disk full or a folder gone while moving: the database says what is left to do.
            self._needs_recovery = True
            self._postpone(key, f"{type(error).__name__}: {error.strerror or error}")
            return None
        except Exception as error:  # nothing in a file may stop the gateway
            return self._unexpected(candidate, key, error)
        self._trouble.pop(key, None)
        if result.outcome is None:  # it changed while it was read: look again
            return None
        return result

    def _postpone(self, key: tuple[Path, bytes], reason: str) -> None:
        trouble = self._trouble.setdefault(key, _Trouble())
        trouble.failures += 1
        pause = min(_MAX_PAUSE, 2.0**trouble.failures)
        trouble.retry_at = self._clock() + pause
        log.warning("will try again", extra={"context": {"reason": reason, "in_seconds": pause}})

    def _unexpected(
        self, candidate: Candidate, key: tuple[Path, bytes], error: Exception
    ) -> IngestResult | None:
        self._needs_recovery = True
        trouble = self._trouble.setdefault(key, _Trouble())
        trouble.failures += 1
        log.error(
            "unexpected error while ingesting",
            exc_info=error if isinstance(error, EdiGatewayError) else None,
            extra={"context": {"error": type(error).__name__, "failures": trouble.failures}},
        )
        if trouble.failures < _MAX_FAILURES:
            trouble.retry_at = self._clock() + 2.0**trouble.failures
            return None
        try:
            result = self.ingestor.quarantine_file(
                candidate,
                "GATEWAY.INTERNAL",
                f"the gateway failed on this file {trouble.failures} times ({type(error).__name__})",
            )
        except Exception as second:  # logged; the file stays for a later try
            log.error("cannot quarantine", extra={"context": {"error": type(second).__name__}})
            trouble.retry_at = self._clock() + _MAX_PAUSE
            return None
        self._trouble.pop(key, None)
        return result
