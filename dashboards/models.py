"""No tables: only a home for the city-dashboard permission.

A proxy of Ward creates no table; it gives `dashboards.view_city_dashboard` a content type, so
the permission can be granted like any other (to a user, or to a group such as city staff)."""

from django.utils.translation import gettext_lazy as _

from wards.models import Ward


class CityDashboard(Ward):
    class Meta:
        proxy = True
        default_permissions = ()
        permissions = [("view_city_dashboard", _("Can view the city dashboard (every ward side by side)"))]
        verbose_name = _("city dashboard")
        verbose_name_plural = _("city dashboard")


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
    "ViolationDay",
]
