"""Reads for assessment pages and for the printable document."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from wards.scoping import scope_to_user

from . import scoring
from .models import Assessment, AssessmentScore, Evidence
from .periods import Period
from .services import assessment_missing_items, assessment_outcome


def assessments_for_user(user: Any) -> QuerySet[Assessment]:
    return (
        scope_to_user(Assessment.objects.all(), user)
        .select_related("ward", "criteria_set")
        .order_by("ward__name", "-year", "-quarter")
    )


@dataclass
class ScoreRow:
    score: AssessmentScore
    outcome: scoring.CriterionOutcome

    @property
    def criterion(self):
        return self.score.criterion


@dataclass
class GroupBlock:
    group: Any
    rows: list[ScoreRow]
    points: Decimal
    max_points: Decimal


def _scores_with_evidence(assessment: Assessment) -> list[AssessmentScore]:
    return list(
        assessment.scores.select_related("criterion__group")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "pk")))
        .order_by("criterion__group__order", "criterion__group__code", "criterion__order", "criterion__code")
    )


def previous_assessment(assessment: Assessment) -> Assessment | None:
    previous: Period = assessment.period.previous()
    return (
        Assessment.objects.filter(ward_id=assessment.ward_id, year=previous.year, quarter=previous.quarter)
        .only("pk", "year", "quarter", "total", "max_total", "classification", "status")
        .first()
    )


def assessment_detail(assessment: Assessment, *, gap_limit: int = 10) -> dict[str, Any]:
    scores = _scores_with_evidence(assessment)
    outcome = assessment_outcome(assessment, scores)
    by_pk = {o.code: o for o in outcome.criteria}
    rows = [ScoreRow(s, by_pk[str(s.pk)]) for s in scores]
    blocks: list[GroupBlock] = []
    for row in rows:
        group = row.score.criterion.group
        if not blocks or blocks[-1].group.pk != group.pk:
            blocks.append(GroupBlock(group, [], Decimal(0), Decimal(0)))
        block = blocks[-1]
        block.rows.append(row)
        block.points += row.outcome.points
        block.max_points += row.outcome.max_points
    row_by_code = {str(r.score.pk): r for r in rows}
    gaps = [row_by_code[o.code] for o in scoring.gaps(outcome, gap_limit)]
    previous = previous_assessment(assessment)
    change = None if previous is None else outcome.total - previous.total
    unmet = [row_by_code[code] for code in outcome.unmet_must_hold]
    return {
        "assessment": assessment,
        "blocks": blocks,
        "outcome": outcome,
        "gaps": gaps,
        "unmet_must_hold": unmet,
        "previous": previous,
        "change": change,
        "missing_items": assessment_missing_items(assessment) if assessment.is_draft else [],
    }


def assessment_printable_context(assessment: Assessment) -> dict[str, Any]:
    """Plain data for the assessment PDF (rendered by the documents app): no querysets, no
    model instances, so a worker can render it without touching the database again."""
    detail = assessment_detail(assessment, gap_limit=20)
    ward = assessment.ward

    def _row(row: ScoreRow) -> dict[str, Any]:
        s, o = row.score, row.outcome
        return {
            "code": s.criterion.code,
            "text": s.criterion.text,
            "kind": s.criterion.kind,
            "method": s.criterion.get_method_display(),
            "must_hold": s.criterion.must_hold,
            "max_points": o.max_points,
            "points": o.points,
            "holds": o.holds,
            "value": s.value,
            "numerator": s.numerator,
            "denominator": s.denominator,
            "comment": s.comment,
            "source": s.source,
            "evidence": [e.original_name for e in s.evidence.all()],
        }

    previous = detail["previous"]
    return {
        "unit_name": ward.document_unit_name,
        "ward_name": ward.name,
        "province": ward.province,
        "period_label": assessment.period.label,
        "criteria_set": str(assessment.criteria_set),
        "decision_reference": assessment.criteria_set.decision_reference,
        "status": assessment.get_status_display(),
        "total": detail["outcome"].total,
        "max_total": detail["outcome"].max_total,
        "classification": detail["outcome"].classification.label,
        "meets_standard": detail["outcome"].classification.meets_standard,
        "unmet_must_hold": [_row(r) for r in detail["unmet_must_hold"]],
        "previous_period": previous.period.label if previous else None,
        "previous_total": previous.total if previous else None,
        "change": detail["change"],
        "groups": [
            {
                "code": b.group.code,
                "name": b.group.name,
                "points": b.points,
                "max_points": b.max_points,
                "criteria": [_row(r) for r in b.rows],
            }
            for b in detail["blocks"]
        ],
        "gaps": [_row(r) for r in detail["gaps"]],
        "submitted_by": str(assessment.submitted_by) if assessment.submitted_by_id else "",
        "submitted_at": assessment.submitted_at,
        "approved_by": str(assessment.approved_by) if assessment.approved_by_id else "",
        "approved_at": assessment.approved_at,
        "version": assessment.updated_at.isoformat(),
    }
