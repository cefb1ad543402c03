"""Criteria metrics read from inspections and violations, on factory data, with their sources."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from businesses.models import BusinessStatus
from criteria import metrics
from criteria.periods import Period
from inspections.services import CommitmentInput
from tests.factories import ResidentialGroupFactory
from tests.inspections.factories import BusinessFactory, published_checklist, record
from tests.violations.factories import ViolationTypeFactory, record_forms
from violations import services as violation_services

pytestmark = pytest.mark.django_db

Q3 = Period(2025, 3)


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def checklist(db):
    return published_checklist()


@pytest.fixture
def types(db):
    record_forms()
    return {
        "via-he": ViolationTypeFactory(code="via-he", title="Lấn chiếm vỉa hè", valid_from=date(2020, 1, 1)),
        "rac": ViolationTypeFactory(code="rac", title="Xả rác nơi công cộng", valid_from=date(2020, 1, 1)),
    }


def inspect(business, checklist, officer, day, *, fail=False, commitment=None):
    return record(
        business=business,
        version=checklist,
        officer=officer,
        started_at=at(day) - timedelta(minutes=30),
        finished_at=at(day),
        statuses={"Có bình chữa cháy còn hạn sử dụng": "fail"} if fail else None,
        commitment=commitment,
    )


def violate(
    officer, day, *, business=None, ward=None, code="via-he", group=None, person="", complex_case=False
):
    return violation_services.violation_create_draft(
        business=business,
        ward=ward,
        person_name=person,
        types=[code],
        occurred_at=at(day),
        discovered_at=at(day),
        made_at=at(day),
        made_place="Trước cửa cơ sở",
        description="Vi phạm trật tự đô thị.",
        created_by=officer,
        residential_group=group,
        stage="working_record",
        is_complex=complex_case,
    )


def sign_on(violation, leader, day):
    """Sign the record as if on `day` (the service stamps the signature with the clock)."""
    original_now = timezone.now
    timezone.now = lambda: at(day, 15)
    try:
        return violation_services.violation_sign(violation=violation, signed_by=leader, violator_signed=True)
    finally:
        timezone.now = original_now


def test_share_of_operating_businesses_inspected_in_the_period(alice, bob, ward_a, ward_b, checklist):
    seen = BusinessFactory(ward=ward_a, name="Karaoke Ánh Dương")
    unseen = BusinessFactory(ward=ward_a, name="Nhà nghỉ Hoa Hồng")
    before = BusinessFactory(ward=ward_a, name="Cầm đồ Phú Quý")
    BusinessFactory(ward=ward_a, name="Quán đã đóng", status=BusinessStatus.CLOSED)
    inspect(seen, checklist, alice, date(2025, 8, 10))
    inspect(before, checklist, alice, date(2025, 6, 30))  # previous quarter
    inspect(BusinessFactory(ward=ward_b), checklist, bob, date(2025, 8, 10))

    figure = metrics.compute("businesses_inspected", ward_a, Q3)

    assert (figure.numerator, figure.denominator, figure.value) == (1, 3, D("33.33"))
    assert [r.label for r in figure.records] == [
        "Cầm đồ Phú Quý (chưa được kiểm tra)",
        "Nhà nghỉ Hoa Hồng (chưa được kiểm tra)",
    ]
    assert figure.records[1].url == f"/businesses/{unseen.pk}/"


def test_compliance_rate_counts_inspections_without_violations(alice, ward_a, checklist):
    karaoke = BusinessFactory(ward=ward_a, name="Karaoke Ánh Dương")
    inspect(karaoke, checklist, alice, date(2025, 7, 5))
    failed = inspect(karaoke, checklist, alice, date(2025, 9, 30), fail=True)
    inspect(karaoke, checklist, alice, date(2025, 10, 1), fail=True)  # next quarter

    figure = metrics.compute("compliance_rate", ward_a, Q3)

    assert (figure.numerator, figure.denominator, figure.value) == (1, 2, D("50.00"))
    assert [(r.label, r.url) for r in figure.records] == [
        ("Karaoke Ánh Dương (30/09/2025)", f"/inspections/{failed.pk}/")
    ]


def test_no_inspection_is_no_data_not_zero(ward_a):
    assert metrics.compute("compliance_rate", ward_a, Q3).value is None


def test_repeat_violators_repeat_the_same_kind_within_a_year(alice, ward_a, types):
    repeater = BusinessFactory(ward=ward_a, name="Cà phê Hoa Sữa")
    other_kind = BusinessFactory(ward=ward_a, name="Tạp hóa Minh")
    violate(alice, date(2024, 11, 2), business=repeater)
    violate(alice, date(2025, 8, 1), business=repeater)
    violate(alice, date(2025, 7, 2), business=other_kind, code="via-he")
    violate(alice, date(2025, 8, 2), business=other_kind, code="rac")
    violate(alice, date(2023, 1, 1), ward=ward_a, person="Lê Văn Tám")
    violate(alice, date(2025, 9, 1), ward=ward_a, person="Lê Văn Tám")  # more than a year later

    figure = metrics.compute("repeat_violators", ward_a, Q3)

    assert figure.value == D(1)
    assert [(r.label, r.url) for r in figure.records] == [("Cà phê Hoa Sữa", f"/businesses/{repeater.pk}/")]
    assert metrics.get_metric("repeat_violators").higher_is_better is False


def test_records_on_time_follow_the_two_working_day_rule(alice, lena, ward_a, types):
    cafe = BusinessFactory(ward=ward_a, name="Cà phê Hoa Sữa")
    # Friday 01/08/2025: due Tuesday 05/08 (two working days, the weekend does not count).
    on_time = violate(alice, date(2025, 8, 1), business=cafe)
    assert on_time.due_date == date(2025, 8, 5)
    sign_on(on_time, lena, date(2025, 8, 5))
    late = violate(alice, date(2025, 8, 11), business=cafe)
    sign_on(late, lena, date(2025, 8, 20))
    never = violate(alice, date(2025, 9, 1), business=cafe)
    complex_case = violate(alice, date(2025, 9, 8), business=cafe, complex_case=True)
    sign_on(complex_case, lena, date(2025, 9, 15))  # 5 working days: due 15/09

    figure = metrics.compute("records_on_time", ward_a, Q3)

    assert (figure.numerator, figure.denominator) == (2, 4)
    assert [r.url for r in figure.records] == [f"/violations/{late.pk}/", f"/violations/{never.pk}/"]
    assert figure.records[1].label == f"Biên bản nháp hạn {never.due_date:%d/%m/%Y}"


def test_overdue_records_and_commitments_on_the_periods_last_day(alice, lena, ward_a, types, checklist):
    cafe = BusinessFactory(ward=ward_a, name="Cà phê Hoa Sữa")
    overdue_record = violate(alice, date(2025, 9, 1), business=cafe)
    sign_on(violate(alice, date(2025, 9, 2), business=cafe), lena, date(2025, 9, 3))
    kept = CommitmentInput(
        text="Dọn vỉa hè", deadline=date(2025, 9, 10), refused_to_sign=True, witness_name="Lan"
    )
    broken = CommitmentInput(
        text="Mua bình chữa cháy", deadline=date(2025, 9, 20), refused_to_sign=True, witness_name="Lan"
    )
    kept_inspection = inspect(cafe, checklist, alice, date(2025, 9, 5), fail=True, commitment=kept)
    broken_inspection = inspect(cafe, checklist, alice, date(2025, 9, 6), fail=True, commitment=broken)
    kept_inspection.commitment.fulfilled_at = at(date(2025, 9, 9))
    kept_inspection.commitment.save()

    figure = metrics.compute("overdue_records_commitments", ward_a, Q3)

    assert figure.value == D(2)
    assert [r.url for r in figure.records] == [
        f"/violations/{overdue_record.pk}/",
        f"/inspections/{broken_inspection.pk}/",
    ]
    assert figure.records[1].label == "Cam kết của Cà phê Hoa Sữa hạn 20/09/2025"
    assert "30/09/2025" in figure.description


def test_groups_without_violations(alice, ward_a, types):
    quiet = ResidentialGroupFactory(ward=ward_a, name="Tổ dân phố 1")
    noisy = ResidentialGroupFactory(ward=ward_a, name="Tổ dân phố 2")
    via_business = ResidentialGroupFactory(ward=ward_a, name="Tổ dân phố 3")
    violate(alice, date(2025, 8, 1), ward=ward_a, person="Lê Văn Tám", group=noisy)
    violate(alice, date(2025, 8, 1), business=BusinessFactory(ward=ward_a, residential_group=via_business))
    violate(alice, date(2025, 5, 1), ward=ward_a, person="Lê Văn Tám", group=quiet)  # another quarter

    figure = metrics.compute("groups_without_violations", ward_a, Q3)

    assert (figure.numerator, figure.denominator) == (1, 3)
    assert [r.label for r in figure.records] == ["Tổ dân phố 2 (có vi phạm)", "Tổ dân phố 3 (có vi phạm)"]
    assert figure.records[0].url == f"/violations/?residential_group={noisy.pk}"


def test_a_computed_criterion_scores_itself_from_these_metrics(alice, lena, ward_a, checklist):
    from criteria import services
    from criteria.models import AssessmentScore
    from tests.criteria.factories import CriteriaSetFactory, CriterionFactory, GroupFactory, ThresholdFactory

    criteria_set = CriteriaSetFactory(name="Bộ tiêu chí kiểm tra cơ sở")
    ThresholdFactory(criteria_set=criteria_set, label="Đạt", minimum_total=D(5))
    criterion = CriterionFactory(
        group=GroupFactory(criteria_set=criteria_set),
        code="1.1",
        text="Tỷ lệ cơ sở kinh doanh được kiểm tra trong kỳ",
        method="computed",
        metric_key="businesses_inspected",
        mapping="linear",
        lower_bound=D(50),
        upper_bound=D(100),
    )
    criteria_set = services.criteria_set_publish(criteria_set=criteria_set)
    inspect(BusinessFactory(ward=ward_a, name="Karaoke Ánh Dương"), checklist, alice, date(2025, 8, 10))

    assessment = services.assessment_create(ward=ward_a, period=Q3, criteria_set=criteria_set, user=lena)

    score = AssessmentScore.objects.get(assessment=assessment, criterion=criterion)
    assert score.value == D("100.00") and (score.numerator, score.denominator) == (1, 1)
    assert score.source["description"].startswith("Cơ sở kinh doanh đang hoạt động")
