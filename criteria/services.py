"""Writes to criteria sets and assessments: one service per state change.

A published criteria set never changes (criteria_set_assert_editable guards every write to it),
and an assessment changes only while it is a draft; approved ones are frozen for good.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DataError, IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from documents.models import RegisterKind
from documents.register import register_issue
from wards.models import Ward
from wards.text import printable_file_name, reject_nul_in

from . import metrics, scoring
from .models import (
    Assessment,
    AssessmentScore,
    AssessmentStatus,
    ClassificationThreshold,
    CriteriaGroup,
    CriteriaSet,
    Criterion,
    CriterionKind,
    CriterionMethod,
    Evidence,
    MappingKind,
    SetStatus,
)
from .periods import Period
from .permissions import is_station_leader
from .uploads import validate_evidence_file

logger = logging.getLogger(__name__)


# --- criteria sets -------------------------------------------------------------------------


_EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}


def criteria_set_assert_editable(criteria_set: CriteriaSet) -> None:
    # Re-read the status: a stale instance must not let an edit through after publication.
    status = CriteriaSet.objects.filter(pk=criteria_set.pk).values_list("status", flat=True).first()
    if criteria_set.status == SetStatus.PUBLISHED or status == SetStatus.PUBLISHED:
        raise ValidationError(
            _("“%(set)s” is published and can no longer change. Clone it to a new version to edit it.")
            % {"set": criteria_set}
        )


SET_FIELDS = ("name", "decision_reference", "valid_from", "valid_to", "description")
GROUP_FIELDS = ("code", "name", "order")
CRITERION_FIELDS = (
    "code",
    "text",
    "order",
    "max_points",
    "kind",
    "must_hold",
    "method",
    "evidence_required",
    "metric_key",
    "mapping",
    "lower_bound",
    "upper_bound",
    "higher_is_better",
    "steps",
)
THRESHOLD_FIELDS = ("label", "minimum_total", "meets_standard")


def _set_fields(obj: Any, allowed: Iterable[str], fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(obj, name, value)


@transaction.atomic
def criteria_set_create(**fields: Any) -> CriteriaSet:
    criteria_set = CriteriaSet(**{k: v for k, v in fields.items() if k != "version"})
    criteria_set.version = fields.get("version") or 1
    criteria_set.full_clean()
    criteria_set.save()
    return criteria_set


@transaction.atomic
def criteria_set_update(*, criteria_set: CriteriaSet, **fields: Any) -> CriteriaSet:
    criteria_set_assert_editable(criteria_set)
    _set_fields(criteria_set, SET_FIELDS, fields)
    criteria_set.full_clean()
    criteria_set.save()
    return criteria_set


@transaction.atomic
def criteria_group_add(*, criteria_set: CriteriaSet, **fields: Any) -> CriteriaGroup:
    criteria_set_assert_editable(criteria_set)
    group = CriteriaGroup(criteria_set=criteria_set)
    _set_fields(group, GROUP_FIELDS, fields)
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def criterion_add(*, group: CriteriaGroup, **fields: Any) -> Criterion:
    criteria_set_assert_editable(group.criteria_set)
    criterion = Criterion(group=group)
    _set_fields(criterion, CRITERION_FIELDS, fields)
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def criterion_update(*, criterion: Criterion, **fields: Any) -> Criterion:
    criteria_set_assert_editable(criterion.group.criteria_set)
    _set_fields(criterion, CRITERION_FIELDS, fields)
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: Criterion) -> None:
    criteria_set_assert_editable(criterion.group.criteria_set)
    criterion.delete()


@transaction.atomic
def threshold_add(*, criteria_set: CriteriaSet, **fields: Any) -> ClassificationThreshold:
    criteria_set_assert_editable(criteria_set)
    threshold = ClassificationThreshold(criteria_set=criteria_set)
    _set_fields(threshold, THRESHOLD_FIELDS, fields)
    threshold.full_clean()
    threshold.save()
    return threshold


@transaction.atomic
def criteria_set_publish(*, criteria_set: CriteriaSet) -> CriteriaSet:
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    criteria_set_assert_editable(criteria_set)
    criteria = list(Criterion.objects.filter(group__criteria_set=criteria_set))
    if not criteria:
        raise ValidationError(_("A criteria set needs at least one criterion before it is published."))
    if not criteria_set.thresholds.exists():
        raise ValidationError(_("A criteria set needs its classification thresholds before it is published."))
    errors = []
    for criterion in criteria:
        try:
            criterion.full_clean()
        except ValidationError as exc:
            errors.append(f"{criterion.code}: {'; '.join(exc.messages)}")
    if errors:
        raise ValidationError(errors)
    criteria_set.status = SetStatus.PUBLISHED
    criteria_set.published_at = timezone.now()
    criteria_set.save(update_fields=["status", "published_at"])
    return criteria_set


def _next_version(name: str) -> int:
    return (CriteriaSet.objects.filter(name=name).aggregate(v=Max("version"))["v"] or 0) + 1


@transaction.atomic
def criteria_set_clone(*, criteria_set: CriteriaSet) -> CriteriaSet:
    """A new draft version with the same thresholds, groups and criteria."""
    data = criteria_set_export(criteria_set)
    data["version"] = _next_version(criteria_set.name)
    return criteria_set_import_one(data)


# --- import and export (JSON) --------------------------------------------------------------

EXPORT_FORMAT = "ward_police.criteria_set"
EXPORT_VERSION = 1


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def criteria_set_export(criteria_set: CriteriaSet) -> dict[str, Any]:
    groups = criteria_set.groups.prefetch_related("criteria").order_by("order", "code")
    return {
        "name": criteria_set.name,
        "decision_reference": criteria_set.decision_reference,
        "version": criteria_set.version,
        "valid_from": criteria_set.valid_from.isoformat(),
        "valid_to": criteria_set.valid_to.isoformat() if criteria_set.valid_to else None,
        "description": criteria_set.description,
        "thresholds": [
            {"label": t.label, "minimum_total": _dec(t.minimum_total), "meets_standard": t.meets_standard}
            for t in criteria_set.thresholds.order_by("-minimum_total")
        ],
        "groups": [
            {
                "code": g.code,
                "name": g.name,
                "order": g.order,
                "criteria": [
                    {
                        "code": c.code,
                        "text": c.text,
                        "order": c.order,
                        "max_points": _dec(c.max_points),
                        "kind": c.kind,
                        "must_hold": c.must_hold,
                        "method": c.method,
                        "evidence_required": c.evidence_required,
                        "metric_key": c.metric_key,
                        "mapping": c.mapping,
                        "lower_bound": _dec(c.lower_bound),
                        "upper_bound": _dec(c.upper_bound),
                        "higher_is_better": c.higher_is_better,
                        "steps": c.steps,
                    }
                    for c in g.criteria.all()
                ],
            }
            for g in groups
        ],
    }


def criteria_sets_export(criteria_sets: Iterable[CriteriaSet]) -> dict[str, Any]:
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_VERSION,
        "sets": [criteria_set_export(s) for s in criteria_sets],
    }


def _parse_decimal(value: Any, where: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError(
            _("%(where)s: “%(value)s” is not a number.") % {"where": where, "value": value}
        ) from exc


@contextmanager
def _located(where: str) -> Iterator[None]:
    """Model validation errors of an imported row, flattened and prefixed with where the row is in
    the file (a form shows them as one list under the file field)."""
    try:
        yield
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            messages = [f"{where} – {field}: {m}" for field, errs in exc.message_dict.items() for m in errs]
        else:
            messages = [f"{where}: {m}" for m in exc.messages]
        raise ValidationError(messages) from exc


def criteria_set_import_one(data: dict[str, Any]) -> CriteriaSet:
    """Create a draft set from exported data (published state is never imported)."""
    from datetime import date

    try:
        with _located(str(data["name"])):
            criteria_set = criteria_set_create(
                name=data["name"],
                decision_reference=data.get("decision_reference") or "",
                version=data.get("version") or _next_version(data["name"]),
                valid_from=date.fromisoformat(data["valid_from"]),
                valid_to=date.fromisoformat(data["valid_to"]) if data.get("valid_to") else None,
                description=data.get("description") or "",
            )
        for t in data.get("thresholds", []):
            minimum = _parse_decimal(t["minimum_total"], str(t["label"]))
            with _located(str(t["label"])):
                threshold_add(
                    criteria_set=criteria_set,
                    label=t["label"],
                    minimum_total=minimum,
                    meets_standard=bool(t.get("meets_standard", True)),
                )
        for g in data.get("groups", []):
            with _located(str(g["code"])):
                group = criteria_group_add(
                    criteria_set=criteria_set, code=g["code"], name=g["name"], order=g.get("order", 0)
                )
            for c in g.get("criteria", []):
                where = f"{g['code']} / {c.get('code', '?')}"
                fields = {k: c[k] for k in CRITERION_FIELDS if k in c}
                for k in ("max_points", "lower_bound", "upper_bound"):
                    if k in fields:
                        fields[k] = _parse_decimal(fields[k], where)
                for k in ("metric_key", "mapping"):
                    fields[k] = fields.get(k) or ""
                with _located(where):
                    criterion_add(group=group, **fields)
    except KeyError as exc:
        raise ValidationError(
            _("The file is not a criteria set export (missing %(field)s).") % {"field": exc}
        ) from exc
    except (ValueError, TypeError, AttributeError) as exc:
        raise ValidationError(_("The file has an invalid value: %(error)s") % {"error": exc}) from exc
    return criteria_set


@transaction.atomic
def criteria_sets_import(payload: Any) -> list[CriteriaSet]:
    """Create a draft for each set of an export. All or nothing: one bad value anywhere leaves no
    row behind, and every problem is a ValidationError in words (never a server error)."""
    if not isinstance(payload, dict) or payload.get("format") != EXPORT_FORMAT:
        raise ValidationError(_("The file is not a criteria set export of this system."))
    if payload.get("format_version") != EXPORT_VERSION:
        raise ValidationError(_("This export format version is not supported."))
    reject_nul_in(payload)
    sets = payload.get("sets")
    if not isinstance(sets, list) or not sets or not all(isinstance(s, dict) for s in sets):
        raise ValidationError(_("The file holds no criteria set."))
    created = []
    for data in sets:
        name, version = data.get("name"), data.get("version")
        if not isinstance(name, str) or not (version is None or _is_int(version)):
            raise ValidationError(_("Each criteria set needs a name (text) and a version (a whole number)."))
        if CriteriaSet.objects.filter(name=name, version=version).exists():
            raise ValidationError(
                _("“%(name)s” version %(version)s already exists.") % {"name": name, "version": version}
            )
        try:
            with transaction.atomic():
                created.append(criteria_set_import_one(data))
        except (OverflowError, ArithmeticError, RecursionError) as exc:
            raise ValidationError(_("The file has an invalid value: %(error)s") % {"error": exc}) from exc
        except (IntegrityError, DataError) as exc:
            # Model validation catches nearly everything; the database is the last guard.
            logger.info("criteria set import refused by the database: %s", exc)
            raise ValidationError(
                _("The file has a missing or invalid value that the database refused: %(error)s")
                % {"error": str(exc).splitlines()[0]}
            ) from exc
    return created


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --- the bridge to the pure engine ----------------------------------------------------------


def criterion_mapping(criterion: Criterion) -> scoring.LinearMapping | scoring.StepMapping | None:
    if criterion.mapping == MappingKind.LINEAR:
        if criterion.lower_bound is None or criterion.upper_bound is None:
            raise ValueError(_("both bounds are needed"))
        return scoring.LinearMapping(
            Decimal(criterion.lower_bound), Decimal(criterion.upper_bound), criterion.higher_is_better
        )
    if criterion.mapping == MappingKind.STEPS:
        if not isinstance(criterion.steps, list):
            raise ValueError(_("the step table must be a list"))
        steps = []
        for row in criterion.steps:
            points = Decimal(str(row["points"]))
            if criterion.max_points is not None and not 0 <= points <= Decimal(criterion.max_points):
                raise ValueError(_("step points must lie between 0 and the maximum points"))
            steps.append(scoring.Step(Decimal(str(row["threshold"])), points))
        return scoring.StepMapping(tuple(steps), criterion.higher_is_better)
    return None


def criterion_spec(criterion: Criterion) -> scoring.CriterionSpec:
    computed = criterion.method == CriterionMethod.COMPUTED
    return scoring.CriterionSpec(
        code=criterion.code,
        max_points=Decimal(criterion.max_points),
        kind=scoring.Kind(criterion.kind),
        method=scoring.Method(criterion.method),
        must_hold=criterion.must_hold,
        mapping=criterion_mapping(criterion) if computed else None,
        group=criterion.group.code,
        title=criterion.text,
    )


def score_input(score: AssessmentScore) -> scoring.CriterionInput:
    return scoring.CriterionInput(points=score.points, passed=score.passed, value=score.value)


def assessment_outcome(assessment: Assessment, scores: list[AssessmentScore]) -> scoring.AssessmentOutcome:
    specs = [criterion_spec(s.criterion) for s in scores]
    # Criterion codes repeat across groups in some sets: key inputs by the spec's position.
    keyed_specs = [replace(spec, code=str(s.pk)) for spec, s in zip(specs, scores, strict=True)]
    inputs = {str(s.pk): score_input(s) for s in scores}
    thresholds = [
        scoring.Threshold(t.label, t.minimum_total, t.meets_standard)
        for t in assessment.criteria_set.thresholds.all()
    ]
    return scoring.score_assessment(keyed_specs, inputs, thresholds)


def _scores(assessment: Assessment) -> list[AssessmentScore]:
    return list(
        assessment.scores.select_related("criterion__group").order_by(
            "criterion__group__order", "criterion__group__code", "criterion__order", "criterion__code"
        )
    )


def _recalculate(assessment: Assessment) -> scoring.AssessmentOutcome:
    outcome = assessment_outcome(assessment, _scores(assessment))
    assessment.total = outcome.total
    assessment.max_total = outcome.max_total
    assessment.classification = outcome.classification.label or ""
    assessment.meets_standard = outcome.classification.meets_standard
    assessment.save(update_fields=["total", "max_total", "classification", "meets_standard", "updated_at"])
    return outcome


# --- assessments ---------------------------------------------------------------------------


def assessment_assert_draft(assessment: Assessment) -> None:
    status = (
        Assessment.objects.filter(pk=assessment.pk).values_list("status", flat=True).first()
        or assessment.status
    )
    if status == AssessmentStatus.APPROVED:
        raise ValidationError(_("This assessment is approved and can no longer change."))
    if status != AssessmentStatus.DRAFT:
        raise ValidationError(
            _("This assessment has been submitted; it changes only if it is returned to draft.")
        )


def published_sets_for(period: Period) -> list[CriteriaSet]:
    return [
        s
        for s in CriteriaSet.objects.filter(status=SetStatus.PUBLISHED).order_by("-valid_from", "-version")
        if s.in_force_for(period)
    ]


@transaction.atomic
def assessment_create(
    *, ward: Ward, period: Period, criteria_set: CriteriaSet, user: User | None
) -> Assessment:
    if not criteria_set.is_published:
        raise ValidationError(_("Only a published criteria set can be used for an assessment."))
    if not criteria_set.in_force_for(period):
        raise ValidationError(
            _("“%(set)s” is not in force for %(period)s.") % {"set": criteria_set, "period": period}
        )
    if Assessment.objects.filter(ward=ward, year=period.year, quarter=period.quarter).exists():
        raise ValidationError(
            _("%(ward)s already has an assessment for %(period)s.") % {"ward": ward.name, "period": period}
        )
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                ward=ward,
                criteria_set=criteria_set,
                year=period.year,
                quarter=period.quarter,
                created_by=user,
            )
    except IntegrityError as exc:  # a concurrent create of the same period
        raise ValidationError(
            _("%(ward)s already has an assessment for %(period)s.") % {"ward": ward.name, "period": period}
        ) from exc
    criteria = Criterion.objects.filter(group__criteria_set=criteria_set)
    AssessmentScore.objects.bulk_create(
        [AssessmentScore(assessment=assessment, criterion=c) for c in criteria]
    )
    _refresh_computed(assessment)
    return assessment


def _refresh_computed(assessment: Assessment) -> scoring.AssessmentOutcome:
    period = assessment.period
    for score in assessment.scores.select_related("criterion").filter(
        criterion__method=CriterionMethod.COMPUTED
    ):
        figure = metrics.compute(score.criterion.metric_key, assessment.ward, period)
        score.value = figure.value
        score.numerator = figure.numerator
        score.denominator = figure.denominator
        score.source = figure.as_source()
        score.save(update_fields=["value", "numerator", "denominator", "source", "updated_at"])
    assessment.computed_at = timezone.now()
    assessment.save(update_fields=["computed_at", "updated_at"])
    return _recalculate(assessment)


@transaction.atomic
def assessment_refresh(*, assessment: Assessment) -> scoring.AssessmentOutcome:
    """Recompute every computed criterion from the ward's records (drafts only)."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    assessment_assert_draft(assessment)
    return _refresh_computed(assessment)


