import uuid
from datetime import date

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from businesses.models import Business, cccd_validator
from documents.layout import document_number
from wards.models import ResidentialGroup, Street, Ward

from . import immutability, rules
from .domains import Domain


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="ViolationTypeEvent",
    append_only=True,
)
class ViolationType(models.Model):
    """One version of a violation in the legal catalogue (admin-managed data).

    A `code` names the violation across decrees; each row is the version in force between
    `valid_from` and `valid_to`, so a violation is judged by the rule in force on the day it
    happened (e.g. Decree 144/2021 until 14/12/2025, Decree 282/2025 from 15/12/2025).
    """

    code = models.SlugField(
        _("code"),
        max_length=60,
        help_text=_("Stable code shared by every version of the same violation, e.g. “lan-chiem-via-he”."),
    )
    domain = models.CharField(_("domain"), max_length=30, choices=Domain.choices)
    title = models.CharField(_("name of the violation"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    decree = models.CharField(_("decree"), max_length=40, help_text=_("e.g. “144/2021/NĐ-CP”."))
    article = models.PositiveSmallIntegerField(_("article (Điều)"))
    clause = models.PositiveSmallIntegerField(_("clause (khoản)"), null=True, blank=True)
    point = models.CharField(_("point (điểm)"), max_length=4, blank=True)
    fine_individual_min = models.PositiveBigIntegerField(_("minimum fine, individual (đồng)"), default=0)
    fine_individual_max = models.PositiveBigIntegerField(_("maximum fine, individual (đồng)"), default=0)
    # Empty means "twice the individual amount", the general rule unless the decree says otherwise.
    fine_organisation_min = models.PositiveBigIntegerField(
        _("minimum fine, organisation (đồng)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for twice the individual amount."),
    )
    fine_organisation_max = models.PositiveBigIntegerField(
        _("maximum fine, organisation (đồng)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for twice the individual amount."),
    )
    warning_allowed = models.BooleanField(_("a warning is a possible sanction"), default=False)
    remedial_measures = models.TextField(_("remedial measures"), blank=True)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    needs_verification = models.BooleanField(
        _("to be checked against the official text"),
        default=True,
        help_text=_("Amounts taken from secondary sources stay flagged until checked against the decree."),
    )
    verification_note = models.CharField(_("verification note"), max_length=255, blank=True)
    # Who confirmed the entry against the official text, and when (admin action; kept for audit).
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    verified_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        verbose_name = _("violation type")
        verbose_name_plural = _("violation catalogue")
        ordering = ["domain", "code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="uniq_violationtype_code_from"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="violationtype_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(fine_individual_max__gte=F("fine_individual_min")),
                name="violationtype_individual_fine_range",
            ),
            models.CheckConstraint(
                condition=Q(fine_organisation_min__isnull=True)
                | Q(fine_organisation_max__isnull=True)
                | Q(fine_organisation_max__gte=F("fine_organisation_min")),
                name="violationtype_organisation_fine_range",
            ),
        ]
        indexes = [
            models.Index(fields=["domain", "valid_from"], name="violationtype_domain_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.legal_basis})"

    @property
    def legal_basis(self) -> str:
        """The citation in Vietnamese legal order: điểm a khoản 1 Điều 7 Nghị định 144/2021/NĐ-CP."""
        parts = []
        if self.point:
            parts.append(str(_("point %(point)s") % {"point": self.point}))
        if self.clause:
            parts.append(str(_("clause %(clause)s") % {"clause": self.clause}))
        parts.append(str(_("Article %(article)s") % {"article": self.article}))
        parts.append(str(_("Decree %(decree)s") % {"decree": self.decree}))
        return " ".join(parts)

    @property
    def organisation_fine_min(self) -> int:
        if self.fine_organisation_min is not None:
            return self.fine_organisation_min
        return self.fine_individual_min * 2

    @property
    def organisation_fine_max(self) -> int:
        if self.fine_organisation_max is not None:
            return self.fine_organisation_max
        return self.fine_individual_max * 2

    def is_in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


class PublicHoliday(models.Model):
    """A day off that does not count toward legal deadlines (configurable data, seeded for 2025–2026)."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class Stage(models.TextChoices):
    """The escalation ladder, in order (values shared with rules.LADDER)."""

    REMINDER = rules.REMINDER, _("Reminder")
    COMMITMENT = rules.COMMITMENT, _("Signed commitment")
    WORKING_RECORD = rules.WORKING_RECORD, _("Working record (MBB02)")
    VIOLATION_RECORD = rules.VIOLATION_RECORD, _("Administrative violation record (MBB01)")
    SANCTION = rules.SANCTION, _("Referred for a sanction decision")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    TRANSFERRED = "transferred", _("Transferred")
    REMEDIED = "remedied", _("Remedied")
    # Closed by a sanction decision, or by a documented decision not to sanction.
    DECIDED = "decided", _("Decided")
    SUPERSEDED = "superseded", _("Superseded")


class ViolatorKind(models.TextChoices):
    INDIVIDUAL = rules.INDIVIDUAL, _("Individual")
    ORGANISATION = rules.ORGANISATION, _("Organisation")


class Sanction(models.TextChoices):
    NONE = rules.SANCTION_NONE, _("No sanction")
    WARNING = rules.SANCTION_WARNING, _("Warning")
    FINE = rules.SANCTION_FINE, _("Fine")


class WitnessRole(models.TextChoices):
    WITNESS = "witness", _("Witness")
    WARD_REPRESENTATIVE = "ward_representative", _("Representative of the ward authority")


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class ExplanationRight(models.TextChoices):
    """Luật Xử lý vi phạm hành chính, Điều 61 khoản 1: whether the behaviour's bracket gives the
    violator the right to explain before the decision (printed as item 10 of form MBB01)."""

    NOT_APPLICABLE = "none", _("No right to explain (not a case of Article 61(1))")
    APPLIES = "applies", _("Right to explain (a case of Article 61(1))")


class RecordForm(models.Model):
    """A numbered form (MBB01, MBB02…) and the symbol its numbers carry: `Số: 12/BB-VPHC`."""

    code = models.CharField(_("form code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=160)
    symbol = models.CharField(_("number symbol"), max_length=30, help_text=_("e.g. “BB-VPHC”."))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, unique=True)

    class Meta:
        verbose_name = _("record form")
        verbose_name_plural = _("record forms")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.symbol})"


def signature_upload_to(instance: "Violation", filename: str) -> str:
    # Generated names, as for evidence photos: nothing of the upload is trusted.
    return f"violations/{instance.ward_id}/signatures/{uuid.uuid4().hex}.png"


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="ViolationEvent",
    append_only=True,
)
class Violation(models.Model):
    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, related_name="violations", verbose_name=_("issuing ward")
    )
    business = models.ForeignKey(
        Business,
        on_delete=models.PROTECT,
        related_name="violations",
        null=True,
        blank=True,
        verbose_name=_("business"),
    )
    violator_kind = models.CharField(
        _("violator is"), max_length=12, choices=ViolatorKind.choices, default=ViolatorKind.INDIVIDUAL
    )
    person_name = models.CharField(_("violator's name"), max_length=120, blank=True)
    person_id_number = models.CharField(
        _("violator's citizen ID number (CCCD)"), max_length=12, blank=True, validators=[cccd_validator]
    )
    person_address = models.CharField(_("violator's address"), max_length=255, blank=True)
    # Form MBB01 (Decree 118/2021 annex, as amended by Decree 68/2025): the individual…
    person_sex = models.CharField(_("violator's sex"), max_length=6, choices=Sex.choices, blank=True)
    person_birth_date = models.DateField(_("violator's date of birth"), null=True, blank=True)
    person_nationality = models.CharField(_("violator's nationality"), max_length=60, blank=True)
    person_occupation = models.CharField(_("violator's occupation"), max_length=120, blank=True)
    person_id_issued_on = models.DateField(_("ID issued on"), null=True, blank=True)
    person_id_issued_by = models.CharField(_("ID issued by"), max_length=160, blank=True)
    # …or the organisation.
    org_head_office = models.CharField(_("head office address"), max_length=255, blank=True)
    org_enterprise_code = models.CharField(_("enterprise code"), max_length=14, blank=True)
    # "Số GCN đăng ký đầu tư/doanh nghiệp hoặc GP thành lập/đăng ký hoạt động: …; ngày cấp: …; nơi cấp: …"
    org_registration_number = models.CharField(
        _("registration certificate or licence number"), max_length=40, blank=True
    )
    org_registration_issued_on = models.DateField(_("registration issued on"), null=True, blank=True)
    org_registration_issued_by = models.CharField(_("registration issued by"), max_length=160, blank=True)
    org_representative = models.CharField(_("legal representative"), max_length=120, blank=True)
    org_representative_sex = models.CharField(
        _("legal representative's sex"), max_length=6, choices=Sex.choices, blank=True
    )
    org_representative_title = models.CharField(_("legal representative's title"), max_length=120, blank=True)
    types = models.ManyToManyField(
        ViolationType, through="ViolationItem", related_name="violations", verbose_name=_("violations")
    )
    occurred_at = models.DateTimeField(_("happened at"))
    discovered_at = models.DateTimeField(_("discovered at"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("street")
    )
    residential_group = models.ForeignKey(
        ResidentialGroup,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("residential group"),
    )
    description = models.TextField(_("description"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.REMINDER)
    suggested_stage = models.CharField(_("suggested stage"), max_length=20, choices=Stage.choices, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    sanction = models.CharField(
        _("proposed sanction"), max_length=10, choices=Sanction.choices, default=Sanction.NONE
    )
    fine_amount = models.PositiveBigIntegerField(_("proposed fine (đồng)"), null=True, blank=True)
    is_complex = models.BooleanField(_("complex case (5 working days)"), default=False)
    due_date = models.DateField(_("record due by"))
    # Aggravating circumstances as the law defines them (rules.aggravating_circumstances), assessed
    # when the draft is saved: tái phạm needs an earlier sanction decision still counting.
    is_repeat = models.BooleanField(_("repeat offence (tái phạm)"), default=False)
    is_multiple = models.BooleanField(_("violated several times (vi phạm nhiều lần)"), default=False)
    is_deliberate = models.BooleanField(_("deliberate violation"), default=False)

    violator_signed = models.BooleanField(_("the violator signed"), default=False)
    refused_to_sign = models.BooleanField(_("the violator refused to sign"), default=False)
    witness_name = models.CharField(_("witness or ward representative"), max_length=120, blank=True)
    witness_role = models.CharField(
        _("witness's role"), max_length=24, choices=WitnessRole.choices, blank=True
    )
    witness_detail = models.CharField(_("witness's occupation or position"), max_length=160, blank=True)
    witness_address = models.CharField(_("witness's address or agency"), max_length=255, blank=True)
    translator_name = models.CharField(_("translator"), max_length=120, blank=True)
    translator_occupation = models.CharField(_("translator's occupation"), max_length=120, blank=True)
    translator_address = models.CharField(_("translator's address"), max_length=255, blank=True)
    injured_party = models.CharField(_("injured party"), max_length=255, blank=True)
    violator_statement = models.TextField(_("statement of the violator"), blank=True)
    witness_statement = models.TextField(_("statement of the witness or ward representative"), blank=True)
    injured_statement = models.TextField(_("statement of the injured party"), blank=True)
    measures_taken = models.TextField(_("preventive measures taken"), blank=True)
    items_held = models.TextField(_("items, vehicles or papers held"), blank=True)
    explanation_right = models.CharField(
        _("right to explain"), max_length=8, choices=ExplanationRight.choices, blank=True
    )
    explanation_to = models.CharField(_("explanations are sent to"), max_length=255, blank=True)
    summons_at = models.DateTimeField(_("summoned to appear at"), null=True, blank=True)
    summons_place = models.CharField(_("summoned to appear at (place)"), max_length=255, blank=True)
    # When and where the record was made on site, as the officer entered them (never the signing).
    made_at = models.DateTimeField(_("record made at"), null=True, blank=True)
    made_place = models.CharField(_("record made at (place)"), max_length=255, blank=True)
    made_place_reason = models.CharField(
        _("reason the record was made at the office or elsewhere"), max_length=255, blank=True
    )
    finished_at = models.DateTimeField(_("record finished at"), null=True, blank=True)
    pages = models.PositiveSmallIntegerField(_("number of pages"), null=True, blank=True)
    copies = models.PositiveSmallIntegerField(_("number of copies"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason the violator did not sign"), max_length=255, blank=True)
    witness_refusal_reason = models.CharField(
        _("reason the witness did not confirm"), max_length=255, blank=True
    )
    # Signatures drawn on the officer's phone, printed in their blocks of the record.
    violator_signature = models.FileField(
        _("violator's drawn signature"), upload_to=signature_upload_to, max_length=200, blank=True
    )
    witness_signature = models.FileField(
        _("witness's drawn signature"), upload_to=signature_upload_to, max_length=200, blank=True
    )
    # Form MBB02 (biên bản làm việc): those present and the conclusions of the meeting.
    present_persons = models.TextField(_("those present"), blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    # MBB02 items 4, 5 and 10: the scene, the damage and the papers concerning the matter.
    scene = models.TextField(_("scene"), blank=True)
    damage = models.TextField(_("damage"), blank=True)
    related_documents = models.TextField(_("papers concerning the matter"), blank=True)

    record_form = models.ForeignKey(
        RecordForm, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("form")
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    number_year = models.PositiveSmallIntegerField(_("number year"), null=True, blank=True)
    number_symbol = models.CharField(_("number symbol"), max_length=30, blank=True)
    # The citation and fines as they were when signed: later catalogue edits never change a record.
    legal_basis_snapshot = models.TextField(_("legal basis as signed"), blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed by"),
    )
    transferred_to = models.CharField(_("transferred to"), max_length=255, blank=True)
    transferred_at = models.DateTimeField(_("transferred at"), null=True, blank=True)
    remedied_at = models.DateTimeField(_("remedied at"), null=True, blank=True)
    # Điều 66: the sanction must be decided by this day (set when an MBB01 is signed).
    decision_due_date = models.DateField(_("decision due by"), null=True, blank=True)
    decision_deadline_extended = models.BooleanField(
        _("explanation requested or facts to verify (one month)"), default=False
    )

    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("replaces record"),
    )
    amendment_reason = models.TextField(_("reason for the amendment"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("drafted by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["-occurred_at", "-pk"]
        permissions = [
            ("sign_violation", _("Can sign violation records")),
            ("transfer_violation", _("Can transfer violation records to the competent person")),
            ("amend_violation", _("Can amend signed violation records")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "record_form", "number_year", "number"],
                condition=Q(number__isnull=False),
                name="uniq_violation_number",
            ),
            models.CheckConstraint(
                condition=Q(refused_to_sign=False) | ~Q(witness_name=""),
                name="violation_refusal_needs_witness",
                violation_error_message=_(
                    "The violator refused to sign: a witness or a representative of the ward authority "
                    "must sign instead."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(signed_at__isnull=False),
                name="violation_signed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(business__isnull=False) | ~Q(person_name=""),
                name="violation_has_violator",
                violation_error_message=_("Choose the business or enter the violator's name."),
            ),
        ]
        indexes = [
            models.Index(fields=["ward", "-occurred_at"], name="violation_ward_occurred_idx"),
            models.Index(fields=["ward", "status", "due_date"], name="violation_ward_status_due_idx"),
            models.Index(fields=["ward", "stage"], name="violation_ward_stage_idx"),
            models.Index(fields=["ward", "is_repeat"], name="violation_ward_repeat_idx"),
            models.Index(fields=["ward", "street"], name="violation_ward_street_idx"),
            models.Index(fields=["ward", "residential_group"], name="violation_ward_group_idx"),
            models.Index(fields=["business", "occurred_at"], name="violation_business_idx"),
            # The dashboard's watch-list of tái phạm and vi phạm nhiều lần: a few percent of the records.
            models.Index(
                fields=["business", "occurred_at"],
                condition=(Q(is_repeat=True) | Q(is_multiple=True)) & ~Q(status=Status.SUPERSEDED),
                name="violation_aggravated_idx",
            ),
        ]
        triggers = immutability.violation_triggers()

    def __str__(self) -> str:
        if self.number_display:
            return self.number_display
        if self.status == Status.DRAFT:
            return _("Draft violation #%(pk)s") % {"pk": self.pk}
        # Commitment-stage records carry no number once signed: they are named by their stage.
        return f"{self.get_stage_display()} #{self.pk}"

    @property
    def number_display(self) -> str:
        if self.number is None:
            return ""
        return f"Số: {document_number(self.number, self.number_symbol)}"

    @property
    def violator_name(self) -> str:
        if self.business_id and not self.person_name:
            return self.business.owner_name
        return self.person_name

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_overdue(self) -> bool:
        return self.is_draft and rules.is_overdue(self.due_date, timezone.localdate())

    @property
    def record_made_on(self) -> date | None:
        """The day the record was made on site (local date): Điều 66 counts the deadline to decide
        "kể từ ngày lập biên bản". Falls back to the signing day when the making time is empty."""
        made = self.made_at or self.signed_at
        return timezone.localdate(made) if made else None

    @property
    def is_decision_overdue(self) -> bool:
        """A signed MBB01 still waiting for its decision after the Điều 66 deadline."""
        return self.status == Status.SIGNED and rules.is_overdue(self.decision_due_date, timezone.localdate())

    @property
    def aggravation(self) -> rules.Aggravation:
        return rules.Aggravation(repeat_offence=self.is_repeat, multiple=self.is_multiple)


class ViolationItem(models.Model):
    """One violation type cited by a record (the version in force on the day it happened)."""

    violation = models.ForeignKey(Violation, on_delete=models.CASCADE, related_name="items")
    violation_type = models.ForeignKey(
        ViolationType, on_delete=models.PROTECT, related_name="items", verbose_name=_("violation type")
    )

    class Meta:
        verbose_name = _("cited violation")
        verbose_name_plural = _("cited violations")
        constraints = [
            models.UniqueConstraint(fields=["violation", "violation_type"], name="uniq_violation_item"),
        ]
        triggers = immutability.child_triggers("item")

    def __str__(self) -> str:
        return str(self.violation_type)


def evidence_upload_to(instance: "ViolationEvidence", filename: str) -> str:
    # Generated names: the uploaded name is never trusted nor shown in the path.
    return f"violations/{instance.violation.ward_id}/{uuid.uuid4().hex}.jpg"


class ViolationEvidence(models.Model):
    violation = models.ForeignKey(Violation, on_delete=models.CASCADE, related_name="evidence")
    image = models.ImageField(_("photo"), upload_to=evidence_upload_to)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence photo")
        verbose_name_plural = _("evidence photos")
        ordering = ["uploaded_at", "pk"]
        triggers = immutability.child_triggers("evidence")

    def __str__(self) -> str:
        return self.caption or self.image.name


class TrackedBusiness(Business):
    """A proxy so the audit triggers of businesses live in this app's migrations,
    leaving businesses/models.py and its migrations untouched."""

    class Meta:
        proxy = True
        verbose_name = _("business")
        verbose_name_plural = _("businesses")


# Derived columns are left out of the audit: they are recomputed from other records (search text
# from the name and address, the last inspection from the inspections table), and an update that
# touches only them (every inspection submitted, the seeding of a city) writes no audit row.
pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="BusinessEvent",
    append_only=True,
    exclude=["search_text", "last_inspected_at", "last_inspection_result"],
)(TrackedBusiness)


from .decision_models import (  # noqa: E402  (models of this app, kept in their own module)
    CompetenceLimit,
    DecisionKind,
    DecisionStatus,
    NoSanctionGround,
    SanctionDecision,
    SignerTitle,
)

__all__ = [
    "CompetenceLimit",
    "DecisionKind",
    "DecisionStatus",
    "NoSanctionGround",
    "SanctionDecision",
    "SignerTitle",
]
