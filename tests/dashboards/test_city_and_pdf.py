"""City view (who may open it, what it ranks) and the dashboard PDF."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.roles import Role
from businesses.models import InspectionResult
from dashboards.documents import WARD_DASHBOARD, dashboard_context, dashboard_object_id
from dashboards.periods import DashboardPeriod
from dashboards.svg import chart_svg
from documents.models import DocumentJob
from tests.businesses.factories import BusinessFactory
from tests.dashboards.factories import inspection, local, violation
from tests.factories import UserFactory, WardFactory
from tests.page_reading import text

NOVEMBER = {"period": "month", "on": "15/11/2025"}


@pytest.fixture
def city(ward_a, ward_b, alice, bob):
    a1, a2 = BusinessFactory(ward=ward_a), BusinessFactory(ward=ward_a)
    b1 = BusinessFactory(ward=ward_b)
    inspection(a1, alice, at=local(date(2025, 11, 3)))
    inspection(a2, alice, at=local(date(2025, 11, 4)), result=InspectionResult.FAILED)
    inspection(b1, bob, at=local(date(2025, 11, 5)))
    violation(a2, alice, at=local(date(2025, 11, 4)))
    return {"a": ward_a, "b": ward_b}


CITY_COLUMNS = (
    "rank",
    "score",
    "classification",
    "businesses",
    "coverage",
    "compliance",
    "violations",
    "overdue",
)


def _ranked(response) -> list[dict]:
    """The city table's rows as the page shows them, in rank order: the ward's name (its link) and
    each column's text."""
    body = response.content.decode().split('id="city-table"')[1].split("<tbody>")[1].split("</tbody>")[0]
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        name = text(re.search(r"<a [^>]*>(.*?)</a>", tr, re.S).group(1))
        rows.append({"name": name, **dict(zip(CITY_COLUMNS, cells, strict=True))})
    return rows


def _rows(response) -> dict:
    return {row["name"]: row for row in _ranked(response)}


def test_superuser_sees_every_ward_side_by_side_ranked(client, root, city):
    client.force_login(root)

    response = client.get(reverse("dashboards:city"), NOVEMBER)

    rows = _rows(response)
    # Ward B: 1 of 1 business inspected, all compliant; ward A: 2 of 2, half compliant.
    assert rows["Phường Ngọc Hà"]["coverage"] == "100%" and rows["Phường Ngọc Hà"]["compliance"] == "100%"
    assert rows["Phường Điện Biên"]["compliance"] == "50%" and rows["Phường Điện Biên"]["violations"] == "1"
    assert [r["name"] for r in _ranked(response)] == ["Phường Ngọc Hà", "Phường Điện Biên"]
    assert [r["rank"] for r in _ranked(response)] == ["1", "2"]
    assert "Toàn thành phố: so sánh các phường" in response.content.decode()


def test_criteria_score_ranks_before_coverage(client, root, city, lena):
    from criteria.models import Assessment
    from tests.criteria.factories import published_set

    Assessment.objects.create(
        ward=city["a"],
        criteria_set=published_set(),
        year=2025,
        quarter=3,
        total=Decimal(18),
        max_total=Decimal(20),
        classification="Đạt kiểu mẫu",
        created_by=lena,
    )
    client.force_login(root)

    rows = _ranked(client.get(reverse("dashboards:city"), NOVEMBER))

    assert rows[0]["name"] == "Phường Điện Biên" and rows[0]["score"] == "90%"
    assert rows[0]["classification"] == "Đạt kiểu mẫu" and rows[1]["score"] == "—"


@pytest.mark.parametrize("role", [Role.OFFICER, Role.LEADER, Role.CHAIRMAN])
def test_ward_users_may_not_open_the_city_view(client, ward_a, role):
    client.force_login(UserFactory(ward=ward_a, role=role))

    assert client.get(reverse("dashboards:city")).status_code == 403


def test_the_city_permission_granted_through_a_group_opens_it(client, ward_a, city):
    staff = UserFactory(ward=ward_a, role=Role.CHAIRMAN)
    group = Group.objects.create(name="city-staff")
    group.permissions.add(Permission.objects.get(codename="view_city_dashboard"))
    staff.groups.add(group)
    client.force_login(staff)

    response = client.get(reverse("dashboards:city"), NOVEMBER)

    assert response.status_code == 200
    assert set(_rows(response)) == {"Phường Điện Biên", "Phường Ngọc Hà"}


