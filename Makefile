# Jeda: every target creates .venv and installs what it needs on a fresh machine
# that has only Python 3.11+ and make.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test run bench check validate clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Jeda needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# setuptools' editable build tells, as a UserWarning, that folders named like the
	@# package could shadow it: true of every checkout, and noise before the first demo.
	PYTHONWARNINGS=ignore::UserWarning $(BIN)/python -m pip install --quiet -e '.[test,dev]'
	@touch $(STAMP)

demo: $(STAMP)  ## Talk to Jeda in this terminal, through the local simulator (no token)
	$(BIN)/python -m bot demo

test: $(STAMP)  ## Run the whole test suite
	$(BIN)/python -m pytest

run: $(STAMP)  ## Run the bot on Telegram (needs TELEGRAM_BOT_TOKEN)
	$(BIN)/python -m bot run

validate: $(STAMP)  ## Check the content folder
	$(BIN)/python -m bot validate

bench: $(STAMP)  ## Print the benchmark figures (see BENCHMARKS.md)
	@for script in bench/*_bench.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

check: $(STAMP)  ## Lint and type-check
	$(BIN)/ruff check bot storage tests bench
	$(BIN)/mypy --strict bot/core storage
	$(BIN)/mypy bot

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
