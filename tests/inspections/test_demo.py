import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from businesses.models import Business
from documents.models import RegisterEntry, RegisterKind
from inspections.models import Answer, ChecklistItem, ChecklistTemplate, Commitment, Inspection

pytestmark = pytest.mark.django_db


def test_seed_demo_installs_the_2021_epidemic_checks_and_demo_inspections_once(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = (ChecklistTemplate.objects.count(), Inspection.objects.count(), Answer.objects.count())
    call_command("seed_demo")
    assert (ChecklistTemplate.objects.count(), Inspection.objects.count(), Answer.objects.count()) == first

    questions = set(ChecklistItem.objects.values_list("question", flat=True))
    assert "Mã QR được niêm yết tại lối vào và khách quét mã khi vào" in questions
    assert any("họ tên, tuổi, địa chỉ, số điện thoại" in q for q in questions)
    assert any("vỉa hè" in q for q in questions) and any("lưu trú" in q for q in questions)
    assert Inspection.objects.filter(business__ward__name="Phường Điện Biên").count() >= 10
    assert set(Inspection.objects.values_list("result", flat=True)) == {"passed", "reminded", "failed"}
    assert Commitment.objects.filter(refused_to_sign=True).exclude(witness_name="").exists()
    guesthouse = Business.objects.get(name="Nhà nghỉ Nguyễn Thái Học")
    assert guesthouse.last_inspection_result == "failed"


def test_seed_demo_tops_inspections_up_to_the_requested_total_in_bulk(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    with CaptureQueriesContext(connection) as plain:
        call_command("seed_demo")
    with CaptureQueriesContext(connection) as bulk:
        call_command("seed_demo", inspections=12000)
    # Multi-row inserts, none per row (SQLite caps a statement at 999 parameters, so ~50 rows each);
    # the register lines of the records are one more table written that way.
    assert len(bulk) - len(plain) < 12000 / 15
    assert Inspection.objects.count() == 12000
    results = dict.fromkeys(["passed", "reminded", "failed"], 0)
    for result in Inspection.objects.values_list("result", flat=True):
        results[result] += 1
    assert results["passed"] > 0.7 * 12000 and results["failed"] > 0
    dates = Inspection.objects.order_by("finished_at").values_list("finished_at", flat=True)
    assert (dates.last() - dates.first()).days > 600
    assert not Business.objects.filter(inspections__isnull=False, last_inspected_at__isnull=True).exists()
    # Every generated inspection has its officer among the inspectors and, when not passed, the
    # failed item as an answer; the ward is the business's.
    assert not Inspection.objects.exclude(inspectors=F("recorded_by")).exists()
    assert not Inspection.objects.exclude(result="passed").filter(answers__isnull=True).exists()
    assert not Inspection.objects.exclude(ward=F("business__ward")).exists()
    # Every inspection record has its register line; each ward's numbers of a year run 1..n.
    entries = RegisterEntry.objects.filter(kind=RegisterKind.INSPECTION_RECORD)
    assert set(entries.values_list("object_id", flat=True)) == set(
        Inspection.objects.values_list("pk", flat=True)
    )
    for ward_id, year in entries.values_list("ward_id", "year").distinct():
        numbers = sorted(entries.filter(ward_id=ward_id, year=year).values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
    call_command("seed_demo", inspections=12000)
    assert Inspection.objects.count() == 12000
