"""Assessment periods: a quarter or a whole year. Pure: no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True, order=True)
class Period:
    year: int
    quarter: int = 0  # 0 means the whole year

    def __post_init__(self) -> None:
        if not 0 <= self.quarter <= 4:
            raise ValueError("quarter must be 1-4, or 0 for a whole year")
        if not 2000 <= self.year <= 2100:
            raise ValueError("year out of range")

    @property
    def is_year(self) -> bool:
        return self.quarter == 0

    @property
    def start(self) -> date:
        return date(self.year, 1 if self.is_year else 3 * self.quarter - 2, 1)

    @property
    def end(self) -> date:
        if self.is_year or self.quarter == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.quarter + 1, 1) - timedelta(days=1)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> Period:
        if self.is_year:
            return Period(self.year - 1)
        if self.quarter == 1:
            return Period(self.year - 1, 4)
        return Period(self.year, self.quarter - 1)

    def as_of(self, today: date) -> date:
        """The day the period's figures are taken on: its last day, or today while it runs."""
        return min(self.end, today)

    @property
    def label(self) -> str:
        if self.is_year:
            return _("Year %(year)s") % {"year": self.year}
        return _("Quarter %(quarter)s/%(year)s") % {"quarter": ROMAN[self.quarter], "year": self.year}

    @classmethod
    def quarter_of(cls, day: date) -> Period:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return self.label
