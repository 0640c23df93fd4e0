# The two commands of the README: `make demo` and `make test`.
# Only Python >= 3.11, git and make are needed; everything else goes into .venv.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: demo test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

# The project's own modules are compiled here because an editable install leaves that to
# the first import, which does not write them where PYTHONDONTWRITEBYTECODE is set: each
# command would then compile them again (about 40 ms a command).
PACKAGES := prospecting enrichers dedupe sequences

demo: $(STAMP)
	$(BIN)/python -m compileall -q $(PACKAGES)
	$(BIN)/prospecting demo

test: $(TSTAMP)
	$(BIN)/python -m compileall -q $(PACKAGES)
	$(BIN)/python -m pytest -q

lint: $(TSTAMP)
	$(BIN)/ruff check .

bench: $(TSTAMP)
	$(BIN)/python bench/import.py --rows 1000000
	$(BIN)/python bench/enrich.py --rows 100000
	$(BIN)/python bench/dns.py
	$(BIN)/python bench/score.py --rows 100000
	$(BIN)/python bench/sequence.py --rows 20000
	$(BIN)/python bench/dedupe.py --people 10000 --people 100000 --people 1000000
	$(BIN)/python bench/crawl.py --pages 5000
	$(BIN)/python bench/connectors.py --pages 200

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm demo-exports .pytest_cache .ruff_cache
