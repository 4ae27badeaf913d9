"""Control-number counters: numbers handed out in the caller's transaction, never twice, never wrapped.

``allocate`` first makes sure the counter row exists (INSERT ... ON CONFLICT DO NOTHING, so two processes
creating it at once do not race), then moves it with one ``UPDATE ... RETURNING`` whose row lock (or SQLite's
write lock) serialises concurrent callers. The numbers belong to the caller's transaction: when it rolls
back they were never handed out, and when it commits they are used for good.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import CounterExhausted
from .models import ControlCounter
from .sql import insert_ignoring_conflict, utc_now
from .states import CounterKind

__all__ = ["MAX_CONTROL_NUMBER", "DatabaseControlNumbers", "allocate"]

MAX_CONTROL_NUMBER = 999_999_999  # ISA13, GS06 and ST02 hold at most nine digits

_counters: sa.Table = ControlCounter.__table__  # type: ignore[assignment]


def allocate(
    connection: Connection,
    scope: str,
    kind: CounterKind,
    count: int = 1,
    *,
    maximum: int = MAX_CONTROL_NUMBER,
) -> int:
    """The first of ``count`` consecutive new numbers of ``kind`` in ``scope`` (a partner id or "default")."""
    if count < 1:
        raise ValueError("count must be at least 1")
    now = utc_now()
    insert_ignoring_conflict(
        connection,
        _counters,
        {"scope": scope, "kind": CounterKind(kind).value, "last_value": 0, "updated_at": now},
        ["scope", "kind"],
    )
    column = _counters.c
    last = connection.execute(
        sa.update(_counters)
        .where(column.scope == scope, column.kind == kind, column.last_value + count <= maximum)
        .values(last_value=column.last_value + count, updated_at=now)
        .returning(column.last_value)
    ).scalar_one_or_none()
    if last is None:
        raise CounterExhausted(
            f"the {CounterKind(kind).value} control numbers of {scope!r} are exhausted "
            f"({count} more would pass {maximum}); numbers are never reused",
            code="STAGING.COUNTER_EXHAUSTED",
        )
    return int(last) - count + 1


class DatabaseControlNumbers:
    """``emitters.x12.acks.ControlNumberSource`` backed by the counters, inside one transaction."""

    def __init__(self, connection: Connection, scope: str) -> None:
        self._connection = connection
        self._scope = scope

    def next(self, kind: str) -> int:
        return allocate(self._connection, self._scope, CounterKind(kind))
