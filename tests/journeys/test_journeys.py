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
from tests.dashboards.test_ward_dashboard import town  # noqa: F401 (the hand-counted November)
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
    from inspections.models import Commitment, Inspection, Photo
    from tests.violations.factories import record_forms

    # The checklist's critical item cites its violation type (tests.inspections.factories).
    record_forms()
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
    assert [t.code for t in proposed.types.all()] == ["phuong-tien-chua-chay-khong-bao-dam"]


# --- 5. the chairman follows every figure ----------------------------------------------------------

# How each list states how many rows it holds (the figure's own words differ: "75%" of
# compliance is followed by its failed inspections, which the hint counts).
LIST_COUNT = re.compile(r"^(?:Tìm thấy )?(\d+) (?:cơ sở|lần kiểm tra|biên bản|đợt ra quân|cam kết|phản ánh)")


def listed_count(page: Page) -> int:
    """The count a list states above its rows or, for a list that states none, its rows."""
    for text in page.locator("main p").all_inner_texts():
        found = LIST_COUNT.match(text.strip())
        if found:
            return int(found.group(1))
    return page.locator("main table tbody tr").filter(has_not=page.locator("td[colspan]")).count()


def figure_count(value: str, hint: str) -> int:
    if value.endswith("%"):  # a rate opens the inspections that broke it, counted in its hint
        return int(re.search(r"\d+", hint).group())
    return 0 if value == "—" else int(value.replace(".", ""))


def test_5_the_chairman_follows_every_figure_and_each_list_counts_what_the_figure_showed(
    journey,
    new_page,
    ward_a,
    charlie,
    lena,
    town,  # noqa: F811
):
    from tests.campaigns.factories import active_campaign

    active_campaign(leader=lena, targets=[town["b1"], town["b2"]], name="Ra quân tháng 11")

    page = new_page(**DESKTOP)
    log_in(page, journey, "charlie")
    menu(page, "Tổng quan")
    page.get_by_label("Kỳ báo cáo", exact=True).select_option(label="Tháng")
    page.get_by_label("Kỳ có chứa ngày").fill("15/11/2025")
    page.get_by_role("button", name="Xem", exact=True).click()
    expect(page.get_by_text("01/11/2025 – 30/11/2025")).to_be_visible()
    dashboard = page.url

    figures = page.locator("#figures-title + ul > li")
    shown = []
    for n in range(figures.count()):
        figure = figures.nth(n)
        shown.append(
            (
                figure.locator(".dash-figure__label").inner_text(),
                figure.locator(".dash-figure__value").inner_text(),
                figure.locator(".help").all_inner_texts(),
            )
        )
    assert len(shown) >= 10, shown
    followed = {}
    for n, (label, value, hint) in enumerate(shown):
        link = figures.nth(n).get_by_role("link")
        expect(link, f"“{label}” opens no list").to_have_count(1)
        link.click()
        page.wait_for_url(lambda url: url != dashboard)
        followed[label] = (figure_count(value, " ".join(hint)), listed_count(page), page.url)
        page.go_back()
        page.wait_for_url(dashboard)
    wrong = {label: seen for label, seen in followed.items() if seen[0] != seen[1]}
    assert not wrong, wrong
    # The hand-counted November of tests/dashboards (ward B's rows never counted).
    assert followed["Cơ sở đang hoạt động"][0] == 2
    assert followed["Lượt kiểm tra trong kỳ"][0] == 4
    assert followed["Đợt ra quân đang diễn ra"][0] == 1


# --- 3. a campaign by street, with partner forces, through to its report -------------------------


def type_date(field, day) -> None:
    """Types a date as the field asks for it: the browser's date picker or dd/mm/yyyy."""
    field.fill(day.isoformat() if field.get_attribute("type") == "date" else f"{day:%d/%m/%Y}")


