"""The outcome rule of an inspection: a pure function over plain data (no database).

- any failed critical item -> a violation record is proposed (FAILED);
- failed items that are not critical -> a reminder (REMINDED), unless the score falls below
  FAIL_BELOW_SCORE, when so much fails that a record is proposed all the same;
- otherwise -> passed.
The score is the share of applicable points that passed; "not applicable" counts for nothing.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from businesses.models import InspectionResult

PASS, FAIL, NOT_APPLICABLE = "pass", "fail", "na"
FAIL_BELOW_SCORE = Decimal("50.0")


@dataclass(frozen=True)
class AnswerFact:
    status: str
    points: int
    critical: bool = False


@dataclass(frozen=True)
class Outcome:
    result: str
    score: Decimal | None
    failed: int
    critical_failed: int


def inspection_outcome(answers: Iterable[AnswerFact]) -> Outcome:
    earned = possible = failed = critical_failed = 0
    for answer in answers:
        if answer.status not in (PASS, FAIL, NOT_APPLICABLE):
            raise ValueError(f"unknown answer status {answer.status!r}")
        if answer.status == NOT_APPLICABLE:
            continue
        possible += answer.points
        if answer.status == PASS:
            earned += answer.points
        else:
            failed += 1
            critical_failed += int(answer.critical)
    score = None
    if possible:
        score = (Decimal(earned) * 100 / Decimal(possible)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if critical_failed or (failed and score is not None and score < FAIL_BELOW_SCORE):
        result = InspectionResult.FAILED
    elif failed:
        result = InspectionResult.REMINDED
    else:
        result = InspectionResult.PASSED
    return Outcome(result=str(result), score=score, failed=failed, critical_failed=critical_failed)
