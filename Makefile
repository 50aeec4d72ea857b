# Two commands on a fresh machine: `make brief` (set-up, then the default bundle) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
BRIEFKIT := $(VENV)/bin/briefkit
PYTHON ?= python3

.PHONY: brief test bench setup system-deps lint all-audiences clean

brief: setup
	$(BRIEFKIT) build --audience analyst --out build

all-audiences: setup
	$(BRIEFKIT) build --audience all --out build

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml scripts/system-deps.sh
	@./scripts/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

test: setup
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/pytest -q

bench: setup
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) benchmarks/run.py

clean:
	rm -rf build
