import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.businesses.factories import BusinessFactory
from tests.factories import TEST_PASSWORD, StreetFactory, UserFactory, WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_officer_on_a_phone_finds_a_business_by_street_typed_without_accents(live_server, page):
    ward = WardFactory(name="Phường Điện Biên")
    UserFactory(username="officer1", ward=ward, role=Role.OFFICER)
    BusinessFactory(
        ward=ward,
        name="Cà phê Giảng",
        house_number="39",
        street=StreetFactory(ward=ward, name="Nguyễn Thái Học"),
    )
    BusinessFactory(
        ward=ward, name="Quán phở Thìn", house_number="13", street=StreetFactory(ward=ward, name="Lò Đúc")
    )

    console_errors = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/?next=/businesses/")
    page.get_by_label("Tên đăng nhập").fill("officer1")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    expect(page.get_by_role("heading", name="Cơ sở kinh doanh", exact=True)).to_be_visible()
    page.get_by_role("searchbox", name="Tìm kiếm").fill("nguyen thai hoc")
    page.get_by_role("button", name="Tìm kiếm", exact=True).click()

    expect(page.get_by_role("status").filter(has_text="Tìm thấy 1 cơ sở")).to_be_visible()
    result = page.get_by_role("link", name="Cà phê Giảng")
    expect(result).to_be_visible()
    expect(page.get_by_text("Số 39 Nguyễn Thái Học")).to_be_visible()
    expect(page.get_by_role("link", name="Quán phở Thìn")).to_have_count(0)
    assert "q=nguyen+thai+hoc" in page.url  # the search is a link that can be shared
    # The page fits the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    result.click()
    expect(page.get_by_role("heading", name="Cà phê Giảng")).to_be_visible()
    assert console_errors == []
