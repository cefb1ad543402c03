"""The "Vi phạm nhiều lần" figure opens the list of exactly those records (found by journey 5 of
issue #26: it opened every record of the period, 2 where the figure said 0)."""

from datetime import date

import pytest
from django.urls import reverse

from tests.businesses.factories import BusinessFactory
from tests.dashboards.factories import local, violation
from tests.page_reading import figures, linked_pks

pytestmark = pytest.mark.django_db

NOVEMBER = {"period": "month", "on": "15/11/2025"}


def test_violated_several_times_opens_only_those_records_with_the_same_count(client, charlie, alice, bob):
    shop = BusinessFactory(ward=alice.ward, name="Karaoke Ánh Sao")
    again = violation(shop, alice, at=local(date(2025, 11, 20)))
    again.is_multiple = True
    again.save(update_fields=["is_multiple"])
    violation(shop, alice, at=local(date(2025, 11, 5)))  # the first time: not "nhiều lần"
    other = violation(BusinessFactory(ward=bob.ward), bob, at=local(date(2025, 11, 6)))
    other.is_multiple = True
    other.save(update_fields=["is_multiple"])

    client.force_login(charlie)
    figure = figures(client.get(reverse("dashboards:home"), NOVEMBER))["multiple"]
    assert figure.value == "1"

    listed = client.get(figure.url)
    assert listed.status_code == 200
    assert linked_pks(listed, reverse("violations:list")) == [again.pk]
    assert "1 biên bản" in listed.content.decode()
