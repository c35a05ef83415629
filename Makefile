# Qifu — `make run` serves the platform, `make test` runs the whole suite. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test lint security bench deps deps-dev assets migrate seed chromium wrk clean help

help:
	@echo "make run    install, migrate, load demo data and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   install test tools (and Chromium) and run the whole suite"
	@echo "make lint   ruff, mypy and the migrations check"
	@echo "make security  bandit (against its baseline), SBOM, pip-audit (NOT_VERIFIED offline)"
	@echo "make bench  benchmarks into var/bench/results.json"

$(VENV)/.base-installed: requirements/base.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.base-installed requirements/dev.txt
	$(PY) -m pip install --quiet --require-hashes -r requirements/base.txt -r requirements/dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/vendor/.built: node_modules/.installed scripts/build-assets.mjs
	node scripts/build-assets.mjs
	touch $@

deps: $(VENV)/.base-installed
deps-dev: $(VENV)/.dev-installed
assets: static/vendor/.built

migrate: deps
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: deps assets
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py seed_demo
	$(PY) manage.py ensure_schedules
	PORT=$(PORT) PY=$(PY) bash scripts/serve.sh

chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "Installing Debian's Chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

# The load generator of `make bench` (Debian's wrk): Python threads saturate below the floor.
wrk:
	@if ! command -v wrk >/dev/null; then \
	  echo "Installing Debian's wrk for the benchmarks"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	fi

test: deps-dev assets chromium
	$(PY) -m pytest -n 2 --dist loadgroup -q $(PYTEST_ARGS)

lint: deps-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy qifu
	$(PY) manage.py makemigrations --check --dry-run

security: deps-dev
	VENV=$(VENV) bash scripts/security.sh

bench: deps-dev assets wrk
	$(PY) -m qifu.bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles var