def _cleanup_files(names: list[str], storage: Any) -> None:
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # pragma: no cover - best effort; the row is gone either way
            logger.warning("could not delete orphan evidence file %s", name)


def score_update(
    *,
    score: AssessmentScore,
    user: User,
    points: Decimal | None = None,
    passed: bool | None = None,
    comment: str = "",
    files: Iterable[UploadedFile] = (),
) -> AssessmentScore:
    """Score a manual criterion and attach evidence files. All or nothing: a bad file or a bad
    score leaves no row and no file behind."""
    files = list(files)
    content_types = [validate_evidence_file(f) for f in files]
    stored: list[str] = []
    storage = Evidence._meta.get_field("file").storage
    try:
        with transaction.atomic():
            assessment = Assessment.objects.select_for_update().get(pk=score.assessment_id)
            assessment_assert_draft(assessment)
            score = AssessmentScore.objects.select_related("criterion").get(pk=score.pk)
            criterion = score.criterion
            if criterion.method != CriterionMethod.MANUAL:
                raise ValidationError(
                    _("This criterion is computed from the ward's records; refresh the figures instead.")
                )
            if criterion.kind == CriterionKind.PASS_FAIL:
                score.passed = passed
                score.points = None
            else:
                if points is not None and not 0 <= points <= criterion.max_points:
                    raise ValidationError(
                        {"points": _("Points must be between 0 and %(max)s.") % {"max": criterion.max_points}}
                    )
                score.points = points
                score.passed = None
            score.comment = comment.strip()
            score.scored_by = user
            score.save()
            score.assessment = assessment
            for f, content_type in zip(files, content_types, strict=True):
                evidence = Evidence(
                    score=score,
                    original_name=printable_file_name(f.name),
                    content_type=content_type,
                    size=f.size,
                    uploaded_by=user,
                )
                # The generated name is noted before writing: a write that fails half-way (a full
                # disk) leaves a partial file that must go too.
                # The stored name comes from the checked type, never from the uploaded name (which
                # may be "/", "..", or anything a client sends).
                name = evidence.file.field.generate_filename(
                    evidence, f"evidence{_EXTENSIONS.get(content_type, '')}"
                )
                stored.append(name)
                evidence.file.name = storage.save(name, f, max_length=255)
                stored.append(evidence.file.name)
                evidence.save()
            _recalculate(assessment)
    except OSError as exc:
        _cleanup_files(stored, storage)
        logger.error("evidence upload could not be stored: %s", exc, exc_info=True)
        raise ValidationError(
            _(
                "The file could not be stored on the server (%(error)s). Nothing was saved; "
                "try again later or tell the administrator."
            )
            % {"error": exc.strerror or exc.__class__.__name__}
        ) from exc
    except Exception:
        _cleanup_files(stored, storage)
        raise
    return score


