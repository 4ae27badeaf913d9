"""Small SQL helpers shared by the staging modules: the clock, statements built once, ON CONFLICT inserts.

Statements on the per-file path are built once at import, with ``sa.bindparam`` for every value: SQLAlchemy
then reuses their memoised cache keys and compiled forms instead of building and compiling them per call
(which cost more than running them). ``PerDialect`` holds the two forms of a statement that SQLite and
PostgreSQL spell differently (``INSERT ... ON CONFLICT``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

__all__ = ["DialectInsert", "PerDialect", "bound_values", "insert_ignoring_conflict", "utc_now"]

S = TypeVar("S")

# ``sqlite.insert`` or ``postgresql.insert``: both have ``on_conflict_do_nothing/_do_update``.
DialectInsert = Callable[[sa.Table], Any]


def utc_now() -> datetime:
    return datetime.now(UTC)


def bound_values(table: sa.Table, *columns: str) -> dict[str, sa.BindParameter[Any]]:
    """``{column: bindparam(column)}`` for ``.values()``: each bound under its column's name and type."""
    return {name: sa.bindparam(name, type_=table.c[name].type) for name in columns}


class PerDialect(Generic[S]):
    """A statement in its SQLite and its PostgreSQL form, each built once; ``of(connection)`` picks one."""

    __slots__ = ("_forms",)

    def __init__(self, build: Callable[[DialectInsert], S]) -> None:
        self._forms: dict[str, S] = {"sqlite": build(sqlite.insert), "postgresql": build(postgresql.insert)}

    def of(self, connection: Connection) -> S:
        return self._forms[connection.dialect.name]


def insert_ignoring_conflict(
    connection: Connection,
    table: sa.Table,
    values: dict[str, Any],
    conflict_columns: list[str],
    returning: sa.Column[Any] | None = None,
) -> Any:
    """INSERT ... ON CONFLICT (columns) DO NOTHING [RETURNING column]: the value, or None on a conflict.

    Unlike catching an IntegrityError, this leaves a PostgreSQL transaction usable after a conflict. Built
    per call: for rare statements; the per-file ones are ``PerDialect`` statements built once.
    """
    dialect_insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    statement: Any = (
        dialect_insert(table).values(**values).on_conflict_do_nothing(index_elements=conflict_columns)
    )
    if returning is not None:
        statement = statement.returning(returning)
        return connection.execute(statement).scalar_one_or_none()
    connection.execute(statement)
    return None