def test_3_a_leader_runs_a_campaign_by_street_with_partner_forces_and_prints_its_report(
    journey, ward, new_page, tmp_path
):
    from django.utils import timezone

    from campaigns.models import Campaign, CampaignStatus
    from tests.factories import StreetFactory
    from tests.inspections.factories import published_checklist

    UserFactory(username="leader1", ward=ward, role=Role.LEADER, full_name="Trần Quốc Hùng")
    UserFactory(username="officer1", ward=ward, role=Role.OFFICER, full_name="Nguyễn Văn Minh")
    published_checklist()
    le_truc = StreetFactory(ward=ward, name="Lê Trực")
    BusinessFactory(ward=ward, street=le_truc, house_number="12", name="Cà phê Lê Trực")
    BusinessFactory(ward=ward, street=le_truc, house_number="30", name="Karaoke Ánh Sao")
    BusinessFactory(ward=ward, street=StreetFactory(ward=ward, name="Hoàng Diệu"), name="Nhà nghỉ Hoàng Diệu")
    today = timezone.localdate()

    leader = new_page(**DESKTOP)
    log_in(leader, journey, "leader1")
    menu(leader, "Đợt ra quân")
    leader.get_by_role("link", name="Lập kế hoạch ra quân").click()
    leader.get_by_label("Tên đợt ra quân").fill("Ra quân tuyến phố Lê Trực")
    type_date(leader.get_by_label("Ngày bắt đầu"), today)
    type_date(leader.get_by_label("Ngày kết thúc"), today)
    leader.get_by_label("Phòng cháy chữa cháy").check()
    leader.get_by_label("Chỉ huy").select_option(label="Trần Quốc Hùng")
    leader.get_by_label("Nguyễn Văn Minh").check()
    leader.get_by_role("button", name="Lưu kế hoạch").click()

    # Saved, the plan asks for its targets: the street's businesses, given to the officer.
    leader.get_by_label("Lê Trực").check()
    leader.get_by_role("button", name="Thêm vào đợt ra quân").click()
    assign = leader.get_by_role("region", name="Giao cơ sở cho cán bộ")
    assign.get_by_label("Cà phê Lê Trực").check()
    assign.get_by_label("Karaoke Ánh Sao").check()
    assign.get_by_label("Giao cho").select_option(label="Nguyễn Văn Minh")
    assign.get_by_role("button", name="Giao", exact=True).click()
    leader.get_by_role("link", name="Quay lại bảng theo dõi tiến độ").click()
    expect(leader.get_by_role("heading", name="Ra quân tuyến phố Lê Trực", level=1)).to_be_visible()

    forces = leader.get_by_role("region", name="Lực lượng phối hợp")
    for force, people in (("Đoàn thanh niên", "10"), ("Bảo vệ dân phố", "6")):
        forces.get_by_role("combobox", name="Lực lượng").select_option(label=force)
        forces.get_by_label("Số người").fill(people)
        forces.get_by_role("button", name="Ghi nhận lực lượng").click()
        expect(forces.get_by_role("row").filter(has_text=force)).to_contain_text(people)
    leader.get_by_role("button", name="Bắt đầu đợt ra quân").click()

    campaign = Campaign.objects.get()
    assert campaign.status == CampaignStatus.ACTIVE
    assert sorted(t.business.name for t in campaign.targets.all()) == ["Cà phê Lê Trực", "Karaoke Ánh Sao"]
    assert {(f.force_type, f.head_count) for f in campaign.forces.all()} == {
        ("youth_union", 10),
        ("civil_defence", 6),
    }

    officer = new_page(**OFFICER_PHONE)
    log_in(officer, journey, "officer1")
    menu(officer, "Đợt ra quân")
    officer.get_by_role("link", name="Ra quân tuyến phố Lê Trực").click()
    mine = officer.get_by_role("region", name="Cơ sở được giao cho tôi")
    inspect = (
        mine.locator("tr, li, article")
        .filter(has_text="Cà phê Lê Trực")
        .get_by_role("link", name="Kiểm tra ngay")
    )
    inspect.scroll_into_view_if_needed()
    box = inspect.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360, "the button is off the phone's screen"
    inspect.tap()
    expect(officer.get_by_role("heading", name="Kiểm tra: Cà phê Lê Trực")).to_be_visible()
    answer(officer, "Mã QR được niêm yết và khách quét mã", "Đạt")
    answer(officer, "Có bình chữa cháy còn hạn sử dụng Quan trọng", "Đạt")
    answer(officer, "Không lấn chiếm vỉa hè", "Đạt")
    officer.get_by_role("button", name="Lưu kết quả kiểm tra").click()
    expect(officer.get_by_text("Kết quả:")).to_be_visible()
    assert campaign.targets.get(business__name="Cà phê Lê Trực").inspection is not None

    leader.reload()
    leader.get_by_role("button", name="Kết thúc đợt ra quân và chốt kết quả").click()
    expect(leader.get_by_text("Còn 1 trong số 2 cơ sở chưa được kiểm tra.")).to_be_visible()
    leader.get_by_role("button", name="Vẫn kết thúc và chốt kết quả").click()
    expect(leader.get_by_role("heading", name="Ra quân tuyến phố Lê Trực", level=1)).to_be_visible()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED

    leader.get_by_role("button", name="Báo cáo kết quả (PDF)").click()
    text = pdftotext(wait_and_download(leader, tmp_path, "bao-cao.pdf"))
    assert "Ra quân tuyến phố Lê Trực" in text
    assert "Đoàn thanh niên" in text and "Bảo vệ dân phố" in text
    assert "Cà phê Lê Trực" in text and "Karaoke Ánh Sao" in text
    assert "Nhà nghỉ Hoàng Diệu" not in text


