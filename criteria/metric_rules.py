"""Metric computations as pure functions over plain facts (no Django, no database).

Each feature app's adapter (see criteria.metrics) turns its rows into these facts; the rules
here decide what counts. Results carry the keys of the records that cost points, so a gap in
an assessment links to the businesses, records or groups behind the figure.
"""

from __future__ import annotations

import statistics
from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .periods import Period

Key = Hashable


@dataclass(frozen=True)
class RatioResult:
    numerator: int
    denominator: int
    failing: tuple[Key, ...] = ()  # the records that keep the share below 100 %

    @property
    def percent(self) -> Decimal | None:
        """The share in percent, or None when there is nothing to measure."""
        if not self.denominator:
            return None
        return (Decimal(100) * self.numerator / self.denominator).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )


@dataclass(frozen=True)
class CountResult:
    count: int
    keys: tuple[Key, ...] = ()


@dataclass(frozen=True)
class MedianResult:
    hours: Decimal | None  # None: nothing received in the period
    count: int
    unanswered: tuple[Key, ...] = ()


# --- conditional businesses with a valid certificate (businesses) ----------------------------


@dataclass(frozen=True)
class CertificateFacts:
    key: Key
    certificate_number: str
    certificate_expiry: date | None


def certified_share(businesses: Iterable[CertificateFacts], as_of: date) -> RatioResult:
    """Share of the (operating, conditional) businesses given whose certificate has a number and
    has not expired on `as_of`. A certificate without a number cannot be checked: not valid."""
    valid = failing = 0
    failing_keys: list[Key] = []
    for b in businesses:
        if (
            b.certificate_number.strip()
            and b.certificate_expiry is not None
            and b.certificate_expiry >= as_of
        ):
            valid += 1
        else:
            failing += 1
            failing_keys.append(b.key)
    return RatioResult(valid, valid + failing, tuple(failing_keys))


# --- share of active businesses inspected (inspections) --------------------------------------


@dataclass(frozen=True)
class InspectionFacts:
    key: Key
    business: Key
    on: date
    outcome: str = ""


def inspected_share(
    active_businesses: Iterable[Key], inspections: Iterable[InspectionFacts], period: Period
) -> RatioResult:
    """Share of the active businesses inspected at least once within the period."""
    active = list(dict.fromkeys(active_businesses))
    seen = {i.business for i in inspections if period.contains(i.on)}
    failing = tuple(b for b in active if b not in seen)
    return RatioResult(len(active) - len(failing), len(active), failing)


# --- compliance rate (inspections) -----------------------------------------------------------


def compliance_rate(
    inspections: Iterable[InspectionFacts], period: Period, compliant_outcomes: Collection[str]
) -> RatioResult:
    """Share of the period's inspections whose outcome is one of `compliant_outcomes`."""
    within = [i for i in inspections if period.contains(i.on)]
    failing = tuple(i.key for i in within if i.outcome not in compliant_outcomes)
    return RatioResult(len(within) - len(failing), len(within), failing)


# --- repeat violators (violations) -----------------------------------------------------------


@dataclass(frozen=True)
class ViolationFacts:
    key: Key
    subject: Key  # the business (or person) who violated
    type: Key  # violation type (or domain) that makes two violations "the same"
    on: date
    group: Key | None = None  # residential group where it happened


def repeat_violators(
    violations: Iterable[ViolationFacts], period: Period, window_days: int = 365
) -> CountResult:
    """Subjects with a violation in the period preceded, within `window_days`, by another
    violation of the same type (tái phạm). Earlier violations outside the period count as the
    first offence."""
    by_subject_type: dict[tuple[Key, Key], list[date]] = {}
    for v in violations:
        by_subject_type.setdefault((v.subject, v.type), []).append(v.on)
    repeaters: dict[Key, None] = {}
    window = timedelta(days=window_days)
    for (subject, _type), days in by_subject_type.items():
        days.sort()
        for earlier, later in zip(days, days[1:], strict=False):
            if period.contains(later) and later - earlier <= window:
                repeaters[subject] = None
                break
    return CountResult(len(repeaters), tuple(repeaters))


# --- records made on time, overdue records and commitments (violations, inspections) --------


@dataclass(frozen=True)
class DeadlineFacts:
    key: Key
    due_on: date  # computed by the owning app (e.g. 2 working days after discovery, 5 if complex)
    done_on: date | None  # when the record was made / the commitment fulfilled


def on_time_share(items: Iterable[DeadlineFacts], period: Period, as_of: date) -> RatioResult:
    """Of the items falling due within the period (up to `as_of`), the share done by their due
    date. One still not done after its due date is late; one not yet due is left out."""
    counted = [i for i in items if period.contains(i.due_on) and (i.due_on < as_of or i.done_on)]
    failing = tuple(i.key for i in counted if i.done_on is None or i.done_on > i.due_on)
    return RatioResult(len(counted) - len(failing), len(counted), failing)


def overdue_count(items: Iterable[DeadlineFacts], as_of: date) -> CountResult:
    """Items past their due date and still not done on `as_of`."""
    keys = tuple(i.key for i in items if i.due_on < as_of and (i.done_on is None or i.done_on > as_of))
    return CountResult(len(keys), keys)


# --- campaigns held (campaigns) --------------------------------------------------------------


@dataclass(frozen=True)
class CampaignFacts:
    key: Key
    starts_on: date
    held: bool  # actually carried out (active or closed), not only planned or cancelled


def campaigns_held(campaigns: Iterable[CampaignFacts], period: Period) -> CountResult:
    keys = tuple(c.key for c in campaigns if c.held and period.contains(c.starts_on))
    return CountResult(len(keys), keys)


# --- residential groups with no violations (violations) --------------------------------------


def groups_without_violations(
    groups: Iterable[Key], violations: Iterable[ViolationFacts], period: Period
) -> RatioResult:
    all_groups = list(dict.fromkeys(groups))
    hit = {v.group for v in violations if v.group is not None and period.contains(v.on)}
    failing = tuple(g for g in all_groups if g in hit)
    return RatioResult(len(all_groups) - len(failing), len(all_groups), failing)


# --- median time to first response to citizen feedback (feedback) ----------------------------


@dataclass(frozen=True)
class FeedbackFacts:
    key: Key
    received_at: datetime
    first_response_at: datetime | None


def median_first_response(feedback: Iterable[FeedbackFacts], period: Period, as_of: datetime) -> MedianResult:
    """Median hours from receipt to first response over the feedback received in the period.
    Feedback still unanswered counts with the time it has waited until `as_of`, so leaving the
    hard cases unanswered can never improve the figure. Pass local (Asia/Ho_Chi_Minh) datetimes:
    the day a feedback was received decides its period."""
    waits: list[float] = []
    unanswered: list[Key] = []
    for f in feedback:
        if not period.contains(f.received_at.date()):
            continue
        end = f.first_response_at
        if end is None or end > as_of:
            unanswered.append(f.key)
            end = as_of
        waits.append(max(0.0, (end - f.received_at).total_seconds() / 3600))
    if not waits:
        return MedianResult(None, 0)
    hours = Decimal(str(statistics.median(waits))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return MedianResult(hours, len(waits), tuple(unanswered))
