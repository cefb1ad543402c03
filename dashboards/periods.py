"""Dashboard periods: a calendar month, quarter or year in the ward's local time. Pure: no database.

Bounds are aware datetimes at local midnight (Asia/Ho_Chi_Minh), so a violation at 23:30 on
the last evening of a month belongs to that month, as an officer would count it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MONTH, QUARTER, YEAR = "month", "quarter", "year"
KIND_CHOICES = [
    (MONTH, gettext_lazy("Month")),
    (QUARTER, gettext_lazy("Quarter")),
    (YEAR, gettext_lazy("Year")),
]
KIND_CODES = {MONTH: 1, QUARTER: 2, YEAR: 3}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class DashboardPeriod:
    kind: str
    start: dt.date  # first day, inclusive
    end: dt.date  # first day of the next period, exclusive

    @classmethod
    def containing(cls, kind: str, day: dt.date) -> DashboardPeriod:
        if kind == YEAR:
            start = dt.date(day.year, 1, 1)
            return cls(kind, start, dt.date(day.year + 1, 1, 1))
        if kind == QUARTER:
            start = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
            return cls(kind, start, add_months(start, 3))
        start = day.replace(day=1)
        return cls(MONTH, start, add_months(start, 1))

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    @property
    def start_at(self) -> dt.datetime:
        return local_midnight(self.start)

    @property
    def end_at(self) -> dt.datetime:
        return local_midnight(self.end)

    def previous(self) -> DashboardPeriod:
        return DashboardPeriod.containing(self.kind, self.start - dt.timedelta(days=1))

    def next(self) -> DashboardPeriod:
        return DashboardPeriod.containing(self.kind, self.end)

    @property
    def label(self) -> str:
        if self.kind == YEAR:
            return _("Year %(year)s") % {"year": self.start.year}
        if self.kind == QUARTER:
            return _("Quarter %(quarter)s/%(year)s") % {
                "quarter": ROMAN[(self.start.month - 1) // 3 + 1],
                "year": self.start.year,
            }
        return _("Month %(month)s/%(year)s") % {"month": f"{self.start.month:02d}", "year": self.start.year}

    @property
    def range_label(self) -> str:
        return f"{self.start:%d/%m/%Y} – {self.last_day:%d/%m/%Y}"

    @property
    def code(self) -> int:
        """A compact number naming the period (kind, year, month): used in document ids."""
        return KIND_CODES[self.kind] * 1_000_000 + self.start.year * 100 + self.start.month

    @classmethod
    def from_code(cls, code: int) -> DashboardPeriod:
        kind_code, rest = divmod(code, 1_000_000)
        year, month = divmod(rest, 100)
        kind = {v: k for k, v in KIND_CODES.items()}[kind_code]
        return cls.containing(kind, dt.date(year, month, 1))

    def query(self) -> dict[str, str]:
        """The period as the dashboard's own query string parameters."""
        return {"period": self.kind, "on": f"{self.start:%d/%m/%Y}"}


def trailing_months(period: DashboardPeriod, count: int = 12) -> list[dt.date]:
    """First days of the `count` months that end with the period's last month."""
    last = period.last_day.replace(day=1)
    return [add_months(last, -i) for i in range(count - 1, -1, -1)]