def test_city_view_stays_within_its_query_budget(client, root, city, django_assert_max_num_queries):
    for n in range(5):
        WardFactory(name=f"Phường Thêm {n}", code=f"X-{n}")
    client.force_login(root)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("dashboards:city"), NOVEMBER).status_code == 200


def test_the_chairman_asks_for_the_pdf_and_gets_a_document_job(client, charlie, city):
    client.force_login(charlie)

    response = client.post(reverse("dashboards:pdf"), NOVEMBER)

    job = DocumentJob.objects.get(kind=WARD_DASHBOARD)
    assert response.status_code == 302 and response["Location"] == reverse("documents:detail", args=[job.pk])
    assert job.ward == charlie.ward
    assert job.object_id == dashboard_object_id(
        charlie.ward_id, DashboardPeriod.containing("month", date(2025, 11, 1))
    )


def test_asking_again_for_an_unchanged_dashboard_returns_the_same_job(client, charlie, city):
    client.force_login(charlie)
    client.post(reverse("dashboards:pdf"), NOVEMBER)
    client.post(reverse("dashboards:pdf"), NOVEMBER)

    assert DocumentJob.objects.filter(kind=WARD_DASHBOARD).count() == 1


def test_a_pdf_of_another_wards_dashboard_is_a_404(client, bob, city):
    client.force_login(bob)

    assert client.post(reverse("dashboards:pdf"), {"ward": city["a"].pk, **NOVEMBER}).status_code == 404


def test_the_pdf_context_carries_the_figures_and_svg_charts(city):
    period = DashboardPeriod.containing("month", date(2025, 11, 1))

    context = dashboard_context(dashboard_object_id(city["a"].pk, period))

    figures = {f.key: f.value for f in context["figures"]}
    assert figures["inspections"] == "2" and figures["compliance"] == "50%"
    assert context["document_subtitle"] == "Phường Điện Biên · 01/11/2025 – 30/11/2025"
    trends = next(p for p in context["panels"] if p["charts"])
    assert trends["charts"][0]["svg"].startswith("<svg")


def test_svg_charts_escape_labels_and_draw_one_bar_per_value():
    svg = chart_svg("bar", "Vi phạm", ["<b>Tổ 1</b>", "Tổ 2"], [("Số vi phạm", [3, 0])])

    assert "<b>" not in svg and "&lt;b&gt;Tổ 1" in svg
    assert svg.count("<rect") == 2 + 1  # two bars and the legend swatch


def test_the_pdf_renders_with_its_svg_charts(client, charlie, city, tmp_path):
    from documents.services import build_document
    from tests.documents.helpers import pdftotext

    client.force_login(charlie)
    client.post(reverse("dashboards:pdf"), NOVEMBER)
    job = DocumentJob.objects.get(kind=WARD_DASHBOARD)

    pdf = build_document(job)

    assert pdf.startswith(b"%PDF")
    assert job.filename.startswith("bao-cao-")
    text = " ".join(pdftotext(pdf, tmp_path).split())
    assert "BÁO CÁO TÌNH HÌNH AN NINH TRẬT TỰ" in text.upper()
    assert "Phường Điện Biên · 01/11/2025 – 30/11/2025" in text
    # The key figures of ward A in November: 2 inspections, one of them failed, one violation.
    assert "Lượt kiểm tra trong kỳ 2 2 cơ sở đã được kiểm tra" in text
    assert "Tỷ lệ chấp hành 50% 1 lượt kiểm tra phát hiện vi phạm" in text
    assert "Vi phạm trong kỳ 1" in text
    # The monthly chart, drawn as SVG between its panel heading and the table of the same figures:
    # its legend (both series) and its value axis (0 to 4 for a highest month of 2).
    chart = text.split("Diễn biến theo tháng (12 tháng)")[0].rsplit("Diễn biến theo tháng", 1)[1]
    assert "Số lượt kiểm tra" in chart and "Số vi phạm" in chart
    assert "4 3 2 1 0" in chart
    assert "11/2025 2 1 50% 1" in text  # the chart's table: inspections, failed, compliance, violations
