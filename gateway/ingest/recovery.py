"""Finishing what a killed process left half-done, before anything new is taken.

The database says which step is missing for each file (see ``pipeline``):
* acknowledgements recorded but not written: write exactly the recorded bytes;
* files staged (or recorded as duplicate or quarantined) but not archived: move the original from where
  it was found to its deterministic place, or, when it is already there, just mark it archived;
* temporary files in the outbox, archive and quarantine folders: removed.
A crash inside the staging transaction needs nothing: the transaction never committed, and the original
is still in the inbox to be read again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from ..config import Configuration
from ..staging import files
from ..staging.database import Database
from . import storage
from .acknowledge import write_pending
from .pipeline import Ingestor

__all__ = ["RecoveryReport", "recover"]

log = logging.getLogger("edigw.recovery")


@dataclass(slots=True)
class RecoveryReport:
    acknowledgements_written: int = 0
    files_archived: int = 0
    temporaries_removed: int = 0
    problems: list[str] = field(default_factory=list)  # ids and codes only

    @property
    def anything(self) -> bool:
        return bool(self.acknowledgements_written or self.files_archived or self.temporaries_removed)


def recover(
    configuration: Configuration, database: Database, *, remove_temporaries: bool = True
) -> RecoveryReport:
    """Finish every half-done step (see the module docstring); safe to run any number of times.

    ``remove_temporaries``: also walk the outbox, archive and quarantine for files a killed process left
    (at start; a running gateway removes its own temporary files at once on any error, so later
    recoveries skip the walk, whose cost grows with the archive)."""
    settings = configuration.settings
    report = RecoveryReport()
    if remove_temporaries:
        report.temporaries_removed = storage.remove_temporaries(
            [settings.paths.outbox, settings.paths.archive, settings.paths.quarantine]
        )
    report.acknowledgements_written = len(write_pending(database, settings.paths.outbox))
    with database.read() as connection:
        unfinished = files.files_needing_recovery(connection)
    ingestor = Ingestor(configuration, database)
    for row in unfinished:
        problem = ingestor.finish(row)
        if problem is None:
            report.files_archived += 1
        else:
            report.problems.append(problem)
    if report.anything or report.problems:
        log.warning(
            "recovery finished half-done work",
            extra={
                "context": {
                    "acknowledgements_written": report.acknowledgements_written,
                    "files_archived": report.files_archived,
                    "temporaries_removed": report.temporaries_removed,
                    "problems": len(report.problems),
                }
            },
        )
    return report
