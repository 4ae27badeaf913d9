"""A gateway home with a staging database in it, filled the way the pipeline fills it, for ``files`` tests.

``OperatorHome`` stages files (tests/staging/helpers.py), stores their originals under the home as the
pipeline does (``archive/...``, ``quarantine/...``), records duplicates, acknowledgements and audit events,
and runs ``edi-gateway`` with ``EDIGW_HOME`` and ``EDIGW_DATABASE_URL`` pointing at it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from click.testing import CliRunner, Result

from gateway.cli import main
from gateway.staging import acks, audit, files
from gateway.staging.database import Database
from gateway.staging.models import ReceivedFile
from gateway.staging.states import AckKind, AttemptTrigger, AuditEvent, FileKind, Outcome, Stage
from parsers.catalog import CatalogMapping
from tests.staging.helpers import GOLDEN, stage_bank_bytes, stage_bytes, stage_catalog_bytes

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "x12"
ERR_FILE = CORPUS / "edi-engine__850.SyntaxNotes.ERR.edi"
CLEAN_850 = GOLDEN / "hospital_850_medsurg.edi"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def mutated_850() -> bytes:
    """The clean 850 with one invalid unit code: AK4.7 on PO103 of its second line (set segment 25)."""
    data = CLEAN_850.read_bytes()
    mutated = data.replace(b"PO1*2*10*BX*11.85", b"PO1*2*10*QQ*11.85")
    assert mutated != data
    return mutated


def errors_file() -> bytes:
    """The corpus file with syntax errors, or (when the corpus is not there) a mutated golden file."""
    return ERR_FILE.read_bytes() if ERR_FILE.is_file() else mutated_850()


@dataclass
class OperatorHome:
    home: Path
    database: Database

    @property
    def url(self) -> str:
        return self.database.engine.url.render_as_string(hide_password=False)

    def env(self) -> dict[str, str]:
        return {"EDIGW_HOME": str(self.home), "EDIGW_DATABASE_URL": self.url}

    def run(self, *args: str, env: dict[str, str] | None = None) -> Result:
        return CliRunner().invoke(main, ["files", *args], env={**self.env(), **(env or {})})

    def store(self, file_id: int, data: bytes, relative: str) -> Path:
        """Put the original at ``home/relative`` and mark the file archived there."""
        path = self.home / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        with self.database.begin() as connection:
            files.mark_archived(connection, file_id, relative)
        return path

    def stage(
        self,
        data: bytes,
        name: str,
        *,
        partner_id: str | None = "medsupplyco",
        source: str = "local:inbox",
        archive: bool = True,
    ) -> int:
        file_id, _, _ = stage_bytes(self.database, data, name=name, partner_id=partner_id, source=source)
        with self.database.begin() as connection:
            audit.append(connection, AuditEvent.FILE_STAGED, file_id=file_id, details={"source": source})
        if archive:
            self.store(file_id, data, f"archive/2026/12/01/{file_id}-{name}")
        return file_id

    def stage_bank(self, data: bytes, name: str, *, source: str = "local:bank") -> int:
        """A bank file staged with the real parsers, its original archived."""
        file_id, _, _ = stage_bank_bytes(self.database, data, name=name, source=source)
        self.store(file_id, data, f"archive/2026/12/01/{file_id}-{name}")
        return file_id

    def stage_catalog(
        self, data: bytes, name: str, mapping: CatalogMapping, *, source: str = "local:cat"
    ) -> int:
        """A catalog staged with the real parser as the next version of medsupplyco's, archived."""
        file_id, _, _ = stage_catalog_bytes(self.database, data, mapping, name=name, source=source)
        self.store(file_id, data, f"archive/2026/12/01/{file_id}-{name}")
        return file_id

    def quarantine(self, data: bytes, name: str, *, code: str, reason: str) -> int:
        with self.database.begin() as connection:
            file_id = files.insert_received_file(
                connection,
                source="local:inbox",
                name=name,
                sha256=sha256(data),
                size_bytes=len(data),
                kind=FileKind.UNKNOWN,
                partner_id="mercygeneral",
            )
            attempt_id = files.start_attempt(connection, file_id, AttemptTrigger.INGEST)
            files.set_state(connection, file_id, attempt_id, Stage.RECEIVED, Outcome.QUARANTINED, reason)
            audit.append(
                connection,
                AuditEvent.FILE_QUARANTINED,
                file_id=file_id,
                attempt_id=attempt_id,
                details={"code": code},
            )
        self.store(file_id, data, f"quarantine/{file_id}-{name}")
        return file_id

    def duplicate(self, original_id: int, data: bytes, name: str) -> int:
        with self.database.begin() as connection:
            file_id = files.insert_duplicate(
                connection,
                source="local:inbox",
                name=name,
                sha256=sha256(data),
                size_bytes=len(data),
                duplicate_of_id=original_id,
                partner_id="medsupplyco",
            )
            audit.append(
                connection, AuditEvent.FILE_DUPLICATE, file_id=file_id, details={"duplicate_of": original_id}
            )
        self.store(file_id, data, f"archive/2026/12/01/{file_id}-{name}")
        return file_id

    def reprocess(self, file_id: int, data: bytes) -> int:
        """A second attempt of ``file_id``, child of its first; returns the new attempt's id."""
        with self.database.read() as connection:
            first = files.latest_attempt(connection, file_id)
        assert first is not None
        _, attempt_id, _ = stage_bytes(self.database, data, file_id=file_id, parent_id=first.id)
        return attempt_id

    def record_ack(self, file_id: int, path: str, control: str) -> None:
        with self.database.begin() as connection:
            ack_id = acks.record_sent(
                connection,
                kind=AckKind.FA_999,
                partner_id="medsupplyco",
                file_id=file_id,
                content=b"ISA*...~",
                path=path,
                interchange_control_number=control,
                group_control_number="1",
                acknowledged_interchange="000004417",
                acknowledged_group="4417",
                verdict="A",
            )
            acks.mark_written(connection, ack_id)
            audit.append(connection, AuditEvent.ACK_WRITTEN, file_id=file_id, details={"path": path})

    def set_received_at(self, file_id: int, moment: datetime) -> None:
        table: sa.Table = ReceivedFile.__table__  # type: ignore[assignment]
        with self.database.begin() as connection:
            connection.execute(sa.update(table).where(table.c.id == file_id).values(received_at=moment))
