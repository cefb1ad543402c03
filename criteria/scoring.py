"""The scoring engine: pure functions over plain data (dataclasses in, dataclasses out).

No Django, no database: the models are turned into these specs by criteria.services, and the
same rules can be unit-tested, replayed or run for a what-if without saving anything.

Rules, in short:
- A points criterion earns 0..max_points: typed by hand, or mapped from a metric value either
  linearly between two bounds (higher or lower is better) or through a step table.
- A pass/fail criterion earns its max_points (which may be 0) when it holds and 0 when it does not.
- A must-hold criterion that does not hold (or was not assessed) bars every classification that
  "meets the standard", whatever the total: Decision 04/2022/QĐ-TTg criterion 4 is met only when
  all six of its contents hold.
- Missing data (no score typed, a metric with nothing to measure) earns 0 points and is reported
  as missing, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

ZERO = Decimal("0")
CENT = Decimal("0.01")


class Kind(StrEnum):
    POINTS = "points"
    PASS_FAIL = "pass_fail"  # noqa: S105 - not a password


class Method(StrEnum):
    MANUAL = "manual"
    COMPUTED = "computed"


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LinearMapping:
    """Full points at one bound, none at the other, in proportion between them."""

    lower: Decimal
    upper: Decimal
    higher_is_better: bool = True

    def __post_init__(self) -> None:
        if self.lower >= self.upper:
            raise ValueError("the lower bound must be below the upper bound")

    def fraction(self, value: Decimal) -> Decimal:
        span = self.upper - self.lower
        share = (value - self.lower) / span if self.higher_is_better else (self.upper - value) / span
        return min(Decimal(1), max(ZERO, share))

    def points(self, value: Decimal, max_points: Decimal) -> Decimal:
        return _q(max_points * self.fraction(value))


@dataclass(frozen=True)
class Step:
    threshold: Decimal
    points: Decimal


@dataclass(frozen=True)
class StepMapping:
    """A table of thresholds. Higher is better: a value earns the points of the highest threshold
    it reaches. Lower is better: the points of the lowest threshold it stays at or under.
    A value outside every step earns 0."""

    steps: tuple[Step, ...]
    higher_is_better: bool = True

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError("a step table needs at least one step")

    def points(self, value: Decimal, max_points: Decimal) -> Decimal:
        if self.higher_is_better:
            reached = [s for s in self.steps if value >= s.threshold]
            best = max(reached, key=lambda s: s.threshold, default=None)
        else:
            reached = [s for s in self.steps if value <= s.threshold]
            best = min(reached, key=lambda s: s.threshold, default=None)
        if best is None:
            return ZERO
        return _q(min(max_points, max(ZERO, best.points)))


Mapping_ = LinearMapping | StepMapping


def map_value(value: Decimal | None, max_points: Decimal, mapping: Mapping_) -> Decimal | None:
    """Points for a metric value; None when there is no value (missing data)."""
    if value is None:
        return None
    return mapping.points(Decimal(value), Decimal(max_points))


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    max_points: Decimal
    kind: Kind = Kind.POINTS
    method: Method = Method.MANUAL
    must_hold: bool = False
    mapping: Mapping_ | None = None
    group: str = ""
    title: str = ""


@dataclass(frozen=True)
class CriterionInput:
    """What is known for one criterion: typed points, a pass/fail answer or a metric value."""

    points: Decimal | None = None
    passed: bool | None = None
    value: Decimal | None = None


@dataclass(frozen=True)
class CriterionOutcome:
    code: str
    group: str
    max_points: Decimal
    points: Decimal
    missing: bool
    must_hold: bool
    holds: bool | None  # None: not assessed

    @property
    def lost(self) -> Decimal:
        return self.max_points - self.points


def score_criterion(spec: CriterionSpec, given: CriterionInput | None) -> CriterionOutcome:
    given = given or CriterionInput()
    max_points = Decimal(spec.max_points)
    holds: bool | None
    if spec.kind == Kind.PASS_FAIL:
        holds = given.passed
        points = max_points if holds else ZERO
    else:
        if spec.method == Method.COMPUTED:
            if spec.mapping is None:
                raise ValueError(f"criterion {spec.code} is computed but has no mapping")
            raw = map_value(given.value, max_points, spec.mapping)
        else:
            raw = given.points
            if raw is not None and not ZERO <= Decimal(raw) <= max_points:
                raise ValueError(f"criterion {spec.code}: {raw} is outside 0..{max_points}")
        points = ZERO if raw is None else _q(Decimal(raw))
        # A points criterion that must hold holds only at full marks.
        holds = None if raw is None else points >= max_points
    return CriterionOutcome(
        code=spec.code,
        group=spec.group,
        max_points=max_points,
        points=points,
        missing=holds is None,
        must_hold=spec.must_hold,
        holds=holds,
    )


@dataclass(frozen=True)
class Threshold:
    label: str
    minimum_total: Decimal
    meets_standard: bool = True


@dataclass(frozen=True)
class Classification:
    label: str | None  # None: below every threshold it may take
    meets_standard: bool
    blocked_by: tuple[str, ...] = ()  # must-hold criteria that kept it from meeting the standard


def classify(
    total: Decimal, thresholds: Iterable[Threshold], unmet_must_hold: Sequence[str] = ()
) -> Classification:
    ordered = sorted(thresholds, key=lambda t: t.minimum_total, reverse=True)
    blocked = tuple(unmet_must_hold)
    candidates = [t for t in ordered if not t.meets_standard] if blocked else ordered
    for threshold in candidates:
        if total >= threshold.minimum_total:
            return Classification(threshold.label, threshold.meets_standard, blocked)
    return Classification(None, False, blocked)


@dataclass(frozen=True)
class GroupOutcome:
    code: str
    points: Decimal
    max_points: Decimal
    criteria: tuple[CriterionOutcome, ...]


@dataclass(frozen=True)
class AssessmentOutcome:
    groups: tuple[GroupOutcome, ...]
    total: Decimal
    max_total: Decimal
    classification: Classification
    unmet_must_hold: tuple[str, ...]
    missing: tuple[str, ...]
    criteria: tuple[CriterionOutcome, ...] = field(default=())

    @property
    def complete(self) -> bool:
        return not self.missing


def score_assessment(
    specs: Sequence[CriterionSpec],
    inputs: Mapping[str, CriterionInput],
    thresholds: Iterable[Threshold],
) -> AssessmentOutcome:
    outcomes = [score_criterion(spec, inputs.get(spec.code)) for spec in specs]
    groups: dict[str, list[CriterionOutcome]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.group, []).append(outcome)
    group_outcomes = tuple(
        GroupOutcome(
            code=code,
            points=sum((o.points for o in items), ZERO),
            max_points=sum((o.max_points for o in items), ZERO),
            criteria=tuple(items),
        )
        for code, items in groups.items()
    )
    total = sum((o.points for o in outcomes), ZERO)
    unmet = tuple(o.code for o in outcomes if o.must_hold and not o.holds)
    return AssessmentOutcome(
        groups=group_outcomes,
        total=total,
        max_total=sum((o.max_points for o in outcomes), ZERO),
        classification=classify(total, thresholds, unmet),
        unmet_must_hold=unmet,
        missing=tuple(o.code for o in outcomes if o.missing),
        criteria=tuple(outcomes),
    )


def gaps(outcome: AssessmentOutcome, limit: int = 10) -> list[CriterionOutcome]:
    """The criteria losing the most points (unmet must-hold criteria first), biggest loss first."""
    losing = [o for o in outcome.criteria if o.lost > 0 or (o.must_hold and not o.holds)]
    losing.sort(key=lambda o: (not (o.must_hold and not o.holds), -o.lost, o.code))
    return losing[:limit]
