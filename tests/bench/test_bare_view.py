"""The bench's baseline page (bench/views.py, jinja2/bench/bare.html) renders its 50 rows."""

import pytest

from businesses.models import BusinessStatus
from tests.businesses.factories import BusinessFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]


def test_the_bare_table_shows_the_wards_first_fifty_businesses(client, alice, ward_a, ward_b):
    for n in range(52):
        BusinessFactory(ward=ward_a, name=f"Cơ sở {n:02d}", status=BusinessStatus.SUSPENDED)
    BusinessFactory(ward=ward_b, name="Cơ sở phường khác")
    client.force_login(alice)
    html = client.get("/bench/bare/").content.decode()
    assert html.count("<tr><td>") == 50
    assert "<tr><td>Cơ sở 00</td><td>Trần Văn Bình</td><td>12 Phố Thử" in html
    assert "<td>Tạm ngừng</td>" in html
    assert "Cơ sở 50" not in html and "phường khác" not in html
