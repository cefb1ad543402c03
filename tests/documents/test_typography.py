"""Decree 30/2020 typography (appendix I): "Nơi nhận" ending "Lưu: VT, …", "./." at the end of the
text, signature hints, no em dashes in running text, signature blocks and table rows kept whole."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from documents.layout import recipients_lines
from documents.models import DocumentJob
from documents.services import build_document
from tests.documents.helpers import pdftotext

CSS = Path(settings.BASE_DIR) / "static" / "css" / "documents" / "official.css"


def test_nơi_nhận_ends_with_the_archive_of_the_clerical_office_and_the_file():
    assert recipients_lines(["Chủ cơ sở", "Lưu: hồ sơ cơ sở"]) == ["Chủ cơ sở", "Lưu: VT, hồ sơ cơ sở"]
    assert recipients_lines(["Chủ tịch UBND phường", "Lưu"]) == ["Chủ tịch UBND phường", "Lưu: VT"]
    assert recipients_lines(["Lưu: VT, hồ sơ vụ việc.", "Người vi phạm;"]) == [
        "Người vi phạm",
        "Lưu: VT, hồ sơ vụ việc",
    ]
    assert recipients_lines(["Công an cấp trên"]) == ["Công an cấp trên", "Lưu: VT"]


def test_signature_blocks_and_table_rows_are_never_split_or_left_alone():
    css = CSS.read_text(encoding="utf-8")
    assert re.search(r"\.signatures \{[^}]*break-inside: avoid", css)
    assert re.search(r"\.end-mark \+ \.signatures[^{]*\{[^}]*break-before: avoid", css)
    assert re.search(r"\.end-mark \{[^}]*break-after: avoid", css)
    assert re.search(r"table\.data tr[^{]*\{[^}]*break-inside: avoid", css)


@pytest.mark.django_db
def test_the_assessment_report_follows_decree_30_typography(lena, ward_a, tmp_path, settings, client):
    from criteria import services as criteria_services
    from criteria.periods import Period
    from tests.criteria.factories import published_set

    settings.MEDIA_ROOT = tmp_path / "media"
    assessment = criteria_services.assessment_create(
        ward=ward_a, period=Period(2025, 3), criteria_set=published_set(), user=lena
    )
    client.force_login(lena)
    client.post(reverse("criteria:assessment_pdf", args=[assessment.pk]))
    text = pdftotext(build_document(DocumentJob.objects.get(kind="criteria-assessment")), tmp_path)
    flat = " ".join(text.split())
    assert "Quý III/2025, Phường Điện Biên" in flat  # the summary line, no em dash
    assert "./." in flat and flat.index("./.") < flat.index("Nơi nhận:")
    assert "- Công an cấp trên; - Ủy ban nhân dân phường; - Lưu: VT, hồ sơ tiêu chí." in flat
    assert "(Ký, ghi rõ chức vụ, họ và tên)" in flat
    assert "—" not in flat and "Chưa chấm" in flat


@pytest.mark.django_db
def test_the_inspection_record_ends_its_text_with_the_closing_mark(alice, ward_a, tmp_path, settings):
    from tests.inspections.factories import BusinessFactory, published_checklist, record

    settings.MEDIA_ROOT = tmp_path / "media"
    inspection = record(
        business=BusinessFactory(ward=ward_a, name="Karaoke Ánh Dương"),
        version=published_checklist(),
        officer=alice,
    )
    job = DocumentJob.objects.create(
        kind="inspection-report", object_id=inspection.pk, ward=ward_a, version="v", title="t"
    )
    flat = " ".join(pdftotext(build_document(job), tmp_path).split())
    assert "cùng nghe. ./." in flat
    assert "(Ký, ghi rõ chức vụ, họ và tên)" in flat and "(Ký, ghi rõ họ và tên)" in flat
    assert "—" not in flat
