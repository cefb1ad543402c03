"""Numbering under concurrency: needs real concurrent transactions, so PostgreSQL."""

import threading

import pytest
from django.db import connection, connections

from documents.models import RegisterEntry, RegisterKind
from violations import services
from violations.models import Violation

SIGNINGS = 50

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write, so concurrent signing can only be tested on PostgreSQL "
    "(SELECT ... FOR UPDATE on the counter row); run with DATABASE_URL=postgres://…",
)


def run_concurrently(jobs) -> list[BaseException]:
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job) -> None:
        try:
            barrier.wait(timeout=30)
            job()
        except BaseException as exc:  # noqa: BLE001 - reported by the caller's assertion
            errors.append(exc)
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


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


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_signings_get_01_to_50_and_two_kinds_do_not_share_a_sequence(make_draft, lena):
    records = [make_draft() for _ in range(SIGNINGS)]
    working = [make_draft(stage="working_record", sanction="none", fine_amount=None) for _ in range(20)]
    # #25.8: signed reminders draw from their own sequence (thông báo nhắc nhở, TB-NN).
    reminders = [make_draft(stage="reminder", sanction="none", fine_amount=None) for _ in range(15)]

    def sign(violation: Violation):
        return lambda: services.violation_sign(violation=violation, signed_by=lena, violator_signed=True)

    errors = run_concurrently([sign(d) for d in records + working + reminders])

    assert errors == []
    for kind, drafts in (
        (RegisterKind.MBB01, records),
        (RegisterKind.MBB02, working),
        (RegisterKind.REMINDER_NOTICE, reminders),
    ):
        signed = Violation.objects.filter(pk__in=[d.pk for d in drafts])
        assert sorted(signed.values_list("number", flat=True)) == list(range(1, len(drafts) + 1))
        entries = RegisterEntry.objects.filter(kind=kind).order_by("number")
        assert list(entries.values_list("number", flat=True)) == list(range(1, len(drafts) + 1))
        assert {e.object_id for e in entries} == {d.pk for d in drafts}
    printed = {v.number_display for v in Violation.objects.filter(stage="violation_record")}
    assert {"Số: 01/BB-VPHC", "Số: 09/BB-VPHC", "Số: 50/BB-VPHC"} <= printed
    assert "Số: 20/BB-LV" in {v.number_display for v in Violation.objects.filter(stage="working_record")}
    assert "Số: 15/TB-NN" in {v.number_display for v in Violation.objects.filter(stage="reminder")}
