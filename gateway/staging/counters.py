"""Control-number counters: numbers handed out in the caller's transaction, never twice, never wrapped.

``allocate`` is one statement: ``INSERT ... ON CONFLICT (scope, kind) DO UPDATE SET last_value = last_value +
:count WHERE last_value + :count <= :maximum RETURNING last_value`` (SQLite >= 3.35 and PostgreSQL). The
conflict clause makes two processes creating a counter at once safe, and the row lock (or SQLite's write lock)
serialises concurrent callers; when the WHERE refuses, no row comes back and nothing changed. The numbers
belong to the caller's transaction: when it rolls back they were never handed out, and when it commits they
are used for good.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import CounterExhausted
from .models import ControlCounter
from .sql import DialectInsert, PerDialect, bound_values, utc_now
from .states import CounterKind

__all__ = ["MAX_CONTROL_NUMBER", "DatabaseControlNumbers", "allocate"]

MAX_CONTROL_NUMBER = 999_999_999  # ISA13, GS06 and ST02 hold at most nine digits

_counters: sa.Table = ControlCounter.__table__  # type: ignore[assignment]


def _allocation(insert: DialectInsert) -> Any:
    column = _counters.c
    count = sa.bindparam("count", type_=column.last_value.type)
    return (
        insert(_counters)
        .values(bound_values(_counters, "scope", "kind", "last_value", "updated_at"))
        .on_conflict_do_update(
            index_elements=["scope", "kind"],
            set_={
                "last_value": column.last_value + count,
                "updated_at": sa.bindparam("now", type_=column.updated_at.type),
            },
            where=column.last_value + count <= sa.bindparam("maximum", type_=column.last_value.type),
        )
        .returning(column.last_value)
    )


_ALLOCATE = PerDialect(_allocation)


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
    kind = CounterKind(kind)
    now = utc_now()
    last = None
    if count <= maximum:  # a new counter starts at ``count``: the WHERE only guards existing ones
        parameters = {
            "scope": scope,
            "kind": kind,
            "last_value": count,
            "updated_at": now,
            "now": now,
            "count": count,
            "maximum": maximum,
        }
        last = connection.execute(_ALLOCATE.of(connection), parameters).scalar_one_or_none()
    if last is None:
        raise CounterExhausted(
            f"the {kind.value} control numbers of {scope!r} are exhausted "
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
