# Quick start: `make run` (set up everything and serve the Turin plan on
# http://127.0.0.1:8000) and `make test` (the whole suite). See README.md.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run test deps dev-deps lint format bench messages clean

run: deps
	$(MANAGE) migrate --noinput
	$(MANAGE) load_plan torino
	$(MANAGE) create_administrator
	$(MANAGE) runserver 127.0.0.1:8000

test: dev-deps
	$(BIN)/ruff check .
	$(BIN)/pytest

deps: $(VENV)/.deps node_modules/.deps

dev-deps: deps $(VENV)/.dev-deps

$(VENV)/.deps: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements-dev.txt $(VENV)/.deps
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.deps: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

lint: dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy socialplan

format: dev-deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Re-extract the interface strings after changing templates or Python strings,
# then translate the new entries in socialplan/locale/*/LC_MESSAGES/django.po.
messages: dev-deps
	$(MANAGE) makemessages -l it -l en --ignore=node_modules --ignore=.venv --ignore=bench
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) node_modules staticfiles
