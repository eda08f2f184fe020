# SeeTheSigns: `make run` serves the site; `make test` checks everything. Both set themselves up.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := seethesigns.settings

.PHONY: run demo-hub test check lint format screenshots lock browser pdf nginx redis bench bench-records bench-people bench-profile bench-hub join-the-dots soak lighthouse fuzz scan clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a lock file changes, so a second `make run` starts in seconds.
# clkhash (nodeps.txt) goes in after, without its out-of-date pins (see requirements/nodeps.in).
$(VENV)/.base-installed: requirements/base.txt requirements/nodeps.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements/nodeps.txt
	touch $@

# The scanners pin versions the app does not (wapiti3's httpx, for one): a venv of their own.
SCAN_VENV := .venv-scan
$(SCAN_VENV)/.installed: requirements/scan.txt
	test -x $(SCAN_VENV)/bin/python || $(PYTHON) -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/scan.txt
	touch $@

$(VENV)/.dev-installed: requirements/base.txt requirements/dev.txt $(VENV)/.base-installed
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.txt -r requirements/dev.txt
	touch $@

var:
	mkdir -p var/static

# WeasyPrint draws PDFs with Pango; the tests read them back with poppler's pdftotext.
pdf:
	@if ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 && command -v pdftotext >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Pango (for PDFs) and poppler-utils..."; \
		(apt-get install -y -qq --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 poppler-utils >/dev/null 2>&1 || \
		 (apt-get update -qq && apt-get install -y -qq --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 poppler-utils >/dev/null)); \
	else \
		echo "PDFs need Pango and the tests need pdftotext. Install them (Debian:" >&2; \
		echo "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 poppler-utils), then run make again." >&2; exit 1; \
	fi

run: $(VENV)/.base-installed | var
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py load_content
	$(BIN)/python manage.py load_demo
	@echo "SeeTheSigns is at http://$(HOST):$(PORT)/  (editors: http://$(HOST):$(PORT)/cms/)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The linkage hub on :8100 and two partnerships, Northbridge on :8000 and Eastfield on :8001, each
# with its own database under var/demo-hub/; both send their encodings and see the alert.
demo-hub: $(VENV)/.base-installed | var
	$(BIN)/python testing/demo_hub.py

