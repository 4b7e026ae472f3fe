# Docket: `make run` to try it, `make test` for every check CI runs. `make help` lists the rest.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# WeasyPrint's libraries (harfbuzz-subset keeps font subsetting fast; without it a CJK page takes
# seconds) and the fonts every response-package locale needs (Noto: Devanagari, Arabic, CJK).
RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
            fonts-noto-core fonts-noto-cjk
# The tests read PDFs back with poppler (pdffonts, pdftotext, pdfsig) and trust the demo CA in an
# NSS database (certutil). The PostgreSQL half needs the server binaries (initdb, pg_ctl, postgres).
TEST_DEBS := $(RUN_DEBS) poppler-utils libnss3-tools --optional postgresql
PYTEST := $(BIN)/pytest -p no:cacheprovider

.PHONY: help run test sysdeps-run sysdeps-test venv venv-test migrate demo serve lint types imports \
        test-sqlite test-pg bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

run: sysdeps-run venv migrate demo serve ## install what is missing, migrate, seed demo users, serve

test: sysdeps-test venv-test lint types imports test-sqlite test-pg ## every check CI runs
	@echo "make test: all checks passed"

sysdeps-run:
	@scripts/sysdeps.sh $(RUN_DEBS)

sysdeps-test:
	@scripts/sysdeps.sh $(TEST_DEBS)

$(VENV)/.run-installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v "is ignored" || true
	$(BIN)/python -m pip install -q --disable-pip-version-check -e . 2>&1 | grep -v "is ignored" || true
	@$(BIN)/python -c "import api, litestar, piccolo" # fail here if the install did
	@touch $@

$(VENV)/.test-installed: $(VENV)/.run-installed
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]' 2>&1 | grep -v "is ignored" || true
	@$(BIN)/python -c "import pytest, mypy, importlinter, compose" # fail here if the install did
	@touch $@

venv: $(VENV)/.run-installed ## create .venv and install Docket

venv-test: $(VENV)/.test-installed ## install the test tools too

migrate: venv ## apply database migrations (DOCKET_DATABASE_URL, default ./var SQLite)
	$(BIN)/docket migrate

demo: venv ## create the demo users if the database has none
	$(BIN)/docket demo

serve: venv ## serve the API on DOCKET_HOST:DOCKET_PORT (default 127.0.0.1:8000)
	$(BIN)/docket serve

lint: venv-test ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: venv-test ## mypy --strict
	$(BIN)/mypy

imports: venv-test ## import-layer contracts (STYLE.md)
	$(BIN)/lint-imports

test-sqlite: venv-test ## the whole suite on SQLite
	DOCKET_TEST_ENGINE=sqlite $(PYTEST) --cov --cov-report=term:skip-covered --cov-fail-under=85
	@# STYLE.md floors: the pure cores that lawyers and auditors read are covered to 95%.
	$(BIN)/coverage report --include='jurisdictions/*' --fail-under=95 > /dev/null
	$(BIN)/coverage report --include='audit/canonical.py,audit/entry.py,audit/merkle.py,audit/note.py,audit/checkpoint.py,audit/tiles.py,audit/verify*.py,audit/bundle.py,audit/compact.py,audit/tree_hash.py,audit/proof_verify.py' --fail-under=95 > /dev/null

test-pg: venv-test ## the whole suite on a throwaway PostgreSQL cluster
	DOCKET_TEST_ENGINE=postgres $(PYTEST)

bench: venv-test ## benchmarks (each prints a ratio against its baseline)
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b; done

clean: ## remove the venv and caches (keeps ./var)
	rm -rf $(VENV) .mypy_cache .ruff_cache .hypothesis .coverage
