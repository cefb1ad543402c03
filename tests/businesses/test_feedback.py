"""Citizen feedback: sent from the public page, throttled, triaged by the ward's officers."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from businesses import feedback as feedback_module
from businesses.feedback import feedback_median_first_response_hours
from businesses.models import Feedback, FeedbackStatus
from tests.businesses.factories import BusinessFactory, FeedbackFactory

pytestmark = pytest.mark.django_db

GOOD = {"category": "noise", "message": "Quán hát karaoke rất to sau 23 giờ đêm qua."}


@pytest.fixture
def cafe(ward_a):
    return BusinessFactory(ward=ward_a, name="Cà phê Hòa Bình")


def page(business) -> str:
    return f"/p/{business.public_token}/"


def jpeg_with_gps(size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, "orange")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif.get_ifd(0x8825)[2] = (21.0, 1.0, 0.0)  # GPSInfo: latitude of the sender
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


# --- sending -----------------------------------------------------------------------------------
def test_a_citizen_sends_feedback_without_logging_in(client, cafe):
    response = client.post(page(cafe), GOOD)
    assert response.status_code == 302 and response["Location"] == f"/p/{cafe.public_token}/sent/"
    thanks = client.get(response["Location"]).content.decode()
    assert "Cảm ơn bạn, phản ánh đã được gửi" in thanks
    stored = Feedback.objects.get()
    assert stored.business == cafe and stored.ward == cafe.ward
    assert stored.status == FeedbackStatus.NEW and stored.first_response_at is None
    assert stored.contact_phone == "" and not stored.contact_consent


def test_contact_details_need_consent(client, cafe):
    refused = client.post(page(cafe), {**GOOD, "contact_phone": "0912 345 678"})
    assert refused.status_code == 400
    assert "Hãy đánh dấu ô này để chúng tôi được dùng thông tin liên hệ" in refused.content.decode()
    assert not Feedback.objects.exists()
    client.post(page(cafe), {**GOOD, "contact_phone": "+84 912 345 678", "contact_consent": "on"})
    stored = Feedback.objects.get()
    assert stored.contact_phone == "0912345678" and stored.contact_consent


def test_a_message_that_is_too_short_gets_a_vietnamese_error(client, cafe):
    response = client.post(page(cafe), {"category": "noise", "message": "ồn"})
    assert response.status_code == 400
    html = response.content.decode()
    # The page opens on the error summary, which links to the message box.
    assert '<h2 class="error-summary__title" id="error-summary-title">Có lỗi cần sửa</h2>' in html
    assert '<a href="#id_message">' in html and 'id="id_message"' in html
    assert not Feedback.objects.exists()


def test_the_photo_is_kept_without_its_exif_location(client, cafe, media_root):
    photo = SimpleUploadedFile("anh.jpg", jpeg_with_gps(), content_type="image/jpeg")
    assert Image.open(io.BytesIO(jpeg_with_gps())).getexif()  # the original carries EXIF
    assert client.post(page(cafe), {**GOOD, "photo": photo}).status_code == 302
    stored = Feedback.objects.get()
    with stored.photo.open("rb") as fh:
        kept = Image.open(io.BytesIO(fh.read()))
    assert kept.format == "JPEG" and not kept.getexif()


def test_a_file_that_is_not_an_image_is_refused(client, cafe, media_root):
    fake = SimpleUploadedFile("anh.jpg", b"<?php echo 'x'; ?>", content_type="image/jpeg")
    response = client.post(page(cafe), {**GOOD, "photo": fake})
    assert response.status_code == 400
    assert "không phải ảnh JPEG, PNG hoặc WebP" in response.content.decode()
    assert not Feedback.objects.exists()


def test_a_photo_over_the_size_limit_is_refused(client, cafe, media_root, monkeypatch):
    monkeypatch.setattr(feedback_module, "MAX_PHOTO_BYTES", 1000)
    big = SimpleUploadedFile("anh.jpg", jpeg_with_gps((400, 300)) + b"\0" * 2000, content_type="image/jpeg")
    response = client.post(page(cafe), {**GOOD, "photo": big})
    assert response.status_code == 400
    assert "dung lượng tối đa của một ảnh" in response.content.decode()
    assert not Feedback.objects.exists()


def test_the_honeypot_swallows_bots_silently(client, cafe):
    response = client.post(page(cafe), {**GOOD, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not Feedback.objects.exists()


def test_the_form_keeps_csrf_protection(cafe):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(page(cafe), GOOD).status_code == 403
    assert not Feedback.objects.exists()


def test_the_sixth_feedback_in_an_hour_is_refused_with_a_clear_message(client, cafe):
    for _ in range(5):
        assert client.post(page(cafe), GOOD).status_code == 302
    response = client.post(page(cafe), GOOD)
    assert response.status_code == 429
    assert "Bạn đã gửi quá số phản ánh cho phép trong một giờ" in response.content.decode()
    assert Feedback.objects.count() == 5


def test_one_business_takes_a_limited_number_of_feedback_from_many_addresses(client, cafe):
    limit = feedback_module.FEEDBACK_PER_TOKEN_PER_HOUR
    for i in range(limit):
        assert client.post(page(cafe), GOOD, REMOTE_ADDR=f"10.0.{i}.1").status_code == 302
    assert client.post(page(cafe), GOOD, REMOTE_ADDR="10.9.9.9").status_code == 429
    other = BusinessFactory(ward=cafe.ward)
    assert client.post(page(other), GOOD, REMOTE_ADDR="10.9.9.9").status_code == 302


def test_a_withdrawn_code_takes_no_feedback(client, cafe, lena, django_capture_on_commit_callbacks):
    from businesses.services import business_rotate_token

    old = page(cafe)
    with django_capture_on_commit_callbacks(execute=True):
        business_rotate_token(business=cafe, user=lena)
    assert client.post(old, GOOD).status_code == 410
    assert not Feedback.objects.exists()


# --- triage ------------------------------------------------------------------------------------
def test_feedback_appears_in_the_wards_triage_list_and_not_in_another_wards(client, cafe, alice, bob):
    client.post(page(cafe), GOOD)
    client.force_login(alice)
    html = client.get(reverse("feedback:list")).content.decode()
    assert "Phản ánh của người dân" in html
    assert "Cà phê Hòa Bình" in html and "Gây ồn ào, mất trật tự ban đêm" in html
    client.force_login(bob)
    html = client.get(reverse("feedback:list")).content.decode()
    assert "Cà phê Hòa Bình" not in html and "Không có phản ánh nào phù hợp." in html
    stored = Feedback.objects.get()
    assert client.get(reverse("feedback:detail", args=[stored.pk])).status_code == 404


def test_the_list_filters_by_status_and_subject(client, cafe, alice):
    FeedbackFactory(business=cafe, message="Tin nhắn về tiếng ồn ban đêm", category="noise")
    FeedbackFactory(
        business=cafe,
        message="Tin nhắn về lấn chiếm vỉa hè",
        category="sidewalk",
        status=FeedbackStatus.RESOLVED,
    )
    client.force_login(alice)
    html = client.get(reverse("feedback:list"), {"status": "resolved"}).content.decode()
    assert "lấn chiếm vỉa hè" in html and "tiếng ồn ban đêm" not in html
    html = client.get(reverse("feedback:list"), {"category": "noise"}).content.decode()
    assert "tiếng ồn ban đêm" in html and "lấn chiếm vỉa hè" not in html


def test_the_list_needs_few_queries(client, alice, ward_a, django_assert_max_num_queries):
    for i in range(3):
        FeedbackFactory(business=BusinessFactory(ward=ward_a, name=f"Quán thử {i:02d}"))
    client.force_login(alice)
    client.get(reverse("feedback:list"))
    with django_assert_max_num_queries(10) as few:
        response = client.get(reverse("feedback:list"))
    assert response.status_code == 200
    assert response.content.decode().count("Quán thử ") == 3
    for i in range(3, 23):
        FeedbackFactory(business=BusinessFactory(ward=ward_a, name=f"Quán thử {i:02d}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("feedback:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert all(f"Quán thử {i:02d}" in body for i in range(23))


def test_an_officer_takes_up_and_resolves_feedback_and_the_first_response_is_kept(client, cafe, alice):
    item = FeedbackFactory(business=cafe, created_at=timezone.now() - datetime.timedelta(hours=5))
    client.force_login(alice)
    url = reverse("feedback:update", args=[item.pk])
    assert client.post(url, {"status": "in_progress", "response_note": ""}).status_code == 302
    item.refresh_from_db()
    first = item.first_response_at
    assert item.status == FeedbackStatus.IN_PROGRESS and first is not None and item.handled_by == alice
    refused = client.post(url, {"status": "resolved", "response_note": ""})
    assert refused.status_code == 400
    assert "Hãy ghi kết quả xử lý" in refused.content.decode()
    client.post(url, {"status": "resolved", "response_note": "Đã nhắc nhở chủ quán giảm âm lượng."})
    item.refresh_from_db()
    assert item.status == FeedbackStatus.RESOLVED and item.resolved_at is not None
    assert item.first_response_at == first  # the first response does not move
    detail = client.get(reverse("feedback:detail", args=[item.pk])).content.decode()
    assert "Đã nhắc nhở chủ quán giảm âm lượng." in detail and "Đã xử lý" in detail
    assert feedback_median_first_response_hours(
        ward_id=cafe.ward_id, start=timezone.now() - datetime.timedelta(days=1), end=timezone.now()
    ) == pytest.approx(5.0, abs=0.1)


def test_feedback_cannot_go_back_to_new(client, cafe, alice):
    item = FeedbackFactory(business=cafe, status=FeedbackStatus.IN_PROGRESS, first_response_at=timezone.now())
    client.force_login(alice)
    response = client.post(reverse("feedback:update", args=[item.pk]), {"status": "new"})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.status == FeedbackStatus.IN_PROGRESS


def test_the_chairman_reads_feedback_but_cannot_change_it(client, cafe, charlie):
    item = FeedbackFactory(business=cafe)
    client.force_login(charlie)
    detail = client.get(reverse("feedback:detail", args=[item.pk]))
    assert detail.status_code == 200 and "Lưu" not in detail.content.decode()
    assert (
        client.post(reverse("feedback:update", args=[item.pk]), {"status": "in_progress"}).status_code == 403
    )
    item.refresh_from_db()
    assert item.status == FeedbackStatus.NEW and item.first_response_at is None


def test_anonymous_staff_pages_go_to_login(client, cafe):
    item = FeedbackFactory(business=cafe)
    for url in (reverse("feedback:list"), reverse("feedback:detail", args=[item.pk])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_photo_is_served_only_to_the_ward(client, cafe, alice, bob, media_root):
    photo = SimpleUploadedFile("anh.png", _png(), content_type="image/png")
    client.post(page(cafe), {**GOOD, "photo": photo})
    item = Feedback.objects.get()
    client.force_login(alice)
    response = client.get(reverse("feedback:photo", args=[item.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    client.force_login(bob)
    assert client.get(reverse("feedback:photo", args=[item.pk])).status_code == 404


def test_feedback_shows_on_the_business_timeline(client, cafe, alice):
    FeedbackFactory(business=cafe, category="fire")
    client.force_login(alice)
    html = client.get(reverse("businesses:detail", args=[cafe.pk])).content.decode()
    assert "Phản ánh của người dân: Phòng cháy, chữa cháy" in html


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (255, 0, 0, 128)).save(out, format="PNG")
    return out.getvalue()
