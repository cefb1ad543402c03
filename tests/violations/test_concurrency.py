"""Numbering under concurrency: needs real concurrent transactions, so PostgreSQL."""

import threading

import pytest
from django.db import connection, connections

from violations import services
from violations.models import Violation

SIGNINGS = 50

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write, so concurrent signing can only be tested on PostgreSQL "
    "(SELECT ... FOR UPDATE on the counter row); run with DATABASE_URL=postgres://…",
)


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_signings_get_fifty_distinct_consecutive_numbers(make_draft, lena):
    drafts = [make_draft() for _ in range(SIGNINGS)]
    barrier = threading.Barrier(SIGNINGS)
    errors: list[BaseException] = []

    def sign(violation: Violation) -> None:
        try:
            barrier.wait(timeout=30)
            services.violation_sign(violation=violation, signed_by=lena, violator_signed=True)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=sign, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert errors == []
    numbers = sorted(Violation.objects.values_list("number", flat=True))
    assert numbers == list(range(1, SIGNINGS + 1))
