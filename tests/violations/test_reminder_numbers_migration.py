"""#25.8 (legal25): signed reminders made before numbering get their TB-NN number from the register,
in the order they were signed, per ward and year; nothing else of the signed record changes, and
the database guard is back afterwards. Runs on SQLite and on PostgreSQL."""

import importlib
from datetime import datetime

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from documents.models import RegisterCounter, RegisterEntry
from violations import services
from violations.models import Status, Violation

from .factories import BusinessFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("violations.migrations.0013_reminder_numbers_legal25")


def _old_signed_reminder(make_draft, leader, signed_on: datetime, **kw) -> Violation:
    """A reminder signed before reminders were numbered: signed, no number, no register line."""
    draft = make_draft(stage="reminder", sanction="none", fine_amount=None, **kw)
    Violation.objects.filter(pk=draft.pk).update(
        status=Status.SIGNED,
        signed_at=signed_on,
        signed_by=leader,
        violator_signed=True,
        legal_basis_snapshot="Để vật chiếm dụng lòng đường, vỉa hè: khoản 1 Điều 8 Nghị định 282/2025/NĐ-CP",
    )
    return Violation.objects.get(pk=draft.pk)


def test_old_signed_reminders_are_numbered_in_signing_order_per_ward_and_year(make_draft, lena, ward_b):
    tz = timezone.get_current_timezone()
    late = _old_signed_reminder(make_draft, lena, datetime(2025, 3, 9, 10, tzinfo=tz))
    early = _old_signed_reminder(make_draft, lena, datetime(2025, 2, 1, 8, tzinfo=tz))
    # One signed this year after numbering existed already holds 01/TB-NN of 2026 in ward A.
    numbered_now = services.violation_sign(
        violation=make_draft(stage="reminder", sanction="none", fine_amount=None),
        signed_by=lena,
        violator_signed=True,
    )
    this_year = timezone.localdate(numbered_now.signed_at).year
    old_this_year = _old_signed_reminder(make_draft, lena, datetime(this_year, 1, 2, 9, tzinfo=tz))
    other_ward = _old_signed_reminder(
        make_draft, lena, datetime(2025, 5, 5, 9, tzinfo=tz), business=BusinessFactory(ward=ward_b)
    )
    draft = make_draft(stage="reminder", sanction="none", fine_amount=None)
    before = {
        v.pk: (v.description, v.legal_basis_snapshot, v.signed_at, v.status, v.updated_at)
        for v in Violation.objects.all()
    }

    assert migration.number_old_reminders(apps, connection) == 4

    def numbers(v):
        v = Violation.objects.get(pk=v.pk)
        return (v.number_display, v.number_year)

    assert numbers(early) == ("Số: 01/TB-NN", 2025)
    assert numbers(late) == ("Số: 02/TB-NN", 2025)
    assert numbers(numbered_now) == ("Số: 01/TB-NN", this_year)
    assert numbers(old_this_year) == ("Số: 02/TB-NN", this_year)
    assert numbers(other_ward) == ("Số: 01/TB-NN", 2025)  # ward B's own sequence
    assert numbers(draft) == ("", None)  # drafts carry no number
    # The register lists them, dated the day each was signed; the counters moved on.
    entry = RegisterEntry.objects.get(kind="reminder_notice", object_id=late.pk)
    assert (entry.number, entry.issued_on.isoformat(), entry.signer_id) == (2, "2025-03-09", lena.pk)
    assert RegisterCounter.objects.get(ward=lena.ward, kind="reminder_notice", year=2025).last_number == 2
    assert (
        RegisterCounter.objects.get(ward=lena.ward, kind="reminder_notice", year=this_year).last_number == 2
    )
    # Nothing else of a signed record changed.
    for v in Violation.objects.all():
        assert (v.description, v.legal_basis_snapshot, v.signed_at, v.status) == before[v.pk][:4]
    # Run again: nothing left to number, nothing renumbered.
    assert migration.number_old_reminders(apps, connection) == 0
    assert RegisterEntry.objects.filter(kind="reminder_notice").count() == 5
    # The next reminder signed takes the next number of its year.
    after = services.violation_sign(
        violation=make_draft(stage="reminder", sanction="none", fine_amount=None),
        signed_by=lena,
        violator_signed=True,
    )
    assert after.number_display == "Số: 03/TB-NN"


def test_the_database_guard_is_back_after_numbering(make_draft, lena):
    old = _old_signed_reminder(make_draft, lena, timezone.now())
    migration.number_old_reminders(apps, connection)
    with pytest.raises(IntegrityError), transaction.atomic():
        Violation.objects.filter(pk=old.pk).update(description="Sửa sau khi ký")
    with pytest.raises(IntegrityError), transaction.atomic():
        Violation.objects.filter(pk=old.pk).update(number=99)
    assert Violation.objects.get(pk=old.pk).number == 1
