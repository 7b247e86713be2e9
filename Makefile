# Two commands on a fresh clone: `make run` and `make test` (see README.md).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint format seed check-python clean

## run: set up .venv, migrate the embedded SQLite database, load the seed data, serve on 127.0.0.1:$(PORT)
run: $(VENV)/.runtime-installed
	DEBUG=true $(MANAGE) migrate --no-input
	DEBUG=true $(MANAGE) load_seed
	@if [ -z "$$DATABASE_URL" ]; then DEBUG=true $(MANAGE) ensure_dev_admin; \
	else echo "DATABASE_URL is set: no local admin account is created (use manage.py createsuperuser)."; fi
	DEBUG=true $(MANAGE) runserver 127.0.0.1:$(PORT)

## test: the same set-up, then migrations check and the whole suite (DATABASE_URL=postgres://... for PostgreSQL)
test: $(VENV)/.dev-installed
	DEBUG=true $(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest --create-db $(PYTEST_ARGS)

## lint: ruff, as CI runs it
lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## seed: rebuild fixtures/seed.json after editing fixtures/curated/seed.yaml
seed: $(VENV)/.runtime-installed
	DEBUG=true $(MANAGE) build_seed

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; run with PYTHON=python3.11 (or newer).")'

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
