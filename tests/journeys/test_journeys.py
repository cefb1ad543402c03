"""Journeys from issue #26, in Chromium, through the pages only (clicks and typing, no direct
POSTs), against gunicorn and a Celery worker on PostgreSQL and Redis (tests/journeys/conftest.py).

Officers use a 360×740 touch phone; leaders, the chairman and the administrator a desktop; the
citizen a phone, logged out."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.roles import Role
from businesses.models import Feedback
from tests.businesses.factories import BusinessFactory
from tests.factories import TEST_PASSWORD, UserFactory, WardFactory
from tests.inspections.factories import image_bytes

from .conftest import DESKTOP, OFFICER_PHONE

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.journey]


# --- what every journey does ----------------------------------------------------------------


def log_in(page: Page, stack, username: str) -> None:
    page.goto(stack.url("/accounts/login/"))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    try:
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    except Exception:
        raise AssertionError(page.content()[:3000] + stack.output()) from None


def menu(page: Page, label: str) -> None:
    """Follows an entry of the main menu (opened first where a narrow screen folds it)."""
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    link = nav.get_by_role("link", name=label, exact=True)
    if not link.is_visible():
        page.get_by_role("button", name="Menu").click()
    link.click()


def wait_and_download(page: Page, tmp_path: Path, name: str) -> Path:
    """On a document's progress page: waits (the page polls itself) until the worker has made
    the PDF, then downloads it as the person would."""
    link = page.get_by_role("link", name="Tải tệp PDF")
    expect(link).to_be_visible(timeout=90_000)
    with page.expect_download() as download:
        link.click()
    path = tmp_path / name
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    return path


def tool(name: str) -> str:
    exe = shutil.which(name)
    if not exe:
        pytest.fail(f"{name} is missing: .ci/run installs poppler-utils and zbar-tools")
    return exe


def pdftotext(path: Path) -> str:
    return subprocess.run(
        [tool("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def qr_codes(pdf: Path) -> list[str]:
    """The QR codes on the PDF's first page, as a phone's camera reads them."""
    prefix = pdf.with_suffix("")
    subprocess.run(
        [tool("pdftoppm"), "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf), str(prefix)], check=True
    )
    (png,) = pdf.parent.glob(f"{prefix.name}*.png")
    out = subprocess.run([tool("zbarimg"), "--quiet", "--raw", str(png)], capture_output=True, text=True)
    return out.stdout.split()


@pytest.fixture
def ward(journey):
    return WardFactory(name="Phường Điện Biên", police_unit_name="CÔNG AN PHƯỜNG ĐIỆN BIÊN")


# --- 4. a poster, its QR code, a citizen's feedback ---------------------------------------------


def test_4_a_citizen_scans_the_printed_poster_and_the_feedback_reaches_the_leaders_inbox(
    journey, ward, new_page, tmp_path
):
    UserFactory(username="leader1", ward=ward, role=Role.LEADER, full_name="Trần Quốc Hùng")
    cafe = BusinessFactory(ward=ward, name="Cà phê Hòa Bình")
    photo = tmp_path / "quan.jpg"
    photo.write_bytes(image_bytes(size=(640, 480)))

    leader = new_page(**DESKTOP)
    log_in(leader, journey, "leader1")
    menu(leader, "Cơ sở kinh doanh")
    leader.get_by_role("link", name="Cà phê Hòa Bình").click()
    expect(leader.get_by_role("heading", name="Cà phê Hòa Bình", level=1)).to_be_visible()
    poster = leader.get_by_role("region", name="Áp phích mã QR")
    poster.get_by_label("Khổ giấy").select_option("a4")
    poster.get_by_role("button", name="In áp phích (PDF)").click()
    pdf = wait_and_download(leader, tmp_path, "ap-phich.pdf")

    (address,) = qr_codes(pdf)
    assert address == journey.url(f"/p/{cafe.public_token}/")

    citizen = new_page(**OFFICER_PHONE)
    citizen.goto(address)
    expect(citizen.get_by_role("heading", name="Cà phê Hòa Bình")).to_be_visible()
    citizen.locator('select[name="category"]').select_option("noise")
    citizen.get_by_label("Ý kiến của bạn").fill("Quán hát karaoke rất to sau 23 giờ đêm qua.")
    citizen.get_by_label("Ảnh (không bắt buộc)").set_input_files(str(photo))
    citizen.get_by_role("button", name="Gửi phản ánh").click()
    expect(citizen.get_by_role("heading", name="Cảm ơn bạn, phản ánh đã được gửi")).to_be_visible()

    stored = Feedback.objects.get()
    assert stored.business == cafe and stored.ward == ward and stored.photo
    menu(leader, "Phản ánh của người dân")
    expect(leader.get_by_text("Quán hát karaoke rất to")).to_be_visible()


# --- 6. the administrator: a new checklist version, a cloned criteria set ------------------------


def admin_action(page: Page, row_text: str, action: str) -> None:
    """Ticks the row of a Django admin change list and runs an action on it."""
    page.get_by_role("row").filter(has_text=row_text).get_by_role("checkbox").check()
    page.locator('select[name="action"]').select_option(label=action)
    page.get_by_role("button", name="Đi đến").click()


def test_6_the_administrator_publishes_a_new_checklist_version_and_clones_a_criteria_set(
    journey, ward, new_page
):
    from criteria.models import CriteriaSet
    from inspections.models import ChecklistVersion, VersionStatus
    from tests.criteria.factories import published_set
    from tests.inspections.factories import published_checklist

    UserFactory(username="admin", ward=ward, role=Role.ADMIN, is_superuser=True, is_staff=True)
    first = published_checklist(name="Kiểm tra chung")
    criteria = published_set()

    page = new_page(**DESKTOP)
    log_in(page, journey, "admin")
    menu(page, "Quản trị hệ thống")
    page.get_by_role("link", name="Bộ câu hỏi kiểm tra", exact=True).click()
    admin_action(page, "Kiểm tra chung", "Sửa: tạo phiên bản nháp mới")
    expect(page.get_by_text("Kiểm tra chung: phiên bản nháp 2 đã sẵn sàng để sửa.")).to_be_visible()

    # The new rule goes into the draft: a question added to its first section.
    page.get_by_role("link", name="Phiên bản bộ câu hỏi", exact=True).first.click()
    page.get_by_role("row").filter(has_text="Bản nháp").get_by_role("link").first.click()
    page.locator("a.inlinechangelink").first.click()
    page.locator('input[name$="-question"]:visible').last.fill("Lối thoát nạn thông thoáng, có đèn chỉ dẫn")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    page.get_by_role("link", name="Phiên bản bộ câu hỏi", exact=True).first.click()
    admin_action(page, "Bản nháp", "Ban hành các phiên bản nháp đã chọn")
    expect(page.get_by_text("Đã ban hành 1 phiên bản.")).to_be_visible()

    current = ChecklistVersion.objects.get(template=first.template, status=VersionStatus.PUBLISHED)
    assert current.number == 2
    questions = [i.question for s in current.sections.all() for i in s.items.all()]
    assert "Lối thoát nạn thông thoáng, có đèn chỉ dẫn" in questions
    assert ChecklistVersion.objects.get(pk=first.pk).status != VersionStatus.PUBLISHED

    page.get_by_role("link", name="Trang chủ").first.click()
    page.get_by_role("link", name="Bộ tiêu chí", exact=True).click()
    admin_action(page, "Bộ tiêu chí kiểu mẫu thử", "Sao chép thành phiên bản mới")
    expect(page.get_by_text(re.compile(r"Đã tạo bản nháp “.*Bộ tiêu chí kiểu mẫu thử"))).to_be_visible()
    clone = CriteriaSet.objects.exclude(pk=criteria.pk).get()
    assert clone.name == criteria.name and clone.status == "draft" and clone.version != criteria.version
    assert sorted(c.code for g in clone.groups.all() for c in g.criteria.all()) == ["1.1", "1.2", "2.1"]


# --- an officer on the phone: from "Việc của tôi" to a filled form -------------------------------


def officer_opens_the_form(page: Page, stack, *, search: str, business: str) -> None:
    """Logs in (an officer lands on "Việc của tôi"), searches without accents, taps "Kiểm tra"."""
    log_in(page, stack, "officer1")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Việc của tôi")
    page.get_by_label("Tên cơ sở, tên đường hoặc số nhà (gõ không dấu cũng được)").fill(search)
    page.get_by_role("button", name="Kiểm tra cơ sở").click()
    page.get_by_role("link", name=f"Kiểm tra {business}").click()
    expect(page.get_by_role("heading", name=f"Kiểm tra: {business}")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def answer(page: Page, question: str, choice: str):
    item = page.get_by_role("group", name=question)
    item.get_by_text(choice, exact=True).click()
    return item


def owner_signs(page: Page, text: str) -> None:
    """The owner signs the commitment with a finger on the phone's screen."""
    page.get_by_text("Chủ cơ sở ký cam kết").click()
    page.get_by_label("Nội dung cam kết").fill(text)
    canvas = page.locator("[data-signature-pad]")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 60)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 20, steps=5)
    page.mouse.move(box["x"] + 220, box["y"] + 80, steps=5)
    page.mouse.up()


