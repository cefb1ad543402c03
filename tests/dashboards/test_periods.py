from datetime import date

from django.utils import timezone

from dashboards.periods import DashboardPeriod, trailing_months


def test_a_month_starts_at_local_midnight_in_ho_chi_minh_city():
    period = DashboardPeriod.containing("month", date(2025, 11, 15))

    assert period.start_at.isoformat() == "2025-11-01T00:00:00+07:00"
    assert timezone.localtime(period.end_at).date() == date(2025, 12, 1)
    assert period.range_label == "01/11/2025 – 30/11/2025"


def test_quarters_and_years_and_their_neighbours():
    q4 = DashboardPeriod.containing("quarter", date(2025, 11, 15))

    assert (q4.start, q4.last_day) == (date(2025, 10, 1), date(2025, 12, 31))
    assert q4.next().start == date(2026, 1, 1) and q4.previous().start == date(2025, 7, 1)
    assert DashboardPeriod.containing("year", date(2024, 2, 29)).last_day == date(2024, 12, 31)


def test_the_period_code_round_trips():
    for kind in ("month", "quarter", "year"):
        period = DashboardPeriod.containing(kind, date(2025, 8, 9))
        assert DashboardPeriod.from_code(period.code) == period


def test_twelve_trailing_months_end_with_the_periods_last_month():
    months = trailing_months(DashboardPeriod.containing("quarter", date(2025, 2, 1)))

    assert months[0] == date(2024, 4, 1) and months[-1] == date(2025, 3, 1) and len(months) == 12
