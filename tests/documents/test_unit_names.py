"""Names as at the date: a document prints the unit names in force on its own date."""

import datetime

import pytest
from django.utils import timezone

from documents.layout import official_context, place_date, vietnamese_date
from documents.models import DocumentJob
from documents.services import build_document
from tests.documents.helpers import pdftotext
from wards.models import WardNamePeriod
from wards.names import unit_names_on

pytestmark = pytest.mark.django_db

REORGANISED = datetime.date(2025, 7, 1)


@pytest.fixture
def history(ward_a):
    """Phường Điện Biên under quận Ba Đình until 30/6/2025, under the city police since."""
    ward_a.province = "Thành phố Hà Nội"
    ward_a.police_unit_name = "CÔNG AN PHƯỜNG ĐIỆN BIÊN"
    ward_a.save()
    WardNamePeriod.objects.create(
        ward=ward_a,
        valid_until=REORGANISED - datetime.timedelta(days=1),
        ward_name="Phường Điện Biên",
        unit_name="Công an phường Điện Biên",
        superior_unit="Công an quận Ba Đình",
    )
    WardNamePeriod.objects.create(
        ward=ward_a,
        valid_from=REORGANISED,
        ward_name="Phường Điện Biên",
        unit_name="CÔNG AN PHƯỜNG ĐIỆN BIÊN",
        superior_unit="CÔNG AN THÀNH PHỐ HÀ NỘI",
    )
    return ward_a


def test_the_names_in_force_on_each_side_of_the_reorganisation(history):
    before = unit_names_on(history, datetime.date(2025, 6, 30))
    after = unit_names_on(history, REORGANISED)
    assert (before.unit_name, before.superior_unit) == ("CÔNG AN PHƯỜNG ĐIỆN BIÊN", "CÔNG AN QUẬN BA ĐÌNH")
    assert (after.unit_name, after.superior_unit) == ("CÔNG AN PHƯỜNG ĐIỆN BIÊN", "CÔNG AN THÀNH PHỐ HÀ NỘI")
    heading = official_context(history, day=datetime.date(2021, 11, 1), number="01/BB-KT", title="Biên bản")
    assert heading["superior_unit"] == "CÔNG AN QUẬN BA ĐÌNH"
    assert heading["place_date"] == "Điện Biên, ngày 01 tháng 11 năm 2021"


def test_a_ward_without_history_prints_its_current_names(ward_b):
    names = unit_names_on(ward_b, datetime.date(2021, 1, 1))
    assert names.unit_name == ward_b.document_unit_name.upper()
    assert names.superior_unit == f"CÔNG AN {ward_b.province.upper()}"


def test_a_ward_renamed_prints_the_old_place_name_on_old_dates(ward_b):
    WardNamePeriod.objects.create(
        ward=ward_b,
        valid_until=datetime.date(2025, 6, 30),
        ward_name="Phường Đội Cấn",
        unit_name="CÔNG AN PHƯỜNG ĐỘI CẤN",
        superior_unit="CÔNG AN QUẬN BA ĐÌNH",
    )
    assert place_date(ward_b, datetime.date(2024, 2, 3)) == "Đội Cấn, ngày 03 tháng 02 năm 2024"
    assert place_date(ward_b, datetime.date(2026, 3, 9)) == "Ngọc Hà, ngày 09 tháng 3 năm 2026"


def _inspection_pdf_text(inspection, tmp_path) -> str:
    job = DocumentJob.objects.create(
        kind="inspection-report", object_id=inspection.pk, ward=inspection.ward, version="v", title="t"
    )
    return " ".join(pdftotext(build_document(job), tmp_path).split())


def test_a_2021_inspection_record_prints_the_2021_unit_names(history, alice, tmp_path, settings):
    from tests.inspections.factories import BusinessFactory, published_checklist, record

    settings.MEDIA_ROOT = tmp_path / "media"
    finished = timezone.make_aware(datetime.datetime(2021, 11, 1, 9, 30))
    version = published_checklist()
    old = record(
        business=BusinessFactory(ward=history, name="Cà phê Hoa Sữa"),
        version=version,
        officer=alice,
        started_at=finished - datetime.timedelta(minutes=30),
        finished_at=finished,
    )
    text = _inspection_pdf_text(old, tmp_path)
    assert "CÔNG AN QUẬN BA ĐÌNH" in text and "CÔNG AN PHƯỜNG ĐIỆN BIÊN" in text
    assert "CÔNG AN THÀNH PHỐ HÀ NỘI" not in text
    assert "Điện Biên, ngày 01 tháng 11 năm 2021" in text
    # Recorded in 2021, it took the first inspection-record number of 2021.
    assert "Số: 01/BB-KT" in text

    today = record(business=BusinessFactory(ward=history, name="Phở Lê Trực"), version=version, officer=alice)
    text = _inspection_pdf_text(today, tmp_path)
    assert "CÔNG AN THÀNH PHỐ HÀ NỘI" in text and "CÔNG AN QUẬN BA ĐÌNH" not in text
    assert f"Điện Biên, {vietnamese_date(timezone.localdate(today.finished_at))}" in text


def test_a_period_cannot_end_before_it_starts(ward_a):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        WardNamePeriod.objects.create(
            ward=ward_a,
            valid_from=datetime.date(2025, 7, 1),
            valid_until=datetime.date(2025, 6, 30),
            ward_name="Phường Điện Biên",
            unit_name="CÔNG AN PHƯỜNG ĐIỆN BIÊN",
        )
