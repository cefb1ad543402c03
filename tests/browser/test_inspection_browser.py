import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from inspections.models import Inspection, Photo
from tests.factories import TEST_PASSWORD, UserFactory, WardFactory
from tests.inspections.factories import (
    BusinessCategoryFactory,
    BusinessFactory,
    image_bytes,
    published_checklist,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_officer_fills_a_checklist_on_a_phone_and_a_double_tap_saves_one_inspection(
    live_server, page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    ward = WardFactory(name="Phường Điện Biên", police_unit_name="CÔNG AN PHƯỜNG ĐIỆN BIÊN")
    UserFactory(username="officer1", ward=ward, role=Role.OFFICER, full_name="Nguyễn Văn Minh")
    cafe = BusinessFactory(
        ward=ward, name="Cà phê Lê Trực", category=BusinessCategoryFactory(code="ca-phe", name="Quán cà phê")
    )
    published_checklist()
    photo = tmp_path / "mat-tien.jpg"
    photo.write_bytes(image_bytes(size=(320, 240)))

    console_errors = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("officer1")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.goto(f"{live_server.url}/inspections/new/?business={cafe.pk}")
    expect(page.get_by_role("heading", name="Kiểm tra: Cà phê Lê Trực")).to_be_visible()
    progress = page.locator("[data-progress-count]")
    expect(progress).to_have_text("0")

    qr = page.get_by_role("group", name="Mã QR được niêm yết và khách quét mã")
    qr.get_by_text("Đạt", exact=True).click()
    page.get_by_role("group", name="Có bình chữa cháy còn hạn sử dụng Quan trọng").get_by_text(
        "Đạt", exact=True
    ).click()
    sidewalk = page.get_by_role("group", name="Không lấn chiếm vỉa hè")
    sidewalk.get_by_text("Không đạt", exact=True).click()
    sidewalk.get_by_text("Ghi chú và ảnh").click()
    sidewalk.get_by_label("Ghi chú").fill("Để 6 xe máy trên vỉa hè")
    expect(progress).to_have_text("3")

    # A reload keeps the answers: the draft lives in the phone's storage.
    page.reload()
    expect(page.locator("[data-progress-count]")).to_have_text("3")
    expect(page.get_by_text("Đã khôi phục các câu trả lời chưa gửi")).to_be_visible()

    page.get_by_label("Ảnh chung").set_input_files(str(photo))
    page.get_by_text("Chủ cơ sở ký cam kết").click()
    page.get_by_label("Nội dung cam kết").fill("Không để xe trên vỉa hè")
    canvas = page.locator("[data-signature-pad]")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 60)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 20, steps=5)
    page.mouse.move(box["x"] + 220, box["y"] + 80, steps=5)
    page.mouse.up()

    page.get_by_role("button", name="Lưu kết quả kiểm tra").dblclick()

    expect(page.get_by_text("Kết quả: Đạt, có nhắc nhở")).to_be_visible()
    expect(page.get_by_text("Để 6 xe máy trên vỉa hè")).to_be_visible()
    expect(page.get_by_role("img", name="Chữ ký của Trần Thị Mai")).to_be_visible()
    assert Inspection.objects.count() == 1
    inspection = Inspection.objects.get()
    assert inspection.result == "reminded"
    assert inspection.commitment.signature.name.endswith(".png")
    assert Photo.objects.filter(inspection=inspection).count() == 1
    # The saved draft is cleared: a new form starts empty.
    page.goto(f"{live_server.url}/inspections/new/?business={cafe.pk}")
    expect(page.locator("[data-progress-count]")).to_have_text("0")
    assert console_errors == []