def evidence_delete(*, evidence: Evidence, user: User) -> None:
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().get(pk=evidence.score.assessment_id)
        assessment_assert_draft(assessment)
        name = evidence.file.name
        storage = evidence.file.storage
        evidence.delete()
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: _cleanup_files([name], storage))


def assessment_missing_items(assessment: Assessment) -> list[str]:
    """What keeps a draft from being submitted, in words."""
    problems = []
    for score in assessment.scores.select_related("criterion").prefetch_related("evidence"):
        criterion = score.criterion
        if criterion.method != CriterionMethod.MANUAL:
            continue
        unscored = score.passed is None if criterion.kind == CriterionKind.PASS_FAIL else score.points is None
        if unscored:
            problems.append(_("%(code)s has no score yet.") % {"code": criterion.code})
        elif criterion.evidence_required and not score.evidence.all():
            problems.append(_("%(code)s needs at least one evidence file.") % {"code": criterion.code})
    return problems


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user: User) -> Assessment:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    assessment_assert_draft(assessment)
    problems = assessment_missing_items(assessment)
    if problems:
        raise ValidationError(problems)
    # The figures are taken at submission and do not move afterwards.
    _refresh_computed(assessment)
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_by = user
    assessment.submitted_at = timezone.now()
    assessment.return_reason = ""
    assessment.save(update_fields=["status", "submitted_by", "submitted_at", "return_reason", "updated_at"])
    return assessment


