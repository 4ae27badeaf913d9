"""The tests exercise the form of the X12 hot path they say they do (compiled or pure Python)."""

from __future__ import annotations

import importlib
import json

from .conftest import PURE_PYTHON, ROOT, compiled_sources


def test_compiled_modules_are_the_ones_loaded() -> None:
    built = (ROOT / "parsers" / "_compiled.json").exists()
    for source in compiled_sources():
        module = importlib.import_module(source.removesuffix(".py").replace("/", "."))
        origin = module.__file__ or ""
        if PURE_PYTHON or not built:
            assert origin.endswith(".py"), origin
        else:
            assert not origin.endswith(".py"), f"{source} was compiled but its source is loaded"


def test_the_manifest_names_every_compiled_module() -> None:
    manifest = ROOT / "parsers" / "_compiled.json"
    if manifest.exists():
        assert sorted(json.loads(manifest.read_text(encoding="utf-8"))["sources"]) == sorted(
            compiled_sources()
        )