# --- 2. the proposed record completed with a witness, signed and printed --------------------------


def test_2_a_leader_completes_the_proposed_record_with_a_witness_signs_and_prints_it(
    journey, cafe, new_page, tmp_path
):
    from django.utils import timezone

    from inspections.models import ChecklistItem
    from tests.inspections.factories import record
    from tests.violations.factories import record_forms
    from violations.models import Violation
    from violations.services import violation_type_confirm

    record_forms()
    UserFactory(username="leader1", ward=cafe.ward, role=Role.LEADER, full_name="Trần Quốc Hùng")
    item = ChecklistItem.objects.get(question="Có bình chữa cháy còn hạn sử dụng")
    # The administrator has checked the catalogue entry against the decree: it may be cited.
    violation_type_confirm(
        violation_type=item.violation_types.get(),
        user=UserFactory(username="admin", ward=cafe.ward, role=Role.ADMIN, is_superuser=True, is_staff=True),
        note="Đã đối chiếu Nghị định 106/2025/NĐ-CP",
    )
    officer = UserFactory._meta.model.objects.get(username="officer1")
    inspection = record(
        business=cafe,
        version=item.section.version,
        officer=officer,
        statuses={"Có bình chữa cháy còn hạn sử dụng": "fail"},
    )
    assert inspection.proposed_violation_id

    leader = new_page(**DESKTOP)
    log_in(leader, journey, "leader1")
    menu(leader, "Kiểm tra")
    leader.get_by_role("row").filter(has_text="Cà phê Nam Giang").get_by_role("link").first.click()
    leader.get_by_role("link", name="Mở dự thảo biên bản").click()
    # Completed: a critical failure is recorded on the administrative violation record (MBB01).
    leader.get_by_role("link", name="Sửa bản nháp").click()
    leader.locator('select[name="stage"]').select_option(label="Biên bản vi phạm hành chính (MBB01)")
    leader.get_by_label("Thời điểm lập biên bản").fill(f"{timezone.localtime():%d/%m/%Y %H:%M}")
    leader.get_by_label("Địa điểm lập biên bản").fill("Số 48B Điện Biên Phủ")
    leader.get_by_role("button", name="Lưu bản nháp").click()
    sign = leader.locator("form", has=leader.get_by_role("heading", name="Ký biên bản"))
    sign.get_by_label("đã ký biên bản").check()
    sign.get_by_label("Người chứng kiến hoặc đại diện chính quyền phường").fill("Nguyễn Thị Lan")
    sign.get_by_label("Tư cách").select_option(index=1)
    sign.get_by_role("button", name="Ký", exact=True).click()
    violation = Violation.objects.get(pk=inspection.proposed_violation_id)
    expect(leader.get_by_role("button", name="In biên bản (PDF)")).to_be_visible()
    violation.refresh_from_db()
    assert violation.number, "the signed record has its number"

    leader.get_by_role("button", name="In biên bản (PDF)").click()
    text = pdftotext(wait_and_download(leader, tmp_path, "bien-ban.pdf"))
    assert "Cà phê Nam Giang" in text and "Trần Thị Mai" in text
    # The witness entered at signing is stored and printed (#26.5).
    assert violation.witness_name == "Nguyễn Thị Lan"
    assert "Nguyễn Thị Lan" in text
