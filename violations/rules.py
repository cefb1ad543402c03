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


# --- the sanction decision: deadlines (Luật XLVPHC Điều 66, Điều 73) ---------------------------
DECISION_DEADLINE_WORKING_DAYS = 7
DECISION_DEADLINE_EXTENDED_MONTHS = 1
PAYMENT_DEADLINE_DAYS = 10


def months_after(day: date, months: int) -> date:
    """The same calendar day `months` months later (31/1 plus one month is 28 or 29/2)."""
    return months_before(day, -months)


def decision_due_date(record_on: date, *, extended: bool, holidays: Collection[date]) -> date:
    """Last day to decide the sanction (Điều 66 khoản 1): 7 working days from the record; one
    month when the violator asked to explain or the facts must be verified."""
    if extended:
        return months_after(record_on, DECISION_DEADLINE_EXTENDED_MONTHS)
    return add_working_days(record_on, DECISION_DEADLINE_WORKING_DAYS, holidays)


def payment_due_date(received_on: date) -> date:
    """Last day to pay a fine (Điều 73 khoản 1): 10 days from receiving the decision."""
    return received_on + timedelta(days=PAYMENT_DEADLINE_DAYS)


# --- competence to sanction (Điều 38–51 until 30/6/2025; Decree 189/2025/NĐ-CP after) ----------
def competence_limit_for(*, limit_individual: int, violator_kind: str) -> int:
    """A title's fine limit is set for individuals; for an organisation it is twice that
    (Điều 24 khoản 2 and the competence articles)."""
    return limit_individual * 2 if violator_kind == ORGANISATION else limit_individual


def within_competence(*, fine_amount: int | None, limit_individual: int, violator_kind: str) -> bool:
    return (fine_amount or 0) <= competence_limit_for(
        limit_individual=limit_individual, violator_kind=violator_kind
    )


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


def is_ladder_repeat(
    history: Iterable[PastViolation],
    *,
    occurred_on: date,
    type_codes: Collection[str],
    domains: Collection[str],
    window_months: int = REPEAT_WINDOW_MONTHS,
) -> bool:
    """For the escalation ladder only (not the legal "tái phạm", see `aggravating_circumstances`):
    the same violator already violated the same type or domain within 12 months."""
    return bool(
        matching_past_violations(
            history,
            occurred_on=occurred_on,
            type_codes=type_codes,
            domains=domains,
            window_months=window_months,
        )
    )


# --- repeat offences as the law defines them (Điều 2 khoản 5, Điều 7, Điều 10) ---------------------
# A warning stops counting 6 months after it was carried out; any other sanction after 1 year
# (Điều 7). Until the decision is carried out it keeps counting.
WARNING_COUNTS_MONTHS = 6
OTHER_SANCTION_COUNTS_MONTHS = 12
# "Vi phạm nhiều lần" looks back over the limitation period for sanctioning (Điều 6: 1 year in
# the domains a ward police handles).
MULTIPLE_WINDOW_MONTHS = 12


@dataclass(frozen=True)
class PastDecision:
    """A signed sanction decision on an earlier violation of the same violator."""

    type_codes: frozenset[str]
    signed_on: date
    sanction: str  # SANCTION_WARNING or SANCTION_FINE
    carried_out_on: date | None = None  # paid, enforced, or (a warning) served


@dataclass(frozen=True)
class PastRecord:
    """An earlier violation record (MBB01) of the same violator: only records count, reminders and
    commitments stay in the history and count as neither."""

    occurred_on: date
    type_codes: frozenset[str]
    decided: bool  # a sanction decision (or a decision not to sanction) was made on it


@dataclass(frozen=True)
class Aggravation:
    repeat_offence: bool  # tái phạm (Điều 10 khoản 1 điểm i)
    multiple: bool  # vi phạm hành chính nhiều lần (Điều 10 khoản 1 điểm h)

    def labels(self) -> list[str]:
        """The aggravating circumstances, in the law's words, as printed."""
        out = []
        if self.multiple:
            out.append("Vi phạm hành chính nhiều lần")
        if self.repeat_offence:
            out.append("Tái phạm")
        return out


def decision_counts_on(decision: PastDecision, day: date) -> bool:
    """Whether the violator still counts as sanctioned by `decision` on `day` (Điều 7)."""
    if decision.signed_on > day:
        return False
    if decision.carried_out_on is None:
        return True
    months = WARNING_COUNTS_MONTHS if decision.sanction == SANCTION_WARNING else OTHER_SANCTION_COUNTS_MONTHS
    return day <= months_after(decision.carried_out_on, months)


def aggravating_circumstances(
    *,
    decisions: Iterable[PastDecision],
    records: Iterable[PastRecord],
    occurred_on: date,
    type_codes: Collection[str],
) -> Aggravation:
    """Tái phạm: a new violation of the same behaviour while an earlier sanction decision still
    counts. Vi phạm nhiều lần: the same behaviour recorded before, within the limitation period,
    with no decision on it yet (this violation makes two or more)."""
    codes = set(type_codes)
    repeat = any(d.type_codes & codes and decision_counts_on(d, occurred_on) for d in decisions)
    since = months_before(occurred_on, MULTIPLE_WINDOW_MONTHS)
    multiple = any(
        r.type_codes & codes and not r.decided and since <= r.occurred_on <= occurred_on for r in records
    )
    return Aggravation(repeat_offence=repeat, multiple=multiple)


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


# --- amounts in words, as a decision prints them ("Bằng chữ: …") --------------------------------
_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUPS = ("", "nghìn", "triệu", "tỷ")


def _triple_words(number: int, *, full: bool) -> list[str]:
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and (hundreds or full):
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units == 1 and tens > 1:
        words.append("mốt")
    elif units == 5 and tens > 0:
        words.append("lăm")
    elif units:
        words.append(_DIGITS[units])
    return words


def amount_in_words(amount: int) -> str:
    """600000 -> "Sáu trăm nghìn đồng" (up to 999 tỷ)."""
    if amount == 0:
        return "Không đồng"
    groups = []
    while amount:
        amount, group = divmod(amount, 1000)
        groups.append(group)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        words += _triple_words(group, full=index < len(groups) - 1)
        words.append(_GROUPS[index])
    text = " ".join(w for w in words if w) + " đồng"
    return text[0].upper() + text[1:]
