"""#26.9: the draft record an inspection proposes links back to it (on the record page), carries
the failed items' notes and photos as evidence, and a commitment the owner signed raises it to
that stage of the ladder."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections import services
from inspections.models import ChecklistItem, Inspection, Photo
from violations.models import Violation, ViolationEvidence

from .conftest import form_data, stored_files
from .factories import image_bytes, signature_data_url

pytestmark = pytest.mark.django_db

FIRE = "Có bình chữa cháy còn hạn sử dụng"
SIDEWALK = "Không lấn chiếm vỉa hè"
NEW = "/inspections/new/"


def _photo(name: str = "binh.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(size=(320, 240)), content_type="image/jpeg")


def _post(client, cafe, checklist, officer, **extra):
    fire = ChecklistItem.objects.get(section__version=checklist, question=FIRE)
    sidewalk = ChecklistItem.objects.get(section__version=checklist, question=SIDEWALK)
    data = form_data(cafe, checklist, officer, statuses={FIRE: "fail"})
    data[f"note-{fire.pk}"] = "Bình hết hạn kiểm định từ tháng 3"
    data[f"photo-{fire.pk}"] = _photo()
    data[f"photo-{sidewalk.pk}"] = _photo("via-he.jpg")  # an item that passed: not evidence
    data["photos"] = _photo("mat-tien.jpg")  # a general photo: not evidence either
    data.update(extra)
    return client.post(f"{NEW}?business={cafe.pk}", data)


def _signed_commitment() -> dict:
    return {
        "commitment": "on",
        "commitment_text": "Thay bình chữa cháy mới trong 7 ngày",
        "commitment_deadline": "2099-01-31",
        "signature_data": signature_data_url(),
    }


def test_the_proposed_record_carries_the_notes_photos_and_signed_commitment(
    client, alice, lena, cafe, checklist, media
):
    client.force_login(alice)
    assert _post(client, cafe, checklist, alice, **_signed_commitment()).status_code == 302
    inspection = Inspection.objects.get()
    violation = inspection.proposed_violation
    assert inspection.result == "failed" and violation.status == "draft"
    assert "Bình hết hạn kiểm định từ tháng 3" in violation.description
    assert "Chủ cơ sở đã ký cam kết: Thay bình chữa cháy mới trong 7 ngày" in violation.description
    assert "(khắc phục trước ngày 31/01/2099)" in violation.description
    # A first violation: the ladder says reminder, the signed commitment makes it a commitment.
    assert violation.suggested_stage == "reminder" and violation.stage == "commitment"
    evidence = list(ViolationEvidence.objects.filter(violation=violation))
    assert [e.caption for e in evidence] == [FIRE]
    assert evidence[0].image.name != Photo.objects.get(inspection=inspection, item__question=FIRE).image.name
    assert Photo.objects.filter(inspection=inspection).count() == 3

    client.force_login(lena)
    page = client.get(reverse("violations:detail", args=[violation.pk])).content.decode()
    assert "Lập từ" in page
    assert f'<a href="{reverse("inspections:detail", args=[inspection.pk])}">Lần kiểm tra lúc' in page
    assert "(Phát hiện vi phạm)" in page
    assert reverse("violations:evidence", args=[violation.pk, evidence[0].pk]) in page
    assert "Ký cam kết" in page and "Bình hết hạn kiểm định từ tháng 3" in page


def test_without_a_commitment_the_ladder_decides_the_stage(client, alice, cafe, checklist):
    client.force_login(alice)
    assert _post(client, cafe, checklist, alice).status_code == 302
    violation = Violation.objects.get()
    assert violation.stage == "reminder" and "cam kết" not in violation.description


def test_a_refused_commitment_does_not_count_as_signed(client, alice, cafe, checklist):
    client.force_login(alice)
    refused = {
        "commitment": "on",
        "commitment_text": "Thay bình chữa cháy",
        "refused_to_sign": "on",
        "witness_name": "Nguyễn Văn Tư",
    }
    assert _post(client, cafe, checklist, alice, **refused).status_code == 302
    assert Violation.objects.get().stage == "reminder"


def test_a_later_failure_stores_nothing_and_leaves_no_evidence_file(client, alice, cafe, checklist, media):
    client.force_login(alice)
    # The record and its evidence are written, then a later step of the same transaction fails.
    with (
        mock.patch.object(services.hooks, "run_recorded_handlers", side_effect=RuntimeError("later step")),
        pytest.raises(RuntimeError),
    ):
        _post(client, cafe, checklist, alice, **_signed_commitment())
    assert not Inspection.objects.exists() and not Violation.objects.exists()
    assert stored_files(media) == []


def test_the_record_page_of_a_record_made_by_hand_names_no_inspection(client, alice, lena, cafe, checklist):
    client.force_login(alice)
    _post(client, cafe, checklist, alice)
    Inspection.objects.update(proposed_violation=None)
    client.force_login(lena)
    page = client.get(reverse("violations:detail", args=[Violation.objects.get().pk])).content.decode()
    assert "Lập từ" not in page


def test_another_wards_officer_cannot_open_the_proposed_record(client, alice, bob, cafe, checklist):
    client.force_login(alice)
    _post(client, cafe, checklist, alice)
    client.force_login(bob)
    assert client.get(reverse("violations:detail", args=[Violation.objects.get().pk])).status_code == 404
