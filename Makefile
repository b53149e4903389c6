# Quick start: `make run` (set up everything and serve the Turin plan on
# http://127.0.0.1:8000) and `make test` (the whole suite). See README.md.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run test deps dev-deps bench-deps lint format bench bench-postgres messages territory-data clean

run: deps
	$(MANAGE) migrate --noinput
	$(MANAGE) load_frameworks
	$(MANAGE) load_legal_bases
	$(MANAGE) load_social_value
	$(MANAGE) load_plan torino
	$(MANAGE) load_processes torino
	$(MANAGE) load_territory TO
	$(MANAGE) load_cpv
	$(MANAGE) load_demo
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
	$(MANAGE) makemessages -l it -l en --ignore=node_modules --ignore=".venv*" --ignore=bench
	$(MANAGE) compilemessages --ignore=".venv*" --ignore=node_modules

# Rebuild the committed territory file from ISTAT data: a build step in its own
# venv, never in the platform's (docs/decisions/0005-territory-data.md).
territory-data:
	test -x .venv-build/bin/python || $(PYTHON) -m venv .venv-build
	.venv-build/bin/python -m pip install --quiet -r requirements-build.txt
	.venv-build/bin/python socialplan/territory/build/build_territory.py --province TO \
		--name-en "Metropolitan City of Turin" --expect 312 --out socialplan/territory/data/to.geojson

# Benchmarks, not tests: figures printed and written to bench/results/ (see bench/README.md).
BENCH_DATABASE_URL ?= postgres://socialplan:socialplan@127.0.0.1:5432/postgres
bench: deps
	command -v wrk >/dev/null || (apt-get update -q && apt-get install -y -q wrk)
	$(BIN)/python bench/plan_pages.py --scale metro

bench-postgres: deps
	command -v wrk >/dev/null || (apt-get update -q && apt-get install -y -q wrk)
	$(BIN)/python bench/plan_pages.py --scale metro --database-url $(BENCH_DATABASE_URL)

# The load test's own dependencies (locust), beside the development ones.
bench-deps: dev-deps
	$(BIN)/python -m pip install --quiet -r requirements-bench.txt

clean:
	rm -rf $(VENV) .venv-build node_modules staticfiles
