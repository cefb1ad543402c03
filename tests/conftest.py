import os

import pytest

from accounts.roles import Role

from .factories import UserFactory, WardFactory

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be allowed.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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
