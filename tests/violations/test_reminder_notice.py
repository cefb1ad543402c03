"""#25.8: a signed reminder prints as its own notice (thông báo nhắc nhở), numbered from the
register at signing ("Số: 01/TB-NN"), never as "Biên bản vi phạm hành chính"."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import DocumentJob, RegisterEntry
from documents.services import build_document
from tests.documents.helpers import pdftotext
from violations import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def officer(alice):
    alice.full_name, alice.rank_title = "Phạm Quốc Huy", "Thiếu tá, Cảnh sát khu vực"
    alice.save()
    return alice


@pytest.fixture
def leader(lena):
    lena.full_name, lena.rank_title = "Đỗ Thị Lan", "Trưởng Công an phường"
    lena.save()
    return lena


@pytest.fixture
def reminder(make_draft, officer):
    def make(**extra):
        return make_draft(
            stage="reminder",
            sanction="none",
            fine_amount=None,
            created_by=officer,
            person_name="Trần Văn Bình",
            occurred_at=timezone.now() - timedelta(hours=3),
            **extra,
        )

    return make


@pytest.fixture
def pdf_text(client, django_capture_on_commit_callbacks, tmp_path):
    def text_of(user, violation) -> str:
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("violations:pdf", args=[violation.pk]))
        assert response.status_code == 302
        job = DocumentJob.objects.filter(kind="violation-record", object_id=violation.pk).latest("pk")
        assert response.url == reverse("documents:detail", args=[job.pk])
        return " ".join(pdftotext(build_document(job), tmp_path).split())

    return text_of


def assert_in_order(text: str, parts: list[str]) -> None:
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"missing after position {position}: {part!r} in {text!r}"
        position = found + len(part)


def test_a_signed_reminder_prints_as_a_numbered_notice(reminder, leader, officer, cafe, pdf_text):
    signed = services.violation_sign(violation=reminder(), signed_by=leader, violator_signed=True)
    assert (signed.number, signed.number_symbol) == (1, "TB-NN")
    entry = RegisterEntry.objects.get(kind="reminder_notice", object_id=signed.pk)
    assert (entry.number, entry.year, entry.ward_id) == (1, timezone.localdate().year, signed.ward_id)

    text = pdf_text(officer, signed)
    assert_in_order(
        text,
        [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Số: 01/TB-NN",
            "THÔNG BÁO NHẮC NHỞ",
            "Về việc chấp hành quy định của pháp luật",
            f"tại cơ sở Cà phê Hoa Sữa, địa chỉ {cafe.address}, Công an phường Điện Biên phát hiện:",
            "Cá nhân/tổ chức được nhắc nhở: ông (bà) Trần Văn Bình",
            "Hành vi được nhắc nhở: Bày bàn ghế chiếm toàn bộ vỉa hè",
            "Quy định tại: khoản 1 Điều 8 Nghị định số 282/2025/NĐ-CP",
            "Căn cứ pháp lý:",
            "Nội dung nhắc nhở: đề nghị ông (bà) chấm dứt ngay hành vi nêu trên",
            "./.",
            "Nơi nhận:",
            "Lưu: VT, hồ sơ vụ việc.",
            "CÁN BỘ THỰC HIỆN",
            "LÃNH ĐẠO DUYỆT",
        ],
    )
    assert_in_order(text, ["Phạm Quốc Huy", "Đỗ Thị Lan"])
    # The title is the notice's; "biên bản vi phạm hành chính" appears only in the warning's text.
    assert "BIÊN BẢN VI PHẠM HÀNH CHÍNH" not in text
    assert "DỰ THẢO" not in text


def test_reminder_numbers_are_gapless_per_ward_and_kind(reminder, make_draft, leader, officer):
    first = services.violation_sign(violation=reminder(), signed_by=leader, violator_signed=True)
    draft_record = make_draft(created_by=officer)
    record = services.violation_sign(violation=draft_record, signed_by=leader, violator_signed=True)
    second = services.violation_sign(violation=reminder(), signed_by=leader, violator_signed=True)
    assert [first.number, second.number] == [1, 2]
    # A violation record signed in between draws from its own sequence (MBB01), not this one.
    assert (record.number, record.number_symbol) == (1, "BB-VPHC")
    notices = RegisterEntry.objects.filter(kind="reminder_notice").order_by("number")
    assert list(notices.values_list("number", flat=True)) == [1, 2]


def test_a_draft_reminder_prints_draft_and_no_number(reminder, officer, pdf_text):
    text = pdf_text(officer, reminder())
    assert "DỰ THẢO" in text
    assert "THÔNG BÁO NHẮC NHỞ" in text
    assert "Số:" not in text
    assert not RegisterEntry.objects.filter(kind="reminder_notice").exists()


def test_another_wards_user_gets_404_for_a_reminder(client, reminder, leader, bob):
    signed = services.violation_sign(violation=reminder(), signed_by=leader, violator_signed=True)
    client.force_login(bob)
    response = client.post(reverse("violations:pdf", args=[signed.pk]))
    assert response.status_code == 404
    assert not DocumentJob.objects.filter(object_id=signed.pk, kind="violation-record").exists()


def test_the_reminder_page_offers_to_print_the_notice(client, reminder, officer):
    draft = reminder()
    client.force_login(officer)
    page = client.get(reverse("violations:detail", args=[draft.pk])).content.decode()
    assert "In thông báo nhắc nhở (PDF)" in page
    assert reverse("violations:pdf", args=[draft.pk]) in page
