"""What an inspection leads to: a proposed violation record, the printable context."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inspections.documents import inspection_document_context
from inspections.models import ChecklistItem, Inspection
from violations.domains import Domain
from violations.models import Violation, ViolationType

from .factories import record

pytestmark = pytest.mark.django_db

SIDEWALK = "Không lấn chiếm vỉa hè"
FIRE = "Có bình chữa cháy còn hạn sử dụng"


@pytest.fixture
def sidewalk_violation(checklist):
    violation_type = ViolationType.objects.create(
        code="de-vat-lan-chiem-duong-via-he",
        domain=Domain.URBAN_ORDER,
        title="Để vật lấn chiếm lòng đường, vỉa hè nơi công cộng",
        decree="282/2025/NĐ-CP",
        article=8,
        clause=1,
        fine_individual_min=500_000,
        fine_individual_max=1_000_000,
        valid_from=timezone.localdate() - timedelta(days=365),
        warning_allowed=True,
    )
    ChecklistItem.objects.get(section__version=checklist, question=SIDEWALK).violation_types.add(
        violation_type
    )
    return violation_type


def test_a_failed_critical_item_proposes_a_draft_violation_citing_the_failed_items(
    client, alice, cafe, checklist, sidewalk_violation
):
    inspection = record(
        business=cafe, version=checklist, officer=alice, statuses={SIDEWALK: "fail", FIRE: "fail"}
    )
    violation = Violation.objects.get()
    assert inspection.result == "failed" and inspection.proposed_violation == violation
    assert violation.business == cafe and violation.created_by == alice
    assert {t.code for t in violation.types.all()} == {
        "de-vat-lan-chiem-duong-via-he",
        "phuong-tien-chua-chay-khong-bao-dam",
    }
    assert SIDEWALK in violation.description and FIRE in violation.description

    client.force_login(alice)
    page = client.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    assert "Mở dự thảo biên bản" in page
    assert reverse("violations:detail", args=[violation.pk]) in page


def test_a_reminder_proposes_no_violation(alice, cafe, checklist, sidewalk_violation):
    inspection = record(business=cafe, version=checklist, officer=alice, statuses={SIDEWALK: "fail"})
    assert inspection.result == "reminded" and inspection.proposed_violation is None
    assert Violation.objects.count() == 0


def test_a_failed_inspection_citing_no_violation_in_force_is_refused_and_nothing_is_stored(
    alice, cafe, checklist, sidewalk_violation
):
    # "Phát hiện vi phạm" never stands without a proposed record behind it (#26.4).
    ViolationType.objects.update(valid_from=timezone.localdate() + timedelta(days=10))
    with pytest.raises(ValidationError) as refused:
        record(business=cafe, version=checklist, officer=alice, statuses={SIDEWALK: "fail", FIRE: "fail"})
    assert "choose the violation found" in str(refused.value) or "chọn hành vi vi phạm" in str(refused.value)
    assert not Inspection.objects.exists() and not Violation.objects.exists()


def test_the_printable_context_has_the_official_place_and_date(alice, cafe, checklist):
    inspection = record(business=cafe, version=checklist, officer=alice, statuses={FIRE: "fail"})
    context = inspection_document_context(inspection.pk)
    day = timezone.localtime(inspection.finished_at)
    assert context["issuing_unit"] == "CÔNG AN PHƯỜNG ĐIỆN BIÊN"
    assert context["place_and_date"] == f"Điện Biên, ngày {day:%d} tháng {day:%m} năm {day:%Y}"
    assert context["inspectors"] == [alice]
    answers = {e.item.question: e.answer.status for s in context["sections"] for e in s.items}
    assert answers[FIRE] == "fail" and answers[SIDEWALK] == "pass"
