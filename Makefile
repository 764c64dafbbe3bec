# The two commands a new machine needs: `make demo` and `make test`.
# Both create .venv and install the package with its dev extras on first use.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= out

.PHONY: demo test test-fast test-reliability lint bench eval schema clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/communique demo --out $(OUT)

# -n auto: one worker per core; --dist loadfile keeps a file's tests (and its costly module fixtures) on one worker
test: $(STAMP)
	$(PY) -m pytest -q -n auto --dist loadfile

test-fast: $(STAMP)
	$(PY) -m pytest -q -n auto --dist loadfile -m "not slow"

test-reliability: $(STAMP)
	$(PY) -m pytest -q tests/reliability

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks scripts

bench: $(STAMP)
	$(PY) benchmarks/throughput.py

schema: $(STAMP)
	$(VENV)/bin/communique schema > src/communique/schema/communique-1.schema.json

clean:
	rm -rf $(VENV) $(OUT) build *.egg-info src/*.egg-info .pytest_cache
