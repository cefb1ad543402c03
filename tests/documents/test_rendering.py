"""Rendering: real Vietnamese text in the PDF, the project's own fonts, and a fetcher that reads
nothing but the project's static files."""

import datetime
import http.server
import os
import shutil
import subprocess
import threading

import pytest
from django.utils.translation import gettext_lazy

from documents.layout import ascii_filename, place_date, vietnamese_date
from documents.rendering import BASE_URL, RefusedURL, StaticOnlyURLFetcher, html_to_pdf, render_pdf
from documents.services import build_document

from .factories import BusinessFactory
from .helpers import pdftotext

VIETNAMESE = "Ắ ằ ẳ ẵ ặ ấ ầ ẩ ẫ ậ ế ề ể ễ ệ ố ồ ổ ỗ ộ ớ ờ ở ỡ ợ ứ ừ ử ữ ự ỳ ỷ ỹ ỵ đ Đ Ơ Ư"


def test_dates_follow_decree_30():
    assert vietnamese_date(datetime.date(2021, 11, 1)) == "ngày 01 tháng 11 năm 2021"
    assert vietnamese_date(datetime.date(2026, 2, 14)) == "ngày 14 tháng 02 năm 2026"
    assert vietnamese_date(datetime.date(2026, 3, 9)) == "ngày 09 tháng 3 năm 2026"
    # The decree's own example and the edges: zero before days 1-9 and months 1 and 2 only.
    assert vietnamese_date(datetime.date(2026, 12, 5)) == "ngày 05 tháng 12 năm 2026"
    assert vietnamese_date(datetime.date(2026, 1, 10)) == "ngày 10 tháng 01 năm 2026"
    assert vietnamese_date(datetime.date(2026, 10, 31)) == "ngày 31 tháng 10 năm 2026"
    assert vietnamese_date(datetime.date(2026, 9, 1)) == "ngày 01 tháng 9 năm 2026"


@pytest.mark.django_db
def test_place_is_the_ward_name_without_its_unit_word(ward_a):
    assert place_date(ward_a, datetime.date(2021, 11, 1)) == "Điện Biên, ngày 01 tháng 11 năm 2021"


def test_download_names_are_ascii_and_keep_the_record_symbol():
    assert ascii_filename("Biên bản 12/BB-VPHC 2026") == "bien-ban-12-BB-VPHC-2026.pdf"
    assert ascii_filename("Hồ sơ cơ sở 7 Quán Đức") == "ho-so-co-so-7-quan-duc.pdf"
    assert ascii_filename("../../etc/passwd") == "etc-passwd.pdf"
    assert ascii_filename("   ") == "document.pdf"


@pytest.mark.django_db
def test_business_history_pdf_holds_its_title_number_and_ward_as_real_text(ward_a, alice, tmp_path):
    from documents.models import DocumentJob

    business = BusinessFactory(ward=ward_a, name="Karaoke Hoàng Diệu")
    job = DocumentJob.objects.create(
        kind="business-history",
        object_id=business.pk,
        ward=ward_a,
        version="v",
        requested_by=alice,
        title="Hồ sơ cơ sở kinh doanh",
        filename="x.pdf",
    )
    text = pdftotext(build_document(job), tmp_path)
    assert "HỒ SƠ CƠ SỞ KINH DOANH" in text
    assert f"Số: {business.pk}/HS-CSKD" in text
    assert "Phường Điện Biên" in text
    assert "CÔNG AN PHƯỜNG ĐIỆN BIÊN" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Karaoke Hoàng Diệu" in text
    # Personal data: the CCCD and the phone print masked, as in lists.
    assert business.owner_id_number not in text and business.owner_id_number_masked in text
    assert business.owner_phone not in text and business.owner_phone_masked in text


@pytest.mark.django_db
def test_every_vietnamese_letter_survives_into_the_pdf_in_the_shipped_font(tmp_path):
    html = (
        '<html><head><link rel="stylesheet" href="/static/css/documents/official.css"></head>'
        f"<body><p>{VIETNAMESE}</p><p><b>{VIETNAMESE}</b></p></body></html>"
    )
    pdf = html_to_pdf(html)
    # pdftotext drops the spaces between lone letters; the letters themselves must all be there.
    assert pdftotext(pdf, tmp_path).count(VIETNAMESE.replace(" ", "")) == 2
    if pdffonts := shutil.which("pdffonts"):
        (tmp_path / "f.pdf").write_bytes(pdf)
        fonts = subprocess.run([pdffonts, str(tmp_path / "f.pdf")], capture_output=True, text=True).stdout
        lines = fonts.splitlines()[2:]
        # Only the @font-face family shipped in static/fonts, never a font of the machine.
        assert lines and all("+Document-Serif" in line for line in lines), fonts
        assert all(" yes " in line for line in lines), "fonts must be embedded"


