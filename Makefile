# The two commands: `make run` and `make test`. Both create .venv and install what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test install lint-imports lint clean-var benchmarks

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

run: export WIZAMART_ADMIN_TOKEN ?= dev-admin-token
run: install  ## the embedded default: SQLite under var/, migrations applied, API on 127.0.0.1:8000
	$(BIN)/wizamart db upgrade
	@echo "admin API token: $$WIZAMART_ADMIN_TOKEN (Authorization: Bearer ...)"
	$(BIN)/wizamart serve --host 127.0.0.1 --port 8000

test: install  ## the whole suite on the embedded default (PostgreSQL/Redis too when WIZAMART_TEST_* are set)
	$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

lint-imports: install
	$(BIN)/lint-imports --no-cache

lint: lint-imports

clean-var:
	rm -rf var/*.db var/*.db-wal var/*.db-shm
