"""#29: a citizen holding a PDF checks it on /v/<code>/ from a phone, in Chromium."""

import pytest
from django.core.cache import cache
from django.db import transaction
from playwright.sync_api import expect

from accounts.roles import Role
from documents import issuing
from documents.models import DocumentJob, IssuedDocument
from documents.registry import register, unregister
from documents.services import document_request
from tests.documents.test_signing import ISSUED, flip_one_byte, issue_entry, issued_kind_definition
from tests.factories import UserFactory, WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def issued(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    register(issued_kind_definition())
    ward = WardFactory(name="Phường Điện Biên", police_unit_name="CÔNG AN PHƯỜNG ĐIỆN BIÊN")
    leader = UserFactory(username="leader1", ward=ward, role=Role.LEADER, full_name="Lê Văn Lâm")
    with transaction.atomic():
        issue_entry(ward, leader)
    document_request(kind=ISSUED, object_id=ward.pk, user=leader)
    job = DocumentJob.objects.get(kind=ISSUED)
    assert job.is_ready, job.error
    pdf = job.file.read()
    (tmp_path / "bien-ban.pdf").write_bytes(pdf)
    (tmp_path / "bien-ban-sua.pdf").write_bytes(flip_one_byte(pdf))
    cache.clear()
    yield IssuedDocument.objects.get(), tmp_path
    unregister(ISSUED)


def test_a_citizen_types_the_code_uploads_the_pdf_and_reads_the_verdict(live_server, page, issued):
    document, folder = issued
    console_errors = []
    page.on(
        "console",
        lambda msg: (
            console_errors.append(f"{msg.text} ({msg.location.get('url')})") if msg.type == "error" else None
        ),
    )
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(f"{live_server.url}/v/")
    page.get_by_label("Mã tra cứu in trên văn bản").fill(issuing.display_code(document.code).lower())
    page.get_by_role("button", name="Tra cứu").click()
    expect(page).to_have_url(f"{live_server.url}/v/{document.code}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("01/BB-KT")
    expect(page.locator("#doc-status")).to_contain_text("Còn hiệu lực")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_label("Tệp PDF bạn nhận được").set_input_files(str(folder / "bien-ban.pdf"))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.locator("#verify-verdict")).to_contain_text(
        "Đây đúng là văn bản Công an phường đã ban hành, không bị thay đổi."
    )

    page.get_by_label("Tệp PDF bạn nhận được").set_input_files(str(folder / "bien-ban-sua.pdf"))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.locator("#verify-verdict")).to_contain_text("Tệp này đã bị thay đổi sau khi ban hành")
    # The browser asks for /favicon.ico by itself (as test_every_page_browser.py notes): not the page's.
    assert [error for error in console_errors if "favicon" not in error] == []
