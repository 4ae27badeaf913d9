"""The generated fast checks are sound: a segment they accept is one the exact path finds nothing wrong with.

The validator accepts most segments with predicates generated from the spec and sends only the rest to the
exact path. A predicate that accepted a bad segment would hide an error from the partner's acknowledgement,
so this compares both on segments made to sit near every boundary: lengths, codes, decimals, dates, syntax
notes, separators, missing and extra elements; in both forms, with the characters checked per segment or
already checked for the whole set.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.x12 import validate
from parsers.x12.spec import load_spec

SPECS = [("850", "004010"), ("855", "004010"), ("856", "004010"), ("810", "004010"), ("850", "005010")]
SEGMENTS = sorted(
    {
        (set_id, version, segment_id)
        for set_id, version in SPECS
        for segment_id in load_spec(set_id, version).dictionary  # type: ignore[union-attr]
    }
)

VALUES = st.one_of(
    st.just(""),
    st.text(alphabet="0123456789", min_size=1, max_size=20),
    st.text(alphabet="0123456789.", min_size=1, max_size=20),
    st.text(alphabet="0123456789-", min_size=1, max_size=9),
    st.sampled_from(
        ["20261122", "20260230", "261122", "1230", "2460", "123059", "00", "VP", "UK", "ST", "EA"]
    ),
    st.text(alphabet="ABCZ01 .:^-é\x07", min_size=1, max_size=60),
)


def check_one(data: st.DataObject) -> None:
    set_id, version, segment_id = data.draw(st.sampled_from(SEGMENTS))
    spec = load_spec(set_id, version)
    assert spec is not None
    checks = validate._compiled(spec).checks.get(segment_id)
    if checks is None:
        return
    count = data.draw(st.integers(min_value=0, max_value=checks.count + 2))
    elements = [data.draw(VALUES) for _ in range(count)]
    # Often use the spec's own codes, so that the valid paths are exercised as well as the invalid ones.
    for check in checks.checks:
        position, codes = check[0], check[5]
        if codes and position <= count and data.draw(st.booleans()):
            elements[position - 1] = data.draw(st.sampled_from(sorted(codes)))
    segment = [segment_id, *elements]
    # The "clean" variant runs only on sets whose characters passed the whole-set check: test it so.
    clean = data.draw(st.booleans()) and validate._clean_characters([segment], ":", "^")
    assert checks.fast is not None
    fast = checks.fast.get((count, clean))
    if fast is None:
        fast = checks.fast[count, clean] = validate._fast_function(checks, count, clean)
    if fast(segment, ":", "^"):
        assert validate._element_errors(segment, checks, ":", "^") == [], segment


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fast_check_never_accepts_what_the_exact_path_rejects(data: st.DataObject) -> None:
    check_one(data)


@pytest.mark.soak
@settings(max_examples=100_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fast_check_soundness_soak(data: st.DataObject) -> None:
    check_one(data)
