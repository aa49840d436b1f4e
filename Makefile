# The two commands: `make run` and `make test`. Both create .venv and install what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test install lint-imports lint clean-var

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

run: install  ## the embedded default: SQLite under var/, migrations applied, demo data, API on 127.0.0.1:8000
	$(BIN)/wizamart db upgrade
	$(BIN)/wizamart demo seed
	$(BIN)/wizamart serve --host 127.0.0.1 --port 8000

test: install  ## the whole suite on the embedded default (PostgreSQL/Redis too when WIZAMART_TEST_* are set)
	$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

lint-imports: install
	$(BIN)/lint-imports --no-cache

lint: install  ## ruff and the import contracts
	$(BIN)/ruff check domain application contracts adapters entrypoints migrations tests benchmarks
	$(BIN)/lint-imports --no-cache

clean-var:
	rm -rf var/*.db var/*.db-wal var/*.db-shm
