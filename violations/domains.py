"""The domains (lĩnh vực) an inspection checks and a violation belongs to.

Kept in its own module so inspections, campaigns and criteria can import the choices without
importing the violations models.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Domain(models.TextChoices):
    SECURITY_ORDER = "security_order", _("Security and order")
    CONDITIONAL_BUSINESS = "conditional_business", _("Businesses needing a security-and-order certificate")
    RESIDENCE = "residence", _("Reporting guests' stays")
    FIRE_SAFETY = "fire_safety", _("Fire prevention and fighting")
    EPIDEMIC = "epidemic", _("Epidemic prevention")
    TRAFFIC = "traffic", _("Road traffic order and safety")
    URBAN_ORDER = "urban_order", _("Urban order")
    SANITATION = "sanitation", _("Environmental sanitation")
