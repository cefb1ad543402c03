"""An officer's pages on a 360×740 phone (#26.7): the header stays small, "Đăng xuất" on one line,
campaign targets as cards with "Kiểm tra ngay" on screen, the business search before the buttons."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from campaigns import services
from tests.businesses.factories import BusinessFactory
from tests.campaigns.factories import active_campaign
from tests.factories import TEST_PASSWORD, StreetFactory, UserFactory, WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def log_in(page, live_server, username, next_url):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


@pytest.fixture
def board(db):
    ward = WardFactory(name="Phường Điện Biên")
    leader = UserFactory(username="leader1", ward=ward, role=Role.LEADER, full_name="Đỗ Văn Hải")
    officer = UserFactory(
        username="officer1", ward=ward, role=Role.OFFICER, full_name="Nguyễn Thị Phương Thảo"
    )
    street = StreetFactory(ward=ward, name="Nguyễn Thái Học")
    cafes = [
        BusinessFactory(ward=ward, street=street, house_number=str(n), name=f"Cà phê Giảng số {n}")
        for n in (39, 41)
    ]
    campaign = active_campaign(leader=leader, targets=cafes, officers=[officer])
    services.campaign_targets_assign(
        campaign=campaign, target_ids=list(campaign.targets.values_list("pk", flat=True)), officer=officer
    )
    return campaign


def test_the_header_is_compact_and_log_out_stays_on_one_line(live_server, page, board):
    # The longest role label ("Lãnh đạo Công an phường") makes the widest header.
    log_in(page, live_server, "leader1", "/businesses/")

    header = page.locator(".site-header").bounding_box()
    nav = page.locator("#main-nav").bounding_box()
    # Was 149 px (and the menu, before JavaScript folded it, 500 more); two rows now.
    assert header["height"] + nav["height"] <= 110, (header, nav)
    who = page.locator(".user-box > span")
    expect(who).to_be_visible()
    # Who is logged in shows on the second row, beside the account links, not squeezed to nothing.
    assert who.bounding_box()["width"] >= 60
    assert who.bounding_box()["y"] > page.get_by_role("button", name="Menu").bounding_box()["y"]
    notifications = page.get_by_role("link", name="Thông báo")
    expect(notifications).to_be_visible()
    assert notifications.bounding_box()["x"] + notifications.bounding_box()["width"] <= PHONE["width"]
    logout = page.get_by_role("button", name="Đăng xuất")
    expect(logout).to_be_visible()
    box = logout.bounding_box()
    line = logout.evaluate("b => parseFloat(getComputedStyle(b).lineHeight) || 24")
    assert box["height"] < 2 * line + 20  # one line of text and its padding
    assert logout.evaluate("b => b.scrollWidth <= b.clientWidth")
    assert box["x"] + box["width"] <= PHONE["width"]
    # The menu opens from its button and lists the pages.
    page.get_by_role("button", name="Menu").click()
    expect(
        page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Đợt ra quân")
    ).to_be_visible()


def test_campaign_targets_are_cards_with_the_inspect_button_on_screen(live_server, page, board):
    log_in(page, live_server, "officer1", f"/campaigns/{board.pk}/")

    expect(page.get_by_role("heading", name=board.name)).to_be_visible()
    buttons = page.get_by_role("link", name="Kiểm tra ngay")
    assert buttons.count() >= 2
    for i in range(buttons.count()):
        button = buttons.nth(i)
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        assert box["height"] >= 40  # a thumb's target
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Each card names the business and the assigned officer with their labels.
    card = page.locator(".camp-targets tbody tr").filter(has_text="Cà phê Giảng số 39").first
    officer_cell = card.locator("td", has_text="Nguyễn Thị Phương Thảo")
    assert officer_cell.evaluate("td => getComputedStyle(td, '::before').content") == '"Cán bộ được giao: "'
    # A card, not a table row squeezed sideways: the cell spans the card's width.
    assert officer_cell.bounding_box()["width"] > 250


def test_the_business_list_puts_the_search_box_before_the_buttons(live_server, page, board):
    log_in(page, live_server, "leader1", "/businesses/")

    search = page.get_by_role("searchbox", name="Tìm kiếm").bounding_box()
    add = page.get_by_role("link", name="Thêm cơ sở").bounding_box()
    assert search["y"] < add["y"]
    assert search["y"] + search["height"] <= PHONE["height"]
