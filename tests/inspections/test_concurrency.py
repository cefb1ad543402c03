"""Two requests with the same submission id at the same moment store one inspection (PostgreSQL)."""

import threading
import uuid
from unittest import mock

import pytest
from django.db import connection, connections

from inspections.models import Answer, Inspection

from .factories import BusinessCategoryFactory, BusinessFactory, published_checklist, record

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locking on a unique index: PostgreSQL"),
]


def test_two_concurrent_posts_with_the_same_submission_id_store_one_inspection(alice, ward_a):
    business = BusinessFactory(ward=ward_a, category=BusinessCategoryFactory(code="ca-phe"))
    version = published_checklist()
    submission_id = uuid.uuid4()
    both_checked = threading.Barrier(2, timeout=10)
    real_create = Inspection.objects.create

    def create_after_both_checked(**kwargs):
        # Both requests have looked for the submission id and found nothing: now both insert.
        both_checked.wait()
        return real_create(**kwargs)

    results, errors = [], []

    def submit():
        try:
            results.append(
                record(business=business, version=version, officer=alice, submission_id=submission_id)
            )
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    with mock.patch.object(Inspection.objects, "create", side_effect=create_after_both_checked):
        threads = [threading.Thread(target=submit) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)

    assert errors == []
    assert len(results) == 2 and results[0].pk == results[1].pk
    assert Inspection.objects.count() == 1
    assert Answer.objects.count() == 3
