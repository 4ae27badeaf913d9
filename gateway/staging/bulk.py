"""Fast writes for the bank statement and catalog stagers, the way ``x12.py`` writes X12 rows.

Rows are tuples of driver parameters written with one executemany of multi-row INSERTs
(``Connection.exec_driver_sql``): SQLAlchemy's per-row processing of ``insert()`` costs more than the
insert. Parameters are given as the driver takes them for both dialects: decimals as their canonical text
and dates as ISO text (SQLite stores exactly that; PostgreSQL casts the untyped literal to the column's
NUMERIC or DATE), timestamps as SQLAlchemy would bind them. Ids that child rows refer to are allocated
before the rows are written (``allocate_ids``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import chain
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .types import decimal_text

__all__ = ["RowWriter", "allocate_ids", "date_parameter", "decimal_parameter", "timestamp_parameter"]

# Bound parameters per statement: SQLite's oldest limit is 999.
_PARAMETERS_PER_INSERT = 900
_MAX_ROWS_PER_INSERT = 50  # more rows per statement stop paying off (see x12.py)


def decimal_parameter(value: Decimal | None) -> str | None:
    return None if value is None else decimal_text(value)


def date_parameter(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def timestamp_parameter(connection: Connection, moment: datetime) -> Any:
    """An aware UTC timestamp as the driver takes it (SQLite: SQLAlchemy's naive text form)."""
    if connection.dialect.name == "postgresql":
        return moment
    return moment.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


class RowWriter:
    """INSERTs of rows of ``columns`` into ``table``; ``suffix`` is appended to each statement (e.g. an
    ``ON CONFLICT`` clause, spelled the same on SQLite and PostgreSQL)."""

    def __init__(
        self, connection: Connection, table: str, columns: Sequence[str], *, suffix: str = ""
    ) -> None:
        dialect = connection.dialect
        quote = dialect.identifier_preparer.quote
        marker = "?" if dialect.paramstyle == "qmark" else "%s"
        row = "(" + ", ".join(marker for _ in columns) + ")"
        head = f"INSERT INTO {quote(table)} ({', '.join(quote(column) for column in columns)}) VALUES "
        tail = f" {suffix}" if suffix else ""
        self._rows_per_insert = max(1, min(_MAX_ROWS_PER_INSERT, _PARAMETERS_PER_INSERT // len(columns)))
        self._sql = head + row + tail
        self._chunk_sql = head + ", ".join(row for _ in range(self._rows_per_insert)) + tail
        self._connection = connection

    def write(self, rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        size = self._rows_per_insert
        whole = len(rows) - len(rows) % size
        if whole:
            chunks = [
                tuple(chain.from_iterable(rows[start : start + size])) for start in range(0, whole, size)
            ]
            self._connection.exec_driver_sql(self._chunk_sql, chunks)
        if whole < len(rows):
            self._connection.exec_driver_sql(self._sql, list(rows[whole:]))


def allocate_ids(connection: Connection, table: str, count: int) -> list[int]:
    """``count`` new ids of ``table``, for rows the caller writes before it allocates again for that table.

    SQLite: after the current maximum, safe under the write lock the transaction holds (BEGIN IMMEDIATE).
    PostgreSQL: from the table's sequence."""
    if count <= 0:
        return []
    if connection.dialect.name == "postgresql":
        values = connection.execute(
            sa.text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)"),
            {"table": table, "count": count},
        ).scalars()
        return sorted(int(value) for value in values)
    quoted = connection.dialect.identifier_preparer.quote(table)
    last = int(connection.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {quoted}").scalar_one())
    return list(range(last + 1, last + 1 + count))
