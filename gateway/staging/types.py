"""Column types that behave the same on SQLite and PostgreSQL.

* ``ExactDecimal``: amounts and quantities. NUMERIC on PostgreSQL; on SQLite TEXT holding the canonical
  decimal string (``format(value, "f")``), because SQLite's NUMERIC affinity would turn 12.50 into a float.
  Python sees ``Decimal`` either way; a float is refused (it has already lost the exact value).
* ``UtcDateTime``: aware datetimes in UTC (TIMESTAMPTZ on PostgreSQL, ISO text on SQLite).
* ``EnumText``: a ``StrEnum`` stored as its value in VARCHAR(32), so that a later kind needs no migration.
* ``JSON_BODY``: JSON text on SQLite, JSONB on PostgreSQL.
* ``ID``: BIGINT ids on PostgreSQL, INTEGER (the rowid) on SQLite.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

__all__ = ["ID", "JSON_BODY", "EnumText", "ExactDecimal", "UtcDateTime", "decimal_text"]

ID: TypeEngine[int] = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON_BODY: TypeEngine[Any] = sa.JSON().with_variant(JSONB(), "postgresql")

E = TypeVar("E", bound=StrEnum)


def decimal_text(value: Decimal) -> str:
    """The canonical text of an exact decimal on SQLite (plain notation, as the documents' JSON has it)."""
    return format(value, "f")


class ExactDecimal(TypeDecorator[Decimal]):
    impl = sa.Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(sa.Numeric(asdecimal=True))
        return dialect.type_descriptor(sa.Text())

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("exact decimals are never floats")
        exact = value if isinstance(value, Decimal) else Decimal(value)
        return exact if dialect.name == "postgresql" else decimal_text(exact)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return value if isinstance(value, Decimal) else Decimal(value)


class UtcDateTime(TypeDecorator[datetime]):
    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        utc = value.astimezone(UTC)
        return utc if dialect.name == "postgresql" else utc.replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class EnumText(TypeDecorator[E], Generic[E]):
    impl = sa.String(32)
    cache_ok = True

    def __init__(self, enum: type[E]) -> None:
        super().__init__()
        self.enum = enum

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> E | None:
        return None if value is None else self.enum(value)
