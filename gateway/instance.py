"""One gateway per staging database: a second one refuses to start instead of doubling the work.

SQLite: an exclusive ``flock`` on ``<database>.lock`` (released by the kernel when the process dies, even
by SIGKILL). PostgreSQL: a session-level advisory lock held on a connection of its own for the process's
life (released by the server when the connection ends).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType
from typing import Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection, make_url

from parsers.errors import FatalError

from .staging.database import Database

__all__ = ["GatewayAlreadyRunning", "InstanceLock"]

# "EDGW" 3: 1 is the migration lock, 2 the audit log's append lock (a transaction lock that every write
# takes: sharing its key, the instance would wait on itself forever).
_ADVISORY_KEY: Final = 0x4544_4757_0003


class GatewayAlreadyRunning(FatalError):
    """Another gateway process works on the same staging database."""


class InstanceLock:
    """Held for the life of ``edi-gateway run``; ``acquire`` raises ``GatewayAlreadyRunning``."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._file: int | None = None
        self._connection: Connection | None = None

    def acquire(self) -> InstanceLock:
        url = self._database.engine.url
        if self._database.dialect == "sqlite":
            self._lock_file(Path(str(make_url(url).database) + ".lock"))
        else:
            connection = self._database.engine.connect()
            got = connection.execute(sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": _ADVISORY_KEY})
            if not got.scalar_one():
                connection.close()
                raise GatewayAlreadyRunning(
                    "another gateway is running on this PostgreSQL database", code="GATEWAY.RUNNING"
                )
            connection.commit()
            self._connection = connection
        return self

    def _lock_file(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(descriptor, 32).decode("ascii", "replace").strip() or "?"
            os.close(descriptor)
            raise GatewayAlreadyRunning(
                f"another gateway (pid {holder}) is running on this database", code="GATEWAY.RUNNING"
            ) from None
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()}\n".encode())
        self._file = descriptor

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            os.close(self._file)
            self._file = None
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.release()