# Debian's chromium drives the browser tests; Playwright cannot download a browser here. zbar reads
# the two-factor QR code back from a screenshot, as a phone would.
browser:
	@if (command -v chromium >/dev/null 2>&1 || [ -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" ]) && command -v zbarimg >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium and zbar-tools for the browser tests..."; \
		(apt-get install -y -qq --no-install-recommends chromium zbar-tools >/dev/null 2>&1 || \
		 (apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium zbar-tools >/dev/null)) ; \
	else \
		echo "The browser tests need Chromium. Install it (Debian: sudo apt-get install chromium)" >&2; \
		echo "or set CHROMIUM_PATH to a Chromium binary, then run make test again." >&2; exit 1; \
	fi

check: $(VENV)/.dev-installed | var
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/mypy --config-file linkagehub/mypy.ini
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check
	$(BIN)/python -m linkagehub makemigrations --check --dry-run
	$(BIN)/python -m linkagehub check

# The linkage hub is a Django project of its own: a second pytest with its settings, on the same
# PostgreSQL as the app's when DATABASE_URL is set (its own test database), else SQLite.
test: check browser pdf nginx redis | var
	$(BIN)/pytest
	HUB_DATABASE_URL="$${HUB_DATABASE_URL:-$$DATABASE_URL}" \
		$(BIN)/pytest --ds=linkagehub.settings --confcutdir=linkagehub linkagehub

# Generated hostile input to every form, query string and API endpoint (seethesigns/tests/):
# at least 10,000 inputs and 0 server errors. `make test` runs the same tests with a few inputs.
fuzz: $(VENV)/.dev-installed pdf | var
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-200} FUZZ_MIN_INPUTS=10000 \
		$(BIN)/pytest seethesigns/tests/test_fuzz.py -q -p no:warnings

# nginx serves the pre-rendered pages in production; a test checks the configuration we generate.
nginx:
	@if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's nginx..."; \
		(apt-get install -y -qq --no-install-recommends nginx-light >/dev/null 2>&1 || \
		 (apt-get update -qq && apt-get install -y -qq --no-install-recommends nginx-light >/dev/null)); \
	else \
		echo "nginx is not installed: the test of its configuration is skipped (Debian:" >&2; \
		echo "sudo apt-get install nginx-light)." >&2; \
	fi

# The fault-injection tests start a redis-server of their own, then stop it mid-journey.
redis:
	@if command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's redis-server (the tests start and stop their own)..."; \
		(apt-get install -y -qq --no-install-recommends redis-server >/dev/null 2>&1 || \
		 (apt-get update -qq && apt-get install -y -qq --no-install-recommends redis-server >/dev/null)); \
	else \
		echo "redis-server is not installed: the fault-injection tests are skipped (Debian:" >&2; \
		echo "sudo apt-get install redis-server)." >&2; \
	fi

# The public pages against nginx sending the same bytes, side by side (docs/benchmarks.md).
bench: $(VENV)/.base-installed nginx | var
	@if ! command -v wrk >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's wrk..."; \
			(apt-get install -y -qq --no-install-recommends wrk >/dev/null 2>&1 || \
			 (apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null)); \
		else echo "make bench needs wrk (Debian: sudo apt-get install wrk)." >&2; exit 1; fi; \
	fi
	PATH="/usr/sbin:$$PATH" $(BIN)/python bench/run.py

# The CSE team's records at a million rows, and the matching's precision and recall.
bench-records: $(VENV)/.base-installed nginx | var
	PATH="/usr/sbin:$$PATH" $(BIN)/python bench/records.py scale

# The problem profile's page at 1 % and 100 % of ~1.5 million rows (docs/benchmarks.md).
bench-profile: $(VENV)/.base-installed nginx | var
	PATH="/usr/sbin:$$PATH" $(BIN)/python bench/profile.py

# The overnight run (manage.py match_people) on a million generated people: time, peak memory.
bench-people: $(VENV)/.base-installed nginx | var
	PATH="/usr/sbin:$$PATH" $(BIN)/python bench/people.py

# The linkage hub at national scale (issue 21): 3 million encodings; the hub matching new ones on
# PostgreSQL, and the full re-linkage on Spark (master and two workers on loopback, Java 17).
# pyspark has its own lock, installed here only: never by `make run` or `make test`.
$(VENV)/.bench-installed: requirements/bench.txt $(VENV)/.base-installed
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/bench.txt
	touch $@

bench-hub: $(VENV)/.bench-installed | var
	@command -v java >/dev/null 2>&1 || { echo "make bench-hub needs Java 17 for Spark (Debian: sudo apt-get install openjdk-17-jre-headless)." >&2; exit 1; }
	$(BIN)/python bench/hub_scale.py

join-the-dots: $(VENV)/.dev-installed nginx | var
	$(BIN)/python bench/matching.py
	$(BIN)/python bench/linkage.py
	PATH="/usr/sbin:$$PATH" $(BIN)/python bench/records.py quality

# Mixed traffic at a steady rate for SOAK_SECONDS (default 600) against the production set-up.
soak: $(VENV)/.base-installed | var
	$(BIN)/python bench/soak.py

# wapiti3 and sqlmap against the app in gunicorn and PostgreSQL, anonymously and as each demo role, and
# bandit over the code; fails on any finding of medium or more (docs/security-scan.md). Reports
# in var/scan/. Not part of `make test`: it takes about 45 minutes on two cores.
scan: $(VENV)/.base-installed $(SCAN_VENV)/.installed | var
	$(BIN)/python -m scan.run

# Lighthouse (npm, pinned in bench/lighthouse/package-lock.json) on each public page, mobile.
lighthouse: $(VENV)/.base-installed nginx browser | var
	cd bench/lighthouse && npm ci --no-audit --no-fund --loglevel=error
	PATH="/usr/sbin:$$PATH" $(BIN)/python bench/run.py --lighthouse

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

screenshots: $(VENV)/.dev-installed browser | var
	$(BIN)/python -m testing.screenshots docs/screenshots

lock: $(VENV)/.dev-installed
	cd requirements && ../$(BIN)/pip-compile -q --generate-hashes --allow-unsafe --strip-extras base.in -o base.txt
	cd requirements && ../$(BIN)/pip-compile -q --generate-hashes --allow-unsafe --strip-extras dev.in -o dev.txt
	cd requirements && ../$(BIN)/pip-compile -q --generate-hashes --allow-unsafe --strip-extras scan.in -o scan.txt
	cd requirements && ../$(BIN)/pip-compile -q --generate-hashes --allow-unsafe --strip-extras bench.in -o bench.txt
	rm -rf var/nodeps && $(BIN)/pip download --quiet --no-deps --only-binary=:all: -r requirements/nodeps.in -d var/nodeps
	{ echo "# Generated by \`make lock\` from nodeps.in: install with"; \
	  echo "#   pip install --no-deps --require-hashes -r requirements/nodeps.txt"; \
	  for wheel in var/nodeps/*.whl; do \
	    echo "$$(basename $$wheel | cut -d- -f1,2 | sed 's/-/==/') \\"; \
	    echo "    $$($(BIN)/pip hash $$wheel | tail -1)"; \
	  done; } > requirements/nodeps.txt

clean:
	rm -rf $(VENV) $(SCAN_VENV) var
