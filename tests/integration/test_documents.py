"""The records' PDFs: violation records (MBB01/MBB02), inspection reports, criteria assessments."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import DocumentJob, DocumentStatus
from documents.services import build_document
from tests.documents.helpers import pdftotext
from violations import services as violation_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def post_pdf(client, django_capture_on_commit_callbacks):
    def post(user, url):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url)

    return post


@pytest.fixture
def draft(alice, ward_a):
    from tests.violations.factories import BusinessFactory, ViolationTypeFactory, record_forms

    record_forms()
    ViolationTypeFactory(
        code="lan-chiem-via-he",
        decree="282/2025/NĐ-CP",
        article=8,
        clause=1,
        point="a",
        title="Để vật chiếm dụng lòng đường, vỉa hè",
    )
    occurred = timezone.now() - timedelta(hours=3)
    return violation_services.violation_create_draft(
        business=BusinessFactory(ward=ward_a, name="Cà phê Hoa Sữa", owner_name="Trần Văn Bình"),
        types=["lan-chiem-via-he"],
        occurred_at=occurred,
        discovered_at=occurred,
        made_at=occurred,
        made_place="Trước cửa cơ sở",
        description="Bày bàn ghế chiếm toàn bộ vỉa hè trước cửa quán.",
        created_by=alice,
        stage="violation_record",
        sanction="fine",
        fine_amount=400_000,
    )


def _job_text(job, tmp_path) -> str:
    return pdftotext(build_document(DocumentJob.objects.get(pk=job.pk)), tmp_path)


def test_a_signed_violation_record_prints_in_the_decree_30_layout(post_pdf, alice, lena, draft, tmp_path):
    violation = violation_services.violation_sign(
        violation=draft,
        signed_by=lena,
        violator_signed=False,
        refused_to_sign=True,
        witness_name="Nguyễn Thị Hoa",
        witness_role="ward_representative",
    )
    response = post_pdf(alice, reverse("violations:pdf", args=[violation.pk]))
    job = DocumentJob.objects.get(kind="violation-record", object_id=violation.pk)
    assert response.status_code == 302 and response["Location"] == f"/documents/{job.pk}/"
    assert job.status == DocumentStatus.DONE
    assert job.filename == f"bien-ban-{violation.number:02d}-BB-VPHC-{violation.number_year}.pdf"
    text = _job_text(job, tmp_path)
    assert "BIÊN BẢN VI PHẠM HÀNH CHÍNH" in text
    assert f"Số: {violation.number:02d}/BB-VPHC" in text
    assert "CÔNG AN PHƯỜNG ĐIỆN BIÊN" in text and "Điện Biên, ngày" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Điều 8" in text and "282/2025/NĐ-CP" in text
    assert "Cà phê Hoa Sữa" in text and "Trần Văn Bình" in text
    flat = " ".join(text.split())
    assert "Nguyễn Thị Hoa" in flat and "ký xác nhận việc ông (bà) Trần Văn Bình không ký biên bản" in flat
    assert "NGƯỜI LẬP BIÊN BẢN" in text
    assert "BẢN NHÁP" not in text


def test_a_draft_prints_with_a_draft_mark_and_no_number(post_pdf, alice, draft, tmp_path):
    post_pdf(alice, reverse("violations:pdf", args=[draft.pk]))
    job = DocumentJob.objects.get(kind="violation-record", object_id=draft.pk)
    text = _job_text(job, tmp_path)
    assert "BẢN NHÁP — chưa có số" in text
    assert "Số:" not in text  # a draft has no number yet
    assert job.filename == f"bien-ban-nhap-{draft.pk}.pdf"


def test_a_working_record_is_titled_mbb02(post_pdf, alice, lena, draft, tmp_path):
    violation_services.violation_update_draft(
        violation=draft,
        actor=alice,
        types=["lan-chiem-via-he"],
        stage="working_record",
        sanction="none",
        fine_amount=None,
    )
    signed = violation_services.violation_sign(violation=draft, signed_by=lena, violator_signed=True)
    post_pdf(alice, reverse("violations:pdf", args=[signed.pk]))
    text = _job_text(DocumentJob.objects.get(object_id=signed.pk, kind="violation-record"), tmp_path)
    assert "BIÊN BẢN LÀM VIỆC" in text and f"Số: {signed.number:02d}/BB-LV" in text


def test_asking_twice_gives_one_job_and_signing_gives_a_new_one(post_pdf, alice, lena, draft):
    url = reverse("violations:pdf", args=[draft.pk])
    first, second = post_pdf(alice, url), post_pdf(alice, url)
    assert first["Location"] == second["Location"]
    assert DocumentJob.objects.filter(kind="violation-record", object_id=draft.pk).count() == 1
    violation_services.violation_sign(violation=draft, signed_by=lena, violator_signed=True)
    third = post_pdf(alice, url)
    assert third["Location"] != first["Location"]
    assert DocumentJob.objects.filter(kind="violation-record", object_id=draft.pk).count() == 2


def test_another_wards_record_is_not_found(post_pdf, bob, draft):
    assert post_pdf(bob, reverse("violations:pdf", args=[draft.pk])).status_code == 404
    assert not DocumentJob.objects.exists()


def test_the_detail_page_offers_the_print_button(client, alice, draft):
    client.force_login(alice)
    html = client.get(reverse("violations:detail", args=[draft.pk])).content.decode()
    assert f'action="{reverse("violations:pdf", args=[draft.pk])}"' in html
    assert "In biên bản (PDF)" in html


# --- inspection report ------------------------------------------------------------------------


@pytest.fixture
def inspection(alice, ward_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from inspections.images import process_photo, process_signature
    from inspections.services import CommitmentInput, PhotoInput
    from tests.inspections.factories import (
        BusinessFactory,
        image_bytes,
        published_checklist,
        record,
        signature_data_url,
    )

    business = BusinessFactory(ward=ward_a, name="Karaoke Ánh Dương")
    photo = process_photo(SimpleUploadedFile("anh.jpg", image_bytes(), content_type="image/jpeg"))
    return record(
        business=business,
        version=published_checklist(),
        officer=alice,
        statuses={"Có bình chữa cháy còn hạn sử dụng": "fail"},
        photos=[PhotoInput(image=photo)],
        commitment=CommitmentInput(
            text="Cam kết mua bình chữa cháy mới", signature_png=process_signature(signature_data_url())
        ),
    )


def test_the_inspection_report_holds_the_checklist_answers_and_photos(post_pdf, alice, inspection, tmp_path):
    response = post_pdf(alice, reverse("inspections:pdf", args=[inspection.pk]))
    job = DocumentJob.objects.get(kind="inspection-report", object_id=inspection.pk)
    assert response["Location"] == f"/documents/{job.pk}/"
    pdf = build_document(job)
    text = pdftotext(pdf, tmp_path)
    assert "BIÊN BẢN KIỂM TRA" in text
    # Recorded, the inspection record took the ward's first inspection-record number.
    assert "Số: 01/BB-KT" in text and "DỰ THẢO" not in text
    assert "CÔNG AN PHƯỜNG ĐIỆN BIÊN" in text and "Điện Biên, ngày" in text
    assert "Karaoke Ánh Dương" in text
    assert "Có bình chữa cháy còn hạn sử dụng" in text and "Không đạt" in text
    assert "Cam kết mua bình chữa cháy mới" in text
    assert b"/Subtype /Image" in pdf or b"/Subtype/Image" in pdf


def _report_text(inspection, user, post_pdf, tmp_path) -> str:
    post_pdf(user, reverse("inspections:pdf", args=[inspection.pk]))
    job = DocumentJob.objects.get(kind="inspection-report", object_id=inspection.pk)
    return pdftotext(build_document(job), tmp_path)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_a_campaign_inspection_cites_its_plan_and_every_inspector_signs(post_pdf, alice, lena, tmp_path):
    from tests.campaigns.factories import active_campaign
    from tests.factories import UserFactory
    from tests.inspections.factories import BusinessFactory, published_checklist, record

    second = UserFactory(username="dung", full_name="Phạm Văn Dũng", ward=alice.ward, role="officer")
    second.rank_title = "Thượng úy"
    second.save(update_fields=["rank_title"])
    alice.full_name = "Nguyễn Thị Hà"
    alice.save(update_fields=["full_name"])
    cafe = BusinessFactory(ward=alice.ward, name="Cà phê Sông Hồng", owner_name="Lê Văn Sơn")
    campaign = active_campaign(leader=lena, targets=[cafe], name="Ra quân bảo đảm an ninh trật tự")
    inspection = record(
        business=cafe,
        version=published_checklist(),
        officer=alice,
        inspectors=[alice, second],
        source=f"campaign:{campaign.pk}",
    )
    text = _flat(_report_text(inspection, alice, post_pdf, tmp_path))
    assert "Kế hoạch số 1751/KH-CABĐ-XDPT" in text and "Ra quân bảo đảm an ninh trật tự" in text
    assert "Kiểm tra thường xuyên" not in text
    # A block for each inspector (the one who recorded it makes the record), then the owner.
    signatures = text[text.index("NGƯỜI LẬP BIÊN BẢN") :]
    assert "THÀNH VIÊN ĐOÀN KIỂM TRA" in signatures and "ĐẠI DIỆN CƠ SỞ" in signatures
    assert "Nguyễn Thị Hà" in signatures and "Thượng úy Phạm Văn Dũng" in signatures
    assert "Lê Văn Sơn" in signatures and "NGƯỜI CHỨNG KIẾN" not in signatures


def test_a_routine_inspection_with_a_refusal_prints_the_witness(post_pdf, alice, tmp_path):
    from inspections.services import CommitmentInput
    from tests.inspections.factories import BusinessFactory, published_checklist, record

    shop = BusinessFactory(ward=alice.ward, name="Nhà nghỉ Bình An", owner_name="Đỗ Thị Lan")
    inspection = record(
        business=shop,
        version=published_checklist(),
        officer=alice,
        statuses={"Có bình chữa cháy còn hạn sử dụng": "fail"},
        commitment=CommitmentInput(
            text="Cam kết trang bị bình chữa cháy",
            refused_to_sign=True,
            witness_name="Nguyễn Văn Tư (tổ trưởng tổ dân phố)",
            refusal_reason="không đồng ý với kết quả kiểm tra",
        ),
    )
    text = _flat(_report_text(inspection, alice, post_pdf, tmp_path))
    assert "Căn cứ: Kiểm tra thường xuyên theo chức năng, nhiệm vụ của Công an phường" in text
    assert (
        "Đại diện cơ sở Đỗ Thị Lan (từ chối ký). Lý do từ chối ký: không đồng ý với kết quả kiểm tra." in text
    )
    assert inspection.commitment.refusal_reason == "không đồng ý với kết quả kiểm tra"
    signatures = text[text.index("NGƯỜI LẬP BIÊN BẢN") :]
    assert "NGƯỜI CHỨNG KIẾN" in signatures and "Nguyễn Văn Tư (tổ trưởng tổ dân phố)" in signatures
    assert "Xác nhận đại diện cơ sở Đỗ Thị Lan từ chối ký" in signatures


def test_each_recorded_inspection_takes_the_next_number_of_the_ward(alice, bob, inspection):
    from documents.models import RegisterEntry, RegisterKind
    from inspections.documents import inspection_report_number
    from tests.inspections.factories import BusinessFactory, published_checklist, record

    version = inspection.checklist_version
    second = record(business=BusinessFactory(ward=alice.ward), version=version, officer=alice)
    elsewhere = record(
        business=BusinessFactory(ward=bob.ward), version=published_checklist(code="b"), officer=bob
    )
    assert [inspection_report_number(i) for i in (inspection, second, elsewhere)] == [
        "01/BB-KT",
        "02/BB-KT",
        "01/BB-KT",
    ]
    entry = RegisterEntry.objects.get(kind=RegisterKind.INSPECTION_RECORD, object_id=second.pk)
    assert (entry.ward, entry.signer, entry.issued_on) == (
        alice.ward,
        alice,
        timezone.localdate(second.finished_at),
    )


def test_inspection_report_twice_is_one_job_and_other_ward_is_404(post_pdf, alice, bob, inspection):
    url = reverse("inspections:pdf", args=[inspection.pk])
    post_pdf(alice, url)
    post_pdf(alice, url)
    assert DocumentJob.objects.filter(kind="inspection-report").count() == 1
    assert post_pdf(bob, url).status_code == 404


def test_the_inspection_page_offers_the_print_button(client, alice, inspection):
    client.force_login(alice)
    html = client.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    assert f'action="{reverse("inspections:pdf", args=[inspection.pk])}"' in html


# --- criteria assessment ----------------------------------------------------------------------


@pytest.fixture
def assessment(lena, ward_a):
    from criteria import services as criteria_services
    from criteria.periods import Period
    from tests.criteria.factories import published_set

    return criteria_services.assessment_create(
        ward=ward_a, period=Period(2025, 3), criteria_set=published_set(), user=lena
    )


def test_the_assessment_pdf_holds_its_title_number_ward_and_criteria(
    post_pdf, charlie, bob, assessment, tmp_path
):
    url = reverse("criteria:assessment_pdf", args=[assessment.pk])
    response = post_pdf(charlie, url)  # the chairman may print: a printout changes nothing
    job = DocumentJob.objects.get(kind="criteria-assessment", object_id=assessment.pk)
    assert response["Location"] == f"/documents/{job.pk}/"
    post_pdf(charlie, url)
    assert DocumentJob.objects.filter(kind="criteria-assessment").count() == 1
    text = pdftotext(build_document(job), tmp_path)
    assert "BÁO CÁO KẾT QUẢ TỰ ĐÁNH GIÁ THEO BỘ TIÊU CHÍ" in text
    # Not approved yet: a draft, without a number, marked across the page.
    assert "DỰ THẢO" in text and "Số:" not in text and "/BC-TC" not in text
    assert "Phường Điện Biên" in text and "Quý III/2025" in text
    assert post_pdf(bob, url).status_code == 404


def test_the_assessment_page_offers_the_print_button(client, lena, assessment):
    client.force_login(lena)
    html = client.get(reverse("criteria:assessment_detail", args=[assessment.pk])).content.decode()
    assert f'action="{reverse("criteria:assessment_pdf", args=[assessment.pk])}"' in html


def test_the_business_history_lists_its_inspections_and_violations(alice, lena, draft, tmp_path):
    from tests.inspections.factories import published_checklist, record

    business = draft.business
    record(business=business, version=published_checklist(), officer=alice)
    signed = violation_services.violation_sign(violation=draft, signed_by=lena, violator_signed=True)
    job = DocumentJob.objects.create(
        kind="business-history",
        object_id=business.pk,
        ward=business.ward,
        version="v",
        requested_by=alice,
        title="Hồ sơ cơ sở kinh doanh",
        filename="x.pdf",
    )
    text = pdftotext(build_document(job), tmp_path)
    assert "Các lần kiểm tra và cam kết" in text and "Đạt" in text
    assert "Vi phạm và biên bản" in text and f"{signed.number:02d}/BB-VPHC" in text


def test_a_new_inspection_changes_the_business_history_version(alice, draft):
    from businesses.documents import business_history_version
    from tests.inspections.factories import published_checklist, record

    before = business_history_version(draft.business.pk)
    record(business=draft.business, version=published_checklist(), officer=alice)
    assert business_history_version(draft.business.pk) != before
