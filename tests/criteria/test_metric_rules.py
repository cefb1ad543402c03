"""Metric rules, pure: plain facts in, figures out. No database."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal as D

import pytest

from criteria.metric_rules import (
    CampaignFacts,
    CertificateFacts,
    DeadlineFacts,
    FeedbackFacts,
    InspectionFacts,
    ViolationFacts,
    campaigns_held,
    certified_share,
    compliance_rate,
    groups_without_violations,
    inspected_share,
    median_first_response,
    on_time_share,
    overdue_count,
    repeat_violators,
)
from criteria.periods import Period

Q3 = Period(2025, 3)  # 01/07/2025 - 30/09/2025
END = date(2025, 9, 30)


def test_periods_know_their_days_and_their_predecessor():
    assert (Q3.start, Q3.end) == (date(2025, 7, 1), END)
    assert Period(2025, 1).previous() == Period(2024, 4)
    assert Period(2025).previous() == Period(2024)
    assert (Period(2025).start, Period(2025).end) == (date(2025, 1, 1), date(2025, 12, 31))
    assert Period(2024, 1).end == date(2024, 3, 31)
    assert Period.quarter_of(date(2025, 11, 1)) == Period(2025, 4)
    assert Q3.as_of(date(2025, 8, 15)) == date(2025, 8, 15)
    assert Q3.as_of(date(2026, 1, 1)) == END
    with pytest.raises(ValueError):
        Period(2025, 5)


def test_certificate_valid_needs_a_number_and_an_expiry_on_or_after_the_day():
    result = certified_share(
        [
            CertificateFacts("ok", "12/GCN", END),  # expires that very day: still valid
            CertificateFacts("expired", "13/GCN", END - timedelta(days=1)),
            CertificateFacts("no-number", " ", date(2030, 1, 1)),
            CertificateFacts("no-expiry", "14/GCN", None),
        ],
        END,
    )
    assert (result.numerator, result.denominator) == (1, 4)
    assert result.percent == D("25.00")
    assert result.failing == ("expired", "no-number", "no-expiry")


def test_a_ratio_with_nothing_to_measure_has_no_percent_rather_than_zero():
    assert certified_share([], END).percent is None


def test_share_inspected_counts_each_business_once_within_the_period():
    inspections = [
        InspectionFacts(1, "a", date(2025, 7, 2)),
        InspectionFacts(2, "a", date(2025, 8, 2)),
        InspectionFacts(3, "b", date(2025, 6, 30)),  # previous quarter
        InspectionFacts(4, "c", END),
    ]
    result = inspected_share(["a", "b", "c", "d"], inspections, Q3)
    assert (result.numerator, result.denominator, result.failing) == (2, 4, ("b", "d"))


def test_compliance_rate_is_the_share_of_the_periods_inspections_with_a_compliant_outcome():
    inspections = [
        InspectionFacts(1, "a", date(2025, 7, 2), "passed"),
        InspectionFacts(2, "b", date(2025, 7, 3), "reminded"),
        InspectionFacts(3, "c", date(2025, 7, 4), "failed"),
        InspectionFacts(4, "d", date(2025, 10, 1), "failed"),  # next quarter
    ]
    result = compliance_rate(inspections, Q3, {"passed"})
    assert (result.numerator, result.denominator, result.failing) == (1, 3, (2, 3))
    assert compliance_rate(inspections, Q3, {"passed", "reminded"}).percent == D("66.67")


def test_repeat_violator_has_two_violations_of_the_same_type_within_twelve_months():
    violations = [
        ViolationFacts(1, "cafe", "vỉa hè", date(2024, 10, 1)),
        ViolationFacts(2, "cafe", "vỉa hè", date(2025, 8, 1)),  # within 12 months of the first
        ViolationFacts(3, "hotel", "lưu trú", date(2024, 1, 1)),
        ViolationFacts(4, "hotel", "lưu trú", date(2025, 7, 15)),  # 18 months later: not repeat
        ViolationFacts(5, "shop", "vỉa hè", date(2025, 7, 5)),
        ViolationFacts(6, "shop", "rác", date(2025, 7, 9)),  # another type
        ViolationFacts(7, "bar", "vỉa hè", date(2025, 3, 1)),
        ViolationFacts(8, "bar", "vỉa hè", date(2025, 4, 1)),  # repeat, but not in Q3
    ]
    result = repeat_violators(violations, Q3)
    assert (result.count, result.keys) == (1, ("cafe",))


def test_on_time_share_counts_records_due_in_the_period_made_by_their_due_date():
    items = [
        DeadlineFacts("on-time", date(2025, 7, 3), date(2025, 7, 3)),
        DeadlineFacts("late", date(2025, 7, 3), date(2025, 7, 4)),
        DeadlineFacts("never-made", date(2025, 8, 1), None),
        DeadlineFacts("not-yet-due", date(2025, 8, 20), None),
        DeadlineFacts("other-quarter", date(2025, 6, 30), date(2025, 7, 10)),
    ]
    result = on_time_share(items, Q3, as_of=date(2025, 8, 15))
    assert (result.numerator, result.denominator) == (1, 3)
    assert result.failing == ("late", "never-made")


def test_overdue_items_are_past_due_and_still_open_on_the_day():
    items = [
        DeadlineFacts("open-overdue", date(2025, 9, 1), None),
        DeadlineFacts("done-late-after-day", date(2025, 9, 1), date(2025, 10, 5)),
        DeadlineFacts("done", date(2025, 9, 1), date(2025, 9, 1)),
        DeadlineFacts("due-later", date(2025, 10, 1), None),
        DeadlineFacts("due-today", END, None),
    ]
    result = overdue_count(items, END)
    assert (result.count, result.keys) == (2, ("open-overdue", "done-late-after-day"))


def test_campaigns_held_counts_only_those_carried_out_in_the_period():
    campaigns = [
        CampaignFacts(1, date(2025, 7, 1), True),
        CampaignFacts(2, date(2025, 9, 30), True),
        CampaignFacts(3, date(2025, 8, 1), False),  # planned only
        CampaignFacts(4, date(2025, 10, 1), True),
    ]
    assert campaigns_held(campaigns, Q3).count == 2


def test_share_of_residential_groups_without_violations_in_the_period():
    violations = [
        ViolationFacts(1, "x", "t", date(2025, 7, 5), group="Tổ 1"),
        ViolationFacts(2, "y", "t", date(2025, 7, 6), group="Tổ 1"),
        ViolationFacts(3, "z", "t", date(2025, 5, 6), group="Tổ 2"),  # another quarter
        ViolationFacts(4, "w", "t", date(2025, 7, 6), group=None),
    ]
    result = groups_without_violations(["Tổ 1", "Tổ 2", "Tổ 3"], violations, Q3)
    assert (result.numerator, result.denominator, result.failing) == (2, 3, ("Tổ 1",))
    assert groups_without_violations([], violations, Q3).percent is None


UTC7 = timezone(timedelta(hours=7))


def at(day: int, hour: int = 8) -> datetime:
    return datetime(2025, 9, day, hour, tzinfo=UTC7)


def test_median_first_response_counts_unanswered_feedback_with_its_wait_so_far():
    feedback = [
        FeedbackFacts("fast", at(1), at(1, 10)),  # 2 h
        FeedbackFacts("day", at(2), at(3)),  # 24 h
        FeedbackFacts("waiting", at(28), None),  # 48 h until the 30th at 08:00
        FeedbackFacts("old", datetime(2025, 6, 1, tzinfo=UTC7), None),  # previous quarter
    ]
    result = median_first_response(feedback, Q3, as_of=at(30))
    assert result.hours == D("24.00")
    assert result.count == 3 and result.unanswered == ("waiting",)


def test_median_first_response_without_feedback_is_no_data():
    assert median_first_response([], Q3, as_of=at(30)).hours is None
