PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast install clean bench

# Set-up is quiet: pip says nothing unless something fails (-qq), and the build backend's notes about
# editable installs are not shown (PYTHONWARNINGS); `make demo` prints only the demo's own summary.
PIP := PYTHONWARNINGS=ignore $(BIN)/python -m pip install -qq --disable-pip-version-check

$(BIN)/python:
	@$(PY) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	@$(PIP) --upgrade pip
	@$(PIP) -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@$(BIN)/coprod demo --out coprod-demo --force

# The suite runs on every core (pytest-xdist), a test file's tests together in one worker so that the
# fixtures a file shares (a demo, a rendered report) are built once.
XDIST := -n auto --dist loadfile

test: $(STAMP)
	$(BIN)/python -m pytest tests $(XDIST)

test-fast: $(STAMP)
	$(BIN)/python -m pytest tests -m "not slow" $(XDIST)

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) coprod-demo build *.egg-info
