from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .domains import Domain


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
