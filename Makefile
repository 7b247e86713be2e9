# Two commands on a fresh clone: `make run` and `make test` (see README.md).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
# make serve: the address to listen on, and how many gunicorn workers (2 × cores + 1 unless set).
HOST ?= 127.0.0.1
WORKERS ?= $(or $(GUNICORN_WORKERS),$(shell n=$$(nproc 2>/dev/null) && echo $$((2 * n + 1))),3)

.PHONY: run serve test lint format seed check-python clean

## run: set up .venv, migrate the embedded SQLite database, load the seed data, serve on 127.0.0.1:$(PORT)
run: $(VENV)/.runtime-installed
	DEBUG=true $(MANAGE) migrate --no-input
	DEBUG=true $(MANAGE) load_seed
	@if [ -z "$$DATABASE_URL" ]; then DEBUG=true $(MANAGE) ensure_dev_admin; \
	else echo "DATABASE_URL is set: no local admin account is created (use manage.py createsuperuser)."; fi
	DEBUG=true $(MANAGE) runserver 127.0.0.1:$(PORT)

## serve: the production stack without Docker, against DATABASE_URL (SECRET_KEY required; DEBUG
## is off): collect static files, migrate, load the seed (into an empty database only), then
## gunicorn on $(HOST):$(PORT) with $(WORKERS) workers and the options in gunicorn.conf.py
serve: $(VENV)/.runtime-installed
	DEBUG=false $(MANAGE) collectstatic --no-input --verbosity 0
	DEBUG=false $(MANAGE) migrate --no-input
	DEBUG=false $(MANAGE) load_seed
	DEBUG=false exec $(BIN)/gunicorn bilateral_site.wsgi:application --config gunicorn.conf.py \
		--bind $(HOST):$(PORT) --workers $(WORKERS)

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
