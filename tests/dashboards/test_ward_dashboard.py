"""The ward dashboard: each figure against hand-counted records, the lists behind the links,
period boundaries in Asia/Ho_Chi_Minh, ward isolation, query budget, the chairman's access."""

from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from businesses.models import BusinessStatus, InspectionResult
from tests.businesses.factories import BusinessFactory
from tests.dashboards.factories import commitment, inspection, local, violation
from tests.factories import UserFactory
from tests.page_reading import charts, figures, linked_pks, panel_tables
from wards.models import ResidentialGroup, Street

NOVEMBER = {"period": "month", "on": "15/11/2025"}


@pytest.fixture
def town(ward_a, ward_b, alice, bob):
    """Ward A, hand-counted for November 2025, and some noise in ward B."""
    s1 = Street.objects.create(ward=ward_a, name="Điện Biên Phủ")
    s2 = Street.objects.create(ward=ward_a, name="Hoàng Diệu")
    g1 = ResidentialGroup.objects.create(ward=ward_a, name="Tổ dân phố số 1")
    g2 = ResidentialGroup.objects.create(ward=ward_a, name="Tổ dân phố số 2")
    b1 = BusinessFactory(ward=ward_a, street=s1, residential_group=g1, name="Quán cà phê Hạnh")
    b2 = BusinessFactory(ward=ward_a, street=s1, residential_group=g2, name="Karaoke Ánh Sao")
    BusinessFactory(ward=ward_a, street=s2, residential_group=g2, status=BusinessStatus.SUSPENDED)
    # Inspections: 4 in November (one failed) at 2 businesses; two just outside the month.
    inspection(b1, alice, at=local(date(2025, 11, 1), 0, 10))
    failed = inspection(b1, alice, at=local(date(2025, 11, 20)), result=InspectionResult.FAILED)
    inspection(b2, alice, at=local(date(2025, 11, 30), 23, 59))
    inspection(b2, alice, at=local(date(2025, 10, 31), 23, 50))
    inspection(b2, alice, at=local(date(2025, 12, 1), 0, 0))
    # Violations: 2 in November (one repeat), 2 outside; all drafts long past their deadline.
    violation(b1, alice, at=local(date(2025, 11, 30), 23, 30), repeat=True, domain="urban_order")
    violation(b2, alice, at=local(date(2025, 11, 5)), stage="commitment", domain="fire_safety")
    violation(b1, alice, at=local(date(2025, 12, 1), 0, 0))
    violation(b2, alice, at=local(date(2025, 10, 31), 23, 59))
    today = timezone.localdate()
    commitment(failed, deadline=today - timedelta(days=3))
    commitment(
        inspection(b2, alice, at=local(date(2025, 11, 21))), deadline=today - timedelta(days=1), kept=True
    )
    # Ward B: must never show up in ward A's figures.
    other = BusinessFactory(ward=ward_b, name="Nhà nghỉ Ngọc Hà")
    for day in (3, 4, 5, 6):
        inspection(other, bob, at=local(date(2025, 11, day)), result=InspectionResult.FAILED)
        violation(other, bob, at=local(date(2025, 11, day)), repeat=True, domain="urban_order")
    commitment(inspection(other, bob, at=local(date(2025, 11, 7))), deadline=today - timedelta(days=5))
    return {"s1": s1, "s2": s2, "g1": g1, "g2": g2, "b1": b1, "b2": b2}


def _figures(response) -> dict:
    return figures(response)


def _listed_count(listed, url: str) -> int:
    """How many records a list page shows: its rows link to <list path><pk>/ (each list < 50 here)."""
    return len(linked_pks(listed, urlparse(url).path))


def _open(client, user, **params):
    client.force_login(user)
    return client.get(reverse("dashboards:home"), params)


def test_each_headline_figure_matches_the_hand_count(client, charlie, town):
    figures = _figures(_open(client, charlie, **NOVEMBER))

    assert figures["active_businesses"].value == "2"
    assert figures["inspections"].value == "4"
    assert figures["inspections"].hint == "2 cơ sở đã được kiểm tra"
    assert figures["compliance"].value == "75%"
    assert figures["violations"].value == "2"
    assert figures["stage_reminder"].value == "1"
    assert figures["stage_commitment"].value == "1"
    assert figures["stage_violation_record"].value == "0"
    assert figures["repeat"].value == "1"
    assert figures["overdue_records"].value == "4"
    assert figures["overdue_commitments"].value == "1"
    assert figures["criteria"].value == "—"


