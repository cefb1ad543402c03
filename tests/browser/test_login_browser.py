import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.factories import TEST_PASSWORD, UserFactory, WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_officer_logs_in_and_sees_the_vietnamese_navigation(live_server, page):
    ward = WardFactory(name="Phường Điện Biên")
    UserFactory(username="officer1", ward=ward, role=Role.OFFICER, full_name="Nguyễn Văn Minh")

    console_errors = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill("officer1")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    # An officer's day starts on /my/ ("Việc của tôi"), not on the chairman's dashboard.
    expect(page.get_by_role("heading", name="Việc của tôi")).to_be_visible()
    assert page.url.endswith("/my/")
    # On a phone the menu is behind a button that keyboard and screen-reader users can operate.
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(nav.get_by_role("link", name="Tổng quan")).to_be_visible()
    expect(nav.get_by_role("link", name="Địa bàn")).to_be_visible()
    expect(page.get_by_role("banner")).to_contain_text("Nguyễn Văn Minh (Cán bộ)")
    assert console_errors == []