@pytest.fixture
def cafe(ward):
    from tests.businesses.factories import BusinessCategoryFactory
    from tests.factories import StreetFactory
    from tests.inspections.factories import published_checklist

    UserFactory(username="officer1", ward=ward, role=Role.OFFICER, full_name="Nguyễn Văn Minh")
    published_checklist()
    return BusinessFactory(
        ward=ward,
        name="Cà phê Nam Giang",
        house_number="48B",
        street=StreetFactory(ward=ward, name="Điện Biên Phủ"),
        owner_name="Trần Thị Mai",
        category=BusinessCategoryFactory(code="ca-phe", name="Quán cà phê"),
    )


# --- 7. offline, then synced once ---------------------------------------------------------------


def test_7_an_inspection_filled_offline_is_stored_once_when_the_connection_returns(
    journey, cafe, new_page, tmp_path
):
    from inspections.models import Commitment, Inspection

    page = new_page(**OFFICER_PHONE)
    officer_opens_the_form(page, journey, search="48b dien bien phu", business="Cà phê Nam Giang")
    # The service worker controls the page once it has kept the form and the outbox.
    page.wait_for_function("() => !!navigator.serviceWorker && navigator.serviceWorker.controller !== null")

    page.context.set_offline(True)
    answer(page, "Mã QR được niêm yết và khách quét mã", "Đạt")
    answer(page, "Có bình chữa cháy còn hạn sử dụng Quan trọng", "Đạt")
    sidewalk = answer(page, "Không lấn chiếm vỉa hè", "Không đạt")
    sidewalk.get_by_text("Ghi chú và ảnh").click()
    sidewalk.get_by_label("Ghi chú").fill("Để 6 xe máy trên vỉa hè")
    owner_signs(page, "Không để xe trên vỉa hè")
    page.get_by_role("button", name="Lưu kết quả kiểm tra").click()

    expect(page.get_by_role("heading", name="Hộp thư chờ gửi")).to_be_visible()
    entry = page.locator("[data-entry]")
    expect(entry).to_have_count(1)
    expect(entry.locator(".outbox-state")).to_have_text("Chờ gửi")
    assert Inspection.objects.count() == 0

    page.context.set_offline(False)
    expect(entry.locator(".outbox-state")).to_have_text("Đã gửi", timeout=30_000)
    # Back online, the outbox is read again (a reload sends whatever is left): still one.
    page.reload()
    expect(page.locator("[data-entry] .outbox-state")).to_have_text("Đã gửi")
    page.get_by_role("link", name="Xem kết quả kiểm tra đã lưu").click()
    expect(page.get_by_text("Để 6 xe máy trên vỉa hè")).to_be_visible()
    inspection = Inspection.objects.get()
    assert inspection.business == cafe and inspection.result == "reminded"
    assert Commitment.objects.get(inspection=inspection).signature.name.endswith(".png")


