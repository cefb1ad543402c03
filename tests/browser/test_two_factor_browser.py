"""Two-step verification in a phone-sized Chromium: the QR code shows, the key can be typed,
and the verification step follows the password."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.accounts.test_two_factor import next_code, totp
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_leader_turns_on_two_step_verification_on_a_phone_and_logs_in_with_a_code(live_server, page, ward_a):
    UserFactory(username="leader1", ward=ward_a, role=Role.LEADER)
    page.set_viewport_size({"width": 360, "height": 740})

    def log_in():
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Tên đăng nhập").fill("leader1")
        page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()

    log_in()
    page.get_by_role("link", name="Bảo mật tài khoản").click()
    page.get_by_role("link", name="Bật xác thực hai bước").click()
    qr = page.get_by_role("img", name="Mã QR để quét bằng ứng dụng xác thực")
    expect(qr).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth > 100", qr.element_handle())
    page.screenshot(path="test-results/otp-setup-360.png", full_page=True)
    secret = page.locator("#otp-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{4}){7}", secret)
    page.get_by_label("Mã do ứng dụng hiển thị").fill(totp(secret))
    page.get_by_role("button", name="Xác nhận và bật").click()
    expect(page.get_by_role("heading", name="Mã dự phòng")).to_be_visible()
    expect(page.locator(".otp-codes li")).to_have_count(10)
    page.screenshot(path="test-results/otp-backup-codes-360.png", full_page=True)

    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Đăng xuất").click()
    log_in()
    expect(page.get_by_role("heading", name="Xác thực hai bước")).to_be_visible()
    page.get_by_label("Mã xác thực").fill(next_code(secret))
    page.get_by_role("button", name="Xác nhận").click()
    # A leader lands on the leader's desk after the second step.
    expect(page.get_by_role("heading", name=re.compile("^Việc của lãnh đạo"))).to_be_visible()
