# Two commands do everything: `make run` and `make test` (see README.md).
VENV ?= .venv
PYTHON ?= python3
FLASK := $(VENV)/bin/flask --app tracker
# The database tests also run against PostgreSQL when this is set (CI sets it; unset it with
# `make test TEST_POSTGRES_URL=` on a machine without the server).
TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test
export TEST_POSTGRES_URL

.PHONY: install run test lint format clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(FLASK) db upgrade
	$(FLASK) seed --demo
	@echo "Open http://127.0.0.1:5000/ and sign in with one of the logins above."
	$(FLASK) serve --host 127.0.0.1 --port 5000

# The suite runs on every core (pytest-xdist); each worker has its own SQLite files and its own
# PostgreSQL database beside TEST_POSTGRES_URL's. `make test PYTEST_WORKERS=0` runs it in one process.
PYTEST_WORKERS ?= auto

test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS)

lint: install
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
