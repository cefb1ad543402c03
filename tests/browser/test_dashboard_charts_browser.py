"""The dashboard's Chart.js charts in Chromium (issue #26.13): a chart of counts has whole-number
ticks (it showed 0,2 0,4 …), and no category label runs off the canvas (the first was cut off)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from tests.businesses.factories import BusinessFactory
from tests.dashboards.factories import inspection, violation
from tests.factories import TEST_PASSWORD, UserFactory, WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# For each chart: its y ticks, and the left and right ends of its x labels as drawn (rotated text
# anchored at its end, or centred), measured with the canvas's own font.
MEASURE = """
(id) => {
  const chart = window.Chart.getChart(id);
  const scale = chart.scales.x;
  const ctx = chart.ctx;
  const ends = scale.getLabelItems().map((item) => {
    ctx.save();
    ctx.font = item.font.string;
    const lines = Array.isArray(item.label) ? item.label : [item.label];
    const width = Math.max(...lines.map((l) => ctx.measureText(String(l)).width));
    ctx.restore();
    const [x] = item.options.translation;
    const across = width * Math.abs(Math.cos(item.options.rotation));
    const align = item.options.textAlign;
    const left = align === "right" ? x - across : align === "left" ? x : x - across / 2;
    return [left, left + across, String(item.label), x, item.options.rotation, align, width];
  });
  return {
    ticks: chart.scales.y.ticks.map((t) => t.value),
    ends: ends,
    width: chart.width,
  };
}
"""


@pytest.mark.parametrize("viewport", [{"width": 360, "height": 740}, {"width": 1280, "height": 900}])
def test_count_charts_have_whole_ticks_and_keep_their_labels_on_the_canvas(live_server, page, viewport):
    ward = WardFactory(name="Phường Điện Biên")
    chairman = UserFactory(username="chairman1", ward=ward, role=Role.CHAIRMAN)
    officer = UserFactory(username="officer1", ward=ward, role=Role.OFFICER)
    shop = BusinessFactory(ward=ward, name="Karaoke Ánh Sao")
    now = timezone.now() - timedelta(hours=1)
    # One inspection and one violation: Chart.js alone would pick ticks 0, 0.1, … 1.
    inspection(shop, officer, at=now)
    violation(shop, officer, at=now, domain="conditional_business")

    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(chairman.username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("#chart-domains")).to_be_visible()

    for chart_id in ("chart-trends", "chart-domains"):
        page.locator(f"#{chart_id}").scroll_into_view_if_needed()
        # The canvas is on the page before Chart.js (a deferred script) has drawn on it.
        page.wait_for_function("(id) => window.Chart && window.Chart.getChart(id)", arg=chart_id)
        measured = page.evaluate(MEASURE, chart_id)
        assert measured["ticks"] and all(float(v).is_integer() for v in measured["ticks"]), measured
        for left, right, *_rest in measured["ends"]:
            assert left >= 0 and right <= measured["width"] + 0.5, (chart_id, viewport, measured)
