# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)

.PHONY: run test lint install clean

# Create the virtual environment and install the project with its development tools.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

# Set up, migrate the database (SQLite by default) and start: Slack/Teams when their
# credentials are in the environment or .env, otherwise the console.
run: $(STAMP)
	$(BIN)/kpicoach migrate
	$(BIN)/kpicoach start

# Set up and run everything CI runs: formatting, lint, types, and the tests.
# TEST_DATABASE_URL=postgresql+asyncpg://... runs the tests against PostgreSQL.
test: $(STAMP) lint
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .hypothesis *.egg-info kpicoach.db
