"""A citizen who scans a poster sends feedback from a real browser, logged out (issue #26.1).

Django's CSRF check compares the Origin header with the host. With `<meta name="referrer"
content="no-referrer">` Chromium sent `Origin: null` with the form's POST and every feedback was
refused with 403; the public pages now keep the referrer within the site only.
"""

import io

import pytest
from django.core.cache import cache
from PIL import Image
from playwright.sync_api import expect

from businesses.models import Feedback, FeedbackStatus
from tests.businesses.factories import BusinessFactory
from tests.factories import WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), "orange").save(out, format="JPEG")
    return out.getvalue()


def test_a_logged_out_citizen_sends_feedback_with_a_photo(live_server, page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()  # the feedback throttle counts per address in the cache
    ward = WardFactory(name="Phường Điện Biên")
    cafe = BusinessFactory(ward=ward, name="Cà phê Hòa Bình")
    photo = tmp_path / "quan.jpg"
    photo.write_bytes(_jpeg())

    answers = []
    page.on("response", lambda r: answers.append(r.status) if r.request.method == "POST" else None)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/p/{cafe.public_token}/")
    expect(page.get_by_role("heading", name="Cà phê Hòa Bình")).to_be_visible()

    page.locator('select[name="category"]').select_option("noise")
    page.get_by_label("Ý kiến của bạn").fill("Quán hát karaoke rất to sau 23 giờ đêm qua.")
    page.get_by_label("Ảnh (không bắt buộc)").set_input_files(str(photo))
    page.get_by_role("button", name="Gửi phản ánh").click()

    expect(page.get_by_role("heading", name="Cảm ơn bạn, phản ánh đã được gửi")).to_be_visible()
    assert answers and answers[0] == 302, answers
    # Still private: the referrer is kept within the site, never sent to another one.
    assert page.locator('meta[name="referrer"]').get_attribute("content") == "same-origin"
    stored = Feedback.objects.get()
    assert stored.business == cafe and stored.ward == ward and stored.status == FeedbackStatus.NEW
    assert stored.category == "noise" and "karaoke" in stored.message
    assert stored.photo and stored.photo.name
    with stored.photo.open("rb") as fh:
        assert Image.open(io.BytesIO(fh.read())).size == (80, 60)
