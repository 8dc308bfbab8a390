#!/usr/bin/env bash
# Runs every test: unit, integration and browser tests, on SQLite and again on PostgreSQL when one is reachable.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

if [ ! -x /usr/bin/chromium ]; then
  echo "== Installing Debian's chromium for the browser tests"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null \
    || { echo "Could not install chromium: the browser tests cannot run."; exit 1; }
fi

PG_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test}"
status=0

# The tests run in parallel, one process per core (pytest-xdist), each with its own SQLite file or PostgreSQL
# database, its own browser and its own live server. KRING_TEST_PROCESSES=N sets the count; 0 runs in this process.
PROCESSES="${KRING_TEST_PROCESSES:-auto}"
XDIST=(-n "$PROCESSES" --dist worksteal --durations=10)
[ "$PROCESSES" = 0 ] && XDIST=(-p no:xdist --durations=10)

took() { echo "== $1 run took $((SECONDS / 60)) min $((SECONDS % 60)) s"; }

echo "== Tests on SQLite"
SECONDS=0
KRING_TEST_DATABASE_URL= $BIN/python -m pytest "${XDIST[@]}" "$@" || status=1
took SQLite

# The browser tests drive the same routes the HTTP tests cover on both databases; they run once, on SQLite, to keep
# the whole suite well under 20 minutes. KRING_E2E_ON_POSTGRES=1 runs them on PostgreSQL too.
PG_ARGS=(--ignore-glob='e2e/*')
[ "${KRING_E2E_ON_POSTGRES:-}" = 1 ] && PG_ARGS=()

if $BIN/python scripts/pg_reachable.py "$PG_URL"; then
  echo "== Tests on PostgreSQL ($($BIN/python scripts/pg_reachable.py --describe "$PG_URL"))${PG_ARGS:+, browser tests left to the SQLite run}"
  PG_XDIST=("${XDIST[@]}")
  if [ "$PROCESSES" != 0 ] && ! $BIN/python scripts/pg_reachable.py --may-create-databases "$PG_URL"; then
    echo "== Its user may not create databases (one per test process): the PostgreSQL run uses one process."
    PG_XDIST=(-p no:xdist --durations=10)
  fi
  SECONDS=0
  KRING_TEST_DATABASE_URL="$PG_URL" $BIN/python -m pytest "${PG_XDIST[@]}" "${PG_ARGS[@]}" "$@" || status=1
  took PostgreSQL
else
  echo "== SKIPPED the PostgreSQL run: no PostgreSQL server answered at $($BIN/python scripts/pg_reachable.py --describe "$PG_URL") (set DATABASE_URL to test against one)."
fi

if [ $status -ne 0 ]; then echo "== Some tests FAILED (see above)."; else echo "== All test runs passed."; fi
exit $status
