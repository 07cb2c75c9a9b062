# rectify-bot: `make run` starts the bot, `make test` runs every check.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck layers pytest bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres]'
	touch $(STAMP)

run: $(STAMP)  ## install and start the bot (SQLite under ./data; needs BOT_TOKEN)
	$(BIN)/rectify-bot run

test: $(STAMP) lint typecheck layers pytest  ## install and run every check

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

layers: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	PTB_TIMEDELTA=1 $(BIN)/pytest

bench: $(STAMP)  ## print the benchmark figures (not a test)
	$(BIN)/python -m bench.sweep

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
