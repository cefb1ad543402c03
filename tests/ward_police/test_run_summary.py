"""The test run's summary says when the PostgreSQL-only tests were skipped, and how to run them
(tests/conftest.py: pytest_terminal_summary)."""

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

from django.db import connection

from tests.conftest import POSTGRES_COMMAND, postgres_only_skips, pytest_terminal_summary

ROOT = Path(__file__).resolve().parents[2]


def skipped(path: str, reason: str) -> SimpleNamespace:
    return SimpleNamespace(longrepr=(path, 1, f"Skipped: {reason}"), location=(path, 0, "test"))


SKIPS = [
    skipped("tests/violations/test_concurrency.py", "signing needs PostgreSQL; use DATABASE_URL"),
    skipped("tests/violations/test_business_audit.py", "condition: connection.vendor != 'postgresql'"),
    skipped("tests/violations/test_business_audit.py", "condition: connection.vendor != 'postgresql'"),
    skipped("tests/violations/test_views.py", "the notice is for the embedded SQLite database"),
    skipped("tests/faults/test_postgres_restart.py", "no PostgreSQL binaries (apt-get install postgresql)"),
]


class Terminal:
    def __init__(self, reports):
        self.stats = {"skipped": reports}
        self.lines: list[str] = []

    def write_sep(self, sep, title, **markup):
        self.lines.append(title)

    def write_line(self, line, **markup):
        self.lines.append(line)


def test_only_the_skips_that_need_a_postgresql_database_are_counted():
    chosen = postgres_only_skips(SKIPS)

    assert [r.location[0] for r in chosen] == [
        "tests/violations/test_concurrency.py",
        "tests/violations/test_business_audit.py",
        "tests/violations/test_business_audit.py",
    ]


def test_on_sqlite_the_summary_names_the_skipped_tests_and_the_command_to_run_them():
    terminal = Terminal(SKIPS)

    with mock.patch.object(connection, "vendor", "sqlite"):
        pytest_terminal_summary(terminal, 0, None)

    assert terminal.lines == [
        "3 PostgreSQL-only tests skipped",
        "3 PostgreSQL-only tests skipped (no DATABASE_URL: this run used SQLite), in "
        "tests/violations/test_business_audit.py, tests/violations/test_concurrency.py.",
        f"To run them, with PostgreSQL and Redis on 127.0.0.1: {POSTGRES_COMMAND}",
    ]


def test_nothing_is_said_on_postgresql_or_when_nothing_was_skipped():
    on_postgres, nothing_skipped = Terminal(SKIPS), Terminal(SKIPS[3:])

    with mock.patch.object(connection, "vendor", "postgresql"):
        pytest_terminal_summary(on_postgres, 0, None)
    with mock.patch.object(connection, "vendor", "sqlite"):
        pytest_terminal_summary(nothing_skipped, 0, None)

    assert on_postgres.lines == [] and nothing_skipped.lines == []


def test_a_run_without_database_url_ends_with_the_line():
    # Every test of this module is skipped on SQLite, so the run opens no database.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "tests/violations/test_business_audit.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    assert (
        "2 PostgreSQL-only tests skipped (no DATABASE_URL: this run used SQLite), in "
        "tests/violations/test_business_audit.py." in run.stdout
    )
    assert f"To run them, with PostgreSQL and Redis on 127.0.0.1: {POSTGRES_COMMAND}" in run.stdout
