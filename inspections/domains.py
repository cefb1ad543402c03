"""The fields (lĩnh vực) an inspection checks. Checklist sections are grouped by them.

Kept here until the violations app publishes a shared list; both must use the same codes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Domain(models.TextChoices):
    SECURITY_ORDER = "security_order", _("Security and order")
    CONDITIONAL_BUSINESS = "conditional_business", _("Conditional businesses (security and order)")
    RESIDENCE = "residence", _("Residence and guest stays")
    FIRE_SAFETY = "fire_safety", _("Fire prevention and fighting")
    EPIDEMIC = "epidemic", _("Epidemic prevention")
    TRAFFIC = "traffic", _("Traffic order and safety")
    URBAN_ORDER = "urban_order", _("Urban order")
    SANITATION = "sanitation", _("Environmental sanitation")
