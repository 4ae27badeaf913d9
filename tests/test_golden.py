"""Golden files: each ``tests/golden/x12/case.edi`` beside its expected ``case.edi.json``.

The JSON is what ``edi-gateway parse --json`` prints. Regenerate on purpose only:
``UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py``, then read the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from parsers.x12.parse import parse_x12

GOLDEN = Path(__file__).parent / "golden" / "x12"
CASES = sorted(GOLDEN.glob("*.edi"))


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_golden(case: Path) -> None:
    actual = parse_x12(case).to_json()
    expected_path = case.with_name(case.name + ".json")
    if os.environ.get("UPDATE_GOLDEN") == "1" or not expected_path.exists():
        if os.environ.get("UPDATE_GOLDEN") != "1":
            pytest.fail(f"{expected_path.name} is missing: run with UPDATE_GOLDEN=1 to create it")
        expected_path.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", "utf-8")
    expected = json.loads(expected_path.read_text("utf-8"))
    assert actual == expected


def test_there_are_golden_cases() -> None:
    assert len(CASES) >= 4
