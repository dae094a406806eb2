# Kettle: `make run` to serve on http://127.0.0.1:5000, `make test` to run every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The Nu Html Checker, for the tests only: `make run` works without npm or Java.
VNU_VERSION := 26.9.27
VNU_JAR := $(VENV)/vnu/node_modules/vnu-jar/build/dist/vnu.jar

.PHONY: install run test lint format browser clean bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(VNU_JAR): | $(STAMP)
	@if command -v npm >/dev/null; then \
		npm install --silent --no-save --no-package-lock --no-audit --no-fund --ignore-scripts \
			--prefix $(VENV)/vnu vnu-jar@$(VNU_VERSION) \
		|| echo "Could not install vnu-jar, so the HTML check in make test will be skipped."; \
	else \
		echo "npm is missing, so the HTML check in make test will be skipped (or fail in CI)."; \
	fi

install: $(STAMP) $(VNU_JAR)

run: install
	$(BIN)/flask --app wsgi init-db
	$(BIN)/flask --app wsgi serve --host 127.0.0.1 --port 5000

test: install
	$(BIN)/pytest

# The benchmark harness (not part of `make test`): SIZE=10000, SIZES="10000 1000000",
# DURATION=5 and the rest are read by bench/run.py. Debian's wrk and HAProxy (for the
# PostgreSQL run through two servers) are installed if missing.
bench: install
	@{ command -v wrk >/dev/null 2>&1 && { command -v haproxy || test -x /usr/sbin/haproxy; } \
		>/dev/null 2>&1; } || { \
		if [ "$$(id -u)" -eq 0 ]; then root=; else root=sudo; fi; \
		$$root apt-get update -qq && \
		$$root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk haproxy >/dev/null; }
	$(BIN)/python bench/run.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
