"""wards.places: one query serves a list page's street/group/category selects and its rows' names."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from businesses.forms import BusinessFilterForm
from businesses.models import Business
from tests.businesses.factories import BusinessCategoryFactory, BusinessFactory
from tests.factories import ResidentialGroupFactory, StreetFactory
from wards.places import CATEGORY, GROUP, STREET, PagePlaces

pytestmark = pytest.mark.django_db


def options(html: str, select_name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select name="{select_name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {select_name}"
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select[1])


def test_one_query_reads_the_wards_streets_groups_and_active_categories_in_name_order(alice, ward_a, ward_b):
    b_street = StreetFactory(ward=ward_a, name="Phan Đình Phùng")
    a_street = StreetFactory(ward=ward_a, name="Hoàng Diệu")
    StreetFactory(ward=ward_b, name="Đội Cấn")  # another ward's: never offered
    group = ResidentialGroupFactory(ward=ward_a, name="Tổ dân phố số 2")
    ResidentialGroupFactory(ward=ward_b, name="Tổ dân phố số 9")
    karaoke = BusinessCategoryFactory(code="karaoke", name="Karaoke")
    BusinessCategoryFactory(code="old", name="Ngừng dùng", is_active=False)
    places = PagePlaces(alice, categories=True)
    with CaptureQueriesContext(connection) as queries:
        streets = places.choices(STREET, "Tất cả")
        groups = places.choices(GROUP)
        categories = places.choices(CATEGORY)
    assert len(queries) == 1
    assert streets == [("", "Tất cả"), (a_street.pk, "Hoàng Diệu"), (b_street.pk, "Phan Đình Phùng")]
    assert groups == [(group.pk, "Tổ dân phố số 2")]
    assert categories == [(karaoke.pk, "Karaoke")]


def test_attach_gives_rows_their_names_without_a_query_each_and_reads_missing_ones_once(alice, ward_a):
    street = StreetFactory(ward=ward_a, name="Hàng Bông")
    retired = BusinessCategoryFactory(code="old", name="Ngừng dùng", is_active=False)
    active = BusinessCategoryFactory(code="cafe", name="Cà phê")
    for n in range(3):
        BusinessFactory(ward=ward_a, name=f"Quán {n}", street=street, category=retired if n else active)
    rows = list(Business.objects.filter(ward=ward_a).only("name", "street_id", "category_id", "ward_id"))
    places = PagePlaces(alice, categories=True)
    places.choices(STREET)
    with CaptureQueriesContext(connection) as queries:
        places.attach(rows, "street", STREET)
        places.attach(rows, "category", CATEGORY)  # the retired category is not among the choices
        shown = [(b.street.name, b.category.name) for b in rows]
    assert len(queries) == 1  # the retired category's name, for all rows at once
    assert sorted(shown) == [
        ("Hàng Bông", "Cà phê"),
        ("Hàng Bông", "Ngừng dùng"),
        ("Hàng Bông", "Ngừng dùng"),
    ]
    # The attached street carries only its name: any other column is read, never a wrong default.
    with CaptureQueriesContext(connection) as queries:
        assert rows[0].street.ward_id == ward_a.pk
    assert len(queries) == 1


def test_attach_leaves_a_missing_group_empty(alice, ward_a):
    BusinessFactory(ward=ward_a, name="Không tổ", residential_group=None)
    rows = list(Business.objects.filter(ward=ward_a))
    PagePlaces(alice).attach(rows, "residential_group", GROUP)
    assert rows[0].residential_group is None


def test_filter_form_offers_the_places_and_still_refuses_another_wards_street(alice, ward_a, ward_b):
    mine = StreetFactory(ward=ward_a, name="Hàng Bông")
    theirs = StreetFactory(ward=ward_b, name="Đội Cấn")
    places = PagePlaces(alice, categories=True)
    form = BusinessFilterForm({"street": str(theirs.pk)}, user=alice, places=places)
    assert form.filters() == {}  # an invalid filter is not applied
    assert "street" in form.errors
    form = BusinessFilterForm({"street": str(mine.pk)}, user=alice, places=places)
    assert form.filters() == {"street": mine}


def test_business_list_shows_each_rows_names_and_the_selected_street(client, alice, ward_a, ward_b):
    street = StreetFactory(ward=ward_a, name="Nguyễn Thái Học")
    other = StreetFactory(ward=ward_a, name="Cửa Bắc")
    StreetFactory(ward=ward_b, name="Đội Cấn")
    group = ResidentialGroupFactory(ward=ward_a, name="Tổ dân phố số 4")
    retired = BusinessCategoryFactory(code="old", name="Ngừng dùng", is_active=False)
    BusinessFactory(ward=ward_a, name="Quán A", street=street, residential_group=group, category=retired)
    BusinessFactory(ward=ward_a, name="Quán B", street=other, residential_group=None)
    client.force_login(alice)
    html = client.get(reverse("businesses:list"), {"street": street.pk}).content.decode()
    assert options(html, "street") == [
        ("", "Tất cả"),
        (str(other.pk), "Cửa Bắc"),
        (str(street.pk), "Nguyễn Thái Học"),
    ]
    assert f'<option value="{street.pk}" selected>Nguyễn Thái Học</option>' in html
    assert "Quán A" in html and "Quán B" not in html
    assert "Nguyễn Thái Học</td>" in html or "Nguyễn Thái Học<br>" in html
    assert "Tổ dân phố số 4" in html and "Ngừng dùng" in html
