# Two commands matter: `make run` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck pytest bench clean help

help:
	@echo "make run    - set up and run the gateway on the embedded default (./inbox, ./outbox, SQLite)"
	@echo "make test   - set up, then ruff, mypy and pytest"
	@echo "make bench  - performance benchmarks (figures printed, never timed in tests)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The modules hatch_build.py compiles with mypyc: a change to one of them means a reinstall (a recompile).
COMPILED := $(shell grep -oE '"(parsers|gateway)/[^"]+\.py"' pyproject.toml | tr -d '"')

$(STAMP): pyproject.toml hatch_build.py $(COMPILED) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@test -f parsers/_compiled.json || [ "$$EDIGW_PURE_PYTHON" = 1 ] || \
		echo "note: installed as pure Python (slower); 'pip install -v -e .' says why"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/edi-gateway run

lint: $(STAMP)
	$(BIN)/ruff check parsers emitters gateway tests benchmarks hatch_build.py
	$(BIN)/ruff format --check parsers emitters gateway tests benchmarks hatch_build.py

typecheck: $(STAMP)
	$(BIN)/mypy

# Everything against the installed (compiled) modules, then the X12 tests again on the pure Python sources.
pytest: $(STAMP)
	$(BIN)/pytest -q
	EDIGW_PURE_PYTHON=1 $(BIN)/pytest -q tests/test_x12_*.py tests/test_golden.py tests/test_compiled.py \
		tests/staging/test_x12_stager.py

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks.x12_reader
	$(BIN)/python -m benchmarks.staging
	$(BIN)/python -m benchmarks.gateway
	$(BIN)/python -m benchmarks.bank_ofx
	$(BIN)/python -m benchmarks.bank_camt
	$(BIN)/python -m benchmarks.catalog
	$(BIN)/python -m benchmarks.catalog_staging

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
