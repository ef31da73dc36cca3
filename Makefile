# Qiaoban: the two commands are `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test test-sqlite test-services lint bench ui ui-check migrate demo messages clean help

help:
	@echo "make run    - set up everything and serve http://$(HOST):$(PORT)/ (Ctrl-C stops)"
	@echo "make test   - set up test dependencies and run the whole suite"
	@echo "make bench  - run the benchmarks and print figures and ratios"

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Qiaoban needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)

# Stamps: reinstall only when the pinned requirements change.
$(VENV)/.deps-run: requirements.txt | $(VENV)/bin/python
	$(PIP) install -q -r requirements.txt
	@touch $@

$(VENV)/.deps-bench: requirements.txt requirements-dev.txt requirements-bench.txt | $(VENV)/bin/python
	$(PIP) install -q -r requirements-bench.txt
	@touch $@ $(VENV)/.deps-dev $(VENV)/.deps-run

$(VENV)/.deps-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PIP) install -q -r requirements-dev.txt
	@touch $@ $(VENV)/.deps-run

# The front end is built when it exists (designer_ui/package.json); see README.
ui: $(VENV)/.deps-run
	$(MAKE) --no-print-directory -C designer_ui build PY=$(abspath $(PY))

# Types, ESLint, vitest, then the build that the browser tests drive.
ui-check: $(VENV)/.deps-dev
	$(MAKE) --no-print-directory -C designer_ui check PY=$(abspath $(PY))

migrate: $(VENV)/.deps-run
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py load_demo
	$(PY) manage.py install_templates

# `manage.py serve` supervises daphne and the background runner (outbox, timers, digests) as
# child processes: Ctrl-C or SIGTERM stops both (docs/background.md); --follow-parent also
# stops them when only make's pid gets SIGINT (make does not pass SIGINT on to its recipe).
run: $(VENV)/.deps-run ui demo
	$(PY) manage.py collectstatic --noinput -v0
	@echo "Qiaoban is starting on http://$(HOST):$(PORT)/  (API docs: /api/docs/; Ctrl-C stops)"
	$(PY) manage.py serve --host $(HOST) --port $(PORT) --follow-parent

lint: $(VENV)/.deps-dev
	$(VENV)/bin/ruff check .

# The suite runs on the embedded profile (SQLite, in-memory layers) first, then again on
# PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set (CI sets both).
test: $(VENV)/.deps-dev ui-check lint test-sqlite test-services

test-sqlite: $(VENV)/.deps-dev
	@echo "== suite on the embedded profile (SQLite, in-memory channel layer)"
	env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest $(PYTEST_ARGS)

test-services: $(VENV)/.deps-dev
	@if [ -n "$$DATABASE_URL$$REDIS_URL" ]; then \
		echo "== suite on the scale-out profile (DATABASE_URL=$$DATABASE_URL REDIS_URL=$$REDIS_URL)"; \
		$(PY) -m pytest $(PYTEST_ARGS); \
	else echo "== DATABASE_URL/REDIS_URL not set: scale-out profile not tested here (CI sets them)"; fi

bench: $(VENV)/.deps-bench
	@for f in tests/bench/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

# Extract from every app (run at the root), then compile our catalogues only (not .venv's).
messages: $(VENV)/.deps-dev
	$(PY) manage.py makemessages -l zh_Hans -l en --no-obsolete --ignore='.venv/*' --ignore='var/*' \
		--ignore='tests/*' --ignore='designer_ui/node_modules/*' \
		--ignore='designer_ui/dist/*' --ignore='designer_ui/src/*'
	cd platform_core && ../$(PY) ../manage.py compilemessages

clean:
	rm -rf $(VENV) var/static designer_ui/node_modules designer_ui/dist designer_ui/openapi.json designer_ui/src/api/schema.d.ts
