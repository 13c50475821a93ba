# Cascade: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/cascade
# The suite runs on SQLite, and on PostgreSQL too when the server above answers (CI always has it).
TEST_DATABASES ?= $(shell $(PYTHON) -c "import socket; s=socket.socket(); s.settimeout(1); print('sqlite postgres' if s.connect_ex(('127.0.0.1', 5432)) == 0 else 'sqlite')")
PYTEST_ARGS ?=

.PHONY: install demo serve test lint typecheck pytest bench lock clean

install: $(STAMP)

$(STAMP):
	@$(PYTHON) -c 'import sys; sys.exit("Cascade needs Python 3.11+") if sys.version_info < (3, 11) else None'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

demo: install
	mkdir -p var
	DEBUG=1 TASKS_BACKEND=immediate $(BIN)/cascade migrate --noinput
	DEBUG=1 TASKS_BACKEND=immediate $(BIN)/cascade seed --scale demo --if-empty
	DEBUG=1 TASKS_BACKEND=immediate $(BIN)/cascade demologins
	DEBUG=1 TASKS_BACKEND=immediate CASCADE_PUBLIC_PORT=8000 $(BIN)/cascade runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy

pytest: install
	@for db in $(TEST_DATABASES); do \
	  if [ "$$db" = postgres ]; then url="$(POSTGRES_URL)"; else url="sqlite:///:memory:"; fi; \
	  echo "== test suite on $$db"; \
	  DATABASE_URL="$$url" $(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS) || exit 1; \
	done

test: lint typecheck pytest

bench: install
	$(BIN)/python bench/run.py

# Re-resolve every dependency from pyproject.toml into requirements.lock (exact versions).
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	.venv-lock/bin/python -m pip install --quiet ".[dev]"
	.venv-lock/bin/python -m pip freeze --exclude-editable | grep -v '^cascade' > requirements.lock
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) var build src/*.egg-info
