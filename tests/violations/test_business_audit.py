"""The audit trail of businesses (pghistory, PostgreSQL only): what is recorded, and the bulk path
the city-scale seed uses."""

import pytest
from django.apps import apps
from django.db import connection  # noqa: F401 - read by the skipif condition

from businesses.models import Business
from tests.businesses.factories import BusinessFactory
from violations.audit import insert_events_in_bulk

pytestmark = pytest.mark.skipif("connection.vendor != 'postgresql'")


def _events(business: Business) -> list[tuple[str, str]]:
    event = apps.get_model("violations", "BusinessEvent")
    return list(
        event.objects.filter(pgh_obj_id=business.pk).order_by("pgh_id").values_list("pgh_label", "name")
    )


def test_a_change_of_name_is_recorded_but_a_new_last_inspection_is_not(ward_a):
    business = BusinessFactory(ward=ward_a, name="Cà phê Lê Trực")
    Business.objects.filter(pk=business.pk).update(last_inspection_result="passed")
    Business.objects.filter(pk=business.pk).update(search_text="ca phe le truc moi")
    assert _events(business) == [("insert", "Cà phê Lê Trực")]
    Business.objects.filter(pk=business.pk).update(name="Cà phê Lê Trực 2")
    assert _events(business) == [("insert", "Cà phê Lê Trực"), ("update", "Cà phê Lê Trực 2")]


def test_bulk_inserts_get_exactly_the_insert_events_the_trigger_would_write(ward_a):
    before = BusinessFactory(ward=ward_a, name="Trước khối")
    template = before
    with insert_events_in_bulk("violations.TrackedBusiness", "violations.BusinessEvent"):
        rows = Business.objects.bulk_create(
            [
                Business(
                    ward=ward_a,
                    name=f"Quán số {n}",
                    category=template.category,
                    street=template.street,
                    owner_name="Nguyễn Văn Ân",
                    registration_number=f"BULK{n}",
                )
                for n in range(3)
            ]
        )
    assert _events(before) == [("insert", "Trước khối")]
    event = apps.get_model("violations", "BusinessEvent")
    for row in rows:
        stored = event.objects.get(pgh_obj_id=row.pk)
        assert (stored.pgh_label, stored.name, stored.registration_number, stored.ward_id) == (
            "insert",
            row.name,
            row.registration_number,
            ward_a.pk,
        )
        assert stored.pgh_created_at is not None
    # The trigger itself is back on after the block.
    after = BusinessFactory(ward=ward_a, name="Sau khối")
    assert _events(after) == [("insert", "Sau khối")]
