import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from businesses.models import BusinessStatus
from campaigns import services as campaign_services
from inspections.models import Commitment, Inspection, Photo
from tests.campaigns.factories import active_campaign
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
    UserFactory(username="officer1", ward=ward, role=Role.OFFICER, full_name="Nguyễn Văn Minh")
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


def log_in(page, live_server):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("officer1")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


# Waits until the service worker has dropped every page it kept (the app shell stays).
NO_PAGES_LEFT = (
    """async () => {
    const pages = """
    + CACHED_PAGES
    + """;
    for (let i = 0; i < 50; i++) {
        if ((await pages()).length === 0) { return true; }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
}"""
)


def open_form_online(page, live_server, business):
    log_in(page, live_server)
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


# --- a campaign's board ("my targets") opened online, worked through offline ---------------


@pytest.fixture
def campaign(cafe):
    """Under way: the café is officer1's target, the karaoke another officer's."""
    ward = cafe.ward
    leader = UserFactory(username="leader1", ward=ward, role=Role.LEADER)
    officer = UserFactory._meta.model.objects.get(username="officer1")
    other = UserFactory(username="officer2", ward=ward, role=Role.OFFICER)
    karaoke = BusinessFactory(ward=ward, name="Karaoke Hoàng Diệu", category=cafe.category)
    campaign = active_campaign(
        leader=leader, officers=[officer, other], targets=[cafe, karaoke], name="Ra quân ngày 01/11"
    )
    for business, who in ((cafe, officer), (karaoke, other)):
        target = campaign.targets.get(business=business)
        campaign_services.campaign_targets_assign(campaign=campaign, target_ids=[target.pk], officer=who)
    return campaign


def open_board_online(page, live_server, campaign):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    expect(page.get_by_role("heading", name="Ra quân ngày 01/11")).to_be_visible()
    # The worker tells the board once it has kept it with the forms of the officer's targets.
    expect(page.locator("[data-offline-status]")).to_have_text(
        "Đã lưu trên điện thoại phiếu kiểm tra của 1 cơ sở được giao để dùng khi không có mạng.",
        timeout=15_000,
    )


def my_targets(page):
    return page.locator("section", has=page.get_by_role("heading", name="Cơ sở được giao cho tôi"))


def test_a_campaign_board_opened_online_lets_the_officer_inspect_a_target_offline(
    live_server, page, context, cafe, campaign, tmp_path
):
    photo = tmp_path / "mat-tien.jpg"
    photo.write_bytes(image_bytes(size=(1200, 900)))
    errors = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    open_board_online(page, live_server, campaign)
    board_url = f"{live_server.url}/campaigns/{campaign.pk}/"
    form_url = f"{live_server.url}/inspections/new/?business={cafe.pk}&campaign={campaign.pk}"
    kept = page.evaluate(CACHED_PAGES)
    assert board_url in kept and form_url in kept
    # Only the officer's own target: not the karaoke given to another officer.
    assert [url for url in kept if "/inspections/new/" in url] == [form_url]
    expect(page.locator("[data-offline-copy]")).to_be_hidden()

    context.set_offline(True)
    page.reload()
    notice = page.locator("[data-offline-copy]")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Bản lưu ngoại tuyến trên điện thoại lúc")
    expect(notice).to_contain_text("Hiện không có kết nối mạng")
    my_targets(page).get_by_role("link", name="Kiểm tra ngay").click()

    expect(page.get_by_role("heading", name="Kiểm tra: Cà phê Lê Trực")).to_be_visible()
    expect(page.locator("[data-offline-copy]")).to_be_visible()
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

    context.set_offline(False)

    expect(entry.locator(".outbox-state")).to_have_text("Đã gửi", timeout=15_000)
    inspection = Inspection.objects.get()
    assert inspection.business == cafe
    assert inspection.source == f"campaign:{campaign.pk}"
    assert campaign.targets.get(business=cafe).inspection == inspection
    assert Photo.objects.filter(inspection=inspection).count() == 1
    assert Commitment.objects.get(inspection=inspection).signature.name.endswith(".png")
    # Inspected: the board no longer keeps its form.
    page.goto(board_url)
    expect(page.locator("[data-offline-status]")).to_have_text(
        "Đã lưu trên điện thoại phiếu kiểm tra của 0 cơ sở được giao để dùng khi không có mạng.",
        timeout=15_000,
    )
    assert form_url not in page.evaluate(CACHED_PAGES)
    assert errors == []

    # Logging out from any page (here the dashboard, which has no offline script) drops the
    # board kept for this officer: the service worker sees the logout go by.
    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
    assert page.evaluate(NO_PAGES_LEFT)


def test_an_inspection_queued_from_the_board_of_a_campaign_closed_meanwhile_says_why(
    live_server, page, context, cafe, campaign
):
    open_board_online(page, live_server, campaign)
    context.set_offline(True)
    my_targets(page).get_by_role("link", name="Kiểm tra ngay").click()
    expect(page.get_by_role("heading", name="Kiểm tra: Cà phê Lê Trực")).to_be_visible()
    answer_all(page)
    page.get_by_role("button", name="Lưu kết quả kiểm tra").click()
    entry = page.locator("[data-entry]")
    expect(entry.locator(".outbox-state")).to_have_text("Chờ gửi")

    # Meanwhile the leader closed the campaign at the station.
    campaign_services.campaign_close(campaign=campaign, user=campaign.leader)
    context.set_offline(False)

    expect(entry.locator(".outbox-state")).to_have_text("Lỗi", timeout=15_000)
    alert = entry.get_by_role("alert")
    expect(alert).to_contain_text("Phiếu kiểm tra này không thể được tiếp nhận nữa.")
    expect(alert).to_contain_text(
        "Đợt ra quân “Ra quân ngày 01/11” đã kết thúc trong lúc phiếu kiểm tra này chờ gửi"
    )
    assert Inspection.objects.count() == 0

    # Logging out drops the board and the forms kept with it (the officer is asked first).
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
    assert page.evaluate(CACHED_PAGES) == []
