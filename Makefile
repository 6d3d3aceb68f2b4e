# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
STAMP  := $(VENV)/.installed
PY     := $(BIN)/python
MANAGE := $(PY) manage.py
RUN_ENV := EGOV_BASE_URL=$${EGOV_BASE_URL:-http://127.0.0.1:$(PORT)}

.DEFAULT_GOAL := help
.PHONY: help install run serve migrate demo test lint typecheck imports migrations-check i18n-check \
        pytest e2e test-postgres constraints audit clean

help:
	@echo "make run    – cài đặt, migrate, nạp dữ liệu mẫu, chạy http://127.0.0.1:$(PORT)"
	@echo "make test   – kiểm tra mã (ruff, mypy, import-linter, migrations) và toàn bộ bộ kiểm thử"

$(STAMP): pyproject.toml requirements/constraints.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Cần $(PYTHON) (Python 3.11)."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip==25.3"
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	@mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable

demo: migrate
	$(MANAGE) import_units
	$(MANAGE) seed_demo
	$(MANAGE) seed_portal
	$(MANAGE) seed_procedures
	$(MANAGE) seed_bookings
	$(MANAGE) generate_dossiers --count 3000 --years 1 --seed 2026 --if-empty
	$(MANAGE) statistics_rebuild --if-stale

run: demo
	@$(RUN_ENV) $(MANAGE) demo_accounts
	$(RUN_ENV) $(MANAGE) runserver 127.0.0.1:$(PORT)

serve: install
	$(RUN_ENV) $(MANAGE) runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: install
	$(BIN)/mypy src/egov

imports: install
	$(BIN)/lint-imports

migrations-check: install
	DJANGO_SETTINGS_MODULE=egov.conf.test DATABASE_URL=sqlite://:memory: $(MANAGE) makemigrations --check --dry-run

pytest: install
	$(BIN)/pytest -q -n 2 -m "not e2e"

e2e: install
	$(BIN)/pytest -q -p no:xdist -m e2e tests/e2e

# Every translation catalogue is well-formed (placeholders, plurals) and its .mo is up to date.
i18n-check:
	@if command -v msgfmt >/dev/null 2>&1; then \
	  for po in $$(find src -name '*.po'); do \
	    msgfmt --check -o /tmp/egov-i18n-check.mo "$$po" || exit 1; \
	    cmp -s /tmp/egov-i18n-check.mo "$${po%.po}.mo" || { echo "$${po%.po}.mo is stale: run msgfmt -o $${po%.po}.mo $$po"; exit 1; }; \
	  done; echo "translation catalogues OK"; \
	else echo "GNU gettext (msgfmt) not installed: translation catalogues not checked"; fi

test: lint typecheck imports migrations-check i18n-check pytest e2e

# CI also runs the suite on PostgreSQL; locally: make test-postgres
test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/egov} $(BIN)/pytest -q -n 2 -m "not e2e"

# Security scans (docs/security.md), not part of `make test` (pip-audit needs the network):
# bandit on our code (medium and high severity fail; accepted findings carry
# "# nosec BXXX  # reason"), then pip-audit on every pin against PyPI's advisory data.
# A pin that cannot be checked fails; when the advisory data cannot be reached at all the
# target says so and fails, unless AUDIT_OFFLINE_OK=1 (then it only warns).
audit: install
	@echo "$(BIN)/bandit -q -r src/egov -x '*/tests/*,*/migrations/*' -ll"
	@out=$$($(BIN)/bandit -q -r src/egov -x '*/tests/*,*/migrations/*' -ll 2>&1) || status=$$?; \
	  printf '%s\n' "$$out" | grep -v 'nosec encountered' || true; exit $${status:-0}
	@if $(PY) -c "import urllib.request as u; u.urlopen('https://pypi.org/pypi/pip/25.3/json', timeout=20)" >/dev/null 2>&1; then \
	  echo "$(BIN)/pip-audit --strict --disable-pip --no-deps -r requirements/constraints.txt"; \
	  $(BIN)/pip-audit --strict --progress-spinner off --disable-pip --no-deps -r requirements/constraints.txt; \
	else \
	  echo "WARNING: PyPI's advisory data (pypi.org/pypi/<name>/<version>/json) is not reachable: dependencies NOT audited."; \
	  test "$(AUDIT_OFFLINE_OK)" = 1; \
	fi

# Refresh the transitive pins after changing pyproject.toml.
constraints: install
	$(PY) -m pip freeze --exclude-editable | grep -v '^egov' > requirements/constraints.txt

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .mypy_cache .ruff_cache
