"""JSON for canonical documents: decimals as strings, dates as ISO text, tuples as lists, and back.

Every canonical document is a frozen dataclass whose fields are ``str``, ``int``, ``bool``, ``Decimal``,
``date``, ``Literal`` values, nested documents, ``tuple[X, ...]`` of those, or ``X | None``. One generic pair
of functions turns any of them into plain JSON and back, driven by the type hints, so that adding a field
never means editing a serializer.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, TypeVar, get_args, get_origin

from ..errors import DocumentError

T = TypeVar("T")

JsonValue = Any


def to_json(value: object) -> JsonValue:
    """A canonical document (or any value inside one) as plain JSON data."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        # Plain notation: "1E+2" would surprise every reader of the JSON.
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_json(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: to_json(getattr(value, name)) for name in _field_names(type(value))}
    raise TypeError(f"cannot serialise {type(value).__name__}")


def from_json(cls: type[T], data: JsonValue) -> T:
    """The inverse of ``to_json`` for the dataclass ``cls``; bad data raises ``DocumentError``."""
    return typing.cast(T, _convert(cls, data, cls.__name__))


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _convert(hint: Any, data: JsonValue, where: str) -> Any:
    origin = get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        options = get_args(hint)
        if data is None and type(None) in options:
            return None
        for option in options:
            if option is type(None):
                continue
            return _convert(option, data, where)
    if origin is typing.Literal:
        if data not in get_args(hint):
            raise DocumentError(f"{where}: value not in its closed vocabulary")
        return data
    if origin is tuple:
        (item_hint, _ellipsis) = get_args(hint)
        if not isinstance(data, list):
            raise DocumentError(f"{where}: expected a list")
        return tuple(_convert(item_hint, item, f"{where}[{i}]") for i, item in enumerate(data))
    if hint is Decimal:
        if not isinstance(data, str | int):
            raise DocumentError(f"{where}: expected a decimal as text")
        try:
            return Decimal(data)
        except InvalidOperation:
            raise DocumentError(f"{where}: not a decimal") from None
    if hint is date:
        if not isinstance(data, str):
            raise DocumentError(f"{where}: expected an ISO date")
        try:
            return date.fromisoformat(data)
        except ValueError:
            raise DocumentError(f"{where}: not an ISO date") from None
    if hint is str or hint is int or hint is bool:
        if type(data) is not hint:
            raise DocumentError(f"{where}: expected {hint.__name__}")
        return data
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if not isinstance(data, dict):
            raise DocumentError(f"{where}: expected an object")
        hints = _hints(hint)
        unknown = set(data) - set(_field_names(hint))
        if unknown:
            raise DocumentError(f"{where}: unknown fields {sorted(unknown)}")
        values = {
            name: _convert(hints[name], data[name], f"{where}.{name}")
            for name in _field_names(hint)
            if name in data
        }
        try:
            return hint(**values)
        except TypeError:
            raise DocumentError(f"{where}: required fields missing") from None
    raise TypeError(f"{where}: unsupported type {hint!r}")
