"""ward_police.pagination: a page and its count from one query, the same pages as Django's Paginator."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from businesses.models import Business
from tests.businesses.factories import BusinessFactory
from ward_police.pagination import CountedRowsPaginator

pytestmark = pytest.mark.django_db

COLUMNS = ("pk", "name")


@pytest.fixture
def twelve(ward_a):
    for n in range(12):
        BusinessFactory(ward=ward_a, name=f"Quán {n:02d}")
    BusinessFactory(ward=ward_a, name="Tiệm khác")
    return Business.objects.filter(name__startswith="Quán").order_by("name", "pk")


def django_page(queryset, number):
    return Paginator(queryset.values_list(*COLUMNS), 5).get_page(number)


@pytest.mark.parametrize("number", [None, "", "1", "2", "3", "abc", 2.5, 2.0])
def test_each_page_is_djangos_page_read_in_one_query(twelve, number):
    with CaptureQueriesContext(connection) as queries:
        page = CountedRowsPaginator(twelve, 5, COLUMNS).get_page(number)
        shown = (list(page.object_list), page.number, page.paginator.count, page.paginator.num_pages)
        links = (page.has_next(), page.has_previous())
    assert len(queries) == 1
    expected = django_page(twelve, number)
    assert shown == (list(expected.object_list), expected.number, 12, 3)
    assert links == (expected.has_next(), expected.has_previous())


@pytest.mark.parametrize("number", ["9", "0", "-4"])
def test_a_page_out_of_range_shows_the_last_page_as_django_does(twelve, number):
    page = CountedRowsPaginator(twelve, 5, COLUMNS).get_page(number)
    expected = django_page(twelve, number)
    assert (page.number, list(page.object_list), page.paginator.count) == (3, list(expected.object_list), 12)
    assert [name for _, name in page.object_list] == ["Quán 10", "Quán 11"]


def test_no_match_is_an_empty_first_page_in_one_query(twelve):
    nothing = twelve.filter(name="không có")
    with CaptureQueriesContext(connection) as queries:
        page = CountedRowsPaginator(nothing, 5, COLUMNS).get_page(None)
        assert (list(page.object_list), page.number, page.paginator.count) == ([], 1, 0)
    assert len(queries) == 1
    page = CountedRowsPaginator(nothing, 5, COLUMNS).get_page("3")
    assert (list(page.object_list), page.number, page.paginator.num_pages) == ([], 1, 1)


def test_rows_paginator_counts_the_records_without_the_joins_of_their_columns(ward_a):
    from tests.factories import ResidentialGroupFactory
    from ward_police.pagination import RowsPaginator

    group = ResidentialGroupFactory(ward=ward_a, name="Hàng Gai")
    for n in range(7):
        BusinessFactory(ward=ward_a, name=f"Quán {n}", residential_group=group if n % 2 else None)
    records = Business.objects.filter(ward=ward_a).order_by("name", "pk")
    with CaptureQueriesContext(connection) as queries:
        page = RowsPaginator(records, 5, ("pk", "name", "residential_group__name")).get_page("2")
        rows = list(page.object_list)
        count = page.paginator.count
    assert count == 7 and page.paginator.num_pages == 2
    assert [row[1] for row in rows] == ["Quán 5", "Quán 6"]
    assert rows[0][2] == "Hàng Gai" and rows[1][2] is None  # the LEFT JOIN kept the row without a group
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and "JOIN" not in counts[0].upper()
