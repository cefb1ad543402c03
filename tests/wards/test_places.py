"""wards.places: one query serves a list page's street/group/category selects and its rows' names."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from businesses.forms import BusinessFilterForm
from businesses.models import Business
from businesses.selectors import ROW_COLUMNS, business_list, business_rows_of
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


def test_names_come_from_the_lists_and_the_missing_ones_are_read_in_one_query(alice, ward_a, ward_b):
    street = StreetFactory(ward=ward_a, name="Hàng Bông")
    moved = StreetFactory(ward=ward_b, name="Đội Cấn")  # e.g. a record kept after its street moved
    retired = BusinessCategoryFactory(code="old", name="Ngừng dùng", is_active=False)
    active = BusinessCategoryFactory(code="cafe", name="Cà phê")
    places = PagePlaces(alice, categories=True)
    places.choices(STREET)
    with CaptureQueriesContext(connection) as queries:
        assert places.names(STREET, {street.pk, None}) == {street.pk: "Hàng Bông"}
        categories = places.names(CATEGORY, {active.pk, retired.pk})
    assert len(queries) == 1  # the retired category only
    assert (categories[active.pk], categories[retired.pk]) == ("Cà phê", "Ngừng dùng")
    assert places.names(STREET, {moved.pk})[moved.pk] == "Đội Cấn"
    assert places.names(GROUP, set()) == {}


def test_business_rows_carry_their_names_address_and_masked_phone(alice, ward_a):
    street = StreetFactory(ward=ward_a, name="Hàng Bông")
    group = ResidentialGroupFactory(ward=ward_a, name="Tổ dân phố số 2")
    retired = BusinessCategoryFactory(code="old", name="Ngừng dùng", is_active=False)
    BusinessFactory(
        ward=ward_a,
        name="Quán 1",
        street=street,
        house_number="12",
        residential_group=group,
        category=retired,
        owner_phone="0912345689",
    )
    BusinessFactory(ward=ward_a, name="Quán 2", street=street, house_number="", residential_group=None)
    values = business_list(user=alice).values_list(*ROW_COLUMNS)
    rows = {row.name: row for row in business_rows_of(list(values), PagePlaces(alice, categories=True))}
    first, second = rows["Quán 1"], rows["Quán 2"]
    assert (first.address, first.group_name, first.category_name) == (
        "Số 12 Hàng Bông",
        "Tổ dân phố số 2",
        "Ngừng dùng",
    )
    assert first.owner_phone_masked == "0*******89"
    assert (second.address, second.group_name) == ("Hàng Bông", "")
    business = Business.objects.get(name="Quán 1")
    assert first.address == business.address and first.owner_phone_masked == business.owner_phone_masked


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


def test_a_ward_officers_places_come_from_the_cache_until_a_street_is_added(alice, ward_a, committed):
    """Kept in the cache under the ward's version (ward_police/refdata.py): a street added since
    the last page is offered on the next."""
    with committed():
        first = StreetFactory(ward=ward_a, name="Hàng Bông")
    assert PagePlaces(alice).choices(STREET) == [(first.pk, "Hàng Bông")]
    with CaptureQueriesContext(connection) as queries:
        assert PagePlaces(alice).choices(STREET) == [(first.pk, "Hàng Bông")]
    assert len(queries) == 0
    with committed():
        added = StreetFactory(ward=ward_a, name="Hàng Bài")
    assert PagePlaces(alice).choices(STREET) == [(added.pk, "Hàng Bài"), (first.pk, "Hàng Bông")]
    with CaptureQueriesContext(connection) as queries:
        assert PagePlaces(alice).names(STREET, {added.pk})[added.pk] == "Hàng Bài"
    assert len(queries) == 0


def test_who_sees_every_ward_gets_every_wards_places(root, ward_a, ward_b):
    mine = StreetFactory(ward=ward_a, name="Hàng Bông")
    theirs = StreetFactory(ward=ward_b, name="Đội Cấn")
    choices = PagePlaces(root).choices(STREET)
    assert {pk for pk, _name in choices} >= {mine.pk, theirs.pk}


def test_a_user_without_a_ward_is_offered_no_places(ward_a):
    from accounts.models import User

    StreetFactory(ward=ward_a, name="Hàng Bông")
    nobody = User.objects.create_user(username="nobody", password="x")
    assert PagePlaces(nobody, categories=True).choices(STREET) == []


def test_violation_filters_refuse_another_wards_street_and_group_and_accept_ones_own(alice, ward_a, ward_b):
    from violations.forms import ViolationFilterForm

    mine, theirs = StreetFactory(ward=ward_a, name="Hàng Bông"), StreetFactory(ward=ward_b, name="Đội Cấn")
    group, other_group = ResidentialGroupFactory(ward=ward_a), ResidentialGroupFactory(ward=ward_b)
    for data in ({"street": str(theirs.pk)}, {"residential_group": str(other_group.pk)}, {"street": "abc"}):
        form = ViolationFilterForm(data, user=alice, places=PagePlaces(alice))
        assert not form.is_valid() and set(form.errors) == set(data)
    form = ViolationFilterForm(
        {"street": str(mine.pk), "residential_group": str(group.pk)}, user=alice, places=PagePlaces(alice)
    )
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["street"], form.cleaned_data["residential_group"]) == (mine, group)
    assert [pk for pk, _name in form.fields["street"].choices if pk] == [mine.pk]


def test_business_filters_refuse_a_category_no_longer_in_use(alice):
    retired = BusinessCategoryFactory(code="old", name="Ngừng dùng", is_active=False)
    form = BusinessFilterForm(
        {"category": str(retired.pk)}, user=alice, places=PagePlaces(alice, categories=True)
    )
    assert form.filters() == {} and "category" in form.errors
