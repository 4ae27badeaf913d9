"""The effective configuration as data, TOML-like text or JSON, with secrets masked."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from .configuration import Configuration

__all__ = ["MASK", "effective_configuration", "render_toml"]

MASK = "****"


def effective_configuration(configuration: Configuration) -> dict[str, Any]:
    """Every value in force, JSON-ready: the gateway settings, then each partner by id."""
    settings = configuration.settings.model_dump(mode="json", by_alias=True)
    settings["database_url"] = configuration.settings.database_url_masked
    partners: dict[str, Any] = {}
    for partner_id, partner in configuration.partners.items():
        data = partner.model_dump(mode="json", by_alias=True)
        # Where a secret is configured, say that there is one, never what it is.
        for key in partner.secrets():
            index, name = key.removeprefix("channels[").split("].")
            if name != "key_file":  # the key file's path is no secret, its content is never read here
                data["channels"][int(index)][name] = MASK
        partners[partner_id] = data
    return {"settings": settings, "partners": partners}


def render_toml(configuration: Configuration) -> str:
    """TOML-like text of the effective configuration; a comment after each value tells where it comes from."""
    effective = effective_configuration(configuration)
    sources = configuration.value_sources
    lines = ["# The effective configuration. After each value: where it comes from (a file, the"]
    lines.append("# environment or the default). Secrets are never shown.")
    lines.extend(_table(effective["settings"], (), sources, ""))
    for partner_id, partner in effective["partners"].items():
        lines.extend(_table(partner, ("partners", partner_id), sources, f"partners.{partner_id}."))
    return "\n".join(lines) + "\n"


def _table(
    data: Mapping[str, Any], path: tuple[str, ...], sources: Mapping[str, str], prefix: str
) -> Iterator[str]:
    scalars = {k: v for k, v in data.items() if not _is_table(v) and not _is_table_array(v)}
    tables = {k: v for k, v in data.items() if _is_table(v)}
    arrays = {k: v for k, v in data.items() if _is_table_array(v)}
    if path and (scalars or (not tables and not arrays)):
        yield ""
        yield f"[{_header(path)}]"
    yield from _scalars(scalars, sources, prefix)
    for key, value in tables.items():
        yield from _table(value, (*path, key), sources, f"{prefix}{key}.")
    for key, items in arrays.items():
        for index, item in enumerate(items):
            yield ""
            yield f"[[{_header((*path, key))}]]"
            yield from _scalars(item, sources, f"{prefix}{key}[{index}].")


def _scalars(data: Mapping[str, Any], sources: Mapping[str, str], prefix: str) -> Iterator[str]:
    for key, value in data.items():
        if _is_table(value):
            # A table inside an array item (none today): written inline.
            yield f"{_key(key)} = {json.dumps(value)}"
            continue
        source = sources.get(prefix + key, "")
        comment = f"  # {source}" if source else ""
        if value is None:
            yield f"# {_key(key)}: not set{comment}"
        else:
            yield f"{_key(key)} = {json.dumps(value)}{comment}"


def _is_table(value: Any) -> bool:
    return isinstance(value, Mapping)


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, Mapping) for item in value)


def _key(key: str) -> str:
    bare = key.replace("_", "").replace("-", "").isalnum()
    return key if bare else json.dumps(key)


def _header(path: tuple[str, ...]) -> str:
    return ".".join(_key(part) for part in path)
