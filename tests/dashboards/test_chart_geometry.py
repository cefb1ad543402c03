"""The dashboard PDF's charts stay inside the page (issue #26.13): the SVG fits the text block
between the margins, the first category label is not cut off at the picture's left edge, and the
axis of a count has whole-number ticks."""

import math
import re
from datetime import date

import pytest
from weasyprint import HTML

from businesses.models import InspectionResult
from dashboards import svg
from dashboards.documents import dashboard_context, dashboard_object_id
from dashboards.periods import DashboardPeriod
from dashboards.svg import chart_svg
from documents.rendering import BASE_URL, StaticOnlyURLFetcher, render_html
from tests.businesses.factories import BusinessFactory
from tests.dashboards.factories import inspection, local, violation

pytestmark = pytest.mark.django_db

DOMAIN_LABELS = [
    "Ngành nghề kinh doanh có điều kiện về ANTT",
    "Phòng cháy chữa cháy",
    "Trật tự đô thị",
    "Vệ sinh môi trường",
]


def _boxes(box):
    yield box
    for child in getattr(box, "children", []) or []:
        yield from _boxes(child)


def test_every_chart_of_the_dashboard_pdf_fits_between_the_page_margins(ward_a, alice):
    cafe = BusinessFactory(ward=ward_a)
    for day in (3, 4, 5):
        inspection(cafe, alice, at=local(date(2025, 11, day)), result=InspectionResult.FAILED)
        violation(cafe, alice, at=local(date(2025, 11, day)))
    period = DashboardPeriod.containing("year", date(2025, 11, 1))
    html = render_html(
        "dashboards/dashboard_pdf.html", dashboard_context(dashboard_object_id(ward_a.pk, period))
    )
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyURLFetcher()).render()

    charts = 0
    for page in document.pages:
        page_box = page._page_box
        text_right = page_box.content_box_x() + page_box.width
        text_left = page_box.content_box_x()
        for box in _boxes(page_box):
            if str(getattr(box, "element_tag", "")).endswith("svg"):
                charts += 1
                assert box.content_box_x() >= text_left - 0.5
                assert box.content_box_x() + box.width <= text_right + 0.5, (box.width, text_right)
    assert charts >= 2  # the monthly trends and the violations by domain


def _text_elements(markup: str):
    pattern = (
        r'<text x="([\d.]+)" y="([\d.]+)" font-size="(\d+)" text-anchor="end" '
        r'transform="rotate\(-(\d+)[^"]*">([^<]*)<'
    )
    return [
        (float(x), int(size), int(angle), text) for x, _y, size, angle, text in re.findall(pattern, markup)
    ]


@pytest.mark.parametrize("count", [2, 4, 12])
def test_the_first_rotated_label_stays_inside_the_picture(count):
    labels = (DOMAIN_LABELS * 3)[:count]
    markup = chart_svg("bar", "Vi phạm theo lĩnh vực", labels, [("Số vi phạm", [3] * count)])
    rotated = _text_elements(markup)
    assert len(rotated) == count
    for x, size, angle, text in rotated:
        reach = len(text) * size * svg.EM_ADVANCE * math.cos(math.radians(angle))
        assert x - reach >= 0, (text, x, reach)
        assert x <= svg.WIDTH


@pytest.mark.parametrize("largest", [0, 1, 3, 7, 13])
def test_count_axes_have_whole_number_ticks(largest):
    markup = chart_svg("line", "Kiểm tra", ["01/2025", "02/2025"], [("Số lượt", [0, largest])])
    ticks = re.findall(r'text-anchor="end" font-size="9">([\d.]+)</text>', markup)
    values = [int(t.replace(".", "")) for t in ticks]
    assert len(values) == 5 and len(set(values)) == 5 and values[0] == 0 and values[-1] >= largest
