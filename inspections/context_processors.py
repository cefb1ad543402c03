"""What every page's offline scripts (jinja2/inspections/partials/offline_scripts.html) read.

The inspection form, the outbox, a campaign's board and the officer's day include those scripts;
a context processor gives them the setting whichever view renders them."""

from django.conf import settings
from django.http import HttpRequest


def offline(request: HttpRequest) -> dict:
    """How many days a phone keeps sent inspections and cached form pages (static/js/offline.js)."""
    return {"offline_keep_days": int(settings.INSPECTIONS_OFFLINE_KEEP_DAYS)}
