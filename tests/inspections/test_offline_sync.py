"""The sync endpoint the phone's outbox posts to, and the installable app's files."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from businesses.models import BusinessStatus
from inspections import offline
from inspections.models import Commitment, Inspection, Photo
from inspections.services import checklist_version_create_draft, checklist_version_publish
from tests.factories import WardFactory

from .conftest import form_data
from .factories import image_bytes, signature_data_url, template_of

pytestmark = pytest.mark.django_db
SYNC = reverse("inspections:sync")


def queued(business, version, officer, **extra) -> dict:
    """What the outbox sends: the form's fields, the business, photos and the signature."""
    data = form_data(business, version, officer, **extra)
    data["business"] = business.pk
    return data


def test_a_queued_inspection_is_stored_with_its_photo_and_signature(client, alice, cafe, checklist):
    client.force_login(alice)
    data = queued(
        cafe,
        checklist,
        alice,
        statuses={"Không lấn chiếm vỉa hè": "fail"},
        commitment="on",
        commitment_text="Không để xe trên vỉa hè",
        signature_data=signature_data_url(),
        photos=SimpleUploadedFile("anh.jpg", image_bytes(size=(1600, 1200)), content_type="image/jpeg"),
    )

    response = client.post(SYNC, data)

    assert response.status_code == 201
    body = response.json()
    inspection = Inspection.objects.get()
    assert body["status"] == "created"
    assert body["inspection_url"] == reverse("inspections:detail", args=[inspection.pk])
    assert body["message"] == "Đã lưu kết quả kiểm tra: Đạt, có nhắc nhở."
    assert str(inspection.submission_id) == data["submission_id"]
    assert Photo.objects.filter(inspection=inspection).count() == 1
    assert Commitment.objects.get(inspection=inspection).signature.name.endswith(".png")


def test_a_replay_answers_with_the_inspection_already_stored(client, alice, cafe, checklist):
    client.force_login(alice)
    data = queued(cafe, checklist, alice)
    first = client.post(SYNC, data)

    again = client.post(SYNC, data)

    assert again.status_code == 200
    assert again.json()["status"] == "already_stored"
    assert again.json()["inspection_url"] == first.json()["inspection_url"]
    assert "không tạo bản trùng" in again.json()["message"]
    assert Inspection.objects.count() == 1


def test_a_replay_after_the_business_closed_still_answers_with_the_stored_inspection(
    client, alice, cafe, checklist
):
    client.force_login(alice)
    data = queued(cafe, checklist, alice)
    client.post(SYNC, data)
    cafe.status = BusinessStatus.CLOSED
    cafe.save()

    assert client.post(SYNC, data).status_code == 200
    assert Inspection.objects.count() == 1


def test_a_business_closed_meanwhile_is_refused_with_the_reason(client, alice, cafe, checklist):
    client.force_login(alice)
    data = queued(cafe, checklist, alice)
    cafe.status = BusinessStatus.CLOSED
    cafe.save()

    response = client.post(SYNC, data)

    assert response.status_code == 409
    body = response.json()
    assert body["message"] == "Phiếu kiểm tra này không thể được tiếp nhận nữa."
    assert any("ngừng hoạt động" in reason for reason in body["reasons"])
    assert Inspection.objects.count() == 0


def test_a_business_moved_to_another_ward_is_explained_to_the_officer_who_opened_it(
    client, alice, cafe, checklist
):
    client.force_login(alice)
    data = queued(cafe, checklist, alice, offline_ticket=offline.ticket_for(user=alice, business=cafe))
    cafe.ward = WardFactory(name="Phường Bến Thành")
    cafe.save()

    response = client.post(SYNC, data)

    assert response.status_code == 409
    assert any("chuyển sang phường khác" in reason for reason in response.json()["reasons"])
    assert Inspection.objects.count() == 0


def test_a_checklist_withdrawn_meanwhile_is_refused(client, alice, cafe, checklist):
    client.force_login(alice)
    data = queued(cafe, checklist, alice)
    template = template_of(checklist)
    template.is_active = False
    template.save()

    response = client.post(SYNC, data)

    assert response.status_code == 409
    assert any("đã ngừng sử dụng" in reason for reason in response.json()["reasons"])


def test_a_form_started_on_a_version_already_replaced_is_refused_but_one_started_before_is_kept(
    client, alice, cafe, checklist
):
    client.force_login(alice)
    started_before = queued(
        cafe, checklist, alice, started_at=(timezone.now() - timedelta(hours=2)).isoformat()
    )
    checklist_version_publish(
        version=checklist_version_create_draft(template=template_of(checklist)), user=None
    )
    started_after = queued(cafe, checklist, alice, started_at=timezone.now().isoformat())

    refused = client.post(SYNC, started_after)
    kept = client.post(SYNC, started_before)

    assert refused.status_code == 409
    assert any("đã được thay" in reason for reason in refused.json()["reasons"])
    assert kept.status_code == 201


