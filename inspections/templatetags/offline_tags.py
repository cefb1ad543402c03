from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def offline_keep_days() -> int:
    """How many days a phone keeps sent inspections and cached form pages."""
    return int(settings.INSPECTIONS_OFFLINE_KEEP_DAYS)