# --- 1. find a business without accents, a critical item fails, the owner signs ------------------


def test_1_an_officer_inspects_a_business_found_without_accents_and_a_critical_failure_proposes_a_record(
    journey, cafe, new_page, tmp_path
):
    from inspections.models import ChecklistItem, Commitment, Inspection, Photo
    from tests.violations.factories import ViolationTypeFactory, record_forms
    from violations.domains import Domain

    record_forms()
    extinguisher = ViolationTypeFactory(
        code="pccc-binh-chua-chay",
        domain=Domain.FIRE_SAFETY,
        title="Không trang bị phương tiện phòng cháy và chữa cháy",
        decree="106/2025/NĐ-CP",
    )
    ChecklistItem.objects.get(question="Có bình chữa cháy còn hạn sử dụng").violation_types.add(extinguisher)
    photo = tmp_path / "binh-chua-chay.jpg"
    photo.write_bytes(image_bytes(size=(800, 600)))

    page = new_page(**OFFICER_PHONE)
    officer_opens_the_form(page, journey, search="ca phe nam giang", business="Cà phê Nam Giang")
    answer(page, "Mã QR được niêm yết và khách quét mã", "Đạt")
    fire = answer(page, "Có bình chữa cháy còn hạn sử dụng Quan trọng", "Không đạt")
    fire.get_by_text("Ghi chú và ảnh").click()
    fire.get_by_label("Ghi chú").fill("Bình chữa cháy hết hạn từ tháng 3")
    fire.get_by_label("Ảnh").set_input_files(str(photo))
    answer(page, "Không lấn chiếm vỉa hè", "Đạt")
    owner_signs(page, "Thay bình chữa cháy mới trong 7 ngày")
    page.get_by_role("button", name="Lưu kết quả kiểm tra").click()

    expect(page.get_by_role("heading", name="Kiểm tra: Cà phê Nam Giang")).to_be_visible()
    expect(page.get_by_text("Bình chữa cháy hết hạn từ tháng 3")).to_be_visible()
    expect(page.get_by_role("img", name="Chữ ký của Trần Thị Mai")).to_be_visible()
    expect(page.get_by_role("link", name="Mở dự thảo biên bản")).to_be_visible()
    inspection = Inspection.objects.get()
    assert inspection.business == cafe and inspection.result == "failed"
    assert inspection.critical_failed_count == 1
    assert Photo.objects.filter(inspection=inspection).count() == 1
    assert Commitment.objects.get(inspection=inspection).text == "Thay bình chữa cháy mới trong 7 ngày"
    proposed = inspection.proposed_violation
    assert proposed is not None and proposed.business == cafe
    assert [t.code for t in proposed.types.all()] == ["pccc-binh-chua-chay"]
