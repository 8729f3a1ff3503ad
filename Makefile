# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
NPM ?= npm
CHROMIUM ?= /usr/bin/chromium
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export TP_DATABASE_URL ?= sqlite:///./talentpool.db

.PHONY: run test install frontend lint typecheck types test-frontend test-sqlite test-postgres \
        test-browser chromium bench clean

PORT ?= 8000
TYPES := frontend/src/types.ts

## run: install, build the SPA, migrate SQLite, seed demo data, then serve on
## http://127.0.0.1:$(PORT) with the worker beside it (PORT=8001 make run); Ctrl+C stops both
run: install frontend
	$(BIN)/talentpool db upgrade
	$(BIN)/talentpool seed-demo
	$(BIN)/talentpool run --host 127.0.0.1 --port $(PORT)

## test: every test: lint, types, the SPA's tests, Python on SQLite and PostgreSQL, the browser
test: install frontend chromium lint typecheck test-frontend test-sqlite test-postgres test-browser
	@echo "All test suites finished."

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

frontend: frontend/dist/index.html

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && $(NPM) ci --no-audit --no-fund
	touch $@

frontend/dist/index.html: frontend/node_modules/.installed $(shell find frontend/src frontend/index.html frontend/vite.config.* -type f 2>/dev/null)
	cd frontend && $(NPM) run build

chromium:
	@test -x $(CHROMIUM) || { echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The SPA's API types, generated from the OpenAPI document (`python -m app.openapi`) by
# openapi-typescript into $(1).
define generate_types
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(BIN)/python -m app.openapi "$$tmp/openapi.json" && \
	frontend/node_modules/.bin/openapi-typescript "$$tmp/openapi.json" --output $(1) >/dev/null
endef

## types: regenerate frontend/src/types.ts from the API (after any API change)
types: install frontend/node_modules/.installed
	$(call generate_types,$(TYPES))

lint: install frontend/node_modules/.installed
	$(BIN)/ruff check app tests migrations
	$(BIN)/lint-imports --no-cache
	@out=$$(mktemp --suffix=.ts) && trap 'rm -f "$$out"' EXIT && \
	$(call generate_types,"$$out") && \
	diff -u $(TYPES) "$$out" >/dev/null || { \
	  echo "$(TYPES) is out of date with the API: run make types"; exit 1; }
	cd frontend && $(NPM) run typecheck

typecheck: install
	$(BIN)/mypy

test-frontend: frontend
	cd frontend && $(NPM) test

test-sqlite: install
	$(BIN)/pytest -m "not browser" --db=sqlite -p no:cacheprovider -n 2

test-postgres: install
	@if $(BIN)/python -m tests.pg_available "$(PG_URL)"; then \
	  $(BIN)/pytest -m "not browser" --db=postgresql -p no:cacheprovider -n 2; \
	elif [ "$${TP_TEST_REQUIRE_POSTGRES:-0}" = "1" ]; then \
	  echo "PostgreSQL is required (TP_TEST_REQUIRE_POSTGRES=1) but does not answer at $(PG_URL)"; exit 1; \
	else \
	  echo "*** PostgreSQL does not answer at $(PG_URL): the PostgreSQL suite was SKIPPED. ***"; \
	fi

test-browser: install frontend chromium
	$(BIN)/pytest tests/browser -m browser -p no:cacheprovider -n 2 --dist loadfile

## bench: benchmarks on a realistic seeded dataset, both engines; results in bench/results/
bench: install frontend
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist talentpool.db*
