# Developer entry points. `make help` lists them; a fresh clone needs only python3, node/npm and,
# for what is missing (PostgreSQL, Redis, Chromium), apt-get as root or the hints the scripts print.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV := .venv
NPM ?= npm
FORGE ?= contracts/node_modules/.bin/forge
ANVIL ?= contracts/node_modules/.bin/anvil
export FORGE ANVIL
# Paths relative to the repository root become absolute (recipes cd into contracts/); bare names stay.
forge_bin = $(if $(findstring /,$(FORGE)),$(abspath $(FORGE)),$(FORGE))

CONTRACTS_STAMP := contracts/out/.make-stamp
CONTRACT_SOURCES := $(shell find contracts/src contracts/test contracts/script -name '*.sol' 2>/dev/null) \
	$(wildcard contracts/foundry.toml contracts/remappings.txt)

HAS_FRONTEND := $(wildcard frontend/package.json)
FRONTEND_STAMP := $(if $(HAS_FRONTEND),frontend/dist/.make-stamp)
FRONTEND_SOURCES := $(shell find frontend/src frontend/public frontend/scripts -type f -not -name '*.gen.ts' 2>/dev/null) \
	$(wildcard frontend/*.json frontend/*.ts frontend/*.js frontend/*.mjs frontend/index.html)

.PHONY: help venv contracts frontend services stop-services chromium migrate run test test-long \
	slither bench lock clean distclean

help: ## Show this help
	@echo "Usage: make <target>"
	@if [ -t 1 ]; then on=$$'\033[36m'; off=$$'\033[0m'; else on=; off=; fi; \
	awk -v on="$$on" -v off="$$off" 'BEGIN {FS = ":[^#]*## "} \
	  /^[a-zA-Z0-9_.-]+:[^#]*## / {printf "  %s%-14s%s %s\n", on, $$1, off, $$2}' $(MAKEFILE_LIST)

# ---------------------------------------------------------------------------- builds

venv: $(VENV)/.installed ## Create .venv and install backend/requirements.lock

$(VENV)/.installed: backend/requirements.lock verifier/pyproject.toml
	@if ! $(VENV)/bin/python -c 'import sys' >/dev/null 2>&1; then \
	  rm -rf $(VENV); \
	  echo "$(PYTHON) -m venv $(VENV)"; \
	  if ! $(PYTHON) -m venv $(VENV); then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      rm -rf $(VENV); \
	      DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv || \
	        { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv; }; \
	      $(PYTHON) -m venv $(VENV); \
	    else \
	      echo "error: '$(PYTHON) -m venv' failed: install the venv module (Debian/Ubuntu: sudo apt-get install python3-venv)" >&2; \
	      exit 1; \
	    fi; \
	  fi; \
	fi
	$(VENV)/bin/python -m pip install --disable-pip-version-check -q -r backend/requirements.lock
	$(VENV)/bin/python -m pip install --disable-pip-version-check -q --no-deps -e verifier
	touch $@

backend/requirements.lock:
	@echo "error: backend/requirements.lock is missing: 'make lock' pins it from backend/requirements.in" >&2; exit 1

contracts: $(CONTRACTS_STAMP) ## Install the contracts' npm packages and forge build

contracts/node_modules/.make-stamp: contracts/package-lock.json
	cd contracts && $(NPM) ci --no-audit --no-fund
	touch $@

$(CONTRACTS_STAMP): contracts/node_modules/.make-stamp $(CONTRACT_SOURCES)
	cd contracts && $(forge_bin) build
	touch $@

# The frontend's TypeScript types are generated from the backend's OpenAPI schema.
BACKEND_PY := $(shell find backend -name '*.py' -not -path '*/tests/*' -not -path '*/migrations/*' 2>/dev/null)
frontend/openapi.json: $(VENV)/.installed $(BACKEND_PY)
	cd backend && DJANGO_SETTINGS_MODULE=config.settings.test PYTHONPATH=.:.. ../$(VENV)/bin/python manage.py \
	  spectacular --format openapi-json --file ../frontend/openapi.json

frontend: venv $(FRONTEND_STAMP) ## npm ci + npm run build in frontend/ (types from the OpenAPI schema)
	@[ -n "$(HAS_FRONTEND)" ] || echo "frontend: no frontend/package.json yet, skipping"

frontend/node_modules/.make-stamp: frontend/package.json $(wildcard frontend/package-lock.json)
	cd frontend && if [ -f package-lock.json ]; then $(NPM) ci --no-audit --no-fund; else $(NPM) install --no-audit --no-fund; fi
	touch $@

frontend/dist/.make-stamp: frontend/node_modules/.make-stamp frontend/openapi.json $(FRONTEND_SOURCES)
	cd frontend && $(NPM) run build
	mkdir -p frontend/dist && touch $@

# ---------------------------------------------------------------------------- services

services: ## Make sure PostgreSQL and Redis answer (starting private ones if needed) -> .run/services.env
	@infra/scripts/ensure-services.sh

stop-services: ## Stop the private PostgreSQL/Redis/Anvil this checkout started (never system ones)
	@infra/scripts/stop-services.sh

chromium: ## Install Chromium for the browser tests when missing (apt-get, as root)
	@infra/scripts/ensure-chromium.sh

migrate: venv services ## Apply the database migrations
	infra/scripts/with-env.sh $(VENV)/bin/python backend/manage.py migrate --noinput

# ---------------------------------------------------------------------------- run and test

run: venv contracts frontend services ## Run everything: anvil, contracts, demo data, web, worker, beat (Ctrl-C stops)
	@infra/scripts/run.sh

test: venv contracts frontend services chromium ## All tests: forge, migrations/schema checks, pytest, frontend
	@infra/scripts/test.sh

test-long: venv contracts frontend services chromium ## The tests including the long variants
	@PYTEST_ADDOPTS="$${PYTEST_ADDOPTS:-} -m 'long or not long'" FOUNDRY_PROFILE=long infra/scripts/test.sh

slither: contracts ## Static analysis of contracts/src: Slither (own venv in .run/) and forge lint
	@tests/security/contracts_analysis.sh

bench: venv contracts services ## Run the benchmarks (bench/run.sh, or python -m bench)
	@if [ -f bench/run.sh ]; then infra/scripts/with-env.sh bash bench/run.sh; \
	elif [ -f bench/__main__.py ]; then infra/scripts/with-env.sh $(VENV)/bin/python -m bench; \
	else echo "bench: no bench/run.sh or bench/__main__.py yet"; fi

# ---------------------------------------------------------------------------- maintenance

lock: ## Re-pin backend/requirements.lock from backend/requirements.in (pip-compile)
	@if [ ! -x $(VENV)/bin/pip-compile ]; then \
	  $(VENV)/bin/python -c 'import sys' >/dev/null 2>&1 || $(PYTHON) -m venv $(VENV); \
	  $(VENV)/bin/python -m pip install --disable-pip-version-check -q pip-tools; \
	fi
	$(VENV)/bin/pip-compile --strip-extras --no-emit-index-url --no-emit-find-links \
	  --output-file backend/requirements.lock backend/requirements.in

clean: ## Stop the private services, delete .run/ and the build outputs
	@infra/scripts/stop-services.sh --purge
	rm -rf .run contracts/out contracts/cache frontend/dist

distclean: clean ## clean, plus .venv and the node_modules folders
	rm -rf $(VENV) contracts/node_modules frontend/node_modules
