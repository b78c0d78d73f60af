# Chi Bộ Số — the two commands: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres e2e install lint format messages bench check

$(BIN)/activate: requirements.txt requirements-dev.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(BIN)/activate

install: $(BIN)/activate

run: install
	$(PYTHON) manage.py migrate --noinput
	$(PYTHON) manage.py seed_demo --if-empty
	@# The worker runs imports in the background; it stops with the server.
	$(PYTHON) manage.py worker & worker=$$!; trap "kill $$worker" EXIT INT TERM; \
	$(PYTHON) manage.py runserver $(HOST):$(PORT)

# The whole suite: lint, checks, SQLite, then PostgreSQL (a throwaway cluster), then the browser.
test: install
	bash scripts/test.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	bash scripts/messages.sh

bench: install
	bash scripts/bench.sh
