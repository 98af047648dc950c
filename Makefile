# The two commands of the README:
#   make run   sets up the environment and runs the main job on the embedded default (SQLite)
#   make test  sets up the environment and runs the linters, the type checker and the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NITKA_DATABASE_URL ?= sqlite:///nitka.db

.PHONY: setup frontend run test lint typecheck pytest bench clean messages screenshots

$(BIN)/activate:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Nitka needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# spark: pyspark, for the Spark engine's tests (pytest -m spark, which also needs Java).
$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	touch $@

# The workstation's scripts and styles: npm packages pinned in package-lock.json,
# bundled by esbuild into src/nitka/web/static/dist (not committed).
FRONTEND_BUILT := src/nitka/web/static/dist/.built
$(FRONTEND_BUILT): frontend/package.json frontend/package-lock.json frontend/build.mjs $(wildcard frontend/src/*)
	cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build

frontend: $(FRONTEND_BUILT)

setup: $(VENV)/.installed $(FRONTEND_BUILT)

run: setup
	$(BIN)/nitka init
	$(BIN)/nitka demo --serve

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports --no-cache

typecheck: setup
	$(BIN)/mypy

# The Spark engine's tests start Spark (local[2]) and take minutes on a busy machine: a
# step of their own, run when pyspark is installed (they skip themselves without Java).
pytest: setup
	$(BIN)/pytest -m 'not spark' --durations=30
	@if $(BIN)/python -c 'import pyspark' 2>/dev/null; then $(BIN)/pytest -m spark; \
	else echo "pyspark is not installed (pip install -e '.[spark]'): the Spark tests are not run"; fi

test: lint typecheck pytest

bench: setup
	$(BIN)/python -m bench.run

# The README's screenshots, taken by the browser tests.
screenshots: setup
	NITKA_SCREENSHOTS=1 $(BIN)/pytest tests/web/browser -k sqlite -q

# Extract the UI's strings and update each language's catalogue (then translate the new ones);
# likewise the labels of the FollowTheMoney model (schemata, properties), taken from the model.
messages: setup
	$(BIN)/pybabel extract --mapping babel.cfg --keywords N_ --output-file build/messages.pot --project Nitka --no-location --sort-output .
	$(BIN)/pybabel update --input-file build/messages.pot --output-dir src/nitka/web/locale --no-fuzzy-matching
	$(BIN)/python -m nitka.web.ui.model_labels build/model.pot
	$(BIN)/pybabel update --domain model --input-file build/model.pot --output-dir src/nitka/web/locale --no-fuzzy-matching

clean:
	rm -rf $(VENV) nitka.db nitka.db-wal nitka.db-shm *.rejects.jsonl nitka-keys \
		nitka-partner.db nitka-partner.db-wal nitka-partner.db-shm nitka-partner-keys nitka-partner.log frontend/node_modules src/nitka/web/static/dist
