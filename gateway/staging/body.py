"""The JSON of canonical documents, fast: what ``Document.to_json()`` returns, built by compiled functions.

``parsers.documents.serialize.to_json`` walks a document generically (value by value, type by type); that
costs several hundred microseconds for a 20-line order, more than the staging budget. Here one function
per document class is generated from the same type hints, once, and the result goes to orjson. The output
is equal to ``to_json()`` (a test compares them on every golden and corpus document); the only difference
is that tuples of plain values stay tuples, which JSON writes as arrays all the same.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import orjson

__all__ = ["document_json", "dumps"]

_Builder = Callable[[Any], dict[str, Any]]
_builders: dict[type, _Builder] = {}


def document_json(document: object) -> dict[str, Any]:
    """``document.to_json()``, computed by the compiled builder of its class."""
    builder = _builders.get(type(document))
    if builder is None:
        builder = _compile(type(document))
    return builder(document)


def _default(value: object) -> object:
    if isinstance(value, Decimal):
        return format(value, "f")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return document_json(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def dumps(value: object) -> str:
    """JSON text of plain data or of a canonical document (SQLAlchemy's JSON serializer for our engines)."""
    return orjson.dumps(value, default=_default, option=orjson.OPT_PASSTHROUGH_DATACLASS).decode()


def _compile(cls: type) -> _Builder:
    namespace: dict[str, Any] = {"_format": format}
    # Register first: a recursive class (a tare's packs are packs) then calls itself through this entry.
    placeholder: list[_Builder] = []
    _builders[cls] = lambda value: placeholder[0](value)
    counter = iter(range(1_000_000))

    def fields_of(klass: type, value: str, open_classes: tuple[type, ...]) -> str:
        hints = typing.get_type_hints(klass)
        items = ", ".join(
            f"{field.name!r}: {expression(hints[field.name], f'{value}.{field.name}', open_classes)}"
            for field in dataclasses.fields(klass)
        )
        return f"{{{items}}}"

    def expression(hint: Any, value: str, open_classes: tuple[type, ...]) -> str:
        origin = typing.get_origin(hint)
        if origin is typing.Union or origin is types.UnionType:
            options = [option for option in typing.get_args(hint) if option is not type(None)]
            if len(options) != 1:
                raise TypeError(f"{cls.__name__}: unsupported union {hint!r}")
            inner = expression(options[0], value, open_classes)
            return value if inner == value else f"(None if {value} is None else {inner})"
        if origin is tuple:
            item = f"_i{next(counter)}"
            inner = expression(typing.get_args(hint)[0], item, open_classes)
            # Most tuples are empty: skip building a comprehension for them.
            return value if inner == item else f"([{inner} for {item} in {value}] if {value} else [])"
        if origin is typing.Literal or hint in (str, int, bool):
            return value
        if hint is Decimal:
            return f"_format({value}, 'f')"
        if hint is date:
            return f"{value}.isoformat()"
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            if hint in open_classes:  # recursion: call the builder instead of inlining forever
                name = f"_build_{hint.__name__}"
                namespace[name] = _builders[hint] if hint in _builders else _compile(hint)
                return f"{name}({value})"
            return fields_of(hint, value, (*open_classes, hint))
        raise TypeError(f"{cls.__name__}: unsupported type {hint!r}")

    source = f"def build(o):\n    return {fields_of(cls, 'o', (cls,))}\n"
    exec(source, namespace)
    builder: _Builder = namespace["build"]
    placeholder.append(builder)
    _builders[cls] = builder
    return builder
