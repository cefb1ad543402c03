"""An officer on a 360×740 phone: logs in, lands on /my/, starts an inspection from a card."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from campaigns import services as campaign_services
from tests.campaigns.factories import active_campaign
from tests.dashboards.factories import violation
from tests.factories import TEST_PASSWORD, UserFactory, WardFactory
from tests.inspections.factories import BusinessCategoryFactory, BusinessFactory, published_checklist

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_officer_lands_on_my_day_and_starts_an_inspection_from_a_card(live_server, page):
    ward = WardFactory(name="Phường Điện Biên", police_unit_name="CÔNG AN PHƯỜNG ĐIỆN BIÊN")
    officer = UserFactory(username="officer1", ward=ward, role=Role.OFFICER, full_name="Nguyễn Văn Minh")
    leader = UserFactory(username="leader1", ward=ward, role=Role.LEADER)
    cafe = BusinessFactory(
        ward=ward, name="Cà phê Lê Trực", category=BusinessCategoryFactory(code="ca-phe", name="Quán cà phê")
    )
    published_checklist()
    today = timezone.localdate()
    campaign = active_campaign(
        leader=leader, targets=[cafe], officers=[officer], starts_on=today, ends_on=today
    )
    target = campaign.targets.get()
    campaign_services.campaign_targets_assign(campaign=campaign, target_ids=[target.pk], officer=officer)
    violation(cafe, officer, at=timezone.now(), due=today + timedelta(days=1))

    console_errors = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("officer1")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    expect(page).to_have_url(f"{live_server.url}/my/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Việc của tôi")
    expect(page.get_by_role("button", name="Kiểm tra cơ sở")).to_be_visible()
    # The header's count arrives after the page (htmx): the draft due tomorrow.
    expect(page.locator("[data-notification-count]")).to_have_text("1")
    status = page.locator("[data-my-outbox-status]")
    expect(status).to_have_text("Không có phiếu kiểm tra nào đang chờ trên điện thoại.")
    # An inspection the server refused, kept on the phone: the summary says so.
    page.evaluate(
        "WPOutbox.add({id: 'x-1', state: 'error', createdAt: Date.now(),"
        " businessName: 'Bar Trần Phú', fields: []})"
    )
    expect(status).to_have_text("1 phiếu kiểm tra bị máy chủ từ chối, cần đồng chí xử lý.")
    # Nothing runs off the side of a 360 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    card = page.locator("li.my-card", has_text="Cà phê Lê Trực")
    button = card.get_by_role("link", name="Kiểm tra")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360 and box["height"] >= 44
    button.click()

    expect(page).to_have_url(f"{live_server.url}/inspections/new/?business={cafe.pk}&campaign={campaign.pk}")
    expect(page.get_by_role("heading", name="Kiểm tra: Cà phê Lê Trực")).to_be_visible()
    assert console_errors == []
