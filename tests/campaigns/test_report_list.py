"""The campaign report's list of businesses. A long list is rendered in chunks side by side, in
processes forked for the purpose, and joined: one PDF with every row in order, the report's
heading once, and pages numbered as a document rendered in one piece."""

import io
import multiprocessing
import os
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from pypdf import PdfReader

from documents.models import DocumentJob
from documents.rendering import chunk_bounds
from documents.services import build_document
from tests.documents.helpers import pdftotext
from tests.inspections.factories import record

from .factories import BusinessFactory, active_campaign

pytestmark = pytest.mark.django_db

NAMES = [f"Cửa hàng số {n:02d}" for n in range(1, 24)]


def page_texts(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    count = len(PdfReader(io.BytesIO(pdf)).pages)
    exe = shutil.which("pdftotext")
    return [
        subprocess.run(
            [exe, "-layout", "-f", str(n), "-l", str(n), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def listed_names(text: str) -> list[str]:
    return re.findall(r"Cửa hàng số \d\d", text)


@pytest.fixture
def big_campaign(lena, alice, le_truc, checklist):
    """23 targets on one street (listed by name), every third one inspected in the campaign."""
    businesses = [BusinessFactory(ward=lena.ward, street=le_truc, name=name) for name in NAMES]
    campaign = active_campaign(leader=lena, officers=[alice], targets=businesses, name="Ra quân tháng Tám")
    for business in businesses[::3]:
        record(business=business, version=checklist, officer=alice, source=f"campaign:{campaign.pk}")
    return campaign


def ask_for_report(client, lena, campaign) -> DocumentJob:
    client.force_login(lena)
    client.post(reverse("campaigns:report", args=[campaign.pk]))
    return DocumentJob.objects.get(kind="campaign-report", object_id=campaign.pk)


def test_a_long_list_is_rendered_in_chunks_side_by_side_and_joined_in_order(
    client, lena, big_campaign, settings, tmp_path, monkeypatch
):
    import weasyprint.document

    settings.DOCUMENT_CHUNK_ROWS = 5
    settings.DOCUMENT_RENDER_PROCESSES = 2
    # Chunks of 5 rows (too short to tell how many rows a page holds), the last 8 cut finer.
    chunk_rows = [5] + [b - a for a, b in chunk_bounds(5, len(NAMES), 5, processes=2)]
    assert chunk_rows == [5, 5, 5, 2, 2, 2, 2]
    renders = tmp_path / "renders"
    write_pdf = weasyprint.document.Document.write_pdf

    def recording_write_pdf(self, *args, **kwargs):
        with renders.open("a") as fh:  # forked processes inherit this patch; they append their pid
            fh.write(f"{os.getpid()}\n")
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.document.Document, "write_pdf", recording_write_pdf)
    job = ask_for_report(client, lena, big_campaign)
    progress = []
    pdf = build_document(job, progress=progress.append)  # what the documents task renders

    pids = [int(p) for p in renders.read_text().split()]
    # The report, the list's chunks and the page numbers: rendered by 2 forked processes, none here.
    assert len(pids) >= 1 + len(chunk_rows) + 1 and os.getpid() not in pids and len(set(pids)) <= 2
    assert progress == sorted(progress) and progress[-1] == 90

    text = pdftotext(pdf, tmp_path)
    flat = " ".join(text.split())
    assert flat.upper().count("BÁO CÁO KẾT QUẢ ĐỢT RA QUÂN") == 1
    # Still under way: a draft, without a number.
    assert "DỰ THẢO" in flat and "/BC-RQ" not in flat and "Ra quân tháng Tám" in flat
    assert "CÔNG AN PHƯỜNG ĐIỆN BIÊN" in flat and "Phường Điện Biên" in flat
    assert flat.upper().count("DANH SÁCH CƠ SỞ KINH DOANH TRONG ĐỢT RA QUÂN") == 1
    # Every row once, in the order of the list; 8 inspected, 15 not yet.
    assert listed_names(text) == NAMES
    assert flat.count("Chưa kiểm tra") == 15 and flat.count("Đạt") >= 8

    # Pages: the report's own, then the list's (each chunk starts a page, its header repeated);
    # numbered 2, 3, ... at the top from the second page on, none on the first.
    pages = page_texts(pdf, tmp_path)
    tops = [page.strip().splitlines()[0].strip() for page in pages]
    assert tops[0] != "1" and "CÔNG AN" in tops[0]
    assert tops[1:] == [str(n) for n in range(2, len(pages) + 1)]
    list_pages = [page for page in pages if "Cơ sở kinh doanh, địa chỉ" in page]
    assert [page.count("Cửa hàng số") for page in list_pages] == chunk_rows

    # Rendered in one piece, the list and its order are the same.
    settings.DOCUMENT_CHUNK_ROWS = 1000
    whole = build_document(job)
    assert listed_names(pdftotext(whole, tmp_path)) == NAMES


def test_chunks_end_where_pages_end_so_the_list_has_no_half_empty_pages(
    client, lena, le_truc, settings, tmp_path
):
    names = [f"Cơ sở số {n:03d}" for n in range(1, 181)]
    businesses = [BusinessFactory(ward=lena.ward, street=le_truc, name=name) for name in names]
    campaign = active_campaign(leader=lena, targets=businesses)
    job = ask_for_report(client, lena, campaign)
    settings.DOCUMENT_CHUNK_ROWS = 1000
    whole = page_texts(build_document(job), tmp_path)
    settings.DOCUMENT_CHUNK_ROWS = 70  # the report, 70 rows, then chunks of whole pages
    settings.DOCUMENT_RENDER_PROCESSES = 2
    chunked = page_texts(build_document(job), tmp_path)

    def rows_per_page(pages):
        return [
            len(re.findall(r"Cơ sở số \d{3}", page)) for page in pages if "Cơ sở kinh doanh, địa chỉ" in page
        ]

    full = max(rows_per_page(whole))
    assert full > 10 and sum(rows_per_page(chunked)) == 180
    assert re.findall(r"Cơ sở số (\d{3})", "".join(chunked)) == [f"{n:03d}" for n in range(1, 181)]
    # Every page of the list but the last is full or nearly (a chunk keeps a row or two of room),
    # as in the list rendered in one piece; at most a page more for the whole list.
    assert all(count >= full - 2 for count in rows_per_page(chunked)[1:-1])
    assert len(chunked) <= len(whole) + 1


def test_a_short_list_is_rendered_in_one_piece_with_its_page_numbers(client, lena, big_campaign, tmp_path):
    job = ask_for_report(client, lena, big_campaign)
    pdf = build_document(job)  # 23 rows: fewer than a chunk
    pages = page_texts(pdf, tmp_path)
    assert [page.strip().splitlines()[0].strip() for page in pages[1:]] == [
        str(n) for n in range(2, len(pages) + 1)
    ]
    assert listed_names(pdftotext(pdf, tmp_path)) == NAMES


def _render_in_daemon(context: dict, out: str) -> None:
    from documents.rendering import render_pdf_chunked

    assert multiprocessing.current_process().daemon  # as a Celery prefork pool process is
    pdf = render_pdf_chunked(
        "documents/official_base.html",
        context,
        rows_key="recipients",
        chunk_size=10,
        processes=2,
        number_pages=True,
    )
    with open(out, "wb") as fh:
        fh.write(pdf)


def test_chunks_render_side_by_side_from_a_daemonic_process_as_in_a_celery_worker(ward_a, tmp_path):
    """Celery's prefork pool processes are daemonic, and multiprocessing refuses children to
    daemonic processes; the renderer's process pool must work there all the same."""
    import datetime

    from documents.layout import official_context

    context = {
        **official_context(ward_a, day=datetime.date(2026, 8, 1), number="9/BC-CAP", title="Báo cáo"),
        "recipients": [f"Nơi nhận số {n}" for n in range(1, 31)],
    }
    out = tmp_path / "daemon.pdf"
    process = multiprocessing.get_context("fork").Process(
        target=_render_in_daemon, args=(context, str(out)), daemon=True
    )
    process.start()
    process.join(120)
    assert process.exitcode == 0
    text = pdftotext(out.read_bytes(), tmp_path)
    assert [int(n) for n in re.findall(r"Nơi nhận số (\d+)", text)] == list(range(1, 31))
