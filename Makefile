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
	$(PY) -m compileall -q src  # an editable install leaves briefkit's modules uncompiled until first run
	@touch $@

test: setup
	@./scripts/system-deps.sh --test  # LibreOffice, to read the DOCX and PPTX as readers' software does
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/pytest -q

# Timings against pandoc, rebuilds, scaling to 100x the fact base: benchmarks/results/latest.json, docs/performance.md.
# BENCH_REPEAT=1 BENCH_SCALES=1,10 make bench for a quick run.
bench: setup
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) benchmarks/run.py
	$(PY) benchmarks/report.py benchmarks/results/latest.json

clean:
	rm -rf build
