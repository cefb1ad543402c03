"""The campaign report PDF through the documents pipeline."""

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import ForceType
from documents.models import DocumentJob, RegisterEntry, RegisterKind
from documents.services import build_document
from tests.documents.helpers import pdftotext
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
