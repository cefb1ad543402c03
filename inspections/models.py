"""Checklists (versioned data edited by admins) and the inspections officers record with them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from businesses.models import Business, BusinessCategory, InspectionResult
from violations.domains import Domain
from violations.models import Violation, ViolationType
from wards.models import Ward


class ChecklistTemplate(models.Model):
    """A named checklist (e.g. "Kiểm tra cơ sở karaoke"); its content lives in versions."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    categories = models.ManyToManyField(
        BusinessCategory,
        blank=True,
        related_name="checklist_templates",
        verbose_name=_("business categories"),
        help_text=_("The categories this checklist is meant for. Leave empty for a general checklist."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class ChecklistVersion(models.Model):
    """One frozen edition of a checklist. Once published it never changes; editing clones it."""

    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.CASCADE, related_name="versions", verbose_name=_("checklist")
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    notes = models.TextField(_("what changed"), blank=True)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        verbose_name = _("checklist version")
        verbose_name_plural = _("checklist versions")
        ordering = ["template__name", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="uniq_checklist_version_number"),
            models.UniqueConstraint(
                fields=["template"],
                condition=Q(status="published"),
                name="uniq_checklist_published_version",
            ),
            models.UniqueConstraint(
                fields=["template"], condition=Q(status="draft"), name="uniq_checklist_draft_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template.name} · v{self.number} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT


class ChecklistSection(models.Model):
    version = models.ForeignKey(
        ChecklistVersion, on_delete=models.CASCADE, related_name="sections", verbose_name=_("version")
    )
    domain = models.CharField(_("domain"), max_length=30, choices=Domain.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("checklist section")
        verbose_name_plural = _("checklist sections")
        ordering = ["version", "position", "pk"]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or str(self.get_domain_display())


class ChecklistItem(models.Model):
    section = models.ForeignKey(
        ChecklistSection, on_delete=models.CASCADE, related_name="items", verbose_name=_("section")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    question = models.CharField(_("question"), max_length=300)
    guidance = models.TextField(_("guidance"), blank=True)
    points = models.PositiveSmallIntegerField(_("points"), default=1)
    is_critical = models.BooleanField(
        _("critical"),
        default=False,
        help_text=_("A failed critical item means a violation record is proposed."),
    )
    categories = models.ManyToManyField(
        BusinessCategory,
        blank=True,
        related_name="+",
        verbose_name=_("applies to categories"),
        help_text=_("Leave empty when the item applies to every category."),
    )
    violation_types = models.ManyToManyField(
        ViolationType,
        blank=True,
        related_name="+",
        verbose_name=_("violations a failure proposes"),
        help_text=_("When this item fails, these violations are proposed (as drafts) for a record."),
    )

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["section", "position", "pk"]

    def __str__(self) -> str:
        return self.question

    def applies_to(self, category_id: int) -> bool:
        # Reads the prefetched categories: no query per item on the form.
        ids = [c.pk for c in self.categories.all()]
        return not ids or category_id in ids


class AnswerStatus(models.TextChoices):
    PASS = "pass", _("Meets")
    FAIL = "fail", _("Does not meet")
    NOT_APPLICABLE = "na", _("Not applicable")


class PersonRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    REPRESENTATIVE = "representative", _("Authorised representative")
    EMPLOYEE = "employee", _("Employee on duty")


class Inspection(models.Model):
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="+", verbose_name=_("ward"))
    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("business")
    )
    checklist_version = models.ForeignKey(
        ChecklistVersion,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("checklist version"),
    )
    # Generated by the form when it is opened: a double tap, a retry or an offline sync of the
    # same form stores one inspection (enforced by the unique index, not by the button).
    submission_id = models.UUIDField(_("submission id"), unique=True, editable=False)
    # Who started it, e.g. "campaign:12"; later apps link their records through inspection hooks.
    source = models.CharField(_("source"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="inspections", verbose_name=_("inspectors")
    )
    partner_forces = models.CharField(_("partner forces present"), max_length=300, blank=True)
    person_present_name = models.CharField(_("person present"), max_length=120)
    person_present_role = models.CharField(
        _("capacity"), max_length=20, choices=PersonRole.choices, default=PersonRole.OWNER
    )
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    gps_accuracy_m = models.PositiveIntegerField(_("location accuracy (m)"), null=True, blank=True)
    score = models.DecimalField(_("score (%)"), max_digits=4, decimal_places=1, null=True, blank=True)
    result = models.CharField(_("result"), max_length=12, choices=InspectionResult.choices)
    failed_count = models.PositiveSmallIntegerField(_("failed items"), default=0)
    critical_failed_count = models.PositiveSmallIntegerField(_("failed critical items"), default=0)
    remarks = models.TextField(_("remarks"), blank=True)
    # The draft record the violations service made from the failed items, when one was proposed.
    proposed_violation = models.ForeignKey(
        Violation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed violation record"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-finished_at", "-pk"]
        indexes = [
            # Covering (PostgreSQL): dashboards count a ward's inspections of a period per month,
            # result and business from the index alone, without visiting a million-row heap.
            models.Index(
                fields=["ward", "-finished_at"],
                include=["id", "result", "business"],
                name="insp_ward_finished_idx",
            ),
            models.Index(fields=["ward", "result", "-finished_at"], name="insp_ward_result_idx"),
            models.Index(fields=["business", "-finished_at"], name="insp_business_finished_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(finished_at__gte=models.F("started_at")), name="insp_finished_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.business} · {timezone.localtime(self.finished_at):%d/%m/%Y}"

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def commitment_overdue(self) -> bool:
        """The commitment signed at this inspection is past its deadline; False without one (the
        list selects it with the inspection: no query)."""
        commitment = getattr(self, "commitment", None)
        return commitment is not None and commitment.is_overdue


class Answer(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="answers", verbose_name=_("inspection")
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="answers", verbose_name=_("item")
    )
    status = models.CharField(_("answer"), max_length=4, choices=AnswerStatus.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="uniq_answer_per_item")]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_status_display()}"


class Photo(models.Model):
    """A re-encoded photo (EXIF stripped); served only through a view that checks the ward."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="photos", verbose_name=_("inspection")
    )
    item = models.ForeignKey(
        ChecklistItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("item"),
    )
    image = models.FileField(_("image"), max_length=200)
    thumbnail = models.FileField(_("thumbnail"), max_length=200)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size_bytes = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.image.name


class Commitment(models.Model):
    """Ký cam kết: what the owner undertakes to fix, by when, signed on screen or refused."""

    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, related_name="commitment", verbose_name=_("inspection")
    )
    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("business")
    )
    # The inspection's ward, kept here so a ward's open commitments are one index range (the
    # dashboards and criteria read them per ward: through the business it was a probe per open
    # commitment of the whole city, 30 ms at 120.000 commitments).
    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, related_name="+", verbose_name=_("ward"), editable=False
    )
    text = models.TextField(_("commitment"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    signature = models.FileField(_("signature"), max_length=200, blank=True)
    refused_to_sign = models.BooleanField(_("refused to sign"), default=False)
    witness_name = models.CharField(_("witness"), max_length=120, blank=True)
    # Why the person refused, as they said it; printed with the witness on the record (#25.8).
    refusal_reason = models.CharField(_("reason for refusing to sign"), max_length=300, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        indexes = [
            models.Index(fields=["business", "deadline"], name="commitment_business_dl_idx"),
            # Dashboards: a ward's commitments past their deadline and not kept (a small set).
            models.Index(
                fields=["ward", "deadline"],
                condition=Q(fulfilled_at__isnull=True),
                name="commitment_ward_open_dl_idx",
            ),
            models.Index(fields=["ward", "deadline"], name="commitment_ward_dl_idx"),
        ]
        constraints = [
            # Either a drawn signature, or a refusal recorded in front of a witness.
            models.CheckConstraint(
                condition=(Q(refused_to_sign=False) & ~Q(signature=""))
                | (Q(refused_to_sign=True) & Q(signature="") & ~Q(witness_name="")),
                name="commitment_signed_or_witnessed",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def save(self, *args, **kwargs) -> None:
        if self.ward_id is None and self.inspection_id is not None:
            self.ward_id = self.inspection.ward_id
        super().save(*args, **kwargs)

    @property
    def is_overdue(self) -> bool:
        return bool(self.deadline and not self.fulfilled_at and self.deadline < timezone.localdate())
