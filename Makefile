# Everything runs from .venv, created on first use. Only Python 3.11 is needed for `make run`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Two stamps: the runtime dependencies (what `make run`, `make worker` and `make beat` need) and the
# `dev` extra (tests and tools). `make install` is the developer's set-up: both.
RUNTIME_STAMP := $(VENV)/.installed-runtime
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The address `make run` serves; PUBLIC_BASE_URL (the posters' QR codes) defaults to it unless it is
# set in the environment or .env. With HOST=0.0.0.0 set PUBLIC_BASE_URL to the address phones use.
SERVED_URL := http://$(HOST):$(PORT)

.PHONY: install install-runtime run test worker beat bench lint format migrate seed messages clean backup restore

$(RUNTIME_STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found); set PYTHON=..."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUNTIME_STAMP)

$(STAMP): $(RUNTIME_STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install-runtime: $(RUNTIME_STAMP)

install: $(STAMP)

migrate: install-runtime
	$(BIN)/python manage.py migrate --noinput

# Seeds once: var/.seeded marks a database that already has the demo data.
run: migrate
	@mkdir -p var
	@test -f var/.seeded || { DEBUG=true $(BIN)/python manage.py seed_demo && touch var/.seeded; }
	SERVED_URL=$(SERVED_URL) DEBUG=$${DEBUG:-true} $(BIN)/python manage.py runserver $(HOST):$(PORT)

seed: migrate
	DEBUG=true $(BIN)/python manage.py seed_demo

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

worker: install-runtime
	$(BIN)/celery -A ward_police worker --loglevel=INFO --concurrency=$${WORKER_CONCURRENCY:-2}

beat: install-runtime
	$(BIN)/celery -A ward_police beat --loglevel=INFO

bench: install
	@test -f bench/__main__.py || { echo "No benchmarks yet: bench/ is filled by the Benchmarks issue."; exit 1; }
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && apt-get update -qq && apt-get install -y -qq wrk >/dev/null; } \
		|| { echo "wrk is needed (Debian/Ubuntu: apt-get install wrk)"; exit 1; }
	$(BIN)/python -m bench

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	$(BIN)/python manage.py makemessages -l vi --ignore=.venv --ignore=var --ignore=tests --no-obsolete
	$(BIN)/python scripts/po_fill.py

clean:
	rm -rf $(VENV) var/static var/test-media

# Backups: database (pg_dump or SQLite copy) and media into var/backups/<timestamp>/.
backup: install-runtime
	$(BIN)/python manage.py backup

# make restore FROM=var/backups/<timestamp>
restore: install-runtime
	@test -n "$(FROM)" || { echo "usage: make restore FROM=var/backups/<timestamp>"; exit 1; }
	$(BIN)/python manage.py restore "$(FROM)" --yes
