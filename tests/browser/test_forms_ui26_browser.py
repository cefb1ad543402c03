"""In Chromium: a date is typed dd/mm/yyyy and stored as that day (#26.14); a form sent with errors
opens on an error summary that has the focus and links to each field (#26.10)."""

from datetime import date

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from campaigns.models import Campaign
from tests.factories import TEST_PASSWORD, UserFactory, WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username, next_url):
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_leader_types_dates_as_dd_mm_yyyy_and_the_campaign_keeps_those_days(live_server, page):
    ward = WardFactory(name="Phường Điện Biên")
    UserFactory(username="leader1", ward=ward, role=Role.LEADER, full_name="Đỗ Văn Hải")
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server, "leader1", "/campaigns/new/")

    starts = page.get_by_label("Ngày bắt đầu")
    # A text box with the pattern shown, not Chromium's date picker (mm/dd/yyyy in English).
    assert starts.get_attribute("type") == "text"
    assert starts.get_attribute("placeholder") == "dd/mm/yyyy"
    assert starts.get_attribute("inputmode") == "numeric"
    page.get_by_label("Tên đợt ra quân").fill("Ra quân tháng 3")
    starts.press_sequentially("05/03/2027")
    page.get_by_label("Ngày kết thúc").press_sequentially("07/03/2027")
    page.get_by_label("Phòng cháy chữa cháy").check()
    page.get_by_label("Chỉ huy").select_option(label="Đỗ Văn Hải")
    page.get_by_role("button", name="Lưu kế hoạch").click()

    expect(page.get_by_role("heading", name="Cơ sở cần kiểm tra")).to_be_visible()
    campaign = Campaign.objects.get(name="Ra quân tháng 3")
    assert (campaign.starts_on, campaign.ends_on) == (date(2027, 3, 5), date(2027, 3, 7))


def test_a_form_sent_with_errors_focuses_a_summary_that_links_to_each_field(live_server, page):
    ward = WardFactory(name="Phường Điện Biên")
    UserFactory(username="leader1", ward=ward, role=Role.LEADER, full_name="Đỗ Văn Hải")
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server, "leader1", "/campaigns/new/")

    page.get_by_label("Ngày bắt đầu").press_sequentially("31/02/2027")
    page.get_by_role("button", name="Lưu kế hoạch").click()

    summary = page.get_by_role("alert").filter(has=page.get_by_role("heading", name="Có lỗi cần sửa"))
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    # At the top: visible without scrolling on the phone.
    assert summary.bounding_box()["y"] < 740
    links = summary.get_by_role("link")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(targets) >= 4  # name, start date, domains, leader
    for href in targets:
        assert href.startswith("#")
        assert page.locator(f"[id='{href[1:]}']").count() == 1, href
    expect(summary).to_contain_text("Ngày bắt đầu: Nhập một ngày hợp lệ.")

    summary.get_by_role("link", name="Ngày bắt đầu: Nhập một ngày hợp lệ.").click()
    expect(page.get_by_label("Ngày bắt đầu")).to_be_focused()
    assert not Campaign.objects.exists()
