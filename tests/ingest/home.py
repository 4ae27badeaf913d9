"""A gateway home on the real filesystem: its folders, partner files, environment, and a gateway on it.

Three partners, each written as a partner file the way an operator would:
* ``mercygeneral`` (005010, 999s, a TA1 only on error): no channel of its own, its files come straight
  into the inbox and are matched by their ISA sender;
* ``medsupplyco`` (004010 and 005010, 997 or 999 by version, a TA1 when asked for): ``inbox/medsupplyco/``,
  files taken once they have settled;
* ``riverside`` (004010): ``inbox/riverside/``, written under a temporary name and renamed, so they are
  taken as soon as they appear (tests that must not wait on settling use it).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from gateway.config import Configuration, load_configuration
from gateway.ingest.pipeline import IngestResult
from gateway.service import Gateway
from gateway.staging.database import Database

# Settling fast enough for tests: two looks 0.05 s apart, the file untouched for 0.05 s.
FAST_SETTLING = {
    "EDIGW_INGEST__SETTLE_SECONDS": "0.05",
    "EDIGW_INGEST__SETTLE_CHECKS": "2",
    "EDIGW_INGEST__RESCAN_SECONDS": "0.2",
}


def partner_file(
    partner_id: str,
    sender_id: str,
    versions: list[str],
    *,
    functional: str = "auto",
    interchange: str = "requested",
    folder: str | None = None,
    completion: str = "stable",
) -> str:
    """A partner file (TOML) as an operator writes one."""
    lines = [
        f'id = "{partner_id}"',
        f'name = "{partner_id.title()}"',
        "[x12]",
        'sender_qualifier = "ZZ"',
        f'sender_id = "{sender_id}"',
        f"versions = {json.dumps(versions)}",
        "[acknowledgements]",
        f'functional = "{functional}"',
        f'interchange = "{interchange}"',
    ]
    if folder is not None:
        lines += ["[[channels]]", 'type = "local"', f'folder = "{folder}"', f'completion = "{completion}"']
    return "\n".join(lines) + "\n"


PARTNERS: Mapping[str, str] = {
    "mercygeneral": partner_file(
        "mercygeneral", "MERCYGENERAL", ["005010"], functional="999", interchange="on_error"
    ),
    "medsupplyco": partner_file("medsupplyco", "MEDSUPPLYCO", ["004010", "005010"], folder="medsupplyco"),
    "riverside": partner_file(
        "riverside", "RIVERSIDECLINIC", ["004010"], folder="riverside", completion="rename"
    ),
}


@dataclass
class GatewayHome:
    """``EDIGW_HOME``: the embedded default's folders under ``root``, and the partner files above."""

    root: Path
    database_url: str
    environment: dict[str, str] = field(default_factory=lambda: dict(FAST_SETTLING))

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    @property
    def folders(self) -> list[Path]:
        """The folders the gateway may write to."""
        return [self.inbox, self.outbox, self.archive, self.quarantine, self.root / "var"]

    def write_partners(self, **changed: str) -> None:
        """The partner files (``changed`` replaces some: partner id -> file text)."""
        folder = self.root / "config" / "partners"
        folder.mkdir(parents=True, exist_ok=True)
        for partner_id, text in {**PARTNERS, **changed}.items():
            (folder / f"{partner_id}.toml").write_text(text, encoding="utf-8")

    def variables(self) -> dict[str, str]:
        return {"EDIGW_HOME": str(self.root), "EDIGW_DATABASE_URL": self.database_url, **self.environment}

    def configuration(self) -> Configuration:
        return load_configuration(home=self.root, environ=self.variables())

    def subprocess_environment(self, **extra: str) -> dict[str, str]:
        """This process's environment without any ``EDIGW_*`` of its own, plus this home's."""
        inherited = {name: value for name, value in os.environ.items() if not name.startswith("EDIGW_")}
        return {**inherited, **self.variables(), **extra}

    def drop(self, name: str | bytes, data: bytes, folder: str = ".") -> bytes:
        """Write a file into the inbox (or a partner's folder of it) as a partner would; its path."""
        target = self.inbox / folder
        target.mkdir(parents=True, exist_ok=True)
        path = os.path.join(os.fsencode(target), os.fsencode(name))
        with open(path, "wb") as stream:
            stream.write(data)
        return path

    def drop_by_rename(self, name: str, data: bytes, folder: str) -> Path:
        """Write under a temporary name (ignored by the gateway), then rename: complete when it appears."""
        target = self.inbox / folder
        target.mkdir(parents=True, exist_ok=True)
        temporary = target / f".{name}.part"
        temporary.write_bytes(data)
        os.rename(temporary, target / name)
        return target / name

    def inbox_files(self) -> list[Path]:
        """Regular files left anywhere in the inbox."""
        return sorted(path for path in self.inbox.rglob("*") if path.is_file() and not path.is_symlink())


def gateway_on(home: GatewayHome, database: Database, *, clock: Callable[[], float] | None = None) -> Gateway:
    """A prepared in-process gateway on ``home`` (folders created, recovery run)."""
    gateway = Gateway(home.configuration(), database, **({"clock": clock} if clock else {}))
    gateway.prepare()
    return gateway


def drain(gateway: Gateway, *, pause: float = 0.05, give_up_after: float = 60.0) -> list[IngestResult]:
    """Cycle until a whole scan finds nothing to take and nothing settling; the results, in order.

    Gives up when ``give_up_after`` seconds pass without a file taken (a cycle may take longer itself)."""
    results: list[IngestResult] = []
    give_up_at = time.monotonic() + give_up_after
    while True:
        report = gateway.cycle()
        results += report.results
        if not report.taken and not report.pending:
            return results
        if report.taken:
            give_up_at = time.monotonic() + give_up_after
        assert time.monotonic() < give_up_at, f"{report.pending} files still pending, none taken"
        if report.pending:
            time.sleep(pause)


class ManualClock:
    """The monotonic clock, which the test can move on (to skip a retry's pause without waiting for it)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds
