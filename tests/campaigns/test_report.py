"""The campaign report PDF through the documents pipeline."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from campaigns import services
from campaigns.models import ForceType
from documents.models import DocumentJob, RegisterEntry, RegisterKind
from documents.services import build_document
from tests.documents.helpers import pdftotext
from tests.factories import UserFactory
from tests.inspections.factories import record

from .factories import active_campaign

pytestmark = pytest.mark.django_db


def test_report_pdf_has_the_summary_tables_and_the_chart(client, lena, alice, cafe, pho, checklist, tmp_path):
    campaign = active_campaign(leader=lena, officers=[alice], targets=[cafe, pho])
    services.campaign_force_set(campaign=campaign, force_type=ForceType.CIVIL_DEFENCE, head_count=8)
    record(business=cafe, version=checklist, officer=alice, source=f"campaign:{campaign.pk}")
    campaign = services.campaign_close(campaign=campaign, user=lena)
    client.force_login(lena)
    response = client.post(reverse("campaigns:report", args=[campaign.pk]))
    job = DocumentJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("documents:detail", args=[job.pk])
    text = " ".join(pdftotext(build_document(job), tmp_path).split())
    assert "BÁO CÁO KẾT QUẢ ĐỢT RA QUÂN" in text.upper()
    assert "Kế hoạch số 1751/KH-CABĐ-XDPT" in text
    assert "Tình trạng: Đã kết thúc" in text
    assert "II. Lực lượng tham gia" in text and "Bảo vệ dân phố" in text
    assert "Kết quả theo tuyến phố" in text and "Lê Trực" in text
    assert "Kết quả theo tổ dân phố" in text and "Tổ dân phố số 3" in text
    assert "Kết quả theo lĩnh vực" in text and "Phòng, chống dịch" in text
    # The bar chart's labels are SVG text drawn on the server: searchable in the PDF.
    assert "Phát hiện vi phạm" in text and "Ký cam kết" in text
    assert "Không phát hiện vi phạm." in text
    # The appendix lists every target, inspected or not, with what was found.
    assert "DANH SÁCH CƠ SỞ KINH DOANH TRONG ĐỢT RA QUÂN" in text.upper()
    # Closed, the report took the ward's first campaign-report number from the register.
    assert "Số: 01/BC-RQ" in text and "(Kèm theo Báo cáo số 01/BC-RQ)" in text
    assert "DỰ THẢO" not in text
    assert "Cà phê Lê Trực" in text and "Phở Lê Trực" in text and "Chưa kiểm tra" in text
    assert alice.get_full_name() in text


def test_report_of_a_campaign_under_way_is_a_draft_without_a_number(client, lena, cafe, tmp_path):
    campaign = active_campaign(leader=lena, targets=[cafe])
    client.force_login(lena)
    client.post(reverse("campaigns:report", args=[campaign.pk]))
    text = " ".join(pdftotext(build_document(DocumentJob.objects.get()), tmp_path).split())
    assert "DỰ THẢO" in text
    assert "Số:" not in text and "/BC-RQ" not in text and "(Kèm theo dự thảo báo cáo)" in text
    assert not RegisterEntry.objects.exists()


def test_closing_campaigns_numbers_their_reports_in_the_register(lena, cafe):
    first = services.campaign_close(campaign=active_campaign(leader=lena, targets=[cafe]), user=lena)
    second = services.campaign_close(campaign=active_campaign(leader=lena, targets=[cafe]), user=lena)
    entries = RegisterEntry.objects.filter(kind=RegisterKind.CAMPAIGN_REPORT).order_by("number")
    assert [(e.record, e.number_text, e.signer, e.ward) for e in entries] == [
        (first, "01/BC-RQ", lena, lena.ward),
        (second, "02/BC-RQ", lena, lena.ward),
    ]


def test_asking_twice_for_an_unchanged_report_returns_the_same_job(client, lena, cafe):
    campaign = active_campaign(leader=lena, targets=[cafe])
    client.force_login(lena)
    first = client.post(reverse("campaigns:report", args=[campaign.pk]))
    second = client.post(reverse("campaigns:report", args=[campaign.pk]))
    assert first["Location"] == second["Location"] and DocumentJob.objects.count() == 1


def test_another_ward_cannot_ask_for_the_report(client, lena, bob, cafe):
    campaign = active_campaign(leader=lena, targets=[cafe])
    client.force_login(bob)
    assert client.post(reverse("campaigns:report", args=[campaign.pk])).status_code == 404


def test_qr_posters_of_every_target_in_one_pdf_one_page_each(client, lena, cafe, pho, tmp_path):
    from pypdf import PdfReader

    campaign = active_campaign(leader=lena, targets=[cafe, pho])
    client.force_login(lena)
    response = client.post(reverse("campaigns:posters", args=[campaign.pk]), {"size": "a5"})
    job = DocumentJob.objects.get()
    assert response["Location"] == reverse("documents:detail", args=[job.pk])
    pdf = build_document(job)
    text = pdftotext(pdf, tmp_path)
    assert cafe.name in text and pho.name in text
    import io

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    assert client.post(reverse("campaigns:posters", args=[campaign.pk]), {"size": "a3"}).status_code == 400


# --- #25 follow-up: the text agrees with the figures; the station's head signs -------------------
EXTINGUISHER = "Có bình chữa cháy còn hạn sử dụng"


def _report_text(client, user, campaign, tmp_path) -> str:
    client.force_login(user)
    client.post(reverse("campaigns:report", args=[campaign.pk]))
    job = DocumentJob.objects.filter(object_id=campaign.pk).latest("pk")
    return " ".join(pdftotext(build_document(job), tmp_path).split())


@pytest.fixture
def failed_campaign(lena, alice, karaoke, cafe, checklist):
    """The karaoke fails a critical item (its record is proposed); the café passes."""
    campaign = active_campaign(leader=lena, officers=[alice], targets=[karaoke, cafe])
    source = f"campaign:{campaign.pk}"
    record(business=karaoke, version=checklist, officer=alice, statuses={EXTINGUISHER: "fail"}, source=source)
    record(business=cafe, version=checklist, officer=alice, source=source)
    return campaign


def test_a_report_whose_figures_count_a_violation_never_says_none_was_found(
    client, lena, failed_campaign, tmp_path
):
    campaign = services.campaign_close(campaign=failed_campaign, user=lena)
    assert campaign.summary["totals"]["failed"] == 1
    text = _report_text(client, lena, campaign, tmp_path)
    assert "Phát hiện 1 cơ sở có vi phạm; đề xuất lập 1 biên bản." in text
    assert "Không phát hiện vi phạm" not in text
    assert "Karaoke" in text.split("IV. Các trường hợp vi phạm", 1)[1]


def test_a_frozen_summary_without_its_list_of_records_still_counts_the_violation(
    client, lena, failed_campaign, tmp_path
):
    campaign = services.campaign_close(campaign=failed_campaign, user=lena)
    # A summary frozen before the list of records was kept: the figures still count one.
    campaign.summary.pop("violations")
    campaign.save(update_fields=["summary"])
    text = _report_text(client, lena, campaign, tmp_path)
    assert "Phát hiện 1 cơ sở có vi phạm; đề xuất lập 1 biên bản." in text
    assert "Không phát hiện vi phạm" not in text


def test_a_report_without_violations_says_so(client, lena, alice, cafe, checklist, tmp_path):
    campaign = active_campaign(leader=lena, officers=[alice], targets=[cafe])
    record(business=cafe, version=checklist, officer=alice, source=f"campaign:{campaign.pk}")
    campaign = services.campaign_close(campaign=campaign, user=lena)
    assert campaign.summary["totals"]["failed"] == 0 and campaign.summary["totals"]["records"] == 0
    text = _report_text(client, lena, campaign, tmp_path)
    assert "IV. Các trường hợp vi phạm Không phát hiện vi phạm." in text
    assert "Phát hiện 1" not in text


def test_the_report_is_signed_by_the_station_head_not_the_campaign_commander(client, lena, cafe, tmp_path):
    lena.full_name, lena.rank_title = "Đỗ Thị Lan", "Thượng tá, Trưởng Công an phường"
    lena.save()
    campaign = services.campaign_close(campaign=active_campaign(leader=lena, targets=[cafe]), user=lena)
    text = _report_text(client, lena, campaign, tmp_path)
    assert "TRƯỞNG CÔNG AN PHƯỜNG (Ký, ghi rõ chức vụ, họ và tên) Đỗ Thị Lan" in text
    assert "CHỈ HUY ĐỢT RA QUÂN" not in text.upper()
    assert "KT." not in text and "PHÓ TRƯỞNG" not in text


def test_a_deputy_signs_the_report_for_the_station_head(client, lena, ward_a, cafe, tmp_path):
    deputy = UserFactory(
        username="dung",
        ward=ward_a,
        role=Role.LEADER,
        full_name="Nguyễn Văn Dũng",
        rank_title="Trung tá, Phó Trưởng Công an phường",
    )
    campaign = services.campaign_close(campaign=active_campaign(leader=lena, targets=[cafe]), user=deputy)
    text = _report_text(client, deputy, campaign, tmp_path)
    assert (
        "KT. TRƯỞNG CÔNG AN PHƯỜNG PHÓ TRƯỞNG CÔNG AN PHƯỜNG (Ký, ghi rõ chức vụ, họ và tên) Nguyễn Văn Dũng"
        in text
    )
    assert "CHỈ HUY ĐỢT RA QUÂN" not in text.upper()


def test_a_draft_report_leaves_the_station_heads_name_blank(client, lena, cafe, tmp_path):
    lena.full_name = "Đỗ Thị Lan"
    lena.save()
    text = _report_text(client, lena, active_campaign(leader=lena, targets=[cafe]), tmp_path)
    assert "TRƯỞNG CÔNG AN PHƯỜNG (Ký, ghi rõ chức vụ, họ và tên)" in text
    assert "Chỉ huy: Đỗ Thị Lan" in text
    assert text.count("Đỗ Thị Lan") == 1
