"""The ward dashboard's panels are cached per (ward, period, language, day) under the ward's
version (#28): the next view after any write that touches the ward shows it."""

from datetime import date

from django.urls import reverse

from businesses.models import InspectionResult
from dashboards import rollups
from tests import page_reading
from tests.businesses.factories import BusinessFactory
from tests.dashboards.factories import inspection, local, violation

NOVEMBER = {"period": "month", "on": "15/11/2025"}


def _figures(response) -> dict:
    return {key: figure.value for key, figure in page_reading.figures(response).items()}


def _open(client, **params):
    return client.get(reverse("dashboards:home"), params)


def test_the_next_view_after_a_write_shows_the_new_figure(
    client, charlie, alice, ward_a, ward_b, bob, django_capture_on_commit_callbacks
):
    shop = BusinessFactory(ward=ward_a)
    inspection(shop, alice, at=local(date(2025, 11, 3)))
    client.force_login(charlie)
    assert _figures(_open(client, **NOVEMBER))["inspections"] == "1"

    version = rollups.ward_version(ward_a.pk)
    with django_capture_on_commit_callbacks(execute=True):  # the version is bumped on commit
        inspection(shop, alice, at=local(date(2025, 11, 4)), result=InspectionResult.FAILED)
    assert rollups.ward_version(ward_a.pk) != version
    figures = _figures(_open(client, **NOVEMBER))
    assert figures["inspections"] == "2"
    assert figures["compliance"] == "50%"

    with django_capture_on_commit_callbacks(execute=True):
        violation(shop, alice, at=local(date(2025, 11, 5)))
    body = _open(client, **NOVEMBER).content.decode()
    assert _figures(_open(client, **NOVEMBER))["violations"] == "1"
    assert 'id="figure-violations"' in body


def test_a_write_in_another_ward_keeps_the_cached_page(
    client,
    charlie,
    alice,
    bob,
    ward_a,
    ward_b,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    shop = BusinessFactory(ward=ward_a)
    inspection(shop, alice, at=local(date(2025, 11, 3)))
    client.force_login(charlie)
    _open(client, **NOVEMBER)  # fills the cache
    version = rollups.ward_version(ward_a.pk)
    with django_capture_on_commit_callbacks(execute=True):
        inspection(BusinessFactory(ward=ward_b), bob, at=local(date(2025, 11, 3)))
    assert rollups.ward_version(ward_a.pk) == version
    with django_assert_max_num_queries(6) as cached:  # session, user, roles, the form's wards…: no panel
        response = _open(client, **NOVEMBER)
    assert _figures(response)["inspections"] == "1"
    assert not any("rollup" in q["sql"] for q in cached.captured_queries)


def test_an_uncached_dashboard_reads_its_panels_in_at_most_eight_queries(
    client, charlie, alice, ward_a, django_assert_max_num_queries
):
    shop = BusinessFactory(ward=ward_a)
    inspection(shop, alice, at=local(date(2025, 11, 3)))
    violation(shop, alice, at=local(date(2025, 11, 4)), domain="urban_order")
    client.force_login(charlie)
    _open(client, **NOVEMBER)  # session and user set-up
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(20) as everything:
        _open(client, **NOVEMBER)
    panel_queries = [q for q in everything.captured_queries if "django_session" not in q["sql"]]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dashboards.panels import DashboardContext, build_all
    from dashboards.periods import DashboardPeriod

    with CaptureQueriesContext(connection) as panels_only:
        build_all(
            DashboardContext(
                ward_a, DashboardPeriod.containing("year", date(2025, 11, 1)), date(2025, 11, 20)
            )
        )
    assert len(panels_only.captured_queries) <= 8, [q["sql"][:90] for q in panels_only.captured_queries]
    assert len(panel_queries) <= len(panels_only.captured_queries) + 6
