# Qiangji: `make run` serves the portal with the demo county and starts the background worker beside it (bin/run);
# `make test` runs the whole suite;
# `make lint` runs ruff and the migrations check; `make load` runs the load test (bin/load-test: gunicorn + locust on loopback, PostgreSQL by default).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test lint load install install-test i18n clean

$(PY):
	@bin/check-system
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) install --quiet -e ".[test]"
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	@bin/check-system
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py seed_demo --if-empty
	@echo "Qiangji: http://$(HOST):$(PORT)/ with a background worker for large exports  (Ctrl-C stops both)"
	PY=$(PY) HOST=$(HOST) PORT=$(PORT) bin/run

test: install-test
	@bin/check-system
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install-test
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

load: install
	bin/load-test

i18n: install-test
	PY=$(PY) bin/i18n

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles var test-artifacts
