"""Declarative X12 transaction-set specifications: the typed model, the loader and companion guides.

The specifications themselves are data (``parsers/x12/specs/*.json``, format in ``specs/README.md``): one
file per transaction set and version family (``850.004010.json``) plus a shared segment dictionary per
family (``segments.004010.json``; the 005010 dictionary is written as changes to the 004010 one). This
module turns them into frozen dataclasses; ``validate.py`` compiles those into fast lookup tables.

``load_spec("850", "004010VICS")`` maps the version to its family (00401... -> 004010, 00501 and later ->
005010) and returns ``None`` when there is no specification, which means "not validated", not "invalid".
``apply_companion_guide`` lets a partner's guide tighten or relax a spec without code.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any, Literal, TypeAlias, cast

from ..errors import ConfigurationError

__all__ = [
    "ELEMENT_TYPES",
    "ElementSpec",
    "ElementType",
    "ElementUsage",
    "LoopSpec",
    "SegmentSpec",
    "SegmentUsage",
    "SegmentUse",
    "StructureNode",
    "SyntaxKind",
    "SyntaxRule",
    "TransactionSpec",
    "apply_companion_guide",
    "available_specs",
    "load_spec",
    "version_family",
]

ElementUsage = Literal["M", "O", "X"]
SegmentUsage = Literal["M", "O"]
SyntaxKind = Literal["P", "R", "C", "E", "L"]
ElementType = Literal[
    "ID", "AN", "N0", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9", "R", "DT", "TM", "B", "COMPOSITE"
]
ELEMENT_TYPES: frozenset[str] = frozenset(
    ["ID", "AN", "R", "DT", "TM", "B", "COMPOSITE"] + [f"N{n}" for n in range(10)]
)
_FAMILIES = ("004010", "005010")


@dataclass(frozen=True, slots=True)
class ElementSpec:
    """One element (or one component of a composite) at its 1-based position."""

    position: int
    data_element: str  # "353", or the composite id "C001"
    usage: ElementUsage
    type: ElementType
    min_length: int
    max_length: int
    codes: frozenset[str] | None = None  # None: any value of the right form
    components: tuple[ElementSpec, ...] = ()  # only for type COMPOSITE
    max_repeat: int = 1
    name: str = ""


@dataclass(frozen=True, slots=True)
class SyntaxRule:
    """A syntax note: P paired, R at least one, C if first then all, E at most one, L if first then one."""

    kind: SyntaxKind
    positions: tuple[int, ...]

    @property
    def note(self) -> str:
        return self.kind + "".join(f"{p:02d}" for p in self.positions)

    @classmethod
    def parse(cls, note: str) -> SyntaxRule:
        """``"P0304"`` -> SyntaxRule("P", (3, 4)); raises ValueError when malformed."""
        kind, digits = note[:1], note[1:]
        if (
            kind not in ("P", "R", "C", "E", "L")
            or len(digits) < 4
            or len(digits) % 2
            or not digits.isdigit()
        ):
            raise ValueError(note)
        positions = tuple(int(digits[i : i + 2]) for i in range(0, len(digits), 2))
        if 0 in positions or len(set(positions)) != len(positions):
            raise ValueError(note)
        return cls(cast(SyntaxKind, kind), positions)


@dataclass(frozen=True, slots=True)
class SegmentSpec:
    """A segment definition from the dictionary: its elements in order and its syntax notes."""

    id: str
    name: str
    elements: tuple[ElementSpec, ...]
    syntax: tuple[SyntaxRule, ...] = ()


@dataclass(frozen=True, slots=True)
class SegmentUse:
    """A segment at one place of a transaction set: usage and maximum use there (None = unbounded)."""

    segment: SegmentSpec
    usage: SegmentUsage
    max_use: int | None

    @property
    def id(self) -> str:
        return self.segment.id


@dataclass(frozen=True, slots=True)
class LoopSpec:
    """A loop: its id is the id of its first segment (the leader); max_use is the maximum repeat."""

    id: str
    usage: SegmentUsage
    max_use: int | None
    children: tuple[StructureNode, ...]

    @property
    def leader(self) -> SegmentUse:
        first = self.children[0]
        assert isinstance(first, SegmentUse)
        return first


StructureNode: TypeAlias = SegmentUse | LoopSpec


@dataclass(frozen=True, slots=True)
class TransactionSpec:
    """A whole transaction set, ST through SE, with the segment dictionary of its version family."""

    set_id: str
    version: str  # the family: "004010" or "005010"
    name: str
    children: tuple[StructureNode, ...]
    dictionary: Mapping[str, SegmentSpec] = field(repr=False, compare=False)
    hierarchy: Mapping[str, int] = field(default_factory=dict, compare=False)  # HL03 level -> rank (856)

    def segment_ids(self) -> frozenset[str]:
        """Every segment id this set uses."""
        return frozenset(use.id for use, _loops in iter_uses(self.children))


def iter_uses(
    children: tuple[StructureNode, ...], loops: tuple[str, ...] = ()
) -> Iterator[tuple[SegmentUse, tuple[str, ...]]]:
    """Every segment use in document order with the ids of the loops around it."""
    for child in children:
        if isinstance(child, SegmentUse):
            yield child, loops
        else:
            yield from iter_uses(child.children, (*loops, child.id))


def iter_loops(
    children: tuple[StructureNode, ...], loops: tuple[str, ...] = ()
) -> Iterator[tuple[LoopSpec, tuple[str, ...]]]:
    """Every loop in document order with the ids of the loops around it (not including itself)."""
    for child in children:
        if isinstance(child, LoopSpec):
            yield child, loops
            yield from iter_loops(child.children, (*loops, child.id))


# --- Loading ------------------------------------------------------------------------------------------------


def version_family(version: str) -> str | None:
    """The spec family of a GS08/ST03 version: 00401... -> 004010, 00501 and later -> 005010, else None."""
    digits = version.strip()[:6]
    if len(digits) < 5 or not digits[:5].isdigit():
        return None
    number = int(digits[:5])
    if number == 401:
        return "004010"
    if number >= 501:
        return "005010"
    return None


def _read_json(name: str) -> dict[str, Any]:
    try:
        text = resources.files("parsers.x12").joinpath("specs", name).read_text("utf-8")
    except FileNotFoundError:
        raise ConfigurationError(f"specification file {name} is missing", code="spec") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigurationError(
            f"specification file {name} is not valid JSON (line {error.lineno})"
        ) from None
    if not isinstance(data, dict):
        raise ConfigurationError(f"specification file {name} is not a JSON object")
    return data


def available_specs() -> list[tuple[str, str]]:
    """(set id, family) of every transaction-set file shipped."""
    found = []
    for entry in resources.files("parsers.x12").joinpath("specs").iterdir():
        parts = entry.name.split(".")
        if len(parts) == 3 and parts[2] == "json" and parts[0].isdigit():
            found.append((parts[0], parts[1]))
    return sorted(found)


def _expand_codes(raw: object, where: str, problems: list[str]) -> frozenset[str] | None:
    """A code list; ``"001..999"`` stands for every zero-padded number of that width in the range."""
    if raw is None:
        return None
    if not isinstance(raw, list) or not all(isinstance(c, str) and c for c in raw):
        problems.append(f"{where}: codes must be a list of non-empty strings")
        return None
    codes: set[str] = set()
    for code in raw:
        low, dots, high = code.partition("..")
        if dots and low.isdigit() and high.isdigit() and len(low) == len(high) and int(low) <= int(high):
            codes.update(f"{n:0{len(low)}d}" for n in range(int(low), int(high) + 1))
        else:
            codes.add(code)
    return frozenset(codes)


@dataclass(slots=True)
class _Dictionary:
    """The raw per-family dictionary (after applying a base dictionary's changes)."""

    elements: dict[str, list[Any]]
    codes: dict[str, Any]
    composites: dict[str, dict[str, Any]]
    segments: dict[str, dict[str, Any]]


@functools.cache
def _raw_dictionary(family: str) -> _Dictionary:
    data = _read_json(f"segments.{family}.json")
    base_name = data.get("base")
    if isinstance(base_name, str):
        base_family = base_name.split(".")[1] if base_name.count(".") == 2 else base_name
        base = _raw_dictionary(base_family)
        merged = _Dictionary(
            dict(base.elements), dict(base.codes), dict(base.composites), dict(base.segments)
        )
    else:
        merged = _Dictionary({}, {}, {}, {})
    merged.elements.update(data.get("elements", {}))
    merged.codes.update(data.get("codes", {}))
    merged.composites.update(data.get("composites", {}))
    merged.segments.update(data.get("segments", {}))
    for segment_id in data.get("remove_segments", []):
        merged.segments.pop(segment_id, None)
    return merged


def _parse_element_entry(entry: object) -> tuple[str, str, dict[str, Any]]:
    """``"353 M"`` or ``{"de": "235", "usage": "X", "codes": [...], ...}`` -> (number, usage, extras)."""
    if isinstance(entry, str):
        number, _, usage = entry.partition(" ")
        return number, usage or "O", {}
    if isinstance(entry, dict):
        extras = {k: v for k, v in entry.items() if k not in ("de", "usage")}
        return str(entry.get("de", "")), str(entry.get("usage", "O")), extras
    return "", "", {}


def _build_element(
    dictionary: _Dictionary, entry: object, position: int, where: str, problems: list[str]
) -> ElementSpec | None:
    number, usage, extras = _parse_element_entry(entry)
    here = f"{where}{position:02d}"
    if usage not in ("M", "O", "X"):
        problems.append(f"{here}: usage must be M, O or X")
        return None
    if number in dictionary.composites:
        composite = dictionary.composites[number]
        components = []
        for index, component in enumerate(composite.get("components", []), start=1):
            built = _build_element(dictionary, component, index, f"{here}-", problems)
            if built is not None:
                components.append(built)
        if not components:
            problems.append(f"{here}: composite {number} has no components")
            return None
        return ElementSpec(
            position=position,
            data_element=number,
            usage=cast(ElementUsage, usage),
            type="COMPOSITE",
            min_length=0,
            max_length=0,
            components=tuple(components),
            max_repeat=int(extras.get("repeat", 1)),
            name=str(composite.get("name", "")),
        )
    definition = dictionary.elements.get(number)
    if not isinstance(definition, list) or len(definition) < 3:
        problems.append(f"{here}: data element {number or '?'} is not in the dictionary")
        return None
    kind, low, high = definition[0], extras.get("min", definition[1]), extras.get("max", definition[2])
    if (
        kind not in ELEMENT_TYPES
        or kind == "COMPOSITE"
        or not isinstance(low, int)
        or not isinstance(high, int)
    ):
        problems.append(f"{here}: data element {number} has a bad definition")
        return None
    raw_codes = extras["codes"] if "codes" in extras else dictionary.codes.get(number)
    codes = _expand_codes(raw_codes, here, problems) if kind == "ID" else None
    return ElementSpec(
        position=position,
        data_element=number,
        usage=cast(ElementUsage, usage),
        type=cast(ElementType, kind),
        min_length=low,
        max_length=high,
        codes=codes,
        max_repeat=int(extras.get("repeat", 1)),
        name=str(definition[3]) if len(definition) > 3 else "",
    )


def _build_segment(dictionary: _Dictionary, segment_id: str, problems: list[str]) -> SegmentSpec | None:
    raw = dictionary.segments.get(segment_id)
    if not isinstance(raw, dict):
        problems.append(f"segment {segment_id} is not in the dictionary")
        return None
    elements = []
    for position, entry in enumerate(raw.get("elements", []), start=1):
        built = _build_element(dictionary, entry, position, segment_id, problems)
        if built is not None:
            elements.append(built)
    rules = []
    for note in raw.get("syntax", []):
        try:
            rule = SyntaxRule.parse(note)
        except (ValueError, TypeError):
            problems.append(f"{segment_id}: bad syntax note {note!r}")
            continue
        if max(rule.positions) > len(elements):
            problems.append(f"{segment_id}: syntax note {note} names an element the segment does not have")
            continue
        rules.append(rule)
    return SegmentSpec(segment_id, str(raw.get("name", "")), tuple(elements), tuple(rules))


def _parse_max(raw: object) -> int | None:
    if raw in (">1", None):
        return None
    if isinstance(raw, int) and raw > 0:
        return raw
    if isinstance(raw, str) and raw.isdigit() and int(raw) > 0:
        return int(raw)
    raise ValueError(raw)


def _build_structure(
    entries: object,
    dictionary: _Dictionary,
    segments: dict[str, SegmentSpec],
    problems: list[str],
    where: str,
) -> tuple[StructureNode, ...]:
    nodes: list[StructureNode] = []
    if not isinstance(entries, list):
        problems.append(f"{where}: structure must be a list")
        return ()
    for entry in entries:
        if isinstance(entry, str):
            parts = entry.split()
            if len(parts) != 3 or parts[1] not in ("M", "O"):
                problems.append(f"{where}: bad segment use {entry!r} (want 'ID M|O max')")
                continue
            segment_id, usage, raw_max = parts
            try:
                max_use = _parse_max(raw_max)
            except ValueError:
                problems.append(f"{where}: bad maximum use in {entry!r}")
                continue
            if segment_id not in segments:
                built = _build_segment(dictionary, segment_id, problems)
                if built is None:
                    continue
                segments[segment_id] = built
            nodes.append(SegmentUse(segments[segment_id], cast(SegmentUsage, usage), max_use))
        elif isinstance(entry, dict) and "loop" in entry:
            loop_id = str(entry["loop"])
            usage = entry.get("usage", "O")
            try:
                max_use = _parse_max(entry.get("max", ">1"))
            except ValueError:
                problems.append(f"{where}/{loop_id}: bad loop maximum")
                continue
            children = _build_structure(
                entry.get("content"), dictionary, segments, problems, f"{where}/{loop_id}"
            )
            if not children or not isinstance(children[0], SegmentUse) or children[0].id != loop_id:
                problems.append(f"{where}/{loop_id}: a loop must start with its own segment {loop_id}")
                continue
            if usage not in ("M", "O"):
                problems.append(f"{where}/{loop_id}: loop usage must be M or O")
                continue
            nodes.append(LoopSpec(loop_id, cast(SegmentUsage, usage), max_use, children))
        else:
            problems.append(f"{where}: bad structure entry {entry!r}")
    return tuple(nodes)


@functools.cache
def _load_family_spec(set_id: str, family: str) -> TransactionSpec | None:
    name = f"{set_id}.{family}.json"
    if (set_id, family) not in available_specs():
        return None
    data = _read_json(name)
    shared = data.get("structure_of")
    if isinstance(shared, str):
        # The set's segment order and loops are those of another family; its segment dictionary is its own.
        data = {
            **_read_json(f"{set_id}.{shared}.json"),
            **{k: v for k, v in data.items() if k != "structure_of"},
        }
    problems: list[str] = []
    dictionary = _raw_dictionary(family)
    segments: dict[str, SegmentSpec] = {}
    children = _build_structure(data.get("structure"), dictionary, segments, problems, name)
    if not children or not isinstance(children[0], SegmentUse) or children[0].id != "ST":
        problems.append(f"{name}: the structure must start with ST")
    if not children or not isinstance(children[-1], SegmentUse) or children[-1].id != "SE":
        problems.append(f"{name}: the structure must end with SE")
    hierarchy = data.get("hierarchy", {})
    if not isinstance(hierarchy, dict) or not all(isinstance(v, int) for v in hierarchy.values()):
        problems.append(f"{name}: hierarchy must map HL03 codes to ranks")
        hierarchy = {}
    if problems:
        raise ConfigurationError(f"bad specification {name}: " + "; ".join(problems), code="spec")
    for segment_id in dictionary.segments:
        if segment_id not in segments:
            built = _build_segment(dictionary, segment_id, problems)
            if built is not None:
                segments[segment_id] = built
    if problems:
        raise ConfigurationError(f"bad segment dictionary for {family}: " + "; ".join(problems), code="spec")
    return TransactionSpec(
        set_id=set_id,
        version=family,
        name=str(data.get("name", "")),
        children=children,
        dictionary=segments,
        hierarchy=hierarchy,
    )


@functools.cache
def load_spec(set_id: str, version: str) -> TransactionSpec | None:
    """The specification of a set for a GS08/ST03 version, or None when there is none (not validated)."""
    family = version_family(version)
    if family is None:
        return None
    return _load_family_spec(set_id, family)


# --- Companion guides ---------------------------------------------------------------------------------------

_GUIDE_SECTIONS = frozenset({"segments", "loops", "elements"})
_SEGMENT_FIELDS = frozenset({"usage", "max_use"})
_ELEMENT_FIELDS = frozenset({"usage", "codes", "add_codes", "remove_codes", "min_length", "max_length"})


def _path_matches(key: str, loops: tuple[str, ...], node_id: str, any_depth: bool) -> bool:
    """``"N1/REF"`` names REF directly inside any N1 loop; a bare id is resolved by the caller."""
    parts = key.split("/")
    if parts[-1] != node_id:
        return False
    wanted = tuple(parts[:-1])
    if not wanted:
        return any_depth or not loops
    return loops[-len(wanted) :] == wanted


def _bare_matches_top(children: tuple[StructureNode, ...], node_id: str, loop: bool) -> bool:
    if loop:
        return any(isinstance(c, LoopSpec) and c.id == node_id for c in children)
    return any(isinstance(c, SegmentUse) and c.id == node_id for c in children)


def _check_usage_max(
    section: str, key: str, raw: object, allowed: frozenset[str], problems: list[str]
) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        problems.append(f"{section}.{key}: must be an object")
        return {}
    checked: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in allowed:
            problems.append(
                f"{section}.{key}.{name}: unknown setting (allowed: {', '.join(sorted(allowed))})"
            )
        elif name == "usage" and value not in ("M", "O"):
            problems.append(f"{section}.{key}.usage: must be M or O")
        elif name == "max_use" and not (value is None or (isinstance(value, int) and value > 0)):
            problems.append(f"{section}.{key}.max_use: must be a positive integer or null")
        else:
            checked[name] = value
    return checked


def _parse_element_key(key: str) -> tuple[str, int, int | None] | None:
    """``"PO1-06"`` -> ("PO1", 6, None); ``"MEA-04-01"`` -> ("MEA", 4, 1)."""
    parts = key.split("-")
    if len(parts) not in (2, 3) or not all(p.isdigit() and int(p) > 0 for p in parts[1:]):
        return None
    return parts[0], int(parts[1]), int(parts[2]) if len(parts) == 3 else None


def _tighten_element(
    element: ElementSpec, key: str, raw: Mapping[str, Any], problems: list[str]
) -> ElementSpec:
    changes: dict[str, Any] = {}
    codes = element.codes
    for name, value in raw.items():
        where = f"elements.{key}.{name}"
        if name not in _ELEMENT_FIELDS:
            problems.append(f"{where}: unknown setting (allowed: {', '.join(sorted(_ELEMENT_FIELDS))})")
        elif name == "usage":
            if value not in ("M", "O", "X"):
                problems.append(f"{where}: must be M, O or X")
            else:
                changes["usage"] = value
        elif name in ("min_length", "max_length"):
            if not isinstance(value, int) or value < 0 or element.type == "COMPOSITE":
                problems.append(f"{where}: must be a non-negative integer on a simple element")
            else:
                changes[name] = value
        else:  # codes, add_codes, remove_codes
            if element.type != "ID":
                problems.append(f"{where}: only ID elements have code lists")
                continue
            if name == "codes" and value is None:
                codes = None
                continue
            if not isinstance(value, list) or not all(isinstance(c, str) and c for c in value):
                problems.append(f"{where}: must be a list of non-empty strings")
                continue
            if name == "codes":
                codes = frozenset(value)
            elif name == "add_codes":
                codes = None if codes is None else codes | frozenset(value)
            else:
                codes = (codes if codes is not None else frozenset()) - frozenset(value)
    low = changes.get("min_length", element.min_length)
    high = changes.get("max_length", element.max_length)
    if low > high and element.type != "COMPOSITE":
        problems.append(f"elements.{key}: min_length is greater than max_length")
    return replace(element, codes=codes, **changes)


def _apply_elements(
    dictionary: dict[str, SegmentSpec], raw: object, problems: list[str]
) -> dict[str, SegmentSpec]:
    if not isinstance(raw, Mapping):
        problems.append("elements: must be an object")
        return dictionary
    result = dict(dictionary)
    for key, settings in raw.items():
        parsed = _parse_element_key(str(key))
        if parsed is None:
            problems.append(f"elements.{key}: key must look like SEG-NN or SEG-NN-CC (e.g. PO1-06)")
            continue
        segment_id, position, component = parsed
        segment = result.get(segment_id)
        if segment is None:
            problems.append(f"elements.{key}: segment {segment_id} is not used by this transaction set")
            continue
        if position > len(segment.elements):
            problems.append(f"elements.{key}: {segment_id} has only {len(segment.elements)} elements")
            continue
        if not isinstance(settings, Mapping):
            problems.append(f"elements.{key}: must be an object")
            continue
        elements = list(segment.elements)
        target = elements[position - 1]
        if component is not None:
            if target.type != "COMPOSITE" or component > len(target.components):
                problems.append(f"elements.{key}: no such component")
                continue
            components = list(target.components)
            components[component - 1] = _tighten_element(
                components[component - 1], str(key), settings, problems
            )
            elements[position - 1] = replace(target, components=tuple(components))
        else:
            elements[position - 1] = _tighten_element(target, str(key), settings, problems)
        result[segment_id] = replace(segment, elements=tuple(elements))
    return result


def _rebuild(
    children: tuple[StructureNode, ...],
    loops: tuple[str, ...],
    top: tuple[StructureNode, ...],
    segment_rules: Mapping[str, dict[str, Any]],
    loop_rules: Mapping[str, dict[str, Any]],
    dictionary: Mapping[str, SegmentSpec],
    used: set[str],
) -> tuple[StructureNode, ...]:
    rebuilt: list[StructureNode] = []
    for child in children:
        if isinstance(child, SegmentUse):
            settings: dict[str, Any] = {}
            for key, rule in segment_rules.items():
                any_depth = "/" not in key and not _bare_matches_top(top, child.id, loop=False)
                if _path_matches(key, loops, child.id, any_depth):
                    settings.update(rule)
                    used.add(key)
            rebuilt.append(
                SegmentUse(
                    dictionary[child.id],
                    settings.get("usage", child.usage),
                    settings.get("max_use", child.max_use),
                )
            )
        else:
            settings = {}
            for key, rule in loop_rules.items():
                any_depth = "/" not in key and not _bare_matches_top(top, child.id, loop=True)
                if _path_matches(key, loops, child.id, any_depth):
                    settings.update(rule)
                    used.add(key)
            inner = _rebuild(
                child.children, (*loops, child.id), top, segment_rules, loop_rules, dictionary, used
            )
            rebuilt.append(
                LoopSpec(
                    child.id,
                    settings.get("usage", child.usage),
                    settings.get("max_use", child.max_use),
                    inner,
                )
            )
    return tuple(rebuilt)


def _guide_key(overrides: Mapping[str, Any]) -> str | None:
    try:
        return json.dumps(overrides, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return None


_GUIDE_CACHE: dict[tuple[int, str], tuple[TransactionSpec, TransactionSpec]] = {}


def apply_companion_guide(spec: TransactionSpec, overrides: Mapping[str, Any]) -> TransactionSpec:
    """A copy of ``spec`` tightened or relaxed by a partner's companion guide (format in specs/README.md).

    Raises ConfigurationError naming every bad key of the guide at once.
    """
    cache_key = _guide_key(overrides)
    if cache_key is not None:
        cached = _GUIDE_CACHE.get((id(spec), cache_key))
        if cached is not None and cached[0] is spec:
            return cached[1]
    problems: list[str] = []
    if not isinstance(overrides, Mapping):
        raise ConfigurationError("companion guide must be an object", code="guide")
    for section in overrides:
        if section not in _GUIDE_SECTIONS:
            problems.append(f"{section}: unknown section (allowed: {', '.join(sorted(_GUIDE_SECTIONS))})")
    segment_rules: dict[str, dict[str, Any]] = {}
    raw_segments = overrides.get("segments", {})
    if not isinstance(raw_segments, Mapping):
        problems.append("segments: must be an object")
        raw_segments = {}
    for key, raw in raw_segments.items():
        segment_rules[str(key)] = _check_usage_max("segments", str(key), raw, _SEGMENT_FIELDS, problems)
    loop_rules: dict[str, dict[str, Any]] = {}
    raw_loops = overrides.get("loops", {})
    if not isinstance(raw_loops, Mapping):
        problems.append("loops: must be an object")
        raw_loops = {}
    for key, raw in raw_loops.items():
        loop_rules[str(key)] = _check_usage_max("loops", str(key), raw, _SEGMENT_FIELDS, problems)

    used_ids = spec.segment_ids()
    dictionary = {k: v for k, v in spec.dictionary.items()}
    dictionary = _apply_elements(
        {k: v for k, v in dictionary.items() if k in used_ids}, overrides.get("elements", {}), problems
    ) | {k: v for k, v in dictionary.items() if k not in used_ids}
    used: set[str] = set()
    children = _rebuild(spec.children, (), spec.children, segment_rules, loop_rules, dictionary, used)
    for key in segment_rules:
        if key not in used:
            problems.append(f"segments.{key}: no such segment in transaction set {spec.set_id}")
    for key in loop_rules:
        if key not in used:
            problems.append(f"loops.{key}: no such loop in transaction set {spec.set_id}")
    if problems:
        raise ConfigurationError(
            f"invalid companion guide for {spec.set_id} ({len(problems)} problems): " + "; ".join(problems),
            code="guide",
        )
    result = replace(spec, children=children, dictionary=dictionary)
    if cache_key is not None:
        if len(_GUIDE_CACHE) > 256:
            _GUIDE_CACHE.clear()
        _GUIDE_CACHE[(id(spec), cache_key)] = (spec, result)
    return result
