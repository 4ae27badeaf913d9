# Two commands matter: `make run` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck pytest bench clean help

help:
	@echo "make run    - set up and run the gateway on the embedded default"
	@echo "make test   - set up, then ruff, mypy and pytest"
	@echo "make bench  - performance benchmarks (figures printed, never timed in tests)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/edi-gateway --help

lint: $(STAMP)
	$(BIN)/ruff check parsers emitters gateway tests benchmarks
	$(BIN)/ruff format --check parsers emitters gateway tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks.x12_reader

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
