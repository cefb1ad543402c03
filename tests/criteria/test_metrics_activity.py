"""Metrics read from campaigns and citizen feedback, on factory data."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from criteria import metrics
from criteria.periods import Period
from tests.businesses.factories import BusinessFactory, FeedbackFactory
from tests.campaigns.factories import active_campaign, plan_campaign

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
Q4_2021 = Period(2021, 4)


def test_campaigns_held_counts_those_carried_out_in_the_period_not_the_planned_ones(lena, ward_a):
    cafe = BusinessFactory(ward=ward_a)
    held = active_campaign(leader=lena, targets=[cafe], name="Ra quân ngày 01/11")  # starts 01/11/2021
    plan_campaign(leader=lena, targets=[cafe], name="Ra quân dự kiến")
    active_campaign(
        leader=lena,
        targets=[cafe],
        name="Ra quân năm sau",
        starts_on=date(2022, 3, 1),
        ends_on=date(2022, 3, 1),
    )

    value = metrics.compute("campaigns_held", ward_a, Q4_2021)

    assert value.value == Decimal(1)
    assert [r.label for r in value.records] == ["Ra quân ngày 01/11"]
    assert value.records[0].url == f"/campaigns/{held.pk}/"


def test_median_first_response_uses_local_days_and_counts_unanswered_waits(ward_a):
    shop = BusinessFactory(ward=ward_a)
    received = datetime(2021, 11, 1, 8, 0, tzinfo=HANOI)
    FeedbackFactory(business=shop, created_at=received, first_response_at=received + timedelta(hours=2))
    FeedbackFactory(business=shop, created_at=received, first_response_at=received + timedelta(hours=6))
    # Received at 00:30 on 01/10 in Hà Nội, i.e. 30/09 in UTC: it belongs to the fourth quarter.
    FeedbackFactory(
        business=shop,
        created_at=datetime(2021, 10, 1, 0, 30, tzinfo=HANOI),
        first_response_at=datetime(2021, 10, 1, 4, 30, tzinfo=HANOI),
    )
    FeedbackFactory(business=shop, created_at=datetime(2021, 9, 30, 12, 0, tzinfo=HANOI))  # third quarter

    value = metrics.compute("feedback_first_response", ward_a, Q4_2021)

    assert value.numerator == 3
    assert value.value == Decimal(4)  # median of 2, 4 and 6 hours
    assert value.url == "/feedback/"


def test_no_feedback_in_the_period_is_no_figure_not_a_zero(ward_a):
    assert metrics.compute("feedback_first_response", ward_a, Q4_2021).value is None
