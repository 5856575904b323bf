# The one entry point. `make demo` runs the demo; `make test` runs every check and test.
VENV   ?= .venv
PYTHON ?= python3
PY      = $(VENV)/bin/python
BIN     = $(VENV)/bin

.PHONY: install browser build size check fmt test test-fast e2e screenshots bench demo clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Debian's Chromium for the browser tests (Playwright cannot download its own here).
browser:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium (needs root)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

build: install
	node widget/build.mjs

size: build
	node widget/build.mjs --size

check: install
	$(BIN)/ruff check backend tests benchmarks
	$(BIN)/ruff format --check backend tests benchmarks
	$(BIN)/mypy
	npx tsc --noEmit -p tsconfig.json
	npx prettier --check widget package.json tsconfig.json

fmt: install
	$(BIN)/ruff check --fix backend tests benchmarks
	$(BIN)/ruff format backend tests benchmarks
	npx prettier --write widget package.json tsconfig.json

# Everything: lint and types, the bundle and its size budget, API tests and browser tests.
test: check build browser
	npm test
	$(PY) -m pytest

# Without the browser.
test-fast: build
	npm test
	$(PY) -m pytest -m "not e2e"

e2e: build browser
	$(PY) -m pytest -m e2e

# The browser tests save screenshots to build/screenshots; this refreshes the README's copies.
screenshots: e2e
	mkdir -p docs/screenshots
	cp build/screenshots/panel-light.png build/screenshots/panel-dark.png \
	  build/screenshots/panel-mobile.png docs/screenshots/

bench: build
	$(PY) benchmarks/wire_bytes.py
	$(PY) benchmarks/bundle_size.py

demo: build
	$(BIN)/backend serve

clean:
	rm -rf $(VENV) node_modules backend/static/widget.js .mypy_cache .ruff_cache .pytest_cache
