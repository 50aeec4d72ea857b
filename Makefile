# Two commands on a fresh machine: `make brief` (set-up, then the default bundle) and `make test`.
# Every Python package comes from uv.lock, with its hashes: `make lock` after editing pyproject.toml's dependencies.
VENV ?= .venv
PY := $(VENV)/bin/python
BRIEFKIT := $(VENV)/bin/briefkit
PYTHON ?= python3
UV_HOME := .uv
UV := $(UV_HOME)/bin/uv

# uv installs into .venv with this machine's python3, never a Python of its own, and only what uv.lock says:
# `--locked` fails when pyproject.toml has changed since the lock was made, rather than resolving anew.
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON_PREFERENCE := only-system
SYNC := $(UV) sync --locked --python $(PYTHON)

.PHONY: brief test test-fast test-unpatched typecheck bench setup setup-test system-deps lock lock-upgrade \
	all-audiences clean

brief: setup
	$(BRIEFKIT) build --audience analyst --out build

all-audiences: setup
	$(BRIEFKIT) build --audience all --out build

system-deps:
	@./scripts/system-deps.sh

# The runtime packages, exactly as locked; --inexact keeps the test and bench extras if they are there.
setup: system-deps $(UV)
	@$(SYNC) --inexact --quiet
	@$(PY) -m compileall -q src  # an editable install leaves briefkit's modules uncompiled until first run

# The runtime packages and the test extra, exactly as locked, and nothing else; and the system packages the tests
# read outputs with (scripts/system-deps.sh --test).
setup-test: $(UV)
	@./scripts/system-deps.sh --test
	@$(SYNC) --extra test --quiet
	@$(PY) -m compileall -q src

$(UV): scripts/uv-requirements.txt
	$(PYTHON) -m venv $(UV_HOME)
	$(UV_HOME)/bin/pip install --quiet --require-hashes --no-deps -r scripts/uv-requirements.txt
	@touch $@

# The whole suite: lint, types, then every test. CI runs it, then the tests again with BRIEFKIT_NO_PATCHES=1.
test: setup-test
	$(VENV)/bin/ruff check src tests
	$(PY) -m mypy
	$(PY) -m pytest -q

# mypy on src/, as configured in pyproject.toml ([tool.mypy]).
typecheck: setup-test
	$(PY) -m mypy

# The edit loop (about a minute on an idle machine): lint, types, and the tests not marked `slow` (no full build; see tests/conftest.py).
test-fast: setup-test
	$(VENV)/bin/ruff check src tests
	$(PY) -m mypy
	$(PY) -m pytest -q -m "not slow"

# The same suite with every patch of a library's internals switched off.
test-unpatched: setup-test
	BRIEFKIT_NO_PATCHES=1 $(PY) -m pytest -q

# After editing pyproject.toml's dependencies: resolve again, keeping every other locked version.
lock: $(UV)
	$(UV) lock --python $(PYTHON)

# Every package to the newest release pyproject.toml allows; then `make test` before committing uv.lock.
lock-upgrade: $(UV)
	$(UV) lock --upgrade --python $(PYTHON)

# Timings against pandoc, rebuilds, scaling to 100x the fact base: benchmarks/results/latest.json, docs/performance.md.
# BENCH_REPEAT=1 BENCH_SCALES=1,10 make bench for a quick run.
bench: setup
	@$(SYNC) --inexact --extra bench --quiet
	$(PY) benchmarks/run.py
	$(PY) benchmarks/report.py benchmarks/results/latest.json

clean:
	rm -rf build
