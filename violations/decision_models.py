"""The sanction decision (quyết định xử phạt vi phạm hành chính) made on a signed MBB01, and the
competence limits of the titles that may sign one. Imported by violations/models.py."""

from __future__ import annotations

from datetime import date

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wards.models import Ward

from . import immutability, rules
from .domains import Domain


class SignerTitle(models.TextChoices):
    """Titles that sanction in a ward (Luật XLVPHC Điều 38, 39 until 30/6/2025; Decree 189/2025
    Điều 8 and the commune chairman's article from 1/7/2025). A deputy signs only when the head
    delegated the power (giao quyền, Điều 54), with the head's limit."""

    POLICE_HEAD = "police_head", _("Head of the commune-level police")
    POLICE_DEPUTY_DELEGATED = "police_deputy", _("Deputy head of the commune-level police (delegated)")
    CHAIRMAN = "chairman", _("Chairman of the commune-level People's Committee")


# The printed Vietnamese, whatever the signer's interface language.
SIGNER_TITLE_VI = {
    SignerTitle.POLICE_HEAD: "Trưởng Công an phường",
    SignerTitle.POLICE_DEPUTY_DELEGATED: "Phó Trưởng Công an phường",
    SignerTitle.CHAIRMAN: "Chủ tịch Ủy ban nhân dân phường",
}