def test_the_page_reads_in_vietnamese_with_dd_mm_yyyy_period(client, charlie, town):
    html = _open(client, charlie, **NOVEMBER).content.decode()

    assert "Tháng 11/2025" in html
    assert "01/11/2025 – 30/11/2025" in html
    assert "Cơ sở đang hoạt động" in html
    assert "Tỷ lệ chấp hành" in html
    assert 'type="application/json"' in html and 'id="dashboard-charts"' in html
    assert "<script>" not in html  # CSP: no inline executable script


@pytest.mark.parametrize(
    "key", ["active_businesses", "inspections", "violations", "stage_reminder", "repeat", "overdue_records"]
)
def test_each_link_leads_to_a_list_with_the_same_count(client, charlie, town, key):
    figure = _figures(_open(client, charlie, **NOVEMBER))[key]

    listed = client.get(figure.url)

    assert listed.status_code == 200
    assert str(_listed_count(listed, figure.url)) == figure.value


def test_compliance_links_to_the_failed_inspections_of_the_period(client, charlie, town):
    figure = _figures(_open(client, charlie, **NOVEMBER))["compliance"]

    assert _listed_count(client.get(figure.url), figure.url) == 1


def test_a_violation_at_2330_on_the_last_evening_counts_in_that_month_not_the_next(client, charlie, town):
    december = _figures(_open(client, charlie, period="month", on="01/12/2025"))

    # Only the violation at 00:00 on 1 December, not the one at 23:30 on 30 November.
    assert december["violations"].value == "1"
    assert december["inspections"].value == "1"


def test_quarter_and_year_cover_their_months(client, charlie, town):
    quarter = _figures(_open(client, charlie, period="quarter", on="15/11/2025"))
    year = _figures(_open(client, charlie, period="year", on="15/11/2025"))

    assert quarter["inspections"].value == "6"  # Oct 31 + 3 in Nov + Nov 21 + Dec 1
    assert year["violations"].value == "4"


def test_monthly_trends_cover_twelve_months_ending_with_the_period(client, charlie, town):
    response = _open(client, charlie, **NOVEMBER)
    trends = charts(response)["chart-trends"]

    assert trends["labels"][0] == "12/2024" and trends["labels"][-1] == "11/2025"
    assert trends["datasets"]["Số lượt kiểm tra"][-2:] == [1, 4]  # October, November
    assert trends["datasets"]["Số vi phạm"][-2:] == [1, 2]
    # The same figures in the table behind the chart (screen readers, printing).
    months = {row[0]: row[1:] for row in panel_tables(response, "trends")[0]}
    assert months["11/2025"] == ["4", "1", "75%", "2"]


def test_breakdowns_by_domain_street_and_ranked_residential_groups(client, charlie, town):
    page = _open(client, charlie, **NOVEMBER)

    domains = {row[0]: row[1] for row in panel_tables(page, "domains")[0]}
    assert domains["Trật tự đô thị"] == "1"
    assert domains["Phòng cháy chữa cháy"] == "1"
    streets = {row[0]: row[1:] for row in panel_tables(page, "streets")[0]}
    assert streets["Điện Biên Phủ"] == ["2", "4", "100%", "75%", "2"]
    assert streets["Hoàng Diệu"] == ["0", "0", "—", "—", "0"]
    groups = panel_tables(page, "groups")[0]
    # Group 2: 1 violation for 1 active business, group 1 the same ratio but worse compliance.
    assert [row[1] for row in groups] == ["Tổ dân phố số 2", "Tổ dân phố số 1"]
    assert groups[0][0] == "1"


def test_watch_list_names_repeat_violators_and_overdue_commitments(client, charlie, town):
    html = _open(client, charlie, **NOVEMBER).content.decode()

    assert "Quán cà phê Hạnh" in html
    assert "Cam kết không lấn chiếm vỉa hè" in html
    assert "Nhà nghỉ Ngọc Hà" not in html


