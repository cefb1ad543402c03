"""#25.1-2 on a 360 px phone: the record's draft form fits the screen, and a leader signs a record
with the violator's signature drawn on the screen; the drawn signature is stored on the record."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from tests.factories import TEST_PASSWORD, UserFactory, WardFactory
from tests.violations.factories import BusinessFactory, ViolationTypeFactory, record_forms
from violations import services
from violations.models import Violation

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_leader_signs_on_a_phone_with_the_violators_drawn_signature(live_server, page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ward = WardFactory(name="Phường Điện Biên")
    officer = UserFactory(username="officer1", ward=ward, role=Role.OFFICER, full_name="Phạm Quốc Huy")
    UserFactory(username="leader1", ward=ward, role=Role.LEADER, full_name="Đỗ Thị Lan")
    record_forms()
    ViolationTypeFactory(code="lan-chiem-via-he", decree="282/2025/NĐ-CP", article=8, clause=1)
    at = timezone.now() - timedelta(hours=2)
    draft = services.violation_create_draft(
        business=BusinessFactory(ward=ward, name="Cà phê Hoa Sữa"),
        types=["lan-chiem-via-he"],
        occurred_at=at,
        discovered_at=at,
        description="Bày bàn ghế chiếm vỉa hè.",
        created_by=officer,
        stage="violation_record",
        sanction="fine",
        fine_amount=400_000,
        made_at=at,
        made_place="Trước số 12 phố Điện Biên Phủ",
    )
    page.set_viewport_size({"width": 360, "height": 740})
    _login(page, live_server, "officer1")
    page.goto(f"{live_server.url}/violations/new/")
    page.get_by_role("group", name="Thời gian, địa điểm lập biên bản").wait_for()
    # Every part of the form fits a 360 px screen: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Đăng xuất").click()

    _login(page, live_server, "leader1")
    page.goto(f"{live_server.url}/violations/{draft.pk}/")
    page.get_by_label("đã ký biên bản").check()
    canvas = page.locator('canvas[data-signature-pad="violator_signature_data"]')
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] - 20)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 20, steps=8)
    page.mouse.move(box["x"] + box["width"] - 20, box["y"] + box["height"] - 30, steps=8)
    page.mouse.up()
    page.get_by_role("button", name="Ký", exact=True).click()
    page.get_by_text("Đã ký biên bản: Số:").wait_for()

    signed = Violation.objects.get(pk=draft.pk)
    assert signed.status == "signed" and signed.signed_by.username == "leader1"
    assert signed.violator_signature.name.endswith(".png") and not signed.witness_signature
    assert signed.created_by == officer  # the record-maker stays the officer who drafted it
