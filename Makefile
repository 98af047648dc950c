# The two commands of the README:
#   make run   sets up the environment and runs the main job on the embedded default (SQLite)
#   make test  sets up the environment and runs the linters, the type checker and the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NITKA_DATABASE_URL ?= sqlite:///nitka.db

.PHONY: setup run test lint typecheck pytest bench clean

$(BIN)/activate:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Nitka needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

run: setup
	$(BIN)/nitka init
	$(BIN)/nitka demo

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: setup
	$(BIN)/mypy

pytest: setup
	$(BIN)/pytest

test: lint typecheck pytest

bench: setup
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) nitka.db nitka.db-wal nitka.db-shm *.rejects.jsonl
