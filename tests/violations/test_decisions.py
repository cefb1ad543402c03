"""The sanction decision (#25.3) and the legal repeat offence (#25.4), through the services, the
pages and the printed PDF."""

from contextlib import contextmanager
from datetime import date, datetime, timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from documents.models import DocumentJob, RegisterCounter, RegisterEntry, RegisterKind
from documents.services import build_document
from tests.documents.helpers import pdftotext
from tests.page_reading import linked_pks
from violations import decisions, services
from violations.models import (
    CompetenceLimit,
    DecisionStatus,
    SanctionDecision,
    Status,
)

pytestmark = pytest.mark.django_db


@contextmanager
def days_ago(days: int):
    """Run a service as if it were `days` days ago (signing stamps the present time)."""
    then = timezone.now() - timedelta(days=days)
    with mock.patch("django.utils.timezone.now", return_value=then):
        yield


@pytest.fixture
def record(make_draft, lena):
    return services.violation_sign(violation=make_draft(), signed_by=lena, violator_signed=True)


def _job(record, user) -> DocumentJob:
    return DocumentJob.objects.create(
        kind="sanction-decision",
        object_id=record.pk,
        ward_id=record.ward_id,
        version="test",
        title="Quyết định",
        filename="quyet-dinh.pdf",
        requested_by=user,
    )


# --- the record is closed only by a decision ----------------------------------------------------
def test_a_signed_mbb01_gets_seven_working_days_to_decide(record):
    assert record.decision_due_date == services.rules.decision_due_date(
        timezone.localdate(record.signed_at),
        extended=False,
        holidays=services.holiday_dates(
            timezone.localdate(record.signed_at), timezone.localdate(record.signed_at) + timedelta(days=60)
        ),
    )
    assert record.decision_due_date > timezone.localdate(record.signed_at) + timedelta(days=8)


def _made_friday_signed_wednesday(make_draft, lena):
    """A record made on site on Friday 02/10/2026 and signed by the leader on Wednesday 07/10/2026
    (no public holiday in between)."""
    tz = timezone.get_current_timezone()
    friday = datetime(2026, 10, 2, 9, 0, tzinfo=tz)
    draft = make_draft(
        occurred_at=friday - timedelta(hours=1),
        made_at=friday,
        made_place="Trước số nhà 12 phố Trần Hưng Đạo",
    )
    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 10, 7, 15, 0, tzinfo=tz)):
        return services.violation_sign(violation=draft, signed_by=lena, violator_signed=True)


def test_the_deadline_to_decide_counts_from_the_day_the_record_was_made_not_signed(make_draft, lena):
    record = _made_friday_signed_wednesday(make_draft, lena)
    assert timezone.localdate(record.signed_at) == date(2026, 10, 7)
    assert record.record_made_on == date(2026, 10, 2)
    # Seven working days after Friday 02/10: 05, 06, 07, 08, 09, 12, 13/10 (not 16/10 from the signing).
    assert record.decision_due_date == date(2026, 10, 13)
    record.refresh_from_db()
    assert record.decision_due_date == date(2026, 10, 13)


def test_the_extended_deadline_is_one_month_from_the_day_the_record_was_made(make_draft, lena):
    record = _made_friday_signed_wednesday(make_draft, lena)
    extended = decisions.violation_extend_decision_deadline(violation=record, actor=lena)
    assert extended.decision_due_date == date(2026, 11, 2)
    extended.refresh_from_db()
    assert extended.decision_due_date == date(2026, 11, 2)


