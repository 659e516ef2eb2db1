# The two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test test-pg check venv clean lock bench messages translations

# The lock files pin every package, transitive ones included. requirements.txt and
# requirements-dev.txt name what the club uses (pinned too); `make lock` resolves them into
# requirements.lock and requirements-dev.lock, which `make run`, `make test` and CI install.
PIP_TOOLS := pip-tools==7.6.2
LOCK_FLAGS := --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-trusted-host --no-emit-find-links

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.lock $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@

## make lock: re-resolve requirements*.txt into the fully pinned requirements*.lock (needs PyPI)
lock: $(BIN)/python
	$(BIN)/pip install --quiet $(PIP_TOOLS)
	$(BIN)/pip-compile $(LOCK_FLAGS) --output-file requirements.lock requirements.txt
	$(BIN)/pip-compile $(LOCK_FLAGS) --output-file requirements-dev.lock requirements-dev.txt

venv: $(VENV)/.installed

## make run: install, migrate the SQLite database, seed the demo if empty, serve http://127.0.0.1:5000
## with the background jobs (mail delivery into instance/outbox/, reminders, …) in a process alongside; no Redis needed
run: $(VENV)/.installed translations
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	@$(FLASK) jobs local & jobs=$$!; trap 'kill $$jobs 2>/dev/null' EXIT INT TERM; \
	  $(FLASK) run --host 127.0.0.1 --port 5000

## make test: the whole suite (SQLite; set TEST_DATABASE_URL=postgresql://… for PostgreSQL)
test: $(VENV)/.installed-dev translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## make bench: the page benchmark (bench/pages.py; needs wrk). SQLite scratch database, and
## PostgreSQL too when BENCH_DATABASE_URL names an empty database. Not part of `make test`.
bench: $(VENV)/.installed
	BENCH_DATABASE_URL= $(BIN)/python bench/pages.py
	@if [ -n "$$BENCH_DATABASE_URL" ]; then $(BIN)/python bench/pages.py; fi

## make messages: bring each language's catalogue (club/translations/<lang>/LC_MESSAGES/messages.po)
## in line with the strings marked in the code and templates; then translate the empty entries
messages: $(VENV)/.installed
	$(BIN)/python -m club.core.catalogue update

## make translations: compile the catalogues into the .mo files the app reads (never committed)
translations: $(VENV)/.installed
	$(BIN)/python -m club.core.catalogue compile

## make check: type-check the billing package against the stripe SDK's types
check: $(VENV)/.installed-dev
	$(BIN)/python -m mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache
