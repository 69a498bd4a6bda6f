# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)

.PHONY: run test lint install clean teams-e2e e2e-deps

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
# TEST_DATABASE_URL=postgresql+asyncpg://... runs the tests against PostgreSQL (each worker on
# a database of its own; tests that never reach the database run only without it).
# The tests run on TEST_WORKERS processes (one per core by default), a test file to a worker.
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
test: $(STAMP) lint e2e-deps
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

# The Teams end-to-end check: atk validates the manifest, then Microsoft's Agents Playground
# drives the bot in chromium. Screenshots and logs go to the folder it prints (or TEAMS_E2E_OUT).
# Microsoft's Teams client and toolkit for the Teams end-to-end test, when npm is here; without
# it that one test is skipped (and fails under CI=true, where npm is expected).
e2e-deps:
	@if ! command -v npm >/dev/null 2>&1; then \
	  echo "npm not found: the Teams end-to-end test will be skipped"; \
	elif [ ! -f e2e/teams/node_modules/.package-lock.json ] || \
	     [ e2e/teams/package-lock.json -nt e2e/teams/node_modules/.package-lock.json ]; then \
	  cd e2e/teams && npm ci --no-audit --no-fund --loglevel=error; \
	fi

teams-e2e: $(STAMP) e2e-deps
	$(BIN)/python -m e2e.teams.run $(if $(TEAMS_E2E_OUT),--out $(TEAMS_E2E_OUT))

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .hypothesis *.egg-info kpicoach.db
