"""Campaigns (đợt ra quân): a planned sweep of the ward's businesses with partner forces."""

from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from businesses.models import Business
from inspections.models import Inspection
from violations.domains import Domain
from wards.models import Ward


class CampaignStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Under way")
    CLOSED = "closed", pgettext_lazy("campaign status", "Finished")


class ForceType(models.TextChoices):
    YOUTH_UNION = "youth_union", _("Youth Union")
    CIVIL_DEFENCE = "civil_defence", _("Civil defence")
    URBAN_STAFF = "urban_staff", _("Urban-order staff")
    CULTURE_STAFF = "culture_staff", _("Culture staff")
    MASS_ORGANISATIONS = "mass_organisations", _("Mass organisations")
    SELF_MANAGEMENT = "self_management", _("Self-management groups")


class Campaign(models.Model):
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="+", verbose_name=_("ward"))
    name = models.CharField(_("name"), max_length=200)
    plan_reference = models.CharField(
        _("plan reference"),
        max_length=120,
        blank=True,
        help_text=_("The written plan, e.g. “Kế hoạch số 1751/KH-CABĐ-XDPT”."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # Domain values (violations.domains.Domain); a short list, never filtered on.
    domains = models.JSONField(_("domains checked"), default=list, blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("leader")
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="campaigns",
        verbose_name=_("participating officers"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.PLANNED
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    # The results as they stood when the campaign was closed: the closed page and the report
    # read this, so later registry or inspection changes do not rewrite them.
    summary = models.JSONField(_("closing summary"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "-pk"]
        indexes = [
            models.Index(fields=["ward", "-starts_on"], name="campaign_ward_start_idx"),
            models.Index(fields=["ward", "status", "-starts_on"], name="campaign_ward_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(summary__isnull=False), name="campaign_closed_has_summary"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == CampaignStatus.ACTIVE

    @property
    def is_closed(self) -> bool:
        return self.status == CampaignStatus.CLOSED

    def domain_labels(self) -> list[str]:
        labels = dict(Domain.choices)
        return [str(labels[d]) for d in self.domains if d in labels]


class CampaignForce(models.Model):
    """A partner force taking part (not users of the system): who and how many."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="forces", verbose_name=_("campaign")
    )
    force_type = models.CharField(_("force"), max_length=24, choices=ForceType.choices)
    head_count = models.PositiveSmallIntegerField(_("number of people"))
    contact_person = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=15, blank=True)

    class Meta:
        verbose_name = _("participating force")
        verbose_name_plural = _("participating forces")
        ordering = ["campaign", "force_type"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "force_type"], name="uniq_campaign_force_type")
        ]

    def __str__(self) -> str:
        return f"{self.get_force_type_display()} ({self.head_count})"


class CampaignTarget(models.Model):
    """One business the campaign visits. Name and address are copied when it is chosen, so a
    later change in the registry does not rewrite what the campaign planned."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="targets", verbose_name=_("campaign")
    )
    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, related_name="+", verbose_name=_("business")
    )
    business_name = models.CharField(_("business name"), max_length=200)
    address = models.CharField(_("address"), max_length=255, blank=True)
    street_name = models.CharField(_("street"), max_length=160, blank=True)
    residential_group_name = models.CharField(_("residential group"), max_length=120, blank=True)
    category_name = models.CharField(_("category"), max_length=120, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned officer"),
    )
    # The campaign's (latest) inspection of this business, set by the inspection hook.
    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inspection"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign target")
        verbose_name_plural = _("campaign targets")
        ordering = ["street_name", "business_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "business"], name="uniq_campaign_target")]
        indexes = [
            models.Index(fields=["campaign", "street_name"], name="camptarget_street_idx"),
            models.Index(fields=["campaign", "assigned_to"], name="camptarget_assigned_idx"),
        ]

    def __str__(self) -> str:
        return self.business_name

    @property
    def inspection_form_url(self) -> str:
        """The inspection form opened from the campaign; a phone caches it under this exact URL."""
        query = urlencode({"business": self.business_id, "campaign": self.campaign_id})
        return f"{reverse('inspections:new')}?{query}"


class ChangeField(models.TextChoices):
    NAME = "name", _("Name of the campaign")
    PLAN_REFERENCE = "plan_reference", _("Plan reference")
    DATES = "dates", _("Dates")
    DOMAINS = "domains", _("Domains checked")
    OBJECTIVES = "objectives", _("Objectives")
    LEADER = "leader", _("Leader")
    OFFICERS = "officers", _("Participating officers")
    FORCE = "force", _("Participating force")
    TARGETS_ADDED = "targets_added", _("Targets added")
    TARGETS_REMOVED = "targets_removed", _("Targets removed")


class CampaignChange(models.Model):
    """One change made to a campaign after it was created, shown on its page: what, from what
    to what, who and when. Values are kept as they read at the time (names, dd/mm/yyyy dates)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="changes", verbose_name=_("campaign")
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    field = models.CharField(_("what changed"), max_length=20, choices=ChangeField.choices)
    before = models.TextField(_("before"), blank=True)
    after = models.TextField(_("after"), blank=True)

    class Meta:
        verbose_name = _("campaign change")
        verbose_name_plural = _("campaign changes")
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["campaign", "-changed_at"], name="campchange_campaign_idx")]

    def __str__(self) -> str:
        return f"{self.get_field_display()}: {self.before} → {self.after}"
