"""Assessments: creation, scoring with evidence, the workflow and who may move it, freezing,
ward isolation and query budgets."""

import io
import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from criteria import services
from criteria.models import Assessment, AssessmentScore, AssessmentStatus, Evidence
from criteria.periods import Period
from criteria.selectors import assessment_printable_context
from documents.models import RegisterEntry
from tests.factories import UserFactory

from .factories import BusinessFactory, published_set

pytestmark = pytest.mark.django_db

Q3 = Period(2025, 3)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="bien-ban-hop.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name="anh.png"):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def criteria_set(db):
    return published_set()


@pytest.fixture
def deputy(ward_a):
    """A second leader of ward A (phó trưởng): approves what lena submits."""
    return UserFactory(username="dung", ward=ward_a, role=Role.LEADER)


@pytest.fixture
def assessment(ward_a, lena, criteria_set):
    BusinessFactory(ward=ward_a, name="Karaoke Ánh Dương", certificate_expiry=date(2030, 1, 1))
    BusinessFactory(ward=ward_a, name="Nhà nghỉ Hoa Hồng", certificate_expiry=date(2025, 9, 1))
    return services.assessment_create(ward=ward_a, period=Q3, criteria_set=criteria_set, user=lena)


def score_of(assessment, code):
    return AssessmentScore.objects.select_related("criterion").get(
        assessment=assessment, criterion__code=code
    )


def fill(assessment, user, *, holds=True, points=D(9)):
    services.score_update(
        score=score_of(assessment, "1.1"), user=user, points=points, comment="Tốt", files=[pdf()]
    )
    services.score_update(score=score_of(assessment, "2.1"), user=user, passed=holds)


def classification_shown(body: str) -> str:
    """The classification in the page's result summary (the figure above its "xếp loại" label)."""
    match = re.search(r'<span class="stat">([^<]*)</span>\s*xếp loại', body)
    assert match, "the result summary shows no classification"
    return match.group(1).strip()


# --- creation and computed criteria ----------------------------------------------------------


def test_new_assessment_fills_its_computed_criteria_from_the_wards_records(assessment):
    computed = score_of(assessment, "1.2")
    assert (computed.numerator, computed.denominator, computed.value) == (1, 2, D("50.00"))
    assert computed.source["records"][0]["label"] == "Nhà nghỉ Hoa Hồng (hết hạn ngày 01/09/2025)"
    assert assessment.total == 0  # 50 % is below the 80 % lower bound
    assert assessment.computed_at is not None


def test_refresh_recomputes_until_submitted(assessment, ward_a, lena):
    BusinessFactory(ward=ward_a, name="Karaoke mới", certificate_expiry=date(2031, 1, 1))
    BusinessFactory(ward=ward_a, name="Quán bar mới", certificate_expiry=date(2031, 1, 1))
    BusinessFactory(ward=ward_a, name="Cầm đồ mới", certificate_expiry=date(2031, 1, 1))
    services.assessment_refresh(assessment=assessment)
    assert score_of(assessment, "1.2").value == D("80.00")
    fill(assessment, lena)
    services.assessment_submit(assessment=assessment, user=lena)
    with pytest.raises(ValidationError, match="đã trình"):
        services.assessment_refresh(assessment=assessment)


def test_one_assessment_per_ward_and_period(assessment, ward_a, lena, criteria_set):
    with pytest.raises(ValidationError, match="đã có bản tự đánh giá Quý III/2025"):
        services.assessment_create(ward=ward_a, period=Q3, criteria_set=criteria_set, user=lena)
    assert Assessment.objects.count() == 1


def test_leader_creates_an_assessment_through_the_page(client, lena, criteria_set):
    client.force_login(lena)
    response = client.post(
        reverse("criteria:assessment_new"),
        {"period_kind": "year", "year": 2025, "criteria_set": criteria_set.pk},
        follow=True,
    )
    assert "Đã tạo bản tự đánh giá Năm 2025" in response.content.decode()
    assert Assessment.objects.get().quarter == 0


def test_quarter_assessment_needs_its_quarter(client, lena, criteria_set):
    client.force_login(lena)
    response = client.post(
        reverse("criteria:assessment_new"),
        {"period_kind": "quarter", "year": 2025, "criteria_set": criteria_set.pk},
    )
    assert "Hãy chọn quý." in response.content.decode()
    assert not Assessment.objects.exists()


# --- manual scoring and evidence -------------------------------------------------------------


def test_leader_scores_a_manual_criterion_with_a_comment_and_evidence(client, lena, assessment):
    score = score_of(assessment, "1.1")
    client.force_login(lena)
    response = client.post(
        reverse("criteria:score_edit", args=[assessment.pk, score.pk]),
        {"points": "8,5", "comment": "Không có cán bộ vi phạm", "files": [pdf(), png()]},
        follow=True,
    )
    assert "Đã lưu tiêu chí 1.1." in response.content.decode()
    score.refresh_from_db()
    assert score.points == D("8.5") and score.comment == "Không có cán bộ vi phạm"
    assert sorted(e.content_type for e in score.evidence.all()) == ["application/pdf", "image/png"]
    assessment.refresh_from_db()
    assert assessment.total == D("8.5")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("virus.exe", b"MZ...."), "chỉ nhận tệp PDF, JPEG, PNG hoặc WebP"),
        (SimpleUploadedFile("gia.pdf", b"<html>not a pdf</html>"), "không thực sự là tệp PDF"),
        (SimpleUploadedFile("anh.png", PDF), "không thực sự là tệp PNG"),
        (SimpleUploadedFile("to.pdf", PDF + b"0" * (10 * 1024 * 1024)), "lớn hơn 10,0"),
    ],
)
def test_bad_evidence_is_refused_with_a_clear_error_and_nothing_is_saved(
    client, lena, assessment, upload, message
):
    score = score_of(assessment, "1.1")
    client.force_login(lena)
    response = client.post(
        reverse("criteria:score_edit", args=[assessment.pk, score.pk]),
        {"points": "9", "comment": "Thử", "files": [pdf(), upload]},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    score.refresh_from_db()
    assert score.points is None and score.comment == ""
    assert not Evidence.objects.exists()


def test_points_above_the_maximum_are_refused(client, lena, assessment):
    score = score_of(assessment, "1.1")
    client.force_login(lena)
    response = client.post(reverse("criteria:score_edit", args=[assessment.pk, score.pk]), {"points": "11"})
    assert "Điểm phải từ 0 đến 10." in response.content.decode()
    assert score_of(assessment, "1.1").points is None


def test_evidence_downloads_for_the_ward_only(client, lena, charlie, bob, assessment):
    fill(assessment, lena)
    evidence = Evidence.objects.get()
    url = reverse("criteria:evidence_download", args=[evidence.pk])
    client.force_login(charlie)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert 'filename="bien-ban-hop.pdf"' in response["Content-Disposition"]
    client.force_login(bob)
    assert client.get(url).status_code == 404
    assert evidence.file.name.startswith(f"criteria/evidence/{assessment.ward_id}/")
    assert "bien-ban" not in evidence.file.name  # stored under a generated name


# --- workflow and who may move it ------------------------------------------------------------


def test_submission_needs_every_manual_criterion_scored_with_its_evidence(client, lena, assessment):
    services.score_update(score=score_of(assessment, "1.1"), user=lena, points=D(9))
    client.force_login(lena)
    response = client.post(reverse("criteria:assessment_submit", args=[assessment.pk]), follow=True)
    body = response.content.decode()
    assert "Chưa thể trình duyệt" in body
    assert "Tiêu chí 1.1 cần ít nhất một tài liệu chứng minh." in body
    assert "Tiêu chí 2.1 chưa được chấm." in body
    assert Assessment.objects.get().status == AssessmentStatus.DRAFT


def test_leader_submits_and_another_leader_approves(client, lena, deputy, assessment):
    fill(assessment, lena)
    client.force_login(lena)
    response = client.post(reverse("criteria:assessment_submit", args=[assessment.pk]), follow=True)
    assert "Đã trình bản tự đánh giá để phê duyệt." in response.content.decode()
    assert "Phê duyệt</button>" not in response.content.decode()  # not for the one who submitted
    response = client.post(reverse("criteria:assessment_approve", args=[assessment.pk]), follow=True)
    assert "Người trình bản tự đánh giá không được tự phê duyệt" in response.content.decode()
    assert Assessment.objects.get().status == AssessmentStatus.SUBMITTED

    client.force_login(deputy)
    response = client.post(reverse("criteria:assessment_approve", args=[assessment.pk]), follow=True)
    assert "Đã phê duyệt bản tự đánh giá" in response.content.decode()
    stored = Assessment.objects.get()
    assert (stored.status, stored.submitted_by, stored.approved_by) == (
        AssessmentStatus.APPROVED,
        lena,
        deputy,
    )


def test_approval_numbers_the_report_from_the_register_and_the_pdf_prints_it(
    lena, deputy, assessment, tmp_path, settings
):
    from documents.models import DocumentJob, RegisterEntry, RegisterKind
    from documents.services import build_document
    from tests.documents.helpers import pdftotext

    settings.MEDIA_ROOT = tmp_path / "media"
    fill(assessment, lena)
    services.assessment_submit(assessment=assessment, user=lena)
    assert not RegisterEntry.objects.exists()  # submitted is not final: still no number
    services.assessment_approve(assessment=assessment, user=deputy)
    entry = RegisterEntry.objects.get(kind=RegisterKind.CRITERIA_ASSESSMENT)
    assert (entry.record, entry.number_text, entry.signer) == (assessment, "01/BC-TC", deputy)
    job = DocumentJob.objects.create(
        kind="criteria-assessment", object_id=assessment.pk, ward=assessment.ward, version="v", title="t"
    )
    text = pdftotext(build_document(job), tmp_path)
    assert "Số: 01/BC-TC" in text and "DỰ THẢO" not in text


@pytest.fixture
def it_admin(ward_a):
    """The IT administrator of the station: an administrator, not a superuser, not a leader."""
    return UserFactory(username="quan", ward=ward_a, role=Role.ADMIN, is_staff=True)


@pytest.mark.parametrize("who", ["root", "it_admin"])
def test_the_administrator_cannot_approve_nor_return(client, request, lena, assessment, who):
    admin = request.getfixturevalue(who)
    fill(assessment, lena)
    services.assessment_submit(assessment=assessment, user=lena)
    client.force_login(admin)
    detail = client.get(reverse("criteria:assessment_detail", args=[assessment.pk])).content.decode()
    assert "Phê duyệt" not in detail
    assert client.post(reverse("criteria:assessment_approve", args=[assessment.pk])).status_code == 403
    response = client.post(reverse("criteria:assessment_return", args=[assessment.pk]), {"reason": "x"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.assessment_approve(assessment=assessment, user=admin)
    stored = Assessment.objects.get()
    assert (stored.status, stored.approved_by) == (AssessmentStatus.SUBMITTED, None)
    assert not RegisterEntry.objects.exists()


def test_a_leader_of_another_ward_cannot_approve(client, lena, ward_b, assessment):
    other = UserFactory(username="hung", ward=ward_b, role=Role.LEADER)
    fill(assessment, lena)
    services.assessment_submit(assessment=assessment, user=lena)
    client.force_login(other)
    assert client.post(reverse("criteria:assessment_approve", args=[assessment.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.assessment_approve(assessment=assessment, user=other)
    assert Assessment.objects.get().status == AssessmentStatus.SUBMITTED


def _approved_report_text(assessment, tmp_path) -> str:
    from documents.models import DocumentJob
    from documents.services import build_document
    from tests.documents.helpers import pdftotext

    job = DocumentJob.objects.create(
        kind="criteria-assessment", object_id=assessment.pk, ward=assessment.ward, version="v", title="t"
    )
    return " ".join(pdftotext(build_document(job), tmp_path).split())


def test_the_pdf_prints_the_station_head_who_approved(lena, deputy, assessment, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    deputy.full_name, deputy.rank_title = "Nguyễn Văn Dũng", "Thượng tá, Trưởng Công an phường"
    deputy.save()
    fill(assessment, lena)
    services.assessment_submit(assessment=assessment, user=lena)
    services.assessment_approve(assessment=assessment, user=deputy)
    text = _approved_report_text(assessment, tmp_path)
    assert "TRƯỞNG CÔNG AN PHƯỜNG (Ký, ghi rõ chức vụ, họ và tên) Nguyễn Văn Dũng" in text
    assert "Người phê duyệt" not in text and "KT." not in text


def test_a_deputy_approves_for_the_station_head(lena, deputy, assessment, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    deputy.full_name, deputy.rank_title = "Nguyễn Văn Dũng", "Trung tá, Phó Trưởng Công an phường"
    deputy.save()
    fill(assessment, lena)
    services.assessment_submit(assessment=assessment, user=lena)
    services.assessment_approve(assessment=assessment, user=deputy)
    text = _approved_report_text(assessment, tmp_path)
    assert (
        "KT. TRƯỞNG CÔNG AN PHƯỜNG PHÓ TRƯỞNG CÔNG AN PHƯỜNG (Ký, ghi rõ chức vụ, họ và tên) Nguyễn Văn Dũng"
        in text
    )


def test_a_draft_report_leaves_the_station_heads_name_blank(lena, assessment, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    lena.full_name = "Đỗ Thị Lan"
    lena.save()
    fill(assessment, lena)
    services.assessment_submit(assessment=assessment, user=lena)
    text = _approved_report_text(assessment, tmp_path)
    assert "DỰ THẢO" in text
    assert "TRƯỞNG CÔNG AN PHƯỜNG (Ký, ghi rõ chức vụ, họ và tên)" in text
    assert "Người lập" not in text and "Đỗ Thị Lan" not in text.split("Nơi nhận:", 1)[1]


def test_approver_returns_an_assessment_with_a_reason(client, lena, deputy, assessment):
    fill(assessment, lena)
    services.assessment_submit(assessment=assessment, user=lena)
    client.force_login(deputy)
    client.post(reverse("criteria:assessment_return", args=[assessment.pk]), {"reason": ""})
    assert Assessment.objects.get().status == AssessmentStatus.SUBMITTED
    response = client.post(
        reverse("criteria:assessment_return", args=[assessment.pk]),
        {"reason": "Bổ sung biên bản"},
        follow=True,
    )
    assert "Bị trả lại để chỉnh sửa: Bổ sung biên bản" in response.content.decode()
    assert Assessment.objects.get().status == AssessmentStatus.DRAFT


@pytest.mark.parametrize("role", ["officer", "chairman"])
def test_officers_and_the_chairman_read_but_cannot_move_the_workflow(
    client, users, lena, deputy, assessment, role
):
    fill(assessment, lena)
    user = users[role]
    client.force_login(user)
    detail = client.get(reverse("criteria:assessment_detail", args=[assessment.pk]))
    assert detail.status_code == 200
    assert "Trình phê duyệt" not in detail.content.decode()
    score = score_of(assessment, "1.1")
    for name, args, data in [
        ("criteria:assessment_new", [], {"period_kind": "year", "year": 2024}),
        ("criteria:assessment_refresh", [assessment.pk], {}),
        ("criteria:assessment_submit", [assessment.pk], {}),
        ("criteria:score_edit", [assessment.pk, score.pk], {"points": "1"}),
    ]:
        assert client.post(reverse(name, args=args), data).status_code == 403
    services.assessment_submit(assessment=assessment, user=lena)
    for name in ("criteria:assessment_approve", "criteria:assessment_return"):
        assert client.post(reverse(name, args=[assessment.pk]), {"reason": "x"}).status_code == 403
    stored = Assessment.objects.get()
    assert stored.status == AssessmentStatus.SUBMITTED and score_of(stored, "1.1").points == D(9)


def test_anonymous_visitors_are_sent_to_login(client, assessment):
    for url in [
        reverse("criteria:assessments"),
        reverse("criteria:assessment_detail", args=[assessment.pk]),
        reverse("criteria:assessment_new"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- approved assessments are frozen ----------------------------------------------------------


def test_approved_assessment_is_frozen(client, lena, deputy, assessment, ward_a):
    fill(assessment, lena)
    services.assessment_submit(assessment=assessment, user=lena)
    services.assessment_approve(assessment=assessment, user=deputy)
    before = Assessment.objects.get()
    score = score_of(assessment, "1.1")
    evidence = Evidence.objects.get()
    BusinessFactory(ward=ward_a, name="Karaoke mới", certificate_expiry=date(2031, 1, 1))

    for attempt in [
        lambda: services.assessment_refresh(assessment=assessment),
        lambda: services.score_update(score=score, user=lena, points=D(1)),
        lambda: services.evidence_delete(evidence=evidence, user=lena),
        lambda: services.assessment_submit(assessment=assessment, user=lena),
        lambda: services.assessment_approve(assessment=assessment, user=deputy),
        lambda: services.assessment_return(assessment=assessment, user=deputy, reason="Sửa"),
    ]:
        with pytest.raises(ValidationError):
            attempt()

    client.force_login(lena)
    response = client.post(
        reverse("criteria:score_edit", args=[assessment.pk, score.pk]), {"points": "1"}, follow=True
    )
    assert "Chỉ chấm điểm được bản nháp." in response.content.decode()
    after = Assessment.objects.get()
    assert (after.status, after.total, after.computed_at) == (
        AssessmentStatus.APPROVED,
        before.total,
        before.computed_at,
    )
    assert score_of(after, "1.1").points == D(9) and score_of(after, "1.2").numerator == 1
    assert Evidence.objects.count() == 1


# --- classification, change and gap list on the page -------------------------------------------


def test_failed_must_hold_criterion_blocks_the_classification_on_the_page(client, lena, ward_a, criteria_set):
    # Every certificate valid and full marks by hand: 20 points, above the 18 of "Đạt kiểu mẫu",
    # so only the failed must-hold criterion can keep the ward from being classified.
    BusinessFactory(ward=ward_a, name="Karaoke Ánh Dương", certificate_expiry=date(2030, 1, 1))
    BusinessFactory(ward=ward_a, name="Nhà nghỉ Hoa Hồng", certificate_expiry=date(2030, 1, 1))
    assessment = services.assessment_create(ward=ward_a, period=Q3, criteria_set=criteria_set, user=lena)
    fill(assessment, lena, points=D(10), holds=False)
    client.force_login(lena)
    url = reverse("criteria:assessment_detail", args=[assessment.pk])

    body = client.get(url).content.decode()

    assessment.refresh_from_db()
    assert assessment.total == D(20)
    assert (assessment.classification, assessment.meets_standard) == ("Chưa đạt", False)
    assert classification_shown(body) == "Chưa đạt"
    assert "Có tiêu chí bắt buộc không đạt" in body
    # The same ward with the criterion holding is "Đạt kiểu mẫu": the total alone was enough.
    services.score_update(score=score_of(assessment, "2.1"), user=lena, passed=True)
    body = client.get(url).content.decode()
    assert classification_shown(body) == "Đạt kiểu mẫu"
    assert "Có tiêu chí bắt buộc không đạt" not in body


def test_page_shows_change_against_previous_period_and_gaps_linked_to_records(
    client, lena, ward_a, assessment, criteria_set
):
    previous = services.assessment_create(
        ward=ward_a, period=Q3.previous(), criteria_set=criteria_set, user=lena
    )
    services.score_update(score=score_of(previous, "1.1"), user=lena, points=D(4))
    fill(assessment, lena)
    client.force_login(lena)
    body = client.get(reverse("criteria:assessment_detail", args=[assessment.pk])).content.decode()
    # Quarter II: 4 by hand + 10 computed (both certificates were valid on 30/06/2025).
    # Quarter III: 9 by hand + 0 computed (one certificate expired on 01/09/2025, 50 %).
    assert ">-5<" in body.replace(" ", "") and "so với Quý II/2025 (14 điểm)" in body
    gaps = body.split("Tiêu chí bị trừ nhiều điểm nhất")[1].split("</section>")[0]
    assert gaps.index("1.2") < gaps.index("1.1")  # −10 before −1
    assert "Nhà nghỉ Hoa Hồng (hết hạn ngày 01/09/2025)" in gaps


# --- ward isolation and query budgets -------------------------------------------------------


def test_other_ward_gets_404_everywhere(client, bob, lena, assessment):
    fill(assessment, lena)
    score = score_of(assessment, "1.1")
    leader_b = UserFactory(username="leader_b", ward=bob.ward, role=Role.LEADER)
    for user in (bob, leader_b):
        client.force_login(user)
        assert client.get(reverse("criteria:assessment_detail", args=[assessment.pk])).status_code == 404
        assert (
            client.get(reverse("criteria:evidence_download", args=[Evidence.objects.get().pk])).status_code
            == 404
        )
        assert "Quý III/2025" not in client.get(reverse("criteria:assessments")).content.decode()
    for name, args in [
        ("criteria:assessment_refresh", [assessment.pk]),
        ("criteria:assessment_submit", [assessment.pk]),
        ("criteria:score_edit", [assessment.pk, score.pk]),
        ("criteria:evidence_remove", [Evidence.objects.get().pk]),
    ]:
        assert client.post(reverse(name, args=args), {"points": "0"}).status_code == 404
    assert Assessment.objects.get().status == AssessmentStatus.DRAFT
    assert Evidence.objects.count() == 1


def test_list_page_query_budget(client, charlie, ward_a, lena, criteria_set, django_assert_max_num_queries):
    for year in range(2020, 2026):
        services.assessment_create(
            ward=ward_a, period=Period(year), criteria_set=criteria_set, user=lena
        ) if year >= 2024 else None
    for quarter in (1, 2, 3, 4):
        services.assessment_create(
            ward=ward_a, period=Period(2025, quarter), criteria_set=criteria_set, user=lena
        )
    client.force_login(charlie)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("criteria:assessments"))
    body = response.content.decode()
    assert "Quý IV/2025" in body and "Năm 2024" in body


def test_detail_page_query_budget(client, lena, assessment, django_assert_max_num_queries):
    fill(assessment, lena)
    client.force_login(lena)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("criteria:assessment_detail", args=[assessment.pk]))
    assert response.status_code == 200


def test_printable_context_is_plain_data_for_the_documents_app(lena, assessment):
    fill(assessment, lena)
    context = assessment_printable_context(assessment)
    assert context["unit_name"] == "CÔNG AN PHƯỜNG ĐIỆN BIÊN"
    assert context["period_label"] == "Quý III/2025"
    assert context["total"] == D(9) and context["classification"] == "Chưa đạt"
    assert [g["code"] for g in context["groups"]] == ["I", "II"]
    assert context["groups"][0]["criteria"][0]["evidence"] == ["bien-ban-hop.pdf"]
    assert context["gaps"][0]["code"] == "1.2"
