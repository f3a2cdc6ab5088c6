# Two commands do everything: `make run` and `make test` (see README.md).
VENV ?= .venv
PYTHON ?= python3
FLASK := $(VENV)/bin/flask --app tracker
# The database tests also run against PostgreSQL when this is set (CI sets it; unset it with
# `make test TEST_POSTGRES_URL=` on a machine without the server).
TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test
export TEST_POSTGRES_URL

.PHONY: install run test lint format clean translations catalogues

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Translations: `make translations` extracts every marked string (babel.cfg), merges it into the
# catalogues under translations/ and compiles them; `make run` and `make test` compile them first.
PYBABEL := $(VENV)/bin/pybabel
BABEL_KEYWORDS := -k _l -k lazy_gettext -k ngettext:1,2 -k _n:1,2

translations: install
	$(PYBABEL) extract -F babel.cfg $(BABEL_KEYWORDS) --ignore-dirs ".* __pycache__" --no-location --sort-output \
		--omit-header -o translations/messages.pot .
	$(PYBABEL) update -i translations/messages.pot -d translations \
		--ignore-obsolete --no-fuzzy-matching
	$(PYBABEL) compile -d translations --statistics

catalogues: install
	$(PYBABEL) compile -d translations

run: install catalogues
	$(FLASK) db upgrade
	$(FLASK) seed --demo
	@echo "Open http://127.0.0.1:5000/ and sign in with one of the logins above."
	$(FLASK) serve --host 127.0.0.1 --port 5000

# The suite runs on every core (pytest-xdist); each worker has its own SQLite files and its own
# PostgreSQL database beside TEST_POSTGRES_URL's. `make test PYTEST_WORKERS=0` runs it in one process.
PYTEST_WORKERS ?= auto

test: install catalogues
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS)

lint: install
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