def test_the_decision_pdf_cites_the_record_of_the_day_it_was_made(
    make_draft, lena, decide, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    record = _made_friday_signed_wednesday(make_draft, lena)
    decide(record, lena)
    text = " ".join(pdftotext(build_document(_job(record, lena)), tmp_path).split())
    assert "Căn cứ Biên bản vi phạm hành chính số: 01/BB-VPHC lập ngày 02/10/2026" in text
    assert "07/10/2026" not in text


def test_marking_a_signed_mbb01_remedied_without_a_decision_is_refused(record, lena):
    with (
        translation.override("vi"),
        pytest.raises(ValidationError, match="chỉ được kết thúc bằng quyết định"),
    ):
        services.violation_mark_remedied(violation=record, actor=lena)
    record.refresh_from_db()
    assert record.status == Status.SIGNED


def test_a_signed_decision_closes_the_record_with_its_own_number(record, lena, decide):
    decision = decide(record, lena)
    record.refresh_from_db()
    assert record.status == Status.DECIDED
    assert decision.status == DecisionStatus.SIGNED
    assert (decision.number, decision.number_symbol) == (1, "QĐ-XPHC")
    assert decision.number_display == "Số: 01/QĐ-XPHC"
    entry = RegisterEntry.objects.get(kind=RegisterKind.SANCTION_DECISION)
    assert (entry.record, entry.number_text, entry.signer) == (decision, "01/QĐ-XPHC", lena)
    assert decision.legal_basis_snapshot == record.legal_basis_snapshot
    # The decision has its own sequence in the register, and its line there.
    assert record.number == 1
    entry = RegisterEntry.objects.get(kind="sanction_decision")
    assert (entry.number, entry.symbol, entry.object_id, entry.signer) == (1, "QĐ-XPHC", decision.pk, lena)


def test_a_decision_not_to_sanction_needs_its_legal_ground_and_closes_the_record(record, lena, competence):
    with pytest.raises(ValidationError) as exc:
        decisions.decision_create_draft(violation=record, actor=lena, kind="no_sanction")
    assert "no_sanction_ground" in exc.value.error_dict
    draft = decisions.decision_create_draft(
        violation=record,
        actor=lena,
        kind="no_sanction",
        no_sanction_ground="g",
        no_sanction_reason="Không rõ chủ.",
    )
    decisions.decision_sign(decision=draft, signed_by=lena, signer_title="police_head")
    record.refresh_from_db()
    assert record.status == Status.DECIDED


def test_an_officer_cannot_draft_or_sign_a_decision(record, alice, competence):
    with pytest.raises(decisions.PermissionDenied):
        decisions.decision_create_draft(violation=record, actor=alice, sanction="fine", fine_amount=600_000)


# --- competence ---------------------------------------------------------------------------------
def test_a_fine_above_the_signer_competence_is_refused_with_transfer_offered(
    record, lena, competence, client
):
    CompetenceLimit.objects.filter(title="police_head", domain="urban_order").update(
        fine_limit_individual=500_000
    )
    draft = decisions.decision_create_draft(
        violation=record, actor=lena, sanction="fine", fine_amount=600_000
    )
    with pytest.raises(ValidationError) as exc:
        decisions.decision_sign(decision=draft, signed_by=lena, signer_title="police_head")
    assert "chuyển người có thẩm quyền" in str(exc.value)
    assert "500.000đ" in str(exc.value)
    # Nothing half-saved: still a draft, no number taken, the record still waits.
    draft.refresh_from_db()
    record.refresh_from_db()
    assert draft.status == DecisionStatus.DRAFT and draft.number is None
    assert record.status == Status.SIGNED
    assert not RegisterEntry.objects.filter(kind=RegisterKind.SANCTION_DECISION).exists()
    assert (
        not RegisterCounter.objects.filter(kind=RegisterKind.SANCTION_DECISION)
        .exclude(last_number=0)
        .exists()
    )
    # The page says so and offers the transfer.
    client.force_login(lena)
    response = client.post(
        reverse("violations:decision-sign", args=[record.pk]), {"signer_title": "police_head"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "chuyển người có thẩm quyền" in page
    assert reverse("violations:detail", args=[record.pk]) in page


def test_without_a_recorded_limit_the_signing_is_refused(record, lena, competence):
    CompetenceLimit.objects.filter(title="chairman", domain="urban_order").delete()
    draft = decisions.decision_create_draft(
        violation=record, actor=lena, sanction="fine", fine_amount=600_000
    )
    with pytest.raises(ValidationError, match="chuyển người có thẩm quyền"):
        decisions.decision_sign(decision=draft, signed_by=lena, signer_title="chairman")


# --- service, payment, enforcement, appeal -------------------------------------------------------
def test_payment_is_due_ten_days_after_service_then_recorded(record, lena, decide):
    decision = decide(record, lena)
    today = timezone.localdate()
    decision = decisions.decision_serve(decision=decision, actor=lena, served_on=today)
    assert decision.payment_due_date == today + timedelta(days=10)
    with pytest.raises(ValidationError) as exc:
        decisions.decision_record_payment(
            decision=decision, actor=lena, receipt_number="", paid_on=today, amount=100_000
        )
    assert {"receipt_number", "amount"} <= set(exc.value.error_dict)
    decision = decisions.decision_record_payment(
        decision=decision, actor=lena, receipt_number="BL-0012345", paid_on=today, amount=600_000
    )
    decision.refresh_from_db()
    assert (decision.status, decision.receipt_number, decision.paid_amount) == ("paid", "BL-0012345", 600_000)


def test_enforcement_comes_only_after_the_payment_deadline(record, lena, decide):
    decision = decide(record, lena)
    decision = decisions.decision_serve(decision=decision, actor=lena, served_on=timezone.localdate())
    with pytest.raises(ValidationError, match="enforced_on|cưỡng chế|trước|until|hạn"):
        decisions.decision_record_enforcement(
            decision=decision, actor=lena, enforced_on=timezone.localdate(), note="QĐ cưỡng chế số 01"
        )


def test_an_appealed_decision_is_still_paid(record, lena, decide):
    decision = decide(record, lena)
    today = timezone.localdate()
    decision = decisions.decision_serve(decision=decision, actor=lena, served_on=today)
    decision = decisions.decision_record_appeal(
        decision=decision, actor=lena, appealed_on=today, note="Khiếu nại lần đầu"
    )
    assert decision.status == DecisionStatus.APPEALED
    decision = decisions.decision_record_payment(
        decision=decision, actor=lena, receipt_number="BL-1", paid_on=today, amount=600_000
    )
    assert decision.status == DecisionStatus.PAID


def test_a_signed_decision_cannot_be_changed_nor_deleted(record, lena, decide):
    decision = decide(record, lena)
    with pytest.raises(IntegrityError), transaction.atomic():
        SanctionDecision.objects.filter(pk=decision.pk).update(fine_amount=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        SanctionDecision.objects.filter(pk=decision.pk).delete()
    # Skipping service is refused too.
    with pytest.raises(IntegrityError), transaction.atomic():
        SanctionDecision.objects.filter(pk=decision.pk).update(status="paid")


# --- overdue decision and unpaid fine on the record, the list and the dashboard ------------------
def test_an_overdue_decision_shows_on_the_record_the_list_and_the_dashboard(make_draft, lena, client):
    with days_ago(15):
        old = services.violation_sign(violation=make_draft(), signed_by=lena, violator_signed=True)
    fresh = services.violation_sign(violation=make_draft(), signed_by=lena, violator_signed=True)
    assert old.decision_due_date < timezone.localdate() <= fresh.decision_due_date
    client.force_login(lena)
    page = client.get(reverse("violations:detail", args=[old.pk])).content.decode()
    assert "Quá hạn ra quyết định" in page
    assert (
        "Quá hạn ra quyết định"
        not in client.get(reverse("violations:detail", args=[fresh.pk])).content.decode()
    )
    listed = linked_pks(client.get(reverse("violations:list"), {"decision_overdue": "on"}), "/violations/")
    assert listed == [old.pk]
    assert "quá hạn ra quyết định" in client.get(reverse("violations:list")).content.decode()
    dashboard = client.get(reverse("dashboards:home")).content.decode()
    assert "Quyết định quá hạn" in dashboard
    assert "decision_overdue=on" in dashboard
    # The leader's desk lists it among the overdue items; the fresh record is not overdue.
    overdue = _desk_section(client, "overdue")
    assert f"Ra quyết định trên biên bản {old.number:02d}/BB-VPHC" in overdue and "Quá hạn" in overdue
    assert f"{fresh.number:02d}/BB-VPHC" not in overdue


def test_an_unpaid_fine_shows_on_the_record_the_list_and_the_dashboard(make_draft, lena, client, decide):
    with days_ago(30):
        record = services.violation_sign(violation=make_draft(), signed_by=lena, violator_signed=True)
        decision = decide(record, lena)
        decisions.decision_serve(decision=decision, actor=lena, served_on=timezone.localdate())
    client.force_login(lena)
    page = client.get(reverse("violations:detail", args=[record.pk])).content.decode()
    assert "Chưa nộp phạt khi đã quá hạn" in page
    listed = linked_pks(client.get(reverse("violations:list"), {"unpaid": "on"}), "/violations/")
    assert listed == [record.pk]
    assert "chưa nộp phạt" in client.get(reverse("violations:list")).content.decode()
    dashboard = client.get(reverse("dashboards:home")).content.decode()
    assert "Tiền phạt chưa nộp" in dashboard and "unpaid=on" in dashboard
    assert "Tiền phạt theo quyết định 01/QĐ-XPHC" in _desk_section(client, "overdue")
    # Paid, it leaves the list and the leader's desk.
    decisions.decision_record_payment(
        decision=decision, actor=lena, receipt_number="BL-7", paid_on=timezone.localdate(), amount=600_000
    )
    unpaid = client.get(reverse("violations:list"), {"unpaid": "on"})
    assert linked_pks(unpaid, "/violations/") == []
    assert "Không có vi phạm nào phù hợp." in unpaid.content.decode()
    assert "01/QĐ-XPHC" not in client.get(reverse("my:leader")).content.decode()


def _desk_section(client, name: str) -> str:
    html = client.get(reverse("my:leader")).content.decode()
    return html.split(f'id="lead-{name}-heading"')[1].split("</section>")[0]


def test_another_ward_cannot_see_the_decision(record, lena, decide, client, ward_b):
    from accounts.roles import Role
    from tests.factories import UserFactory

    decide(record, lena)
    other_leader = UserFactory(username="lan", ward=ward_b, role=Role.LEADER)
    client.force_login(other_leader)
    assert client.get(reverse("violations:decision", args=[record.pk])).status_code == 404
    assert client.post(reverse("violations:decision-pdf", args=[record.pk])).status_code == 404


# --- the leader's pages ---------------------------------------------------------------------------
def test_a_leader_drafts_signs_serves_and_records_payment_through_the_pages(record, lena, client, competence):
    client.force_login(lena)
    form_page = client.get(reverse("violations:decision-create", args=[record.pk])).content.decode()
    assert "<legend>Quyết định" in form_page and "Căn cứ không ra quyết định xử phạt (Điều 65)" in form_page
    record_page = client.get(reverse("violations:detail", args=[record.pk])).content.decode()
    assert "Dự thảo quyết định xử phạt" in record_page and "Hạn ra quyết định xử phạt" in record_page
    # A signed MBB01 offers no "remedied" any more: only a decision closes it.
    assert reverse("violations:remedied", args=[record.pk]) not in record_page
    response = client.post(
        reverse("violations:decision-create", args=[record.pk]),
        {
            "kind": "sanction",
            "sanction": "fine",
            "fine_amount": "600000",
            "remedial_measures": "Dọn dẹp vỉa hè.",
        },
    )
    assert response.status_code == 302
    assert (
        client.post(
            reverse("violations:decision-sign", args=[record.pk]), {"signer_title": "police_head"}
        ).status_code
        == 302
    )
    today = timezone.localdate().isoformat()
    assert (
        client.post(reverse("violations:decision-serve", args=[record.pk]), {"served_on": today}).status_code
        == 302
    )
    response = client.post(
        reverse("violations:decision-pay", args=[record.pk]),
        {"receipt_number": "BL-99", "paid_on": today, "amount": "600000"},
    )
    assert response.status_code == 302
    decision = SanctionDecision.objects.get(violation=record)
    assert (decision.status, decision.remedial_measures, decision.receipt_number) == (
        "paid",
        "Dọn dẹp vỉa hè.",
        "BL-99",
    )
    page = client.get(reverse("violations:decision", args=[record.pk])).content.decode()
    assert "Số: 01/QĐ-XPHC" in page and "BL-99" in page


def test_a_bad_fine_in_the_draft_form_says_why_and_saves_nothing(record, lena, client, competence):
    client.force_login(lena)
    response = client.post(
        reverse("violations:decision-create", args=[record.pk]),
        {"kind": "sanction", "sanction": "fine", "fine_amount": "9000000"},
    )
    assert response.status_code == 400
    assert "1.000.000đ" in response.content.decode()
    assert not SanctionDecision.objects.exists()


# --- tái phạm (#25.4) ------------------------------------------------------------------------------
def test_tai_pham_needs_a_prior_decision_and_reminders_do_not_count(make_draft, lena, decide):
    reminder = make_draft(
        stage="reminder", sanction="none", fine_amount=None, occurred_at=timezone.now() - timedelta(days=40)
    )
    services.violation_sign(violation=reminder, signed_by=lena, violator_signed=True)
    after_reminder = make_draft(occurred_at=timezone.now() - timedelta(days=30))
    assert not after_reminder.is_repeat and not after_reminder.is_multiple
    record = services.violation_sign(violation=after_reminder, signed_by=lena, violator_signed=True)
    undecided = make_draft(occurred_at=timezone.now() - timedelta(days=20))
    assert undecided.is_multiple and not undecided.is_repeat
    services.violation_delete_draft(violation=undecided, actor=lena)
    decide(record, lena)
    after_decision = make_draft()
    assert after_decision.is_repeat and not after_decision.is_multiple


# --- the printed decision --------------------------------------------------------------------------
def test_the_decision_pdf_prints_the_form_parts_in_order(
    record, lena, decide, client, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    decision = decide(record, lena, remedial_measures="Buộc khôi phục lại tình trạng ban đầu.")
    client.force_login(lena)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("violations:decision-pdf", args=[record.pk]))
    assert response.status_code == 302
    job = DocumentJob.objects.get(kind="sanction-decision", object_id=record.pk)
    text = " ".join(pdftotext(build_document(job), tmp_path).split())
    record_day = timezone.localdate(record.signed_at)
    parts = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 01/QĐ-XPHC",
        "QUYẾT ĐỊNH",
        "Xử phạt vi phạm hành chính",
        # MQĐ02: the issuing authority under the title, in capitals.
        "TRƯỞNG CÔNG AN PHƯỜNG ĐIỆN BIÊN",
        "Căn cứ Điều 57, Điều 68, Điều 70, Điều 78 Luật Xử lý vi phạm hành chính",
        "Căn cứ Nghị định số 282/2025/NĐ-CP",
        f"Căn cứ Biên bản vi phạm hành chính số: 01/BB-VPHC lập ngày {record_day:%d/%m/%Y}",
        "Chức vụ: Trưởng Công an phường, Đơn vị: Công an phường Điện Biên.",
        "QUYẾT ĐỊNH:",
        "Điều 1. Xử phạt vi phạm hành chính đối với ông (bà) có tên sau đây",
        "2. Đã thực hiện hành vi vi phạm hành chính",
        "3. Quy định tại",
        "4. Các tình tiết tăng nặng: không",
        "5. Các tình tiết giảm nhẹ: không",
        "a) Hình thức xử phạt chính: Phạt tiền",
        "Cụ thể: mức phạt 600.000đ (Bằng chữ: Sáu trăm nghìn đồng)",
        "c) Biện pháp khắc phục hậu quả: Buộc khôi phục lại tình trạng ban đầu. Điều 2.",
        "Quyết định này có hiệu lực kể từ ngày ký.",
        "Điều 3. Quyết định này được:",
        "trong thời hạn 10 ngày, kể từ ngày nhận được Quyết định xử phạt",
        "0,05%",
        "có quyền khiếu nại hoặc khởi kiện hành chính",
        "Gửi cho Kho bạc Nhà nước để thu tiền phạt.",
        "Gửi cho Công an phường Điện Biên để tổ chức thực hiện Quyết định này./.",
        "Nơi nhận:",
        "Lưu: Hồ sơ.",
        "NGƯỜI RA QUYẾT ĐỊNH",
        "(Ký, đóng dấu (nếu có); ghi rõ chức vụ, họ và tên)",
    ]
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"missing or out of order: {part!r}"
        position = found + len(part)
    assert lena.get_full_name() in text
    assert job.filename.startswith("quyet-dinh-01-QD-XPHC")
    assert decision.pk


def test_a_repeat_offence_prints_as_an_aggravating_circumstance(make_draft, lena, decide, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    first = services.violation_sign(
        violation=make_draft(occurred_at=timezone.now() - timedelta(days=20)),
        signed_by=lena,
        violator_signed=True,
    )
    decide(first, lena)
    second = services.violation_sign(violation=make_draft(), signed_by=lena, violator_signed=True)
    decide(second, lena)
    job = _job(second, lena)
    text = " ".join(pdftotext(build_document(job), tmp_path).split())
    assert "4. Các tình tiết tăng nặng: Tái phạm." in text
    assert "Số: 02/QĐ-XPHC" in text


def test_a_draft_decision_prints_draft_and_no_number(record, lena, competence, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    decisions.decision_create_draft(violation=record, actor=lena, sanction="fine", fine_amount=600_000)
    job = _job(record, lena)
    text = " ".join(pdftotext(build_document(job), tmp_path).split())
    assert "DỰ THẢO" in text
    assert "QĐ-XPHC" not in text


def test_the_record_prints_its_aggravating_circumstances(make_draft, lena, tmp_path):
    first = services.violation_sign(
        violation=make_draft(occurred_at=timezone.now() - timedelta(days=20)),
        signed_by=lena,
        violator_signed=True,
    )
    second = services.violation_sign(violation=make_draft(), signed_by=lena, violator_signed=True)
    assert second.is_multiple
    job = DocumentJob.objects.create(
        kind="violation-record",
        object_id=second.pk,
        ward_id=second.ward_id,
        version="test",
        title="Biên bản",
        filename="bien-ban.pdf",
        requested_by=lena,
    )
    text = " ".join(pdftotext(build_document(job), tmp_path).split())
    assert "Tình tiết tăng nặng: Vi phạm hành chính nhiều lần." in text
    first_job = DocumentJob.objects.create(
        kind="violation-record",
        object_id=first.pk,
        ward_id=first.ward_id,
        version="test",
        title="Biên bản",
        filename="bien-ban-1.pdf",
        requested_by=lena,
    )
    assert "Tình tiết tăng nặng" not in pdftotext(build_document(first_job), tmp_path)


def _in_order(text: str, parts: list[str]) -> None:
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"missing or out of order: {part!r}"
        position = found + len(part)


def test_the_decision_prints_the_individual_violators_details_from_the_record(
    make_draft, lena, decide, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    draft = make_draft(
        person_name="Trần Văn Bình",
        person_sex="male",
        person_birth_date=date(1980, 3, 7),
        person_nationality="Việt Nam",
        person_occupation="Kinh doanh tự do",
        person_address="Số 12 ngõ Hàng Bột, phường Điện Biên",
        person_id_number="001080012345",
        person_id_issued_on=date(2021, 6, 1),
        person_id_issued_by="Cục Cảnh sát quản lý hành chính về trật tự xã hội",
    )
    record = services.violation_sign(violation=draft, signed_by=lena, violator_signed=True)
    decide(record, lena)
    text = " ".join(pdftotext(build_document(_job(record, lena)), tmp_path).split())
    _in_order(
        text,
        [
            "Điều 1. Xử phạt vi phạm hành chính đối với ông (bà) có tên sau đây:",
            "1. Họ và tên: Trần Văn Bình. Giới tính: Nam",
            "Ngày, tháng, năm sinh: 07/03/1980. Quốc tịch: Việt Nam",
            "Nghề nghiệp: Kinh doanh tự do",
            "Nơi ở hiện tại: Số 12 ngõ Hàng Bột, phường Điện Biên",
            "Số định danh cá nhân/CMND/Hộ chiếu: 001080012345; ngày cấp: 01/06/2021; "
            "nơi cấp: Cục Cảnh sát quản lý hành chính về trật tự xã hội",
            "2. Đã thực hiện hành vi vi phạm hành chính",
        ],
    )
    assert "Tên của tổ chức" not in text


def test_the_decision_prints_the_organisations_details_and_never_the_business_address(
    make_draft, lena, decide, cafe, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    draft = make_draft(
        violator_kind="organisation",
        org_head_office="Số 1 phố Hoàng Diệu, phường Ba Đình",
        org_enterprise_code="0101234567",
        org_registration_number="0101234567-DK",
        org_registration_issued_on=date(2019, 3, 15),
        org_registration_issued_by="Phòng Đăng ký kinh doanh, Sở Kế hoạch và Đầu tư Hà Nội",
        org_representative="Vũ Thị Thu",
        org_representative_sex="female",
        org_representative_title="Giám đốc",
        fine_amount=1_200_000,
    )
    record = services.violation_sign(violation=draft, signed_by=lena, violator_signed=True)
    decide(record, lena)
    text = " ".join(pdftotext(build_document(_job(record, lena)), tmp_path).split())
    _in_order(
        text,
        [
            "Điều 1. Xử phạt vi phạm hành chính đối với tổ chức có tên sau đây:",
            f"1. Tên của tổ chức: {cafe.name}",
            "Địa chỉ trụ sở chính: Số 1 phố Hoàng Diệu, phường Ba Đình",
            "Mã số doanh nghiệp: 0101234567",
            "Số GCN đăng ký đầu tư/doanh nghiệp hoặc GP thành lập/đăng ký hoạt động: 0101234567-DK; "
            "ngày cấp: 15/03/2019; nơi cấp: Phòng Đăng ký kinh doanh, Sở Kế hoạch và Đầu tư Hà Nội",
            "Người đại diện theo pháp luật: Vũ Thị Thu. Giới tính: Nữ",
            "Chức danh: Giám đốc",
            "2. Đã thực hiện hành vi vi phạm hành chính",
        ],
    )
    assert "Họ và tên" not in text
    assert cafe.address not in text
