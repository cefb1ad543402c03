import os
import re

import pytest

from accounts.roles import Role

from .factories import UserFactory, WardFactory

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be allowed.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_reference_data():
    """Reference data is kept in the cache (ward_police/refdata.py) and the database's rows are
    rolled back after each test, on SQLite under ids the next test gets again: no test reads an
    entry an earlier one stored (a new epoch; the cache's other keys, e.g. a Redis broker's
    queues sharing its database, are left alone)."""
    from ward_police import refdata

    refdata.forget_all()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): …` runs what the block left for its commit at the block's end, as a
    real commit would, and the reference data's version bumps that the test's fixtures left
    waiting (ward_police/refdata.py): a test's own transaction never commits, and until it does
    the data it wrote is read from the database, never from the cache."""
    from contextlib import contextmanager

    from django.db import connection

    from ward_police import refdata

    @contextmanager
    def block():
        with django_capture_on_commit_callbacks(execute=True):
            yield
        for _savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, refdata._Bump) and not callback.done:
                callback()

    return block


@pytest.fixture
def ward_a(db):
    return WardFactory(name="Phường Điện Biên", code="A-DB")


@pytest.fixture
def ward_b(db):
    return WardFactory(name="Phường Ngọc Hà", code="B-NH")


@pytest.fixture
def alice(ward_a):
    """An officer of ward A."""
    return UserFactory(username="alice", ward=ward_a, role=Role.OFFICER)


@pytest.fixture
def lena(ward_a):
    """The ward police leader of ward A."""
    return UserFactory(username="lena", ward=ward_a, role=Role.LEADER)


@pytest.fixture
def charlie(ward_a):
    """The chairman of ward A: reads, never writes."""
    return UserFactory(username="charlie", ward=ward_a, role=Role.CHAIRMAN)


@pytest.fixture
def bob(ward_b):
    """An officer of ward B."""
    return UserFactory(username="bob", ward=ward_b, role=Role.OFFICER)


@pytest.fixture
def root(ward_a):
    """An administrator (superuser)."""
    return UserFactory(username="root", ward=ward_a, role=Role.ADMIN, is_superuser=True, is_staff=True)


@pytest.fixture
def users(alice, lena, charlie, bob, root):
    return {"officer": alice, "leader": lena, "chairman": charlie, "other_ward_officer": bob, "admin": root}


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the dashboards cache their panels per ward id and
    version (#28), and a rolled-back test's ward id comes back in the next test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _sqlite_signed_record_guards(request):
    """Transactional tests end with a flush (DELETE FROM every table). On SQLite the triggers that
    keep signed violation records undeletable would refuse it (PostgreSQL's TRUNCATE bypasses
    row triggers), so they are lifted just before the flush; the post_migrate signal that the
    flush sends puts them back (violations.apps)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or (
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from django.db import connection

    if connection.vendor == "sqlite":
        from violations import immutability

        immutability.sqlite_uninstall(connection)


# --- the run's summary: say when the PostgreSQL-only tests did not run -------------------------

POSTGRES_COMMAND = (
    "DATABASE_URL=postgres://postgres@127.0.0.1:5432/ward_police "
    "CELERY_BROKER_URL=redis://127.0.0.1:6379/0 make test"
)


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    return longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)


def postgres_only_skips(reports) -> list:
    """The skipped tests that need PostgreSQL (their skip reason names it), apart from those that
    need software installed (an apt-get hint), which DATABASE_URL would not bring."""
    return [
        r
        for r in reports
        if re.search("postgres", _skip_reason(r), re.IGNORECASE) and "apt-get" not in _skip_reason(r)
    ]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Without DATABASE_URL the suite runs on SQLite and the PostgreSQL-only tests (concurrent
    signing, the audit history kept by triggers, the real Celery worker) are skipped: say so, and
    how to run them, just above the final line, rather than let a green run hide them."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skipped = postgres_only_skips(terminalreporter.stats.get("skipped", []))
    if not skipped:
        return
    files = sorted({r.location[0] for r in skipped})
    terminalreporter.write_sep("=", f"{len(skipped)} PostgreSQL-only tests skipped", yellow=True, bold=True)
    terminalreporter.write_line(
        f"{len(skipped)} PostgreSQL-only tests skipped (no DATABASE_URL: this run used SQLite), in "
        + ", ".join(files)
        + "."
    )
    terminalreporter.write_line(f"To run them, with PostgreSQL and Redis on 127.0.0.1: {POSTGRES_COMMAND}")


@pytest.fixture(scope="session")
def html_checker():
    """The Nu Html Checker (tests/htmlcheck.py), started once; None where Java or vnu.jar is missing
    (a developer's machine: the pages are then not checked; in CI that is a broken setup)."""
    import shutil

    from tests import htmlcheck

    jar = htmlcheck.vnu_jar()
    if jar is None or shutil.which("java") is None:
        if os.environ.get("CI"):
            pytest.fail("the Nu Html Checker needs Java and vnu.jar: .ci/run installs them", pytrace=False)
        yield None
        return
    from tests.faults.processes import free_port

    checker = htmlcheck.Checker(jar, free_port())
    yield checker
    checker.stop()