def _assert_submitted(assessment: Assessment) -> None:
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted assessment can be approved or returned."))


def _assert_station_leader(assessment: Assessment, user: User) -> None:
    """Only a leader of the assessment's ward approves or returns it: the station's head (or a
    deputy) signs the ward's report, never the IT administrator."""
    if not is_station_leader(user, assessment):
        raise PermissionDenied


def _assert_not_own_submission(assessment: Assessment, user: User) -> None:
    if assessment.submitted_by_id == user.pk:
        raise ValidationError(_("The person who submitted an assessment cannot also approve or return it."))


@transaction.atomic
def assessment_approve(*, assessment: Assessment, user: User) -> Assessment:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _assert_station_leader(assessment, user)
    _assert_submitted(assessment)
    _assert_not_own_submission(assessment, user)
    assessment.status = AssessmentStatus.APPROVED
    assessment.approved_by = user
    assessment.approved_at = timezone.now()
    assessment.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    # Approved, the report is final: it takes its number from the register (drafts have none).
    approved_on = timezone.localdate(assessment.approved_at)
    register_issue(
        ward=assessment.ward,
        kind=RegisterKind.CRITERIA_ASSESSMENT,
        year=approved_on.year,
        issued_on=approved_on,
        title=f"Báo cáo kết quả tự đánh giá theo bộ tiêu chí, {assessment.period.label}",
        signer=user,
        obj=assessment,
    )
    return assessment


@transaction.atomic
def assessment_return(*, assessment: Assessment, user: User, reason: str) -> Assessment:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _assert_station_leader(assessment, user)
    _assert_submitted(assessment)
    _assert_not_own_submission(assessment, user)
    if not reason.strip():
        raise ValidationError({"reason": _("Say what has to be corrected.")})
    assessment.status = AssessmentStatus.DRAFT
    assessment.return_reason = reason.strip()
    assessment.submitted_at = None
    assessment.save(update_fields=["status", "return_reason", "submitted_at", "updated_at"])
    return assessment