def test_criteria_score_against_the_target_classification(client, charlie, lena, town):
    from criteria.models import Assessment
    from tests.criteria.factories import published_set

    criteria_set = published_set()
    Assessment.objects.create(
        ward=charlie.ward,
        criteria_set=criteria_set,
        year=2025,
        quarter=3,
        total=Decimal("12.5"),
        max_total=Decimal(20),
        classification="Đạt",
        created_by=lena,
    )

    figure = _figures(_open(client, charlie, **NOVEMBER))["criteria"]

    assert figure.value == "12,5/20"
    assert "Đạt kiểu mẫu" in figure.hint and "còn thiếu 5,5 điểm" in figure.hint


def test_ward_b_chairman_never_sees_ward_a_figures(client, ward_b, town):
    chairman_b = UserFactory(ward=ward_b, role=Role.CHAIRMAN)
    figures = _figures(_open(client, chairman_b, **NOVEMBER))

    assert figures["inspections"].value == "5"
    assert figures["violations"].value == "4"
    assert figures["overdue_commitments"].value == "1"
    html = client.get(reverse("dashboards:home"), NOVEMBER).content.decode()
    assert "Quán cà phê Hạnh" not in html and "Điện Biên Phủ" not in html


def test_asking_for_another_wards_dashboard_is_a_404(client, charlie, ward_b):
    client.force_login(charlie)

    assert client.get(reverse("dashboards:home"), {"ward": ward_b.pk}).status_code == 404


def test_a_superuser_may_pick_any_ward(client, root, ward_b, town):
    client.force_login(root)

    response = client.get(reverse("dashboards:home"), {"ward": ward_b.pk, **NOVEMBER})

    assert f'<input type="hidden" name="ward" value="{ward_b.pk}">' in response.content.decode()
    assert ward_b.name in response.content.decode().split("<h1>")[1].split("</h1>")[0]
    assert _figures(response)["violations"].value == "4"


def test_a_bad_date_shows_a_clear_message_and_the_current_month(client, charlie):
    client.force_login(charlie)

    response = client.get(reverse("dashboards:home"), {"period": "month", "on": "31/02/2025"})

    assert response.status_code == 200
    assert "Không đọc được kỳ báo cáo" in response.content.decode()
    first = timezone.localdate().replace(day=1)
    assert f"({first:%d/%m/%Y} – " in response.content.decode()  # the current month's range


def test_the_dashboard_stays_within_its_query_budget(client, charlie, town, django_assert_max_num_queries):
    client.force_login(charlie)
    # More data must not mean more queries.
    for _ in range(5):
        BusinessFactory(ward=charlie.ward, street=town["s2"], residential_group=town["g1"])
    with django_assert_max_num_queries(15):
        response = client.get(reverse("dashboards:home"), NOVEMBER)
    assert response.status_code == 200


def test_the_chairman_reads_the_dashboard_but_cannot_write(client, charlie, town):
    client.force_login(charlie)

    assert client.get(reverse("dashboards:home")).status_code == 200
    assert client.get(reverse("businesses:create")).status_code == 403
    assert client.post(reverse("violations:create"), {}).status_code == 403


def test_landing_page_after_login_is_the_dashboard(client, charlie):
    client.force_login(charlie)

    response = client.get(reverse("home"))

    assert response.status_code == 302 and response["Location"] == reverse("dashboards:home")


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("dashboards:home"))

    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_campaign_progress_and_waiting_feedback_show_with_links(client, charlie, lena, town):
    from tests.businesses.factories import FeedbackFactory
    from tests.campaigns.factories import active_campaign
    from tests.inspections.factories import published_checklist, record

    shops = [BusinessFactory(ward=charlie.ward, street=town["s1"]) for _ in range(4)]
    campaign = active_campaign(leader=lena, targets=shops, name="Ra quân cuối tuần")
    version = published_checklist(code="ra-quan-cuoi-tuan")
    record(business=shops[0], version=version, officer=lena, source=f"campaign:{campaign.pk}")
    FeedbackFactory(business=shops[1])
    FeedbackFactory(business=shops[2], status="resolved")
    client.force_login(charlie)

    response = client.get(reverse("dashboards:home"), NOVEMBER)

    shown = figures(response)
    assert shown["active_campaigns"].value == "1"
    assert shown["open_feedback"].value == "1"
    assert shown["open_feedback"].url == "/feedback/?status=new"
    body = response.content.decode()
    assert "Ra quân cuối tuần" in body and f"/campaigns/{campaign.pk}/" in body
    assert "25%" in body  # one of four targets inspected


