"""``edi-gateway run`` (the service), ``ingest PATH...`` (stage given files once), ``files reprocess ID``.

Exit codes: 0 ok, 1 problems found (a file quarantined or with errors), 2 usage or configuration error, or
another gateway already running on the database.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Final

import click
from rich.console import Console
from rich.progress import Progress

from parsers.errors import RetryableError

from .config import Configuration, PartnerConfig, mask_url
from .ingest.pipeline import Candidate, Ingestor, IngestResult
from .ingest.recovery import recover
from .ingest.reprocess import CannotReprocess, DryRun
from .ingest.reprocess import reprocess as reprocess_file
from .instance import GatewayAlreadyRunning, InstanceLock
from .logs import configure_logging
from .runtime import (
    EXIT_OK,
    EXIT_PROBLEMS,
    config_option,
    fail,
    load_or_exit,
    open_or_exit,
    tune_garbage_collector,
)
from .service import Gateway
from .staging.database import Database
from .staging.states import Outcome

__all__ = ["ingest", "reprocess", "run"]

_err = Console(stderr=True)
_SETTLE_EVERY: Final = 64  # files marked archived in one transaction by ``ingest``


@click.command()
@config_option
@click.option(
    "--log-json", is_flag=True, help="Log JSON lines (with file id, ISA13, GS06, ST02...) to stderr."
)
@click.option("--log-level", type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]), default=None)
def run(config_file: Path | None, log_json: bool, log_level: str | None) -> None:
    """Run the gateway in the foreground until SIGTERM or SIGINT (Ctrl-C)."""
    configuration = load_or_exit(config_file)
    settings = configuration.settings
    configure_logging(log_level or settings.logging.level, json_lines=log_json or settings.logging.json_lines)
    database = open_or_exit(configuration, migrate=True)
    lock = InstanceLock(database)
    try:
        lock.acquire()
    except GatewayAlreadyRunning as error:
        fail(f"edi-gateway run: {error.message}")
    stop = threading.Event()

    def request_stop(number: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    gateway = Gateway(configuration, database)
    logging.getLogger("edigw.gateway").info(
        "watching the folders; Ctrl-C or SIGTERM stops",
        extra={
            "context": {
                "folders": ",".join(folder.source for folder in gateway.folders),
                "database": mask_url(settings.database_url),
                "outbox": str(settings.paths.outbox),
            }
        },
    )
    tune_garbage_collector()
    try:
        gateway.run(stop)
    finally:
        lock.release()
        database.dispose()
    sys.exit(EXIT_OK)


@click.command()
@config_option
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--source", default="cli", show_default=True, help="The source name the files are staged under."
)
@click.option(
    "--partner",
    "partner_id",
    help="The partner the files come from (needed for CSV catalogs; X12 finds it by the ISA sender).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per file.")
def ingest(
    config_file: Path | None, paths: tuple[Path, ...], source: str, partner_id: str | None, as_json: bool
) -> None:
    """Stage files once, as if they had been dropped into the inbox (the originals are left in place).

    The same content again is recorded as a duplicate, never staged twice.
    """
    configuration = load_or_exit(config_file)
    partner = None
    if partner_id is not None:
        partner = configuration.partners.get(partner_id)
        if partner is None:
            known = ", ".join(sorted(configuration.partners)) or "none configured"
            fail(f"edi-gateway ingest: no partner {partner_id!r} (known: {known})")
    configure_logging("WARNING")
    database = open_or_exit(configuration, migrate=True)
    tune_garbage_collector()
    try:
        with InstanceLock(database):
            results = _ingest_all(configuration, database, paths, source, partner, as_json)
    except GatewayAlreadyRunning as error:
        fail(f"edi-gateway ingest: {error.message} (drop the files into its inbox instead)")
    finally:
        database.dispose()
    problems = any(result.outcome in (Outcome.QUARANTINED, Outcome.ERRORS) for result in results)
    sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)


def _ingest_all(
    configuration: Configuration,
    database: Database,
    paths: tuple[Path, ...],
    source: str,
    partner: PartnerConfig | None,
    as_json: bool,
) -> list[IngestResult]:
    recover(configuration, database)
    ingestor = Ingestor(configuration, database)
    results: list[IngestResult] = []
    progress = Progress(console=_err, transient=True, disable=len(paths) < 20 or as_json)
    try:
        with progress, ingestor.batched():
            task = progress.add_task("staging", total=len(paths))
            for path in paths:
                candidate = Candidate(
                    source=source,
                    path=os.fsencode(path.resolve()),
                    name=os.fsencode(path.name),
                    partner=partner,
                    keep_original=True,
                )
                try:
                    result = ingestor.ingest(candidate)
                except RetryableError as error:
                    fail(f"{path.name}: not staged now ({error}); nothing was lost, try again")
                results.append(result)
                _report(path, result, as_json)
                progress.advance(task)
                if ingestor.unsettled >= _SETTLE_EVERY:
                    ingestor.settle()
    except RetryableError as error:
        # Marking files archived failed: they are staged, and the next ``ingest`` or ``run`` marks them.
        fail(f"staged, but not yet marked archived ({error}); the next ingest or run finishes it")
    return results


def _counted(counts: dict[str, int]) -> str:
    """Counts of a statement or catalog file for people: "lines new 9, lines known 0"."""
    return ", ".join(f"{name.replace('_', ' ')} {value}" for name, value in counts.items())


def _report(path: Path, result: IngestResult, as_json: bool) -> None:
    if as_json:
        click.echo(
            json.dumps(
                {
                    "path": str(path),
                    "file_id": result.file_id,
                    "outcome": result.outcome.value if result.outcome else None,
                    "reason": result.reason,
                    "duplicate_of": result.duplicate_of,
                    "stored_path": result.stored_path,
                    "acknowledgements": result.acknowledgements,
                    "kind": result.kind.value if result.kind else None,
                    "transactions": result.transactions,
                    "errors": result.errors,
                    "counts": result.counts,
                }
            )
        )
        return
    outcome = result.outcome.value if result.outcome else "not staged"
    counts = _counted(result.counts)
    detail = (
        f"duplicate of file {result.duplicate_of}"
        if result.duplicate_of
        else result.reason
        or (f"{counts}, {result.errors} errors" if counts else None)
        or f"{result.transactions} transaction sets, {result.errors} errors"
    )
    acks = f"; acknowledgements: {', '.join(result.acknowledgements)}" if result.acknowledgements else ""
    click.echo(f"{path.name}: file {result.file_id} {outcome} ({detail}){acks}")


@click.command("reprocess")
@config_option
@click.argument("file_id", type=int)
@click.option("--dry-run", is_flag=True, help="Read and validate the stored original; write nothing.")
@click.option("--ack", "send_acks", is_flag=True, help="Send the acknowledgements again (not by default).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def reprocess(config_file: Path | None, file_id: int, dry_run: bool, send_acks: bool, as_json: bool) -> None:
    """Stage a stored file again as a new attempt, linked to the previous one (history is kept).

    Use it after fixing a partner's configuration or companion guide. A quarantined file that now stages
    moves to the archive. Exit 0 when the file is clean, 1 when it has errors or stays quarantined.
    """
    configuration = load_or_exit(config_file)
    configure_logging("WARNING")
    database = open_or_exit(configuration, migrate=True)
    try:
        outcome = reprocess_file(
            configuration, database, file_id, dry_run=dry_run, send_acknowledgements=send_acks
        )
    except CannotReprocess as error:
        fail(f"edi-gateway files reprocess: {error.message}")
    except RetryableError as error:
        fail(f"edi-gateway files reprocess: not now ({error}); nothing was changed")
    finally:
        database.dispose()
    if isinstance(outcome, DryRun):
        payload = {
            "file_id": outcome.file_id,
            "dry_run": True,
            "interchanges": outcome.interchanges,
            "transactions": outcome.transactions,
            "errors": outcome.errors,
            "warnings": outcome.warnings,
            "would_quarantine": outcome.problem,
            "kind": outcome.kind,
            "counts": outcome.counts,
        }
        if as_json:
            click.echo(json.dumps(payload))
        else:
            verdict = f"would be quarantined ({outcome.problem})" if outcome.problem else "would stage"
            counts = (
                _counted(outcome.counts) if outcome.counts else f"{outcome.transactions} transaction sets"
            ) + f", {outcome.errors} errors"
            click.echo(f"file {file_id}: {verdict}: {counts}, {outcome.warnings} warnings (nothing written)")
        sys.exit(EXIT_PROBLEMS if outcome.problem or outcome.errors else EXIT_OK)
    if as_json:
        _report(Path(str(file_id)), outcome, True)
    else:
        outcome_text = outcome.outcome.value if outcome.outcome else "-"
        counted = _counted(outcome.counts)
        detail = outcome.reason or (
            f"{counted}, {outcome.errors} errors"
            if counted
            else f"{outcome.transactions} transaction sets, {outcome.errors} errors"
        )
        click.echo(
            f"file {file_id}: new attempt, {outcome_text} ({detail}); original at {outcome.stored_path}"
        )
    sys.exit(EXIT_PROBLEMS if outcome.outcome in (Outcome.QUARANTINED, Outcome.ERRORS) else EXIT_OK)
