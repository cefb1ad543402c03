"""The city-dashboard permission, and the reports sent upward.

A proxy of Ward creates no table; it gives `dashboards.view_city_dashboard` a content type, so
the permission can be granted like any other (to a user, or to a group such as city staff)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wards.models import Ward


class CityDashboard(Ward):
    class Meta:
        proxy = True
        default_permissions = ()
        permissions = [("view_city_dashboard", _("Can view the city dashboard (every ward side by side)"))]
        verbose_name = _("city dashboard")
        verbose_name_plural = _("city dashboard")


class UpwardReport(models.Model):
    """A report on the ward's security and order sent upward (báo cáo gửi cấp trên): the dashboard
    of a period as the station's head issued it, with its number from the register (BC-CAP).

    The figures are frozen when it is issued: reprinting it later prints what was sent, whatever
    the records say since."""

    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="+", verbose_name=_("ward"))
    period_code = models.PositiveIntegerField(_("period"))
    period_label = models.CharField(_("period"), max_length=60)
    content = models.JSONField(_("content as issued"), default=dict)
    # Filled in the issuing transaction, from the register line written for the saved report.
    number = models.PositiveIntegerField(_("number"), null=True)
    number_year = models.PositiveSmallIntegerField(_("number year"), null=True)
    number_symbol = models.CharField(_("number symbol"), max_length=30, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )

    class Meta:
        verbose_name = _("report sent upward")
        verbose_name_plural = _("reports sent upward")
        ordering = ["-issued_at", "-pk"]
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "number_symbol", "number_year", "number"],
                condition=models.Q(number__isnull=False),
                name="uniq_upward_report_number",
            ),
        ]

    def __str__(self) -> str:
        return f"Số: {self.number:02d}/{self.number_symbol} · {self.period_label}"

    @property
    def number_text(self) -> str:
        return f"{self.number:02d}/{self.number_symbol}"


from .rollup_models import (  # noqa: E402  (the rollup tables, kept in their own module)
    CommitmentDay,
    DecisionDay,
    FeedbackDay,
    InspectionDay,
    InspectionMonth,
    ViolationDay,
)

__all__ = [
    "CityDashboard",
    "CommitmentDay",
    "DecisionDay",
    "FeedbackDay",
    "InspectionDay",
    "InspectionMonth",
    "UpwardReport",
    "ViolationDay",
]
