# The README's commands. Each one creates .venv and installs the project first when needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: install demo test chaos bench lint asyncapi schemas clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/newsflow demo

test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

chaos: install  # the chaos and fuzz tests alone (they are also part of `make test`)
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/chaos

bench: install
	$(BIN)/python -m bench

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy services

asyncapi: install
	$(BIN)/python -m services.asyncapi

schemas: install  # docs/schemas/: the JSON Schema of every stream's message
	$(BIN)/python -m services.schemas

clean:
	rm -rf $(VENV) .newsflow
