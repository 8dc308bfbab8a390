"""The clock of a test run: `--at MOMENT` runs the tests as if the clock read MOMENT (a pytest plugin that
pyproject.toml's addopts loads for every run, so that tests/ and e2e/ both know the option).

Pages count in the household's days, weeks and months (Europe/Amsterdam) while rows are stored in UTC: a test that
works out "this week" or "this month" in the wrong one passes all day and fails around midnight, on a Monday or on
New Year's night (one did in CI, on a Monday at 01:05 in Amsterdam), and a test with a fixed date can pass a limit
one day. `pytest tests --at "2026-12-31 23:30"` tries such a moment now; the clock ticks on from there. Only this
process travels: a test that starts a worker or a server, whose processes keep the machine's clock, is skipped
(`needs_the_machines_clock`), and the browser keeps it too (take moments ahead: a cookie set to expire at a moment
before the browser's clock is gone at once).
"""
from datetime import UTC, datetime

import pytest

_travelling = False  # set once per process, by pytest_configure


def pytest_addoption(parser):
    parser.addoption("--at", metavar="MOMENT", default=None,
                     help="run as if the clock read MOMENT, in UTC ('2026-12-31 23:30'), ticking on from there")


def pytest_configure(config):
    global _travelling
    moment = config.getoption("--at")
    if moment:
        import time_machine
        config.kring_travel = time_machine.travel(datetime.fromisoformat(moment).replace(tzinfo=UTC), tick=True)
        config.kring_travel.start()
        _travelling = True


def pytest_unconfigure(config):
    if getattr(config, "kring_travel", None):
        config.kring_travel.stop()


def needs_the_machines_clock(what: str) -> None:
    """Called before a test starts another process: with --at that process would live at another moment."""
    if _travelling:
        pytest.skip(f"--at: {what} would keep the machine's clock")