def test_an_app_above_inspections_refuses_through_a_registered_check(client, alice, cafe, checklist):
    def campaign_closed(user, business, source, started_at):
        return ["Đợt khảo sát đã kết thúc."] if source == "survey:7" else []

    offline.on_sync_conflict_check(campaign_closed)
    try:
        client.force_login(alice)
        refused = client.post(SYNC, queued(cafe, checklist, alice, source="survey:7"))
        accepted = client.post(SYNC, queued(cafe, checklist, alice))
    finally:
        offline.remove_sync_conflict_check(campaign_closed)

    assert refused.status_code == 409
    assert refused.json()["reasons"] == ["Đợt khảo sát đã kết thúc."]
    assert accepted.status_code == 201


def test_an_invalid_form_is_refused_with_the_errors_and_nothing_is_stored(client, alice, cafe, checklist):
    client.force_login(alice)
    data = queued(cafe, checklist, alice, person_present_name="")

    response = client.post(SYNC, data)

    assert response.status_code == 400
    assert "Nhập họ tên chủ cơ sở hoặc người có mặt." in " ".join(response.json()["errors"])
    assert Inspection.objects.count() == 0


def test_a_business_of_another_ward_is_not_found(client, bob, cafe, checklist):
    client.force_login(bob)
    data = queued(cafe, checklist, bob, offline_ticket=offline.ticket_for(user=bob, business=cafe))

    response = client.post(SYNC, data)

    assert response.status_code == 404
    assert Inspection.objects.count() == 0


def test_a_replay_by_an_officer_of_another_ward_does_not_reveal_the_inspection(
    client, alice, bob, cafe, checklist
):
    client.force_login(alice)
    data = queued(cafe, checklist, alice)
    client.post(SYNC, data)
    client.force_login(bob)

    response = client.post(SYNC, data)

    assert response.status_code == 404
    assert "inspection_url" not in response.json()


def test_the_chairman_cannot_sync(client, charlie, cafe, checklist):
    client.force_login(charlie)

    assert client.post(SYNC, queued(cafe, checklist, charlie)).status_code == 403
    assert Inspection.objects.count() == 0


def test_the_sync_requires_the_csrf_token_it_hands_out(alice, cafe, checklist):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    data = queued(cafe, checklist, alice)

    assert client.post(SYNC, data).status_code == 403
    token = client.get(SYNC).json()["csrf_token"]
    assert client.post(SYNC, data, headers={"X-CSRFToken": token}).status_code == 201
    assert Inspection.objects.count() == 1


def test_the_token_handed_out_is_never_cached(client, alice):
    client.force_login(alice)
    response = client.get(SYNC)
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_the_outbox_page_is_a_shell_drawn_on_the_phone(client, alice):
    client.force_login(alice)
    html = client.get(reverse("inspections:outbox")).content.decode()
    assert "Hộp thư chờ gửi" in html
    assert 'data-state-pending="Chờ gửi"' in html
    assert "js/offline.js" in html


def test_the_form_links_the_manifest_and_carries_the_offline_ticket(client, alice, cafe, checklist):
    client.force_login(alice)
    html = client.get(reverse("inspections:new") + f"?business={cafe.pk}").content.decode()
    assert 'rel="manifest"' in html
    assert 'name="offline_ticket"' in html


def test_the_manifest_names_the_app_in_vietnamese(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["name"] == "Công an phường — Kiểm tra"
    assert manifest["theme_color"] == "#0a2a6b"
    assert {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_the_service_worker_is_served_from_the_root_and_never_cached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    source = response.content.decode()
    assert "__CACHE_VERSION__" not in source
    assert 'var CACHE = CACHE_PREFIX + "' in source
    assert "/static/js/outbox.js" in source


def test_how_long_a_phone_keeps_offline_copies_is_a_setting(client, settings, alice):
    from inspections.pwa import _service_worker

    settings.INSPECTIONS_OFFLINE_KEEP_DAYS = 3
    _service_worker.cache_clear()
    try:
        source = client.get("/sw.js").content.decode()
    finally:
        _service_worker.cache_clear()
    assert "var KEEP_MS = 3 * 24" in source
    client.force_login(alice)
    assert 'data-keep-days="3"' in client.get(reverse("inspections:outbox")).content.decode()


def test_every_submission_id_is_a_uuid_the_server_checks(client, alice):
    client.force_login(alice)
    response = client.post(SYNC, {"submission_id": "not-a-uuid", "business": "1"})
    assert response.status_code == 400
