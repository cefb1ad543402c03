import uuid
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wards.models import Ward

from .periods import Period
from .scoring import Kind, Method


class SetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class CriteriaSet(models.Model):
    """A versioned criteria set (bộ tiêu chí). Once published it never changes: a new version is
    a clone (see services.criteria_set_clone)."""

    name = models.CharField(_("name"), max_length=200)
    decision_reference = models.CharField(
        _("decision reference"),
        max_length=200,
        blank=True,
        help_text=_("e.g. “Quyết định 5764/QĐ-BCA-V05”."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=SetStatus.choices, default=SetStatus.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["-valid_from", "name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="uniq_criteria_set_version"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="criteria_set_valid_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def is_published(self) -> bool:
        return self.status == SetStatus.PUBLISHED

    def in_force_for(self, period: Period) -> bool:
        return self.valid_from <= period.end and (self.valid_to is None or self.valid_to >= period.start)

    def clean(self) -> None:
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date cannot be before the start date.")})


class ClassificationThreshold(models.Model):
    """A classification row, e.g. “Đạt kiểu mẫu” from 90 points. Rows that meet the standard are
    out of reach while a must-hold criterion fails."""

    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="thresholds", verbose_name=_("criteria set")
    )
    label = models.CharField(_("classification"), max_length=120)
    minimum_total = models.DecimalField(
        _("minimum total"), max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    meets_standard = models.BooleanField(
        _("meets the standard"),
        default=True,
        help_text=_(
            "Untick for a row such as “Chưa đạt”: the only rows left when a must-hold criterion fails."
        ),
    )

    class Meta:
        verbose_name = _("classification threshold")
        verbose_name_plural = _("classification thresholds")
        ordering = ["criteria_set", "-minimum_total"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "label"], name="uniq_threshold_label_per_set")
        ]

    def __str__(self) -> str:
        return f"{self.label} ≥ {self.minimum_total}"


class CriteriaGroup(models.Model):
    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="groups", verbose_name=_("criteria set")
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criteria group")
        verbose_name_plural = _("criteria groups")
        ordering = ["criteria_set", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="uniq_group_code_per_set")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class CriterionKind(models.TextChoices):
    POINTS = Kind.POINTS.value, _("Points")
    PASS_FAIL = Kind.PASS_FAIL.value, _("Pass or fail")


class CriterionMethod(models.TextChoices):
    MANUAL = Method.MANUAL.value, _("Scored by hand, with evidence")
    COMPUTED = Method.COMPUTED.value, _("Computed from the ward's records")


class MappingKind(models.TextChoices):
    LINEAR = "linear", _("Linear between two bounds")
    STEPS = "steps", _("Step table")


class Criterion(models.Model):
    group = models.ForeignKey(
        CriteriaGroup, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("group")
    )
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("criterion"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    max_points = models.DecimalField(
        _("maximum points"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=CriterionKind.choices, default=CriterionKind.POINTS
    )
    must_hold = models.BooleanField(
        _("must hold"),
        default=False,
        help_text=_(
            "When it does not hold, the ward cannot be classified as meeting the standard, "
            "whatever its total. A points criterion holds only at full marks."
        ),
    )
    method = models.CharField(
        _("scoring method"), max_length=12, choices=CriterionMethod.choices, default=CriterionMethod.MANUAL
    )
    evidence_required = models.BooleanField(
        _("evidence required"),
        default=True,
        help_text=_("Manual criteria: at least one file before submission."),
    )
    metric_key = models.CharField(_("metric"), max_length=60, blank=True)
    mapping = models.CharField(_("value to points"), max_length=10, choices=MappingKind.choices, blank=True)
    lower_bound = models.DecimalField(
        _("lower bound"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    upper_bound = models.DecimalField(
        _("upper bound"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    steps = models.JSONField(
        _("step table"),
        default=list,
        blank=True,
        help_text=_('A list such as [{"threshold": 90, "points": 10}, {"threshold": 70, "points": 5}].'),
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["group", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["group", "code"], name="uniq_criterion_code_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text[:80]}"

    def clean(self) -> None:
        from . import metrics
        from .services import criterion_mapping

        errors: dict[str, str] = {}
        if self.kind == CriterionKind.PASS_FAIL and self.method == CriterionMethod.COMPUTED:
            errors["method"] = _("A pass-or-fail criterion is answered by hand.")
        if self.method == CriterionMethod.COMPUTED:
            if self.metric_key not in metrics.REGISTRY:
                errors["metric_key"] = _("Choose a metric the system can compute.")
            if not self.mapping:
                errors["mapping"] = _("Say how the metric's value turns into points.")
        if self.method == CriterionMethod.COMPUTED and self.mapping and not errors:
            try:
                criterion_mapping(self)
            except (ValueError, TypeError, KeyError, ArithmeticError) as exc:
                field = "steps" if self.mapping == MappingKind.STEPS else "upper_bound"
                errors[field] = _("The value-to-points rule is not valid: %(error)s") % {"error": exc}
        if errors:
            raise ValidationError(errors)


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")


class Assessment(models.Model):
    """A ward's self-assessment against a criteria set for a quarter or a whole year."""

    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("ward")
    )
    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("criteria set")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), default=0, help_text=_("0 for a whole year."))
    status = models.CharField(
        _("status"), max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    total = models.DecimalField(_("total"), max_digits=8, decimal_places=2, default=Decimal(0))
    max_total = models.DecimalField(_("maximum total"), max_digits=8, decimal_places=2, default=Decimal(0))
    classification = models.CharField(_("classification"), max_length=120, blank=True)
    meets_standard = models.BooleanField(_("meets the standard"), default=False)
    computed_at = models.DateTimeField(_("figures refreshed at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["ward", "-year", "-quarter"]
        permissions = [
            ("prepare_assessment", _("Can prepare, score and submit model-ward assessments")),
            ("approve_assessment", _("Can approve or return submitted model-ward assessments")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "year", "quarter"], name="uniq_assessment_per_ward_period"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=0, quarter__lte=4), name="assessment_quarter_0_4"
            ),
        ]
        indexes = [
            models.Index(fields=["ward", "status"], name="assessment_ward_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ward.name} · {self.period.label}"

    def get_absolute_url(self) -> str:
        return reverse("criteria:assessment_detail", args=[self.pk])

    @property
    def period(self) -> Period:
        return Period(self.year, self.quarter)

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT

    @property
    def is_approved(self) -> bool:
        return self.status == AssessmentStatus.APPROVED


class AssessmentScore(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("assessment")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("criterion")
    )
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("holds"), null=True, blank=True)
    # Computed criteria: the metric's value and the figures behind it.
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2, null=True, blank=True)
    numerator = models.PositiveIntegerField(_("numerator"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("denominator"), null=True, blank=True)
    source = models.JSONField(_("records behind the figure"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scored by"),
    )
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        ordering = ["assessment", "criterion__group__order", "criterion__order", "criterion__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="uniq_score_per_assessment_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.points}"


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    # Generated names: the uploader's file name is kept in original_name, never in the path.
    suffix = PurePosixPath(filename).suffix.lower()
    return f"criteria/evidence/{instance.score.assessment.ward_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    score = models.ForeignKey(
        AssessmentScore, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("criterion score")
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["score", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
