# Lvzhi 履职 — the two set-up commands: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test setup lint bench clean

$(BIN)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[test]"
	touch $@

setup: $(BIN)/.installed

## make run: set up, migrate, load the demo data (idempotent), serve on http://127.0.0.1:8000
run: setup
	$(BIN)/lvzhi migrate --noinput
	$(BIN)/lvzhi demo
	@echo "Task worker started in the background (SMS, e-mail); serving on http://$(HOST):$(PORT)/"
	@$(BIN)/lvzhi db_worker --interval 1 >var/worker.log 2>&1 & echo $$! > var/worker.pid; \
	  trap 'kill $$(cat var/worker.pid) 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/lvzhi runserver $(HOST):$(PORT)

## make test: set up, check the import layers (import-linter, pyproject.toml), run every test in parallel (browser
## tests run when Chromium is installed)
JOBS ?= auto
test: setup
	$(BIN)/lint-imports
	$(BIN)/pytest -q -n $(JOBS)

lint: setup
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) var staticfiles
