"""The dashboard's tables (jinja2/dashboards/macros.html): the markup screen readers and the charts'
data fallback rely on (a caption, column headers, row headers, links, numbers aligned)."""

from django.template import engines
from django.urls import set_script_prefix
from django.utils.safestring import mark_safe

from dashboards.panels import Cell, Table, list_url


def dash_table(table: Table) -> str:
    template = engines["jinja2"].from_string(
        '{% import "dashboards/macros.html" as dm %}{{ dm.dash_table(table) }}'
    )
    return template.render({"table": table})


def test_a_table_has_its_caption_headers_links_and_numbers():
    table = Table(
        caption="Theo tuyến phố <năm 2026>",
        columns=["Tuyến phố", "Cơ sở", "Vi phạm"],
        rows=[
            [
                Cell("Phố Hàng Bạc & Hàng Đào"),
                Cell("12", numeric=True),
                Cell("3", url="/violations/?street=1&x=<"),
            ],
            [Cell(mark_safe("<em>Đường Láng</em>"), url="/b/?s=2"), Cell("—"), Cell("0", numeric=True)],
        ],
    )
    html = dash_table(table)
    assert html.startswith('<div class="table-wrap"><table class="dash-table">')
    assert "<caption>Theo tuyến phố &lt;năm 2026&gt;</caption>" in html
    assert (
        '<thead><tr><th scope="col">Tuyến phố</th><th scope="col">Cơ sở</th><th scope="col">Vi phạm</th></tr>'
        in html
    )
    assert (
        '<tr><th scope="row">Phố Hàng Bạc &amp; Hàng Đào</th><td class="num">12</td>'
        '<td><a href="/violations/?street=1&amp;x=&lt;">3</a></td></tr>'
    ) in html
    assert (
        '<th scope="row"><a href="/b/?s=2"><em>Đường Láng</em></a></th><td>—</td><td class="num">0</td>'
        in html
    )


def test_an_empty_table_says_so_across_every_column():
    html = dash_table(
        Table(caption="Cơ sở tái phạm", columns=["Cơ sở", "Số lần"], rows=[], empty="Chưa có <ai>.")
    )
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    assert body.strip() == '<tr><td colspan="2">Chưa có &lt;ai&gt;.</td></tr>'


def test_list_addresses_follow_the_script_prefix():
    assert list_url("violations:list", street=3, stage="", q=None) == "/violations/?street=3"
    set_script_prefix("/phuong/")
    try:
        assert list_url("violations:list", street=3) == "/phuong/violations/?street=3"
    finally:
        set_script_prefix("/")
    assert list_url("violations:list") == "/violations/"


def test_the_ward_panels_render_alone_without_a_request():
    """The figures and panels are a partial of their own (to cache them): it needs no request."""
    from django.template.loader import render_to_string

    from dashboards.panels import BuiltPanel, Chart, Figure, PanelResult

    table = Table(
        caption="Theo lĩnh vực",
        columns=["Lĩnh vực", "Số vi phạm"],
        rows=[[Cell("Trật tự đô thị"), Cell("1", numeric=True)]],
    )
    chart = Chart(
        key="domains",
        kind="bar",
        title="Vi phạm theo lĩnh vực",
        labels=["Trật tự đô thị"],
        datasets=[("Số vi phạm", [1])],
        table=table,
    )
    figure = Figure(key="violations", label="Vi phạm", value="1", url="/violations/?a=1&b=2")
    panel = BuiltPanel("domains", "Theo lĩnh vực", PanelResult(figures=[figure], charts=[chart]))
    html = render_to_string(
        "dashboards/partials/ward_panels.html",
        {"panels": [panel], "figures": [figure], "charts_json": [chart.as_json()]},
    )
    assert '<li class="dash-figure" id="figure-violations">' in html
    assert '<a href="/violations/?a=1&amp;b=2">' in html
    assert '<canvas id="chart-domains" role="img" aria-label="Vi phạm theo lĩnh vực"></canvas>' in html
    assert '<tr><th scope="row">Trật tự đô thị</th><td class="num">1</td></tr>' in html
    assert '<script id="dashboard-charts" type="application/json">[{"id": "chart-domains"' in html
