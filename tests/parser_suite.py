"""The test suite every parser runs (one per format): subclass ``ParserSuite`` in the format's test module.

What every reader of partner or bank files promises, checked the same way for each:
* every sample of its corpus folder is read, or refused with the project's error when it is one of the
  known-malformed samples (and only then);
* the result serialises to JSON (decimals as strings, ISO dates) and is stable: parsing twice gives the same;
* empty input, and corpus files cut short or with bytes flipped, raise nothing but ``EdiGatewayError``
  subclasses (a short run by default, a long one under ``-m soak``).

Example::

    class TestBai2(ParserSuite):
        corpus = BANK_CORPUS / "bai2"
        malformed = frozenset({"moov__sample-parseError.bai2"})

        def parse(self, data: bytes) -> object:
            return parse_statements(data, format="bai2")
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.errors import EdiGatewayError

from .corpus import SHARED

BANK_CORPUS = SHARED / "corpus" / "bank"
CATALOG_CORPUS = SHARED / "corpus" / "catalog"


def _json_of(result: object) -> Any:
    to_json = getattr(result, "to_json", None)
    assert callable(to_json), f"{type(result).__name__} has no to_json()"
    return to_json()


class ParserSuite:
    """Subclass with ``corpus`` (a folder), ``malformed`` (names expected to fail) and ``parse``."""

    corpus: ClassVar[Path]
    pattern: ClassVar[str] = "*"
    malformed: ClassVar[frozenset[str]] = frozenset()
    error: ClassVar[type[EdiGatewayError]] = EdiGatewayError  # what malformed samples raise
    mutations: ClassVar[int] = 60  # examples in the default run (the soak run takes 100x)

    def parse(self, data: bytes) -> object:
        raise NotImplementedError

    # -- helpers -----------------------------------------------------------------------------------------

    def samples(self) -> list[Path]:
        if not self.corpus.is_dir():
            pytest.skip(f"corpus folder {self.corpus} not found (it sits beside the project in ../shared)")
        found = sorted(p for p in self.corpus.glob(self.pattern) if p.is_file() and p.name != "SOURCES.md")
        if not found:
            pytest.skip(f"no samples matching {self.pattern} in {self.corpus}")
        return found

    def readable_samples(self) -> list[Path]:
        return [path for path in self.samples() if path.name not in self.malformed]

    # -- the suite ---------------------------------------------------------------------------------------

    def test_every_sample_is_read(self) -> None:
        failures = []
        for path in self.readable_samples():
            try:
                json.dumps(_json_of(self.parse(path.read_bytes())))
            except Exception as error:  # collect them all: one report lists every sample that fails
                failures.append(f"{path.name}: {type(error).__name__}: {error}")
        assert not failures, "\n".join(failures)

    def test_malformed_samples_raise_the_project_error(self) -> None:
        names = {path.name for path in self.samples()}
        missing = self.malformed - names
        assert not missing, f"listed as malformed but not in the corpus: {sorted(missing)}"
        for path in self.samples():
            if path.name in self.malformed:
                with pytest.raises(self.error):
                    self.parse(path.read_bytes())

    def test_parsing_is_stable(self) -> None:
        for path in self.readable_samples()[:5]:
            data = path.read_bytes()
            assert _json_of(self.parse(data)) == _json_of(self.parse(data)), path.name

    def test_empty_input_raises_a_project_error(self) -> None:
        with pytest.raises(EdiGatewayError):
            self.parse(b"")

    def test_damaged_samples_raise_only_project_errors(self) -> None:
        self._damaged(self.mutations)

    @pytest.mark.soak
    def test_damaged_samples_soak(self) -> None:
        self._damaged(self.mutations * 100)

    def _damaged(self, examples: int) -> None:
        samples = [path.read_bytes() for path in self.samples()]

        @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
        @given(data=st.data())
        def check(data: st.DataObject) -> None:
            original = data.draw(st.sampled_from(samples))
            damaged = bytearray(original)
            for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
                if not damaged:
                    break
                kind = data.draw(st.sampled_from(["cut", "flip", "insert", "delete"]))
                at = data.draw(st.integers(min_value=0, max_value=len(damaged) - 1))
                if kind == "cut":
                    del damaged[at:]
                elif kind == "flip":
                    damaged[at] = data.draw(st.integers(min_value=0, max_value=255))
                elif kind == "insert":
                    damaged[at:at] = data.draw(st.binary(min_size=1, max_size=8))
                else:
                    del damaged[at : at + data.draw(st.integers(min_value=1, max_value=16))]
            try:
                result = self.parse(bytes(damaged))
            except EdiGatewayError:
                return
            json.dumps(_json_of(result))

        check()
