"""Small SQL helpers shared by the staging modules: the clock, INSERT ... ON CONFLICT DO NOTHING."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

__all__ = ["insert_ignoring_conflict", "utc_now"]


def utc_now() -> datetime:
    return datetime.now(UTC)


def insert_ignoring_conflict(
    connection: Connection,
    table: sa.Table,
    values: dict[str, Any],
    conflict_columns: list[str],
    returning: sa.Column[Any] | None = None,
) -> Any:
    """INSERT ... ON CONFLICT (columns) DO NOTHING [RETURNING column]: the value, or None on a conflict.

    Unlike catching an IntegrityError, this leaves a PostgreSQL transaction usable after a conflict.
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
