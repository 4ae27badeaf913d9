"""Specification files, the loader, version families and companion guides."""

from __future__ import annotations

from typing import Any

import pytest

from parsers.errors import ConfigurationError
from parsers.x12 import spec as spec_module
from parsers.x12.spec import (
    LoopSpec,
    SegmentUse,
    SyntaxRule,
    TransactionSpec,
    apply_companion_guide,
    available_specs,
    load_spec,
    version_family,
)
from parsers.x12.validate import validate_transaction
from tests.test_x12_validate import PO_HEAD, PO_LINE, codes, transaction

EXPECTED = {
    ("810", "004010"), ("810", "005010"), ("850", "004010"), ("850", "005010"), ("855", "004010"),
    ("855", "005010"), ("856", "004010"), ("856", "005010"), ("997", "004010"), ("997", "005010"),
    ("999", "005010"),
}  # fmt: skip


@pytest.mark.parametrize(("set_id", "family"), sorted(EXPECTED))
def test_every_spec_file_loads(set_id: str, family: str) -> None:
    loaded = load_spec(set_id, family)
    assert isinstance(loaded, TransactionSpec)
    assert (loaded.set_id, loaded.version) == (set_id, family)
    first, last = loaded.children[0], loaded.children[-1]
    assert isinstance(first, SegmentUse) and first.id == "ST"
    assert isinstance(last, SegmentUse) and last.id == "SE"
    assert loaded.segment_ids() <= set(loaded.dictionary)


def test_available_specs_lists_them_all() -> None:
    assert set(available_specs()) == EXPECTED


@pytest.mark.parametrize(
    ("version", "family"),
    [
        ("004010", "004010"),
        ("004010VICS", "004010"),
        ("004010X357", "004010"),
        ("005010", "005010"),
        ("005010X231A1", "005010"),
        ("006020", "005010"),
        ("004060", None),
        ("003050", None),
        ("00501", "005010"),
        ("X", None),
        ("", None),
    ],
)
def test_version_families(version: str, family: str | None) -> None:
    assert version_family(version) == family


def test_load_spec_is_cached_and_none_without_spec() -> None:
    assert load_spec("850", "004010VICS") is load_spec("850", "004010VICS")
    assert load_spec("850", "003050") is None
    assert load_spec("999", "004010") is None
    assert load_spec("837", "005010X222A1") is None


def test_spec_content_key_elements() -> None:
    po = load_spec("850", "004010")
    assert po is not None
    po1 = po.dictionary["PO1"]
    assert po1.elements[5].data_element == "235" and po1.elements[5].codes is not None
    assert {"VN", "VP", "BP", "UP", "UK", "EN", "N4", "ND", "HI", "SK", "MG"} <= po1.elements[5].codes
    assert [rule.note for rule in po1.syntax][:3] == ["C0302", "C0504", "P0607"]
    asn = load_spec("856", "005010")
    assert asn is not None
    hl = next(child for child in asn.children if isinstance(child, LoopSpec))
    assert hl.id == "HL" and hl.usage == "M"
    assert asn.hierarchy["S"] < asn.hierarchy["O"] < asn.hierarchy["P"] < asn.hierarchy["I"]
    st5 = load_spec("999", "005010")
    assert st5 is not None and len(st5.dictionary["ST"].elements) == 3  # ST03 exists from 005010


def test_syntax_rule_parse() -> None:
    assert SyntaxRule.parse("P0304") == SyntaxRule("P", (3, 4))
    assert SyntaxRule.parse("L101112").note == "L101112"
    for bad in ("P03", "Q0304", "P0303", "P00", "C03x4"):
        with pytest.raises(ValueError):
            SyntaxRule.parse(bad)


# --- companion guides ------------------------------------------------------------------------------------------


def _issues(spec: TransactionSpec, body: list[str]) -> list[tuple[str, int | None, str | None, int | None]]:
    return codes(validate_transaction(transaction(body), spec))


def base() -> TransactionSpec:
    loaded = load_spec("850", "004010")
    assert loaded is not None
    return loaded


def test_guide_tightens_segments_loops_and_elements() -> None:
    guide: dict[str, Any] = {
        "segments": {"REF": {"usage": "M", "max_use": 1}},
        "loops": {"N1": {"max_use": 1}},
        "elements": {"PO1-06": {"usage": "M", "codes": ["VN", "UP", "ND"]}, "PID-05": {"max_length": 20}},
    }
    tightened = apply_companion_guide(base(), guide)
    body = ["BEG*00*SA*PO-0001**20261122", "N1*ST*MERCY GENERAL*UL*0614141000012", "N1*BT*MERCY BILLING",
            *PO_LINE, "PO1*2*5*BX*3.10", "CTT*2"]  # fmt: skip
    found = _issues(tightened, body)
    assert ("AK3.3", 3, "REF", None) in found  # REF now mandatory: missing before the N1 loop
    assert ("AK3.4", 4, "N1", None) in found
    assert ("AK4.7", 5, "PO1", 6) in found  # VP no longer allowed
    assert ("AK4.5", 6, "PID", 5) in found
    assert ("AK4.1", 7, "PO1", 6) in found
    assert _issues(base(), body) == []


