"""Pure rules of the violations domain: no database, unit-tested on plain data.

The legal facts (Law on Handling Administrative Violations; Decree 118/2021/NĐ-CP as amended by
Decree 68/2025/NĐ-CP) live here, in one place, so a change in the law is a change in one file.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

# --- the escalation ladder ------------------------------------------------------------------
# Stage codes in ladder order (models.Stage uses the same values).
REMINDER = "reminder"
COMMITMENT = "commitment"
WORKING_RECORD = "working_record"  # biên bản làm việc, form MBB02
VIOLATION_RECORD = "violation_record"  # biên bản vi phạm hành chính, form MBB01
SANCTION = "sanction"  # chuyển người có thẩm quyền / quyết định xử phạt
LADDER: tuple[str, ...] = (REMINDER, COMMITMENT, WORKING_RECORD, VIOLATION_RECORD, SANCTION)
# Stages that are a record (biên bản) and so carry a number and a legal deadline.
RECORD_STAGES = frozenset({WORKING_RECORD, VIOLATION_RECORD})


def stage_rank(stage: str) -> int:
    return LADDER.index(stage)


def suggest_next_stage(
    *,
    previous_stages: Iterable[str],
    deliberate: bool = False,
    record_required: bool = False,
) -> str:
    """The stage the ladder suggests for a new violation.

    `previous_stages` are the stages reached by this violator's earlier violations of the same
    type or domain within the repeat window. A first violation starts with a reminder; a repeat
    goes one step above the highest stage already reached; a deliberate violation ("cố tình")
    goes one step further. A sanction above the on-the-spot limit needs at least the MBB01 record.
    """
    ranks = [stage_rank(s) for s in previous_stages]
    rank = max(ranks) + 1 if ranks else 0
    if deliberate:
        rank += 1
    if record_required:
        rank = max(rank, stage_rank(VIOLATION_RECORD))
    return LADDER[min(rank, len(LADDER) - 1)]


# --- working-day deadline -------------------------------------------------------------------
RECORD_DEADLINE_WORKING_DAYS = 2
RECORD_DEADLINE_WORKING_DAYS_COMPLEX = 5


def is_working_day(day: date, holidays: Collection[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays: Collection[date]) -> date:
    """The date `days` working days after `start` (the start day itself does not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            remaining -= 1
    return current


def record_due_date(discovered_on: date, *, complex_case: bool, holidays: Collection[date]) -> date:
    """Last day to make the record: 2 working days after discovery, 5 when the case is complex.
    Saturdays, Sundays and public holidays do not count."""
    days = RECORD_DEADLINE_WORKING_DAYS_COMPLEX if complex_case else RECORD_DEADLINE_WORKING_DAYS
    return add_working_days(discovered_on, days, holidays)


def is_overdue(due_on: date | None, today: date) -> bool:
    return due_on is not None and today > due_on


# --- repeat violations ----------------------------------------------------------------------
@dataclass(frozen=True)
class PastViolation:
    occurred_on: date
    type_codes: frozenset[str]
    domains: frozenset[str]
    stage: str = REMINDER


def months_before(day: date, months: int) -> date:
    """The same calendar day `months` months earlier (31/3 minus one month is 28 or 29/2)."""
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


REPEAT_WINDOW_MONTHS = 12


def matching_past_violations(
    history: Iterable[PastViolation],
    *,
    occurred_on: date,
    type_codes: Collection[str],
    domains: Collection[str],
    window_months: int = REPEAT_WINDOW_MONTHS,
) -> list[PastViolation]:
    """Earlier violations of the same type or domain within the window before `occurred_on`."""
    since = months_before(occurred_on, window_months)
    codes, doms = set(type_codes), set(domains)
    return [
        past
        for past in history
        if since <= past.occurred_on <= occurred_on and (past.type_codes & codes or past.domains & doms)
    ]


def is_repeat(
    history: Iterable[PastViolation],
    *,
    occurred_on: date,
    type_codes: Collection[str],
    domains: Collection[str],
    window_months: int = REPEAT_WINDOW_MONTHS,
) -> bool:
    """Tái phạm: the same violator already violated the same type or domain within 12 months."""
    return bool(
        matching_past_violations(
            history,
            occurred_on=occurred_on,
            type_codes=type_codes,
            domains=domains,
            window_months=window_months,
        )
    )


# --- on-the-spot competence -----------------------------------------------------------------
INDIVIDUAL = "individual"
ORGANISATION = "organisation"
ON_THE_SPOT_FINE_LIMIT = {INDIVIDUAL: 250_000, ORGANISATION: 500_000}

SANCTION_NONE = "none"
SANCTION_WARNING = "warning"
SANCTION_FINE = "fine"


def on_the_spot_allowed(*, sanction: str, fine_amount: int | None, violator_kind: str) -> bool:
    """A warning, or a fine up to 250.000đ (individual) / 500.000đ (organisation), may be decided
    on the spot without a record; anything above needs a record."""
    if sanction in (SANCTION_NONE, SANCTION_WARNING):
        return True
    return (fine_amount or 0) <= ON_THE_SPOT_FINE_LIMIT[violator_kind]


def record_required(*, sanction: str, fine_amount: int | None, violator_kind: str) -> bool:
    return not on_the_spot_allowed(sanction=sanction, fine_amount=fine_amount, violator_kind=violator_kind)


# --- rule in force --------------------------------------------------------------------------
@dataclass(frozen=True)
class RuleVersion:
    valid_from: date
    valid_to: date | None


R = TypeVar("R", bound=RuleVersion)

# Decree 144/2021/NĐ-CP (security, order, social safety) until 14/12/2025; 282/2025/NĐ-CP after.
DECREE_144_2021 = "144/2021/NĐ-CP"
DECREE_282_2025 = "282/2025/NĐ-CP"
DECREE_282_2025_IN_FORCE_FROM = date(2025, 12, 15)


def public_order_decree_on(day: date) -> str:
    """The decree on security, order and social safety that judges a violation on `day`."""
    return DECREE_282_2025 if day >= DECREE_282_2025_IN_FORCE_FROM else DECREE_144_2021


def rule_in_force(versions: Sequence[R], on: date) -> R | None:
    """The version in force on `on` (the latest start wins if admins let two overlap)."""
    in_force = [v for v in versions if v.valid_from <= on and (v.valid_to is None or on <= v.valid_to)]
    return max(in_force, key=lambda v: v.valid_from, default=None)
