# Docket: `make run` to try it, `make test` for every check CI runs. `make help` lists the rest.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_DIR := .tools/uv
UV := $(UV_DIR)/bin/uv
# uv uses this machine's Python (never a download) and the project's .venv.
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# WeasyPrint's libraries (harfbuzz-subset keeps font subsetting fast; without it a CJK page takes
# seconds) and the fonts every response-package locale needs (Noto: Devanagari, Arabic, CJK).
RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
            fonts-noto-core fonts-noto-cjk
# The tests read PDFs back with poppler (pdffonts, pdftotext, pdfsig) and trust the demo CA in an
# NSS database (certutil); the browser tests drive Debian's headless Chromium through Playwright.
# The PostgreSQL half needs the server binaries (initdb, pg_ctl, postgres).
TEST_DEBS := $(RUN_DEBS) poppler-utils libnss3-tools chromium-headless-shell --optional postgresql
PYTEST := $(BIN)/pytest -p no:cacheprovider

.PHONY: help run test sysdeps-run sysdeps-test lock-check venv venv-test lock upgrade migrate demo \
        serve lint types imports test-sqlite test-pg screenshots bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

run: sysdeps-run venv migrate demo serve ## install what is missing, migrate, seed demo users, serve

test: sysdeps-test venv-test lint types imports test-sqlite test-pg ## every check CI runs
	@echo "make test: all checks passed"

sysdeps-run:
	@scripts/sysdeps.sh $(RUN_DEBS)

sysdeps-test:
	@scripts/sysdeps.sh $(TEST_DEBS)

# Every Python package comes from uv.lock (exact versions, SHA-256 hashes); uv itself is the one
# bootstrap step, pinned with its hashes in scripts/uv-requirements.txt.
$(UV): scripts/uv-requirements.txt
	@rm -rf $(UV_DIR) && $(PYTHON) -m venv $(UV_DIR)
	@$(UV_DIR)/bin/python -m pip install -q --disable-pip-version-check --require-hashes --no-deps \
	  -r scripts/uv-requirements.txt 2>&1 | { grep -v "is ignored" || true; }
	@test -x $@ # fail here if the install did

lock-check: $(UV) ## fail in one line when pyproject.toml and uv.lock disagree
	@$(UV) lock --check --offline --quiet 2>/dev/null || { \
	  echo "uv.lock does not match pyproject.toml: run \`make lock\` and commit uv.lock" >&2; exit 1; }

venv: lock-check ## create .venv and install Docket from uv.lock
	@$(UV) sync --frozen --quiet --no-dev --inexact

venv-test: lock-check ## install Docket and the test tools from uv.lock
	@$(UV) sync --frozen --quiet

lock: $(UV) ## re-resolve uv.lock after editing pyproject.toml (keeps other pins)
	$(UV) lock

upgrade: $(UV) ## move one locked package to its newest release: make upgrade PACKAGE=babel
	@test -n "$(PACKAGE)" || { echo "usage: make upgrade PACKAGE=<name>" >&2; exit 2; }
	$(UV) lock --upgrade-package $(PACKAGE)

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

screenshots: venv-test ## redo the README's screenshots (docs/screenshots) from the browser tests
	DOCKET_SCREENSHOTS=1 $(PYTEST) tests/browser -q

bench: venv-test ## benchmarks (each prints a ratio against its baseline)
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python -m bench.$$(basename $$b .py); done

clean: ## remove the venv and caches (keeps ./var)
	rm -rf $(VENV) .tools .mypy_cache .ruff_cache .hypothesis .coverage