def test_guide_relaxes() -> None:
    relaxed = apply_companion_guide(
        base(),
        {
            "segments": {"BEG": {"usage": "O"}},
            "elements": {"BEG-02": {"add_codes": ["ZQ"]}, "PO1-06": {"codes": None}},
        },
    )
    assert _issues(relaxed, ["BEG*00*ZQ*PO-0001**20261122", "PO1*1*10*BX*12.45**Q7*GLOVE-M", "CTT*1"]) == []
    assert _issues(relaxed, [*PO_LINE, "CTT*1"]) == []
    assert ("AK4.7", 2, "BEG", 2) in _issues(base(), ["BEG*00*ZQ*PO-0001**20261122", *PO_LINE])


def test_guide_paths_name_loops() -> None:
    guide = {
        "segments": {"N1/REF": {"usage": "M"}, "N3": {"usage": "M"}},
        "loops": {"PO1/N1": {"max_use": 2}},
    }
    tightened = apply_companion_guide(base(), guide)
    # The N1 loop at 5 ends without its now mandatory REF: reported where the PO1 loop starts (8).
    assert _issues(tightened, [*PO_HEAD, *PO_LINE, "CTT*1"]) == [("AK3.3", 8, "REF", None)]
    found = validate_transaction(
        transaction(["BEG*00*SA*PO-0001**20261122", "N1*ST*MERCY", *PO_LINE]), tightened
    )
    assert [(i.code, i.segment, i.segment_id, i.loop_id) for i in found] == [
        ("AK3.3", 4, "N3", "N1"),
        ("AK3.3", 4, "REF", "N1"),
    ]


def test_guide_is_cached_per_content() -> None:
    guide = {"segments": {"REF": {"usage": "M"}}}
    assert apply_companion_guide(base(), guide) is apply_companion_guide(base(), dict(guide))


def test_bad_guide_lists_every_problem_at_once() -> None:
    guide: dict[str, Any] = {
        "segmnets": {},
        "segments": {"XYZ": {"usage": "M"}, "REF": {"usage": "Z", "max_uses": 2}},
        "loops": {"Q9": {"max_use": 0}},
        "elements": {
            "PO1-99": {"usage": "M"},
            "BEG02": {},
            "PO1-06": {"codez": []},
            "BEG-02": {"add_codes": "KN"},
        },
    }
    with pytest.raises(ConfigurationError) as caught:
        apply_companion_guide(base(), guide)
    message = caught.value.message
    for fragment in ("segmnets", "segments.XYZ", "segments.REF.usage", "segments.REF.max_uses", "loops.Q9.max_use",
                     "elements.PO1-99", "elements.BEG02", "elements.PO1-06.codez", "elements.BEG-02.add_codes"):  # fmt: skip
        assert fragment in message, fragment


def test_parse_transactions_applies_guides() -> None:
    from parsers.x12.parse import parse_transactions
    from tests.test_x12_validate import ISA_4010

    text = "\n".join(
        [ISA_4010, "GS*PO*MERCYGENERAL*MEDSUPPLYCO*20261122*0930*101*X*004010~", "ST*850*0001~",
         "BEG*00*SA*PO-0001**20261122~", *[s + "~" for s in PO_LINE], "SE*5*0001~", "GE*1*101~", "IEA*1*000000101~"]
    )  # fmt: skip
    guides = {"850": {"segments": {"REF": {"usage": "M"}}}}
    _reader, results = parse_transactions(text.encode(), documents=False, companion_guides=guides)
    found = [i.code for _t, r in results for i in r.issues]
    assert found == ["AK3.3"]


# --- bad specification files -----------------------------------------------------------------------------------


def test_bad_spec_file_raises_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = {
        "set": "850",
        "structure": ["BEG M 1", "PO1 Q 1", {"loop": "N1", "content": ["N3 M 1"]}, "XYZ M 1"],
    }

    def fake_read(name: str) -> dict[str, Any]:
        return broken if name.startswith("850.") else original(name)

    original = spec_module._read_json
    monkeypatch.setattr(spec_module, "_read_json", fake_read)
    spec_module._load_family_spec.cache_clear()
    try:
        with pytest.raises(ConfigurationError) as caught:
            spec_module._load_family_spec("850", "004010")
        message = caught.value.message
        for fragment in ("PO1 Q 1", "must start with its own segment N1", "XYZ", "must start with ST"):
            assert fragment in message
    finally:
        monkeypatch.undo()
        spec_module._load_family_spec.cache_clear()
        load_spec.cache_clear()
