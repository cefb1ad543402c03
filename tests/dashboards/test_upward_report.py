"""#25.5: the report sent upward is numbered from the register (Số: 01/BC-CAP), gapless, issued by
the station's leaders only, and frozen as issued."""

import hashlib
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from dashboards import reports
from dashboards.documents import UPWARD_REPORT, upward_report_version
from dashboards.models import UpwardReport
from dashboards.periods import DashboardPeriod
from documents.issuing import display_code
from documents.models import DocumentJob, DocumentStatus, IssuedDocument, RegisterCounter, RegisterEntry
from tests.documents.helpers import pdftotext

pytestmark = pytest.mark.django_db

NOVEMBER = {"period": "month", "on": "01/11/2025"}


def _issue(client, user, ward=None):
    client.force_login(user)
    return client.post(
        reverse("dashboards:issue_report"), {**NOVEMBER, **({"ward": ward.pk} if ward else {})}
    )


def test_a_leader_issues_the_report_and_it_prints_its_register_number(
    client, lena, tmp_path, django_capture_on_commit_callbacks
):
    lena.full_name = "Đỗ Thị Lan"
    lena.rank_title = "Trưởng Công an phường"
    lena.save()
    with django_capture_on_commit_callbacks(execute=True):  # the job is rendered, as after a commit
        response = _issue(client, lena)
    job = DocumentJob.objects.get(kind=UPWARD_REPORT)
    assert response.status_code == 302 and response["Location"] == reverse("documents:detail", args=[job.pk])
    report = UpwardReport.objects.get()
    assert (report.number, report.number_symbol, report.period_label) == (1, "BC-CAP", "Tháng 11/2025")
    entry = RegisterEntry.objects.get(kind="upward_report")
    assert (entry.number, entry.object_id, entry.signer_id) == (1, report.pk, lena.pk)

    job.refresh_from_db()
    assert job.status == DocumentStatus.DONE, job.error
    pdf = job.file.read()
    text = " ".join(pdftotext(pdf, tmp_path).split())
    # Issued once and signed (#29): the stored file is these bytes, with its code on the page.
    issued = IssuedDocument.objects.get(entry=entry)
    assert issued.sha256 == hashlib.sha256(pdf).hexdigest()
    assert PdfFileReader(BytesIO(pdf)).embedded_signatures
    assert display_code(issued.code) in text
    for part in (
        "Số: 01/BC-CAP",
        "BÁO CÁO TÌNH HÌNH AN NINH TRẬT TỰ",
        "Tháng 11/2025 (01/11/2025 – 30/11/2025)",
        "Các chỉ số chính",
        "./.",
        "Nơi nhận:",
        "Công an cấp trên (để báo cáo);",
        "Lưu: VT, hồ sơ báo cáo.",
        "TRƯỞNG CÔNG AN PHƯỜNG",
    ):
        assert part in text, part
    assert text.index("Số: 01/BC-CAP") < text.index("BÁO CÁO TÌNH HÌNH")
    assert "Đỗ Thị Lan" in text and "DỰ THẢO" not in text


def test_numbers_are_gapless_and_a_failed_issue_gives_its_number_back(lena, monkeypatch):
    period = DashboardPeriod.containing("month", date(2025, 11, 1))
    first = reports.issue_upward_report(ward=lena.ward, period=period, actor=lena)
    real = reports.register_issue

    def fails_after_drawing(**kwargs):
        real(**kwargs)
        raise RuntimeError("the printer's disk is full")

    monkeypatch.setattr(reports, "register_issue", fails_after_drawing)
    with pytest.raises(RuntimeError):
        reports.issue_upward_report(ward=lena.ward, period=period, actor=lena)
    monkeypatch.setattr(reports, "register_issue", real)
    numbers = [first.number] + [
        reports.issue_upward_report(ward=lena.ward, period=period, actor=lena).number for _ in range(2)
    ]
    assert numbers == [1, 2, 3]
    assert UpwardReport.objects.count() == 3
    assert sorted(RegisterEntry.objects.filter(kind="upward_report").values_list("number", flat=True)) == [
        1,
        2,
        3,
    ]
    assert RegisterCounter.objects.get(ward=lena.ward, kind="upward_report").last_number == 3
    # Its own sequence: no other kind's counter moved.
    assert not RegisterEntry.objects.exclude(kind="upward_report").exists()


@pytest.mark.parametrize("who", ["alice", "charlie", "root"])
def test_only_the_wards_leaders_issue_it(client, request, who):
    response = _issue(client, request.getfixturevalue(who))
    assert response.status_code == 403
    assert not UpwardReport.objects.exists() and not RegisterEntry.objects.exists()


def test_another_wards_leader_cannot_issue_it_for_this_ward(client, ward_a, ward_b):
    from accounts.roles import Role
    from tests.factories import UserFactory

    other = UserFactory(username="leader_b", ward=ward_b, role=Role.LEADER)
    assert _issue(client, other, ward=ward_a).status_code == 404
    assert not UpwardReport.objects.exists()


def test_the_issued_report_is_frozen_and_the_leader_sees_the_button(client, lena, charlie):
    period = DashboardPeriod.containing("month", date(2025, 11, 1))
    report = reports.issue_upward_report(ward=lena.ward, period=period, actor=lena)
    before = upward_report_version(report.pk)
    UpwardReport.objects.filter(pk=report.pk).update(period_label="changed elsewhere")
    assert upward_report_version(report.pk) == before  # printed from the content as issued
    client.force_login(lena)
    assert "Phát hành báo cáo gửi cấp trên" in client.get(reverse("dashboards:home")).content.decode()
    client.force_login(charlie)
    assert "Phát hành báo cáo gửi cấp trên" not in client.get(reverse("dashboards:home")).content.decode()
