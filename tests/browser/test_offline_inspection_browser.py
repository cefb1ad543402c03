import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from businesses.models import BusinessStatus
from inspections.models import Commitment, Inspection, Photo
from tests.factories import TEST_PASSWORD, UserFactory, WardFactory
from tests.inspections.factories import (
    BusinessCategoryFactory,
    BusinessFactory,
    image_bytes,
    published_checklist,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cafe(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ward = WardFactory(name="Phường Điện Biên", police_unit_name="CÔNG AN PHƯỜNG ĐIỆN BIÊN")
    UserFactory(username="officer1", ward=ward, role=Role.OFFICER, first_name="Minh", last_name="Nguyễn Văn")
    published_checklist()
    return BusinessFactory(
        ward=ward, name="Cà phê Lê Trực", category=BusinessCategoryFactory(code="ca-phe", name="Quán cà phê")
    )


# Waits until the service worker has put `url` in its cache.
CACHED = """async (url) => {
    for (let i = 0; i < 100; i++) {
        for (const name of await caches.keys()) {
            if (await (await caches.open(name)).match(url)) { return true; }
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
}"""


CACHED_PAGES = """async () => {
    const pages = [];
    for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) {
            if (!new URL(request.url).pathname.startsWith("/static/")) { pages.push(request.url); }
        }
    }
    return pages;
}"""


def open_form_online(page, live_server, business):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("officer1")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{live_server.url}/inspections/new/?business={business.pk}")
    expect(page.get_by_role("heading", name="Kiểm tra: Cà phê Lê Trực")).to_be_visible()
    # The service worker controls the page once it has cached the app shell and the outbox.
    page.wait_for_function("() => !!navigator.serviceWorker && navigator.serviceWorker.controller !== null")


def answer_all(page):
    page.get_by_role("group", name="Mã QR được niêm yết và khách quét mã").get_by_text(
        "Đạt", exact=True
    ).click()
    page.get_by_role("group", name="Có bình chữa cháy còn hạn sử dụng Quan trọng").get_by_text(
        "Đạt", exact=True
    ).click()
    sidewalk = page.get_by_role("group", name="Không lấn chiếm vỉa hè")
    sidewalk.get_by_text("Không đạt", exact=True).click()
    sidewalk.get_by_text("Ghi chú và ảnh").click()
    sidewalk.get_by_label("Ghi chú").fill("Để 6 xe máy trên vỉa hè")


def sign(page):
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


def test_an_inspection_filled_offline_waits_in_the_outbox_and_is_stored_once_when_online(
    live_server, page, context, cafe, tmp_path
):
    photo = tmp_path / "mat-tien.jpg"
    photo.write_bytes(image_bytes(size=(3200, 2400)))
    open_form_online(page, live_server, cafe)
    assert page.evaluate(CACHED, page.url)

    context.set_offline(True)
    # Without a connection the form opened online still opens (from the service worker's cache).
    page.reload()
    expect(page.get_by_role("heading", name="Kiểm tra: Cà phê Lê Trực")).to_be_visible()
    answer_all(page)
    page.get_by_label("Ảnh chung").set_input_files(str(photo))
    sign(page)
    page.get_by_role("button", name="Lưu kết quả kiểm tra").click()

    expect(page.get_by_role("heading", name="Hộp thư chờ gửi")).to_be_visible()
    entry = page.locator("[data-entry]")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("Cà phê Lê Trực")
    expect(entry.locator(".outbox-state")).to_have_text("Chờ gửi")
    expect(entry).to_contain_text("Kèm 1 ảnh")
    assert Inspection.objects.count() == 0
    # The photo was downscaled on the phone before it was stored (longest side 1600 px).
    size = page.evaluate(
        """async () => {
            const entry = (await WPOutbox.all())[0];
            window.queuedCopy = entry;  // the very same request, to replay it later
            const bitmap = await createImageBitmap(entry.files[0].blob);
            return [bitmap.width, bitmap.height, entry.files[0].blob.type];
        }"""
    )
    assert size == [1600, 1200, "image/jpeg"]

    context.set_offline(False)

    expect(entry.locator(".outbox-state")).to_have_text("Đã gửi", timeout=15_000)
    expect(entry.get_by_role("link", name="Xem kết quả kiểm tra đã lưu")).to_be_visible()
    inspection = Inspection.objects.get()
    assert inspection.business == cafe
    assert inspection.result == "reminded"
    assert Photo.objects.get(inspection=inspection).width == 1600
    assert Commitment.objects.get(inspection=inspection).signature.name.endswith(".png")

    # A lost answer, a second tab or a reinstall sends the same submission again: still one.
    replay = page.evaluate(
        """async () => {
            await WPOutbox.remove(window.queuedCopy.id);
            await WPOutbox.add(window.queuedCopy);
            await WPOutbox.sendAll({force: true});
            const entry = await WPOutbox.get(window.queuedCopy.id);
            return [entry.state, entry.message, entry.inspectionUrl];
        }"""
    )
    assert replay == [
        "sent",
        "Lần kiểm tra này đã được lưu trước đó; không tạo bản trùng.",
        f"/inspections/{inspection.pk}/",
    ]
    assert Inspection.objects.count() == 1

    entry.get_by_role("link", name="Xem kết quả kiểm tra đã lưu").click()
    expect(page.get_by_text("Để 6 xe máy trên vỉa hè")).to_be_visible()


def test_a_queued_inspection_the_server_refuses_shows_why_and_stays_until_discarded(
    live_server, page, context, cafe
):
    open_form_online(page, live_server, cafe)
    context.set_offline(True)
    answer_all(page)
    page.get_by_role("button", name="Lưu kết quả kiểm tra").click()
    entry = page.locator("[data-entry]")
    expect(entry.locator(".outbox-state")).to_have_text("Chờ gửi")

    # Meanwhile the business was closed at the station.
    cafe.status = BusinessStatus.CLOSED
    cafe.save()
    context.set_offline(False)

    expect(entry.locator(".outbox-state")).to_have_text("Lỗi", timeout=15_000)
    expect(entry.get_by_role("alert")).to_contain_text("Cơ sở đã được ghi nhận là ngừng hoạt động")
    expect(entry).to_contain_text("Phiếu chưa bị xoá")
    assert Inspection.objects.count() == 0

    page.reload()
    expect(page.locator("[data-entry] .outbox-state")).to_have_text("Lỗi")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Bỏ phiếu này").click()
    expect(page.locator("[data-entry]")).to_have_count(0)
    expect(page.get_by_text("Không có phiếu kiểm tra nào đang chờ trên điện thoại.")).to_be_visible()

    # Logging out removes the form pages this phone cached (they show the owner's name).
    assert page.evaluate(CACHED, f"{live_server.url}/inspections/new/?business={cafe.pk}")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
    assert page.evaluate(CACHED_PAGES) == []
