"""Where the shared public corpora live, and a clear skip when they are not there."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
X12_CORPUS = SHARED / "corpus" / "x12"


def x12_corpus_files() -> list[Path]:
    """Every X12 sample of the shared corpus (empty when the folder is missing)."""
    if not X12_CORPUS.is_dir():
        return []
    return sorted(p for p in X12_CORPUS.iterdir() if p.is_file() and p.name != "SOURCES.md")


def require_x12_corpus() -> Path:
    if not X12_CORPUS.is_dir():
        pytest.skip(f"shared X12 corpus not found at {X12_CORPUS} (it sits beside the project in ../shared)")
    return X12_CORPUS
