"""Checks one transaction set against its specification and reports AK3 (segment) and AK4 (element) codes.

``validate_transaction(transaction)`` loads the spec for the set and version (``spec.load_spec``) and returns
``[]`` when there is none. Envelope segments (ST/SE counts and control numbers) are the reader's job and are
not re-reported here, nor are AK5 codes: the acknowledgement writer derives AK502 from the AK3s.

Codes: AK3 (720) 1 unrecognized segment id (not in the version's dictionary), 2 unexpected (in the set but
not allowed at this point), 3 mandatory segment (or mandatory loop, by its first segment) missing, 4 loop over
its maximum, 5 segment over its maximum use, 6 a dictionary segment the set does not use, 7 not in proper
sequence (allowed earlier in the current loop or an enclosing one), 8 segment has element errors (exactly one
per segment, before its AK4s). AK4 (723) 1 mandatory element missing, 2 conditional element missing (syntax
notes P, R, C, L), 3 too many elements (non-empty ones beyond the definition; empty trailing elements are
tolerated), 4 too short, 5 too long, 6 invalid character, 7 invalid code value, 8 invalid date, 9 invalid
time, 10 exclusion (syntax note E) violated, 12 too many repetitions, 13 too many components.

856 hierarchy (spec ``hierarchy`` ranks, e.g. S1 O2 T2 P3 I5): every finding is AK4.7 ("invalid value")
on the element at fault, because 723 has no hierarchy code and the partner needs the element: HL01 not a
number, repeated, or not greater than the previous HL01 -> HL01; HL02 not the HL01 of an earlier HL -> HL02;
HL03 ranked above its parent, or the same level as its parent (an order under an item, a pack under a
pack) -> HL03; equal ranks of different levels pass (S-O-T-P-I and S-T-O-P-I both occur).

How it is fast: the spec is compiled once into (a) one small dict per structure position mapping a segment id
to the precomputed transition (target position, kind, loop depth, mandatory segments skipped), filled lazily
the first time each (position, id) pair is seen, and (b) per segment id and element count a generated
straight-line predicate (from the spec only: positions, lengths, code sets, syntax notes) that accepts
certainly-valid segments; only a segment it rejects goes through the exact path that names every error.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import call, itemgetter
from typing import Any, Final, cast

from .model import Segment, TransactionSet, X12Issue
from .spec import ElementSpec, LoopSpec, SegmentSpec, SegmentUse, StructureNode, TransactionSpec, load_spec

__all__ = ["AK3_MESSAGES", "AK4_MESSAGES", "validate_transaction"]

AK3_MESSAGES = {
    1: "unrecognized segment id",
    2: "unexpected segment",
    3: "mandatory segment missing",
    4: "loop occurs over maximum times",
    5: "segment exceeds maximum use",
    6: "segment not in defined transaction set",
    7: "segment not in proper sequence",
    8: "segment has data element errors",
}
AK4_MESSAGES = {
    1: "mandatory data element missing",
    2: "conditional required data element missing",
    3: "too many data elements",
    4: "data element too short",
    5: "data element too long",
    6: "invalid character in data element",
    7: "invalid code value",
    8: "invalid date",
    9: "invalid time",
    10: "exclusion condition violated",
    12: "too many repetitions",
    13: "too many components",
}

# Element kinds in the compiled checks.
_AN: Final = 0
_ID: Final = 1
_N: Final = 2
_R: Final = 3
_DT: Final = 4
_TM: Final = 5
_B: Final = 6
_COMPOSITE: Final = 7
_KINDS: Final = {"AN": _AN, "ID": _ID, "R": _R, "DT": _DT, "TM": _TM, "B": _B, "COMPOSITE": _COMPOSITE}

_first: Final = itemgetter(0)

# Transition kinds.
_REPEAT: Final = 0
_NEXT: Final = 1
_LOOP_NEW: Final = 2
_LOOP_AGAIN: Final = 3
_ERROR: Final = 4

# (position, mandatory, kind, min, max, codes, data element, components, max repeat)
_Check = tuple[int, bool, int, int, int, frozenset[str] | None, str, tuple[ElementSpec, ...], int]
# (AK4 code, element, component, repetition, data element, bad value)
_ElementError = tuple[int, int, int | None, int | None, str, str | None]
# (target state, kind, level, missing [(segment id, loop id)], AK3 code for errors)
_Transition = tuple[int, int, int, tuple[tuple[str, str | None], ...], int]


@dataclass(slots=True)
class _SegmentChecks:
    count: int  # number of defined elements
    checks: tuple[_Check, ...]
    pairs: tuple[tuple[int, int], ...]  # P rules on two positions (the common case)
    rules: tuple[tuple[str, tuple[int, ...]], ...]  # every other syntax rule
    first_rule_position: int  # no rule applies when the segment has fewer elements than this
    present: tuple[tuple[_Check, ...], ...] = ()  # [n]: the checks of positions 1..n (n elements received)
    missing: tuple[tuple[tuple[int, str], ...], ...] = ()  # [n]: mandatory (position, element) beyond n
    data: dict[int, str] | None = None  # position -> data element number
    rules_hold: Callable[[Segment], bool] | None = None  # True when every syntax note is satisfied
    syntax: tuple[tuple[str, tuple[int, ...]], ...] = ()  # every syntax note, for the generated fast checks
    # by (element count received, characters already known clean)
    fast: dict[tuple[int, bool], Callable[[Segment, str, str], bool]] | None = None


class _Compiled:
    """A spec turned into lookup tables (see the module docstring)."""

    def __init__(self, spec: TransactionSpec) -> None:
        self.spec = spec
        self.uses: list[SegmentUse] = []
        self.paths: list[tuple[tuple[tuple[StructureNode, ...], int], ...]] = []
        self.loop_ids: list[str | None] = []
        self.state_of: dict[int, int] = {}
        self._index(spec.children, ())
        self.transitions: list[dict[str, _Transition]] = [{} for _ in self.uses]
        self.set_ids = spec.segment_ids()
        self.checks: dict[str, _SegmentChecks | None] = {
            segment_id: _compile_segment(segment) for segment_id, segment in spec.dictionary.items()
        }
        # The reader checks ST and SE.
        self.checks["ST"] = None
        self.checks["SE"] = None
        self.se_state = self.state_of[id(spec.children[-1])]
        self.max_uses: list[int | None] = [use.max_use for use in self.uses]
        self.state_checks: list[_SegmentChecks | None] = [self.checks.get(use.id) for use in self.uses]
        self.walks: dict[tuple[str, ...], _Walk] = {}  # by the sequence of segment ids of a transaction

    def _index(
        self, children: tuple[StructureNode, ...], path: tuple[tuple[tuple[StructureNode, ...], int], ...]
    ) -> None:
        for index, child in enumerate(children):
            here = (*path, (children, index))
            if isinstance(child, SegmentUse):
                self.state_of[id(child)] = len(self.uses)
                self.uses.append(child)
                self.paths.append(here)
                container = path[-1][0][path[-1][1]] if path else None
                self.loop_ids.append(container.id if isinstance(container, LoopSpec) else None)
            else:
                self._index(child.children, here)

    def transition(self, state: int, segment_id: str) -> _Transition:
        """Where ``segment_id`` leads from ``state`` (computed once, then cached)."""
        found = self._find(state, segment_id)
        self.transitions[state][segment_id] = found
        return found

    def _find(self, state: int, segment_id: str) -> _Transition:
        path = self.paths[state]
        depth = len(path) - 1
        missing: list[tuple[str, str | None]] = []
        for level in range(depth, -1, -1):
            children, index = path[level]
            node = children[index]
            container_loop = _container_loop_id(path, level)
            if level == depth:
                # A loop's first segment never repeats within an instance: a second one starts a new one.
                if node.id == segment_id and not (index == 0 and level > 0):
                    return (state, _REPEAT, level, (), 0)
            elif node.id == segment_id:
                assert isinstance(node, LoopSpec)
                return (self.state_of[id(node.leader)], _LOOP_AGAIN, level, tuple(missing), 0)
            local: list[tuple[str, str | None]] = []
            for child in children[index + 1 :]:
                if child.id == segment_id:
                    missing.extend(local)
                    if isinstance(child, SegmentUse):
                        return (self.state_of[id(child)], _NEXT, level, tuple(missing), 0)
                    return (self.state_of[id(child.leader)], _LOOP_NEW, level, tuple(missing), 0)
                if child.usage == "M":
                    local.append((child.id, child.id if isinstance(child, LoopSpec) else container_loop))
            missing.extend(local)
        return (state, _ERROR, 0, (), self._classify(path, segment_id))

    def _classify(self, path: tuple[tuple[tuple[StructureNode, ...], int], ...], segment_id: str) -> int:
        if segment_id in self.set_ids:
            for children, index in path:
                if any(child.id == segment_id for child in children[:index]):
                    return 7
            return 2
        if segment_id in self.spec.dictionary:
            return 6
        return 1


def _container_loop_id(path: tuple[tuple[tuple[StructureNode, ...], int], ...], level: int) -> str | None:
    if level == 0:
        return None
    children, index = path[level - 1]
    return children[index].id


def _compile_segment(segment: SegmentSpec) -> _SegmentChecks:
    checks: list[_Check] = []
    for element in segment.elements:
        kind = _N if element.type.startswith("N") else _KINDS[element.type]
        checks.append(
            (
                element.position,
                element.usage == "M",
                kind,
                element.min_length,
                element.max_length,
                element.codes,
                element.data_element,
                element.components,
                element.max_repeat,
            )
        )
    pairs = tuple(
        (rule.positions[0], rule.positions[1])
        for rule in segment.syntax
        if rule.kind == "P" and len(rule.positions) == 2
    )
    rules = tuple(
        (rule.kind, rule.positions)
        for rule in segment.syntax
        if not (rule.kind == "P" and len(rule.positions) == 2)
    )
    first = min((min(rule.positions) for rule in segment.syntax), default=10_000)
    count = len(checks)
    present = tuple(tuple(checks[:n]) for n in range(count + 1))
    missing = tuple(tuple((c[0], c[6]) for c in checks[n:] if c[1]) for n in range(count + 1))
    return _SegmentChecks(
        count,
        tuple(checks),
        pairs,
        rules,
        first,
        present,
        missing,
        {c[0]: c[6] for c in checks},
        _rules_function(segment) if segment.syntax else None,
        tuple((rule.kind, rule.positions) for rule in segment.syntax),
        {},
    )


def _fast_function(
    checks: _SegmentChecks, received: int, clean: bool = False
) -> Callable[[Segment, str, str], bool]:
    """Generated straight-line check of a segment with ``received`` elements: True only when certainly valid.

    The code is generated from the specification alone (positions, lengths, code lists as bound names), never
    from input data. Anything it does not accept goes to the exact path, which finds the actual errors.
    ``clean``: the caller has checked the characters of the whole transaction set (printable ASCII, no
    component or repetition separator), so the check looks at forms only, and a repeatable element holds
    one value.
    """
    namespace: dict[str, Any] = {}
    lines = ["def fast(s, c, r):"]
    received_checks = checks.present[min(received, checks.count)]
    if checks.missing[min(received, checks.count)]:
        lines.append("    return False")
    # Segments of simple, non-repeating elements (nearly all) are checked for characters once as a whole
    # (unless the caller did it for the whole set): printable ASCII without a component or repetition
    # separator; then each element needs only its form.
    whole = all(check[2] not in (_COMPOSITE, _B) and (clean or check[8] <= 1) for check in received_checks)
    if whole:
        # One unpacking of the segment (its element count is known here) instead of an index per element.
        names = ["_"] + [f"v{n}" if n <= checks.count else f"x{n}" for n in range(1, received + 1)]
        lines.append(f"    {', '.join(names)}, = s")
        if not clean:
            lines.append('    t = "".join(s)')
            lines.append("    if not (t.isascii() and t.isprintable()) or c in t or r in t: return False")
    for position, mandatory, kind, low, high, codes, _de, _parts, _repeat in received_checks:
        v = f"v{position}"
        length = f"len({v})"
        # The value is known to be non-empty where the test runs: a minimum of 1 needs no test.
        if low <= 1:
            bounds = f"{length} <= {high}"
        elif low == high:
            bounds = f"{length} == {high}"
        else:
            bounds = f"{low} <= {length} <= {high}"
        if kind == _AN or (kind == _ID and codes is None):
            test = bounds if whole else f"{bounds} and {v}.isprintable() and c not in {v} and r not in {v}"
        elif kind == _ID:
            assert codes is not None
            namespace[f"K{position}"] = codes
            test = f"{v} in K{position}"
            if any(not low <= len(code) <= high for code in codes):
                test += f" and {bounds}"
        elif kind == _N:
            test = f"{v}.isdigit() and {bounds}" + ("" if whole else f" and {v}.isascii()")
        elif kind == _R:
            ascii_test = "" if whole else " and d.isascii()"
            digits_bounds = "len(d) <= " + str(high) if low <= 1 else f"{low} <= len(d) <= {high}"
            test = f"(d := {v}.replace('.', '', 1)).isdigit() and {digits_bounds}{ascii_test}"
        elif kind == _DT:
            test = (
                f"{length} == 8 and {v}.isdigit() and {v}.isascii() and '01' <= {v}[4:6] <= '12' "
                f"and '01' <= {v}[6:] <= '28'"
            )
        elif kind == _TM:
            test = (
                f"({length} == 4 or {length} == 6) and {low} <= {length} <= {high} and {v}.isdigit() "
                f"and {v}.isascii() and {v}[:2] < '24' and {v}[2:4] < '60' and {v}[4:6] < '60'"
            )
        elif kind == _B:
            test = "True"
        else:  # composites always take the exact path
            test = "False"
        if not whole:
            lines.append(f"    {v} = s[{position}]")
        if mandatory:
            lines.append(f"    if not ({v} and {test}): return False")
        else:
            lines.append(f"    if {v} and not ({test}): return False")
    for extra in range(checks.count + 1, received + 1):
        lines.append(f"    if {'x' + str(extra) if whole else f's[{extra}]'}: return False")
    # Syntax notes on the elements received, as truth tests of the (string) values: the cheapest form.
    terms = []
    present = min(received, checks.count)
    for kind_rule, positions in checks.syntax:
        names = [f"v{p}" for p in positions if p <= present]
        if not names:
            if kind_rule == "R":
                terms.append("False")  # none of the required elements was received
            continue  # every other note holds when none of its elements is there
        first_present = positions[0] <= present
        if kind_rule == "P":
            if len(names) < len(positions):  # all or none, and some are missing: none
                terms.append(f"not ({' or '.join(names)})")
            elif len(names) == 2:
                terms.append(f"(not {names[0]}) is (not {names[1]})")
            else:
                terms.append(f"bool({' or '.join(names)}) <= bool({' and '.join(names)})")
        elif kind_rule == "R":
            terms.append(f"({' or '.join(names)})")
        elif kind_rule == "C":
            if first_present:
                rest = [f"v{p}" if p <= present else "False" for p in positions[1:]]
                terms.append(f"(not {names[0]} or ({' and '.join(rest)}))")
        elif kind_rule == "E":
            terms.append(f"(({' + '.join(f'({n} != {chr(39) * 2})' for n in names)}) <= 1)")
        elif first_present:
            rest = [f"v{p}" for p in positions[1:] if p <= present] or ["False"]
            terms.append(f"(not {names[0]} or ({' or '.join(rest)}))")
    lines.append("    return bool(" + (" and ".join(terms) if terms else "True") + ")")
    exec("\n".join(lines), namespace)  # generated from the spec only
    return cast(Callable[[Segment, str, str], bool], namespace["fast"])


def _rules_function(segment: SegmentSpec) -> Callable[[Segment], bool]:
    """One generated straight-line predicate for all syntax notes of a segment (the common, valid case)."""
    positions = sorted({p for rule in segment.syntax for p in rule.positions})
    lines = ["def holds(s):", "    n = len(s)"]
    lines += [f"    p{p} = n > {p} and s[{p}] != ''" for p in positions]
    terms = []
    for rule in segment.syntax:
        names = [f"p{p}" for p in rule.positions]
        if rule.kind == "P":
            terms.append(f"(({' or '.join(names)}) <= ({' and '.join(names)}))")
        elif rule.kind == "R":
            terms.append(f"({' or '.join(names)})")
        elif rule.kind == "C":
            terms.append(f"(not {names[0]} or ({' and '.join(names[1:])}))")
        elif rule.kind == "E":
            terms.append(f"(({' + '.join(names)}) <= 1)")
        else:  # L
            terms.append(f"(not {names[0]} or ({' or '.join(names[1:])}))")
    lines.append("    return " + " and ".join(terms))
    namespace: dict[str, Any] = {}
    exec("\n".join(lines), namespace)  # generated from the spec's syntax notes only, never from input data
    return cast(Callable[[Segment], bool], namespace["holds"])


_COMPILED: Final[dict[int, tuple[TransactionSpec, _Compiled]]] = {}


def _compiled(spec: TransactionSpec) -> _Compiled:
    entry = _COMPILED.get(id(spec))
    if entry is not None and entry[0] is spec:
        return entry[1]
    compiled = _Compiled(spec)
    if len(_COMPILED) > 256:
        _COMPILED.clear()
    _COMPILED[id(spec)] = (spec, compiled)
    return compiled


# --- Element values (the exact, slow path) ------------------------------------------------------------------


def _valid_date(value: str, length_min: int) -> bool:
    if not value.isascii() or not value.isdigit() or len(value) not in (6, 8) or len(value) < length_min:
        return False
    year = int(value[:-4]) if len(value) == 8 else 2000 + int(value[:2])
    month, day = int(value[-4:-2]), int(value[-2:])
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _valid_time(value: str) -> bool:
    if not value.isascii() or not value.isdigit() or len(value) not in (4, 6, 7, 8):
        return False
    if int(value[:2]) > 23 or int(value[2:4]) > 59:
        return False
    return len(value) < 6 or int(value[4:6]) <= 59


def _numeric_digits(value: str, decimal: bool) -> int | None:
    """How many digits a numeric value has (sign and point not counted), or None when it is malformed."""
    body = value[1:] if value.startswith("-") else value
    if decimal:
        mantissa, _, exponent = body.upper().partition("E")
        if exponent:
            exponent = exponent[1:] if exponent[:1] == "-" else exponent
            if not (exponent.isascii() and exponent.isdigit()):
                return None
        whole, _dot, fraction = mantissa.partition(".")
        digits = whole + fraction
        if not digits or not (digits.isascii() and digits.isdigit()):
            return None
        return len(digits)
    if not body or not (body.isascii() and body.isdigit()):
        return None
    return len(body)


def _value_error(value: str, kind: int, low: int, high: int, codes: frozenset[str] | None) -> int:
    """The AK4 code for one non-empty simple value, 0 when it is valid."""
    if kind == _DT:
        return 0 if _valid_date(value, low) else 8
    if kind == _TM:
        return 0 if _valid_time(value) and low <= len(value) <= high else 9
    if kind in (_N, _R):
        digits = _numeric_digits(value, kind == _R)
        if digits is None:
            return 6
        length = digits
    else:
        if not value.isprintable():
            return 6
        length = len(value)
    if length < low:
        return 4
    if length > high:
        return 5
    if codes is not None and value not in codes:
        return 7
    return 0


def _slow_element(
    check: _Check, value: str, component_separator: str, repetition_separator: str | None
) -> list[_ElementError]:
    """Every problem of one non-empty element value (repetitions and components included)."""
    position, _mandatory, kind, low, high, codes, data_element, components, max_repeat = check
    errors: list[_ElementError] = []
    repetitions = [value]
    if repetition_separator and repetition_separator in value:
        repetitions = value.split(repetition_separator)
        if len(repetitions) > max_repeat:
            errors.append((12, position, None, max_repeat + 1, data_element, value))
            repetitions = repetitions[:max_repeat]
    for number, repetition in enumerate(repetitions, start=1):
        which = number if len(repetitions) > 1 else None
        if kind == _COMPOSITE:
            parts = repetition.split(component_separator)
            if len(parts) > len(components) and any(parts[len(components) :]):
                errors.append((13, position, len(components) + 1, which, data_element, repetition))
            for component, part in zip(components, parts, strict=False):
                if not part:
                    if component.usage == "M" and any(parts):
                        errors.append((1, position, component.position, which, component.data_element, None))
                    continue
                kind_c = _N if component.type.startswith("N") else _KINDS[component.type]
                code = _value_error(part, kind_c, component.min_length, component.max_length, component.codes)
                if code:
                    errors.append((code, position, component.position, which, component.data_element, part))
            for component in components[len(parts) :]:
                if component.usage == "M":
                    errors.append((1, position, component.position, which, component.data_element, None))
            continue
        if component_separator in repetition:
            errors.append((13, position, 2, which, data_element, repetition))
            continue
        if not repetition:
            continue
        code = _value_error(repetition, kind, low, high, codes)
        if code:
            errors.append((code, position, None, which, data_element, repetition))
    return errors


def _rule_errors(
    segment: Segment, count: int, compiled: _SegmentChecks, data: dict[int, str]
) -> list[_ElementError]:
    """Syntax notes other than two-element P rules."""
    errors: list[_ElementError] = []
    last = len(segment) - 1

    def present(position: int) -> bool:
        return position <= last and segment[position] != ""

    for kind, positions in compiled.rules:
        if kind == "P":
            if any(present(p) for p in positions):
                errors.extend((2, p, None, None, data.get(p, ""), None) for p in positions if not present(p))
        elif kind == "R":
            if not any(present(p) for p in positions):
                errors.append((2, positions[0], None, None, data.get(positions[0], ""), None))
        elif kind == "C":
            if present(positions[0]):
                errors.extend(
                    (2, p, None, None, data.get(p, ""), None) for p in positions[1:] if not present(p)
                )
        elif kind == "E":
            found = [p for p in positions if present(p)]
            if len(found) > 1:
                errors.append((10, found[1], None, None, data.get(found[1], ""), segment[found[1]]))
        elif kind == "L" and present(positions[0]) and not any(present(p) for p in positions[1:]):
            errors.append((2, positions[1], None, None, data.get(positions[1], ""), None))
    return errors


def _pair_errors(
    segment: Segment, pairs: Sequence[tuple[int, int]], data: dict[int, str]
) -> list[_ElementError]:
    errors: list[_ElementError] = []
    last = len(segment) - 1
    for first, second in pairs:
        has_first = first <= last and segment[first] != ""
        has_second = second <= last and segment[second] != ""
        if has_first != has_second:
            absent = second if has_first else first
            errors.append((2, absent, None, None, data.get(absent, ""), None))
    return errors


# --- The main loop ------------------------------------------------------------------------------------------

# (AK3 code, position in the set, segment id, loop id): a structure finding, independent of any value.
_StructureEvent = tuple[int, int, str, str | None]


@dataclass(frozen=True, slots=True)
class _Walk:
    """What the structure of one shape of transaction set (its sequence of segment ids) comes to."""

    events: tuple[_StructureEvent, ...]
    checks: tuple[_SegmentChecks | None, ...]  # per segment index: the element checks to run, if any
    loop_ids: tuple[str | None, ...]  # per segment index: the loop it was placed in
    hl_indexes: tuple[int, ...]  # the HL segments placed in the structure (856 hierarchy checks)
    # by the segments' lengths: the fast check of each segment (always-true where there is nothing to check)
    fast_checks: dict[tuple[int, ...], tuple[_FastCheck, ...]] = field(default_factory=dict)
    # the same, for transaction sets whose characters were found clean as a whole
    clean_fast_checks: dict[tuple[int, ...], tuple[_FastCheck, ...]] = field(default_factory=dict)


_FastCheck = Callable[[Segment, str, str], bool]

_MAX_SHAPES: Final = 4096  # distinct transaction shapes remembered per compiled spec
_MAX_LENGTHS: Final = 64  # distinct element counts remembered per shape


def _walk_structure(compiled: _Compiled, segment_ids: tuple[str, ...], body_end: int) -> _Walk:
    """Segment order, usage, maximum use and loop repeats of one sequence of segment ids."""
    transitions = compiled.transitions
    max_uses = compiled.max_uses
    loop_ids = compiled.loop_ids
    events: list[_StructureEvent] = []
    checks: list[_SegmentChecks | None] = [None] * len(segment_ids)
    placed_in: list[str | None] = [None] * len(segment_ids)
    state = 0
    use_count = 1
    loop_counts: list[int] = []
    for index in range(1, body_end):
        segment_id = segment_ids[index]
        transition = transitions[state].get(segment_id)
        if transition is None:
            transition = compiled.transition(state, segment_id)
        target, kind, level, missing, error_code = transition
        if kind == _ERROR:
            events.append((error_code, index + 1, segment_id, loop_ids[state]))
            continue
        for missing_id, missing_loop in missing:
            events.append((3, index + 1, missing_id, missing_loop))
        state = target
        if kind == _REPEAT:
            use_count += 1
            max_use = max_uses[target]
            if max_use is not None and use_count > max_use:
                events.append((5, index + 1, segment_id, loop_ids[target]))
        else:
            use_count = 1
            if kind == _NEXT:
                del loop_counts[level:]
            else:
                if kind == _LOOP_NEW:
                    del loop_counts[level:]
                    loop_counts.append(1)
                else:
                    del loop_counts[level + 1 :]
                    loop_counts[level] += 1
                loop = compiled.paths[target][level][0][compiled.paths[target][level][1]]
                if loop.max_use is not None and loop_counts[level] > loop.max_use:
                    events.append((4, index + 1, segment_id, loop_ids[target]))
        checks[index] = compiled.state_checks[target]
        placed_in[index] = loop_ids[target]
    # The end of the set: whatever mandatory segments were never reached.
    end = transitions[state].get("SE") or compiled.transition(state, "SE")
    _target, kind, _level, missing, _code = end
    if kind != _ERROR:
        events.extend((3, body_end + 1, missing_id, missing_loop) for missing_id, missing_loop in missing)
    hl_indexes = tuple(i for i, c in enumerate(checks) if c is not None and segment_ids[i] == "HL")
    return _Walk(tuple(events), tuple(checks), tuple(placed_in), hl_indexes)


_PRINTABLE_ASCII: Final = bytes(range(0x20, 0x7F))


def _clean_characters(segments: list[Segment], component: str, special: str) -> bool:
    """Every element of the set is printable ASCII without the component or repetition separator.

    The same verdict as the per-segment character test of the generated checks, in one pass over the whole
    set: deleting the printable bytes leaves nothing (a C-level table loop, faster than ``isprintable``).
    """
    text = "".join(map("".join, segments))
    if not text.isascii() or component in text or special in text:
        return False
    return not text.encode("ascii").translate(None, _PRINTABLE_ASCII)


def _nothing_to_check(_segment: Segment, _component: str, _special: str) -> bool:
    return True


def _fast_checks(walk: _Walk, lengths: tuple[int, ...], clean: bool) -> tuple[_FastCheck, ...]:
    """The fast check of every segment of a walk whose segments have ``lengths`` (elements + 1)."""
    found: list[_FastCheck] = []
    for checks, length in zip(walk.checks, lengths, strict=True):
        if checks is None:
            found.append(_nothing_to_check)
            continue
        by_count = checks.fast
        assert by_count is not None
        fast = by_count.get((length - 1, clean))
        if fast is None:
            fast = by_count[length - 1, clean] = _fast_function(checks, length - 1, clean)
        found.append(fast)
    return tuple(found)


def _element_errors(
    segment: Segment, checks: _SegmentChecks, component_separator: str, repetition_separator: str | None
) -> list[_ElementError]:
    """The exact path: this segment has at least one problem; find every one."""
    errors: list[_ElementError] = []
    last = len(segment) - 1
    count = checks.count
    for check in checks.present[last if last < count else count]:
        value = segment[check[0]]
        if not value:
            if check[1]:
                errors.append((1, check[0], None, None, check[6], None))
            continue
        errors.extend(_slow_element(check, value, component_separator, repetition_separator))
    if last < count:
        errors.extend(
            (1, position, None, None, data_element, None) for position, data_element in checks.missing[last]
        )
    elif last > count:
        extra = next((n for n in range(count + 1, last + 1) if segment[n]), None)
        if extra is not None:
            errors.append((3, extra, None, None, "", segment[extra]))
    rules_hold = checks.rules_hold
    if rules_hold is not None and not rules_hold(segment):
        data = checks.data or {}
        errors += _pair_errors(segment, checks.pairs, data) + _rule_errors(segment, count, checks, data)
    return errors


def validate_transaction(transaction: TransactionSet, spec: TransactionSpec | None = None) -> list[X12Issue]:
    """AK3/AK4 issues of one transaction set; [] when no spec exists for its set and version."""
    if spec is None:
        spec = load_spec(transaction.set_id, transaction.version)
        if spec is None:
            return []
    compiled = _compiled(spec)
    segments = transaction.segments
    ends_with_se = len(segments) > 1 and segments[-1][0] == "SE"
    body_end = len(segments) - 1 if ends_with_se else len(segments)

    # Partners send the same shape of transaction again and again: its structure is walked once.
    segment_ids = tuple(map(_first, segments))
    walk = compiled.walks.get(segment_ids)
    if walk is None:
        walk = _walk_structure(compiled, segment_ids, body_end)
        if len(compiled.walks) >= _MAX_SHAPES:
            compiled.walks.clear()
        compiled.walks[segment_ids] = walk

    separators = transaction.separators
    component_separator = separators.component
    repetition_separator = separators.repetition
    special = repetition_separator or component_separator
    # All segments valid, the common case, is settled by one all() over C-level calls: no Python loop.
    lengths = tuple(map(len, segments))
    # One look at the characters of the whole set settles them for every segment in the common case.
    clean = _clean_characters(segments, component_separator, special)
    cache = walk.clean_fast_checks if clean else walk.fast_checks
    fast_checks = cache.get(lengths)
    if fast_checks is None:
        if len(cache) >= _MAX_LENGTHS:
            cache.clear()
        fast_checks = cache[lengths] = _fast_checks(walk, lengths, clean)
    found: dict[int, list[_ElementError]] = {}  # segment index -> its element errors
    if not all(map(call, fast_checks, segments, repeat(component_separator), repeat(special))):
        for index, (segment, checks, fast) in enumerate(zip(segments, walk.checks, fast_checks, strict=True)):
            if checks is not None and not fast(segment, component_separator, special):
                errors = _element_errors(segment, checks, component_separator, repetition_separator)
                if errors:
                    found[index] = errors
    hierarchy = spec.hierarchy
    if hierarchy and walk.hl_indexes:
        hl_seen: dict[str, str] = {}  # HL01 -> HL03
        hl_last = -1
        for index in walk.hl_indexes:
            hl_errors, hl_last = _hierarchy_errors(segments[index], hl_seen, hl_last, hierarchy)
            if hl_errors:
                found[index] = found.get(index, []) + hl_errors
    if not walk.events and not found:
        return []
    return _issues(transaction, walk, found)


def _issues(
    transaction: TransactionSet, walk: _Walk, found: dict[int, list[_ElementError]]
) -> list[X12Issue]:
    """Structure findings and element errors as issues, in segment order (AK3 before its AK4s)."""
    ids = (
        transaction.interchange.control_number,
        transaction.group.control_number,
        transaction.control_number,
    )
    issues: list[X12Issue] = []

    def segment_issue(code: int, position: int, segment_id: str, loop_id: str | None) -> None:
        issues.append(
            X12Issue(
                code=f"AK3.{code}",
                message=f"{segment_id}: {AK3_MESSAGES[code]}",
                interchange=ids[0],
                group=ids[1],
                transaction=ids[2],
                segment=position,
                segment_id=segment_id,
                loop_id=loop_id,
            )
        )

    def element_issues(index: int) -> None:
        segment_id = transaction.segments[index][0]
        loop_id = walk.loop_ids[index]
        segment_issue(8, index + 1, segment_id, loop_id)
        reported: set[tuple[int, int, int | None, int | None]] = set()
        for code, element, component, repetition, data_element, bad_value in found[index]:
            if (code, element, component, repetition) in reported:
                continue  # two syntax notes can blame the same element
            reported.add((code, element, component, repetition))
            issues.append(
                X12Issue(
                    code=f"AK4.{code}",
                    message=f"{segment_id}{element:02d}: {AK4_MESSAGES[code]}",
                    interchange=ids[0],
                    group=ids[1],
                    transaction=ids[2],
                    segment=index + 1,
                    segment_id=segment_id,
                    loop_id=loop_id,
                    element=element,
                    component=component,
                    repetition=repetition,
                    data_element=data_element or None,
                    bad_value=bad_value,
                )
            )

    pending = sorted(found)
    for code, position, segment_id, loop_id in walk.events:
        # Element errors of earlier segments first; a segment's structure findings come before its AK4s.
        while pending and pending[0] + 1 < position:
            element_issues(pending.pop(0))
        segment_issue(code, position, segment_id, loop_id)
    for index in pending:
        element_issues(index)
    return issues


def _hierarchy_errors(
    segment: Segment, seen: dict[str, str], last_number: int, ranks: Mapping[str, int]
) -> tuple[list[_ElementError], int]:
    """HL01 unique and increasing, HL02 an earlier HL01, HL03 ranked below its parent (856)."""
    errors: list[_ElementError] = []
    number = segment[1] if len(segment) > 1 else ""
    parent = segment[2] if len(segment) > 2 else ""
    level = segment[3] if len(segment) > 3 else ""
    if number:
        if number in seen or not number.isdigit() or int(number) <= last_number:
            errors.append((7, 1, None, None, "628", number))
        else:
            last_number = int(number)
    if parent and parent not in seen:
        errors.append((7, 2, None, None, "734", parent))
    elif (
        parent
        and level in ranks
        and seen[parent] in ranks
        and (
            ranks[level] < ranks[seen[parent]]
            or (ranks[level] == ranks[seen[parent]] and level == seen[parent])
        )
    ):
        # Same rank is allowed between different levels (an order under a tare and a tare under an order).
        errors.append((7, 3, None, None, "735", level))
    if number and number not in seen:
        seen[number] = level
    return errors, last_number
