# Kring: `make run` starts the app with the demo household; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export KRING_INSTANCE ?= $(CURDIR)/instance

.PHONY: run test install install-test translations bench load scale-out clean

# Packages go in with uv (from PyPI, into the venv): it fetches and installs them side by side, Kring and its test
# packages in about 9 s instead of pip's 25 on a clean clone. Where uv cannot be had or fails, pip does it, as before.
# --compile-bytecode writes the packages' .pyc files as pip does: this machine sets PYTHONDONTWRITEBYTECODE, so without
# them every Python process (each web process's master, the worker, each test process) compiles SQLAlchemy, Flask,
# alembic and the rest from source again, about 3 s of processor time a start (5.5 against 2.2 s for create_app).
PIP_INSTALL = if [ -x $(BIN)/uv ] && $(BIN)/uv pip install --quiet --native-tls --compile-bytecode \
	--python $(BIN)/python $(1); \
	then :; else $(BIN)/pip install --quiet $(1); fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv || $(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(call PIP_INSTALL,-e .)
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(call PIP_INSTALL,-e '.[test]')
	touch $@

install: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d translations -D messages >/dev/null
	$(BIN)/flask --app webapp build-static >/dev/null

install-test: $(VENV)/.installed-test install

run: install
	KRING_DEMO=1 $(BIN)/flask --app webapp db upgrade
	KRING_DEMO=1 $(BIN)/flask --app webapp seed-demo
	KRING_DEMO=1 $(BIN)/python -m webapp.serve

test: install-test
	bash scripts/test.sh

# Extract the message ids, update every catalog, and fill English from the ids.
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output --project Kring -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -w 100 --ignore-obsolete --no-fuzzy-matching
	$(BIN)/python scripts/fill_english.py translations/en/LC_MESSAGES/messages.po

bench: install-test
	$(BIN)/python bench/page_weight.py
	$(BIN)/python bench/page_cpu.py
	$(BIN)/python bench/signal_fanout.py
	$(BIN)/python bench/signal_storm.py
	$(BIN)/python bench/page_instructions.py  # last: it needs valgrind

# 4 members, then 200 signed-in members against the real server (a throwaway SQLite instance; about 2 minutes).
load: install-test
	$(BIN)/python bench/load.py

# Two web servers and two workers on PostgreSQL and Redis (both must run on this machine; about 1 minute).
scale-out: install-test
	$(call PIP_INSTALL,-e '.[test,redis]')
	$(BIN)/python bench/scale_out.py

clean:
	rm -rf $(VENV) build *.egg-info webapp/static_built