class CompetenceLimit(models.Model):
    """The highest fine (for an individual) a title may impose in a domain, between two dates.
    Admin-edited data with its legal source; amounts from secondary sources stay flagged."""

    title = models.CharField(_("title"), max_length=20, choices=SignerTitle.choices)
    domain = models.CharField(_("domain"), max_length=30, choices=Domain.choices)
    fine_limit_individual = models.PositiveBigIntegerField(_("highest fine for an individual (đồng)"))
    warning_allowed = models.BooleanField(_("may impose a warning"), default=True)
    rule = models.CharField(
        _("rule"), max_length=255, help_text=_("e.g. “50% of the domain's maximum fine (40.000.000đ)”.")
    )
    legal_source = models.CharField(_("legal source"), max_length=255)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    needs_verification = models.BooleanField(
        _("to be checked against the official text"),
        default=True,
        help_text=_("Amounts taken from secondary sources stay flagged until checked against the law."),
    )
    verification_note = models.CharField(_("verification note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("competence limit")
        verbose_name_plural = _("competence limits")
        ordering = ["title", "domain", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["title", "domain", "valid_from"], name="uniq_competence_limit"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="competencelimit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_title_display()} · {self.get_domain_display()} · {self.fine_limit_individual:,}đ"

    def is_in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


class DecisionKind(models.TextChoices):
    SANCTION = "sanction", _("Sanction decision")
    NO_SANCTION = "no_sanction", _("Decision not to sanction")


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    SERVED = "served", _("Served")
    PAID = "paid", _("Paid")
    ENFORCED = "enforced", _("Enforced")
    APPEALED = "appealed", _("Appealed")


class NoSanctionGround(models.TextChoices):
    """Luật XLVPHC Điều 65 khoản 1: the cases where no sanction decision is made."""

    EMERGENCY = "a", _("Point a: an emergency (tình thế cấp thiết)")
    SELF_DEFENCE = "b", _("Point b: legitimate self-defence (phòng vệ chính đáng)")
    UNEXPECTED = "c", _("Point c: an unexpected event (sự kiện bất ngờ)")
    FORCE_MAJEURE = "d", _("Point d: force majeure (sự kiện bất khả kháng)")
    NO_CAPACITY = "dd", _("Point đ: the violator lacks legal capacity")
    UNDERAGE = "e", _("Point e: the violator is under age")
    NO_VIOLATOR = "g", _("Point g: the violator cannot be identified")
    TIME_BARRED = "h", _("Point h: the limitation period has passed, or the deadline to decide")
    DISSOLVED = "i", _("Point i: the individual died, or the organisation was dissolved")
    TRANSFERRED = "k", _("Point k: transferred for criminal prosecution")


# Printed Vietnamese of each ground: (point, the case in the law's words).
_GROUNDS_VI = {
    NoSanctionGround.EMERGENCY: ("a", "thực hiện hành vi vi phạm hành chính trong tình thế cấp thiết"),
    NoSanctionGround.SELF_DEFENCE: ("b", "thực hiện hành vi vi phạm hành chính do phòng vệ chính đáng"),
    NoSanctionGround.UNEXPECTED: ("c", "thực hiện hành vi vi phạm hành chính do sự kiện bất ngờ"),
    NoSanctionGround.FORCE_MAJEURE: ("d", "thực hiện hành vi vi phạm hành chính do sự kiện bất khả kháng"),
    NoSanctionGround.NO_CAPACITY: ("đ", "người thực hiện hành vi không có năng lực trách nhiệm hành chính"),
    NoSanctionGround.UNDERAGE: ("e", "người thực hiện hành vi chưa đủ tuổi bị xử phạt vi phạm hành chính"),
    NoSanctionGround.NO_VIOLATOR: ("g", "không xác định được đối tượng vi phạm hành chính"),
    NoSanctionGround.TIME_BARRED: ("h", "hết thời hiệu xử phạt hoặc hết thời hạn ra quyết định xử phạt"),
    NoSanctionGround.DISSOLVED: (
        "i",
        "cá nhân vi phạm đã chết, mất tích, tổ chức vi phạm đã giải thể, phá sản",
    ),
    NoSanctionGround.TRANSFERRED: ("k", "chuyển hồ sơ vụ vi phạm có dấu hiệu tội phạm"),
}


def no_sanction_ground_vi(ground: str) -> str:
    point, case = _GROUNDS_VI[NoSanctionGround(ground)]
    return f"điểm {point} khoản 1 Điều 65 Luật Xử lý vi phạm hành chính ({case})"


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="SanctionDecisionEvent",
    append_only=True,
)
class SanctionDecision(models.Model):
    """The decision made on one signed violation record (MBB01): a sanction, or a documented
    decision not to sanction with its ground. Signed, it is immutable like the record; only the
    status moves on (served, paid, enforced, appealed) with the columns each step fills in."""

    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing ward"))
    violation = models.OneToOneField(
        "violations.Violation",
        on_delete=models.PROTECT,
        related_name="decision",
        verbose_name=_("violation record"),
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=DecisionKind.choices, default=DecisionKind.SANCTION
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    sanction = models.CharField(_("main sanction"), max_length=10, blank=True)
    fine_amount = models.PositiveBigIntegerField(_("fine (đồng)"), null=True, blank=True)
    remedial_measures = models.TextField(_("remedial measures"), blank=True)
    extenuating = models.TextField(_("extenuating circumstances"), blank=True)
    is_repeat_offence = models.BooleanField(_("repeat offence (tái phạm)"), default=False)
    is_multiple = models.BooleanField(_("violated several times (vi phạm nhiều lần)"), default=False)
    no_sanction_ground = models.CharField(
        _("ground for not sanctioning"), max_length=4, choices=NoSanctionGround.choices, blank=True
    )
    no_sanction_reason = models.TextField(_("reasons"), blank=True)

    signer_title = models.CharField(
        _("signer's title"), max_length=20, choices=SignerTitle.choices, blank=True
    )
    competence_limit = models.ForeignKey(
        CompetenceLimit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("competence limit applied"),
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    number_year = models.PositiveSmallIntegerField(_("number year"), null=True, blank=True)
    number_symbol = models.CharField(_("number symbol"), max_length=30, blank=True)
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
    served_on = models.DateField(_("served on"), null=True, blank=True)
    payment_due_date = models.DateField(_("pay by"), null=True, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=40, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_amount = models.PositiveBigIntegerField(_("amount paid (đồng)"), null=True, blank=True)
    enforced_on = models.DateField(_("enforcement decided on"), null=True, blank=True)
    enforcement_note = models.TextField(_("enforcement"), blank=True)
    appealed_on = models.DateField(_("appealed on"), null=True, blank=True)
    appeal_note = models.TextField(_("appeal"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("drafted by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        verbose_name = _("sanction decision")
        verbose_name_plural = _("sanction decisions")
        ordering = ["-created_at", "-pk"]
        permissions = [("sign_sanctiondecision", _("Can sign sanction decisions"))]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "number_symbol", "number_year", "number"],
                condition=Q(number__isnull=False),
                name="uniq_decision_number",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(signed_at__isnull=False),
                name="decision_signed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(kind="no_sanction") | Q(status__in=["draft", "signed", "served", "appealed"]),
                name="decision_no_sanction_no_payment",
            ),
        ]
        indexes = [
            models.Index(fields=["ward", "status", "payment_due_date"], name="decision_ward_status_idx"),
        ]
        triggers = immutability.decision_triggers()

    def __str__(self) -> str:
        return self.number_display or str(_("Draft decision #%(pk)s") % {"pk": self.pk})

    @property
    def number_display(self) -> str:
        if self.number is None:
            return ""
        return f"Số: {self.number:02d}/{self.number_symbol}"

    @property
    def is_fine(self) -> bool:
        return self.kind == DecisionKind.SANCTION and self.sanction == rules.SANCTION_FINE

    @property
    def is_payment_overdue(self) -> bool:
        return (
            self.is_fine
            and self.status == DecisionStatus.SERVED
            and rules.is_overdue(self.payment_due_date, timezone.localdate())
        )

    @property
    def aggravation(self) -> rules.Aggravation:
        return rules.Aggravation(repeat_offence=self.is_repeat_offence, multiple=self.is_multiple)