def test_an_inspection_of_a_business_that_moved_away_still_counts_where_it_was_made(
    client, charlie, town, ward_b
):
    from businesses.models import Business

    moved = Business.objects.get(pk=town["b2"].pk)
    # Saved as the businesses service saves (a queryset .update() would bypass the rollups' upkeep).
    moved.ward, moved.street = ward_b, Street.objects.create(ward=ward_b, name="Phan Đình Phùng")
    moved.residential_group = None
    moved.save()
    response = _open(client, charlie, **NOVEMBER)
    figures = _figures(response)
    assert figures["inspections"].value == "4"
    assert figures["inspections"].hint == "2 cơ sở đã được kiểm tra"
    assert figures["active_businesses"].value == "1"
    streets = {row[0]: row[1:] for row in panel_tables(response, "streets")[0]}
    # Only ward A's streets are listed; the moved business's inspections are in the totals only.
    assert set(streets) == {"Điện Biên Phủ", "Hoàng Diệu"}
    assert streets["Điện Biên Phủ"][:2] == ["1", "2"]


def test_watch_list_ranks_repeat_violators_of_the_last_twelve_months(ward_a, ward_b, alice, bob):
    from dashboards.selectors import repeat_violators
    from violations.models import Violation

    today = date(2025, 11, 15)
    twice = BusinessFactory(ward=ward_a, name="Quán nhậu Tái Phạm")
    once = BusinessFactory(ward=ward_a, name="Cửa hàng Một Lần")
    old = BusinessFactory(ward=ward_a, name="Tiệm cũ")
    replaced = BusinessFactory(ward=ward_a, name="Tiệm biên bản thay thế")
    for day in (date(2025, 3, 1), date(2025, 9, 1)):
        violation(twice, alice, at=local(day), repeat=True)
    violation(twice, alice, at=local(date(2025, 10, 1)))
    violation(once, alice, at=local(date(2025, 11, 1)), repeat=True)
    violation(old, alice, at=local(date(2024, 10, 1)), repeat=True)  # before the 12 months
    superseded = violation(replaced, alice, at=local(date(2025, 11, 2)), repeat=True)
    Violation.objects.filter(pk=superseded.pk).update(status="superseded", signed_at=superseded.occurred_at)
    violation(BusinessFactory(ward=ward_b), bob, at=local(date(2025, 11, 3)), repeat=True)

    rows = repeat_violators(ward_a, today)

    assert [(b.name, b.n_repeats, b.n_violations) for b in rows] == [
        ("Quán nhậu Tái Phạm", 2, 3),
        ("Cửa hàng Một Lần", 1, 1),
    ]


def test_counts_read_straight_from_the_cursor_match_djangos_rows_in_the_order_asked(ward_a, alice):
    from django.db.models import Count, Q

    from dashboards.selectors import _cursor_rows
    from inspections.models import Inspection

    shops = [BusinessFactory(ward=ward_a, name=f"Quán {n}") for n in range(3)]
    results = [InspectionResult.PASSED, InspectionResult.FAILED, InspectionResult.REMINDED]
    for n, shop in enumerate(shops):
        for result in results[: n + 1]:
            inspection(shop, alice, at=local(date(2026, 3, 2)), result=result)
    # Annotations added in another order than values_list() names them.
    qs = (
        Inspection.objects.filter(ward=ward_a)
        .order_by()
        .values("business_id")
        .annotate(
            failed=Count("pk", filter=Q(result=InspectionResult.FAILED)),
            count=Count("pk"),
            passed=Count("pk", filter=Q(result=InspectionResult.PASSED)),
        )
        .values_list("business_id", "count", "passed", "failed")
    )
    rows = sorted(_cursor_rows(qs))
    assert rows == sorted(qs)
    assert rows == [(shops[0].pk, 1, 1, 0), (shops[1].pk, 2, 1, 1), (shops[2].pk, 3, 1, 1)]
