# Two commands on a fresh clone: `make app` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: app test bench data clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

app: $(VENV)/.installed
	$(BIN)/streamlit run streamlit_app.py --server.address localhost --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py

# Rebuild the packaged datasets from ../shared/data (developers only).
data: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python scripts/build_uk_itl1.py
	$(BIN)/python scripts/build_england_la.py
	$(BIN)/python scripts/build_uk_national.py
	$(BIN)/python scripts/build_outcomes.py
	$(BIN)/python scripts/build_needs_itl1.py
	$(BIN)/python scripts/build_needs_england_la.py
	$(BIN)/python scripts/build_income_tax.py
	$(BIN)/python scripts/build_england_lsoa.py
	@if [ -f scripts/build_reference_presets.py ]; then $(BIN)/python scripts/build_reference_presets.py; fi
	$(BIN)/python scripts/data_manifest.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info test-output