def test_fetcher_serves_the_projects_static_files_and_data_uris():
    fetcher = StaticOnlyURLFetcher()
    css = fetcher.fetch(BASE_URL + "static/css/documents/official.css")
    assert b"@font-face" in css.read() and css.content_type == "text/css"
    font = fetcher.fetch(BASE_URL + "static/fonts/LiberationSerif-Regular.ttf")
    assert len(font.read()) > 100_000
    assert fetcher.fetch("data:text/plain;base64,eGluIGNow6Bv").read() == "xin chào".encode()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/static/css/app.css",
        BASE_URL + "static/../../../../etc/passwd",
        BASE_URL + "static/%2e%2e/%2e%2e/ward_police/settings/base.py",
        BASE_URL + "media/documents/1/1/secret.pdf",
        BASE_URL + "static/no-such-file.css",
        "ftp://127.0.0.1/x",
    ],
)
def test_fetcher_refuses_everything_else(url):
    with pytest.raises((RefusedURL, ValueError)):
        StaticOnlyURLFetcher().fetch(url)


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


def test_a_document_cannot_make_the_worker_fetch_internal_urls(tmp_path):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        html = (
            f'<link rel="stylesheet" href="http://127.0.0.1:{port}/internal.css">'
            f'<img src="http://127.0.0.1:{port}/admin.png"><img src="file:///etc/hostname">'
            f'<p style="background: url(http://127.0.0.1:{port}/bg)">Nội dung</p>'
        )
        text = pdftotext(html_to_pdf(html), tmp_path)
    finally:
        server.shutdown()
    assert _Recorder.hits == []
    assert "Nội dung" in text


@pytest.mark.django_db
def test_render_pdf_uses_django_templates_in_vietnamese_whatever_the_ui_language(ward_a, tmp_path):
    from django.utils import translation

    from documents.layout import official_context

    # A document kind's title is a lazy translation: it becomes text only while the PDF renders.
    title = gettext_lazy("Ward dashboard report")
    context = official_context(ward_a, day=datetime.date(2021, 11, 1), number="12/BB-VPHC", title=title)
    with translation.override("en"):
        text = pdftotext(render_pdf("documents/official_base.html", context), tmp_path)
    assert "Điện Biên, ngày 01 tháng 11 năm 2021" in text
    assert "Số: 12/BB-VPHC" in text
    assert "BÁO CÁO TỔNG HỢP CỦA PHƯỜNG" in text.upper()
    assert "Ward dashboard report".upper() not in text.upper()


@pytest.mark.django_db
def test_a_long_table_rendered_in_chunks_is_one_pdf_with_every_row(ward_a, tmp_path):
    from io import BytesIO

    from pypdf import PdfReader

    from documents.layout import official_context
    from documents.rendering import render_pdf_chunked

    context = {
        **official_context(
            ward_a, day=datetime.date(2026, 1, 5), number="7/BC-CAP", title="Báo cáo đợt ra quân"
        ),
        "recipients": [f"Cơ sở số {i}" for i in range(1, 61)],
    }
    seen = []
    pdf = render_pdf_chunked(
        "documents/official_base.html",
        context,
        rows_key="recipients",
        chunk_size=25,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert len(PdfReader(BytesIO(pdf)).pages) >= 3
    text = pdftotext(pdf, tmp_path)
    assert "Cơ sở số 1;" in text and "Cơ sở số 60." in text and "Cơ sở số 26;" in text


@pytest.mark.django_db
def test_the_lean_user_agent_stylesheet_changes_nothing_printed(ward_a, tmp_path):
    """Long tables render with WeasyPrint's stylesheet minus its rules for pseudo-elements of every
    element; lists keep their markers. If a WeasyPrint upgrade changes that stylesheet, this
    fails (the renderer then falls back to WeasyPrint's own, silently slower)."""
    from io import BytesIO

    from pypdf import PdfReader

    from documents.layout import official_context
    from documents.rendering import lean_ua_stylesheet, render_html

    assert lean_ua_stylesheet() is not None
    context = official_context(ward_a, day=datetime.date(2026, 1, 5), number="7/BC-CAP", title="Báo cáo")
    html = render_html("documents/official_base.html", context).replace(
        "</body>", "<ol><li>Thứ nhất</li><li>Thứ hai</li></ol><table><tr><td>Ô 1</td></tr></table></body>"
    )
    standard, lean = html_to_pdf(html), html_to_pdf(html, lean=True)
    assert pdftotext(lean, tmp_path) == pdftotext(standard, tmp_path)
    assert "1. Thứ nhất" in pdftotext(lean, tmp_path)
    assert len(PdfReader(BytesIO(lean)).pages) == len(PdfReader(BytesIO(standard)).pages)


def _fails_or_dies(html: str) -> tuple[bytes, list]:
    if html == "die":
        os._exit(3)  # as the kernel's out-of-memory killer would leave it: no answer
    if html == "fail":
        raise ValueError("this chunk cannot be rendered")
    return html.encode(), []


@pytest.mark.parametrize(
    ("html", "error"), [("fail", "this chunk cannot be rendered"), ("die", "a render process died")]
)
def test_a_render_process_failing_or_dying_fails_the_render_and_leaves_no_process(monkeypatch, html, error):
    from documents import rendering

    monkeypatch.setattr(rendering, "_render_chunk", _fails_or_dies)  # the forked processes inherit it
    pids = []
    with (
        pytest.raises((ValueError, rendering.RenderProcessDied), match=error),
        rendering._Renderers(2) as renderers,
    ):
        pids += [pid for pid, _conn in renderers.children]
        assert len(pids) == 2 and os.getpid() not in pids
        assert renderers.submit("one")() == (b"one", [])
        renderers.submit(html)()
    for pid in pids:  # killed and reaped
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
