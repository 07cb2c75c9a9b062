# rectify-bot: `make run` starts the bot (without a token: the playground), `make test` checks all.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck layers pytest bench screenshot clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres]'
	touch $(STAMP)

run: $(STAMP)  ## install and start: the bot with BOT_TOKEN, else the playground on 127.0.0.1:8080
	$(BIN)/rectify-bot

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

bench: $(STAMP)  ## print the benchmark figures (not a test); BENCH_ARGS="--full" or "fanout --tiny" …
	$(BIN)/python -m bench $(BENCH_ARGS)

screenshot: $(STAMP)  ## photograph the playground page into docs/playground.png (needs Chromium)
	$(BIN)/python -m tools.screenshot docs/playground.png

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
