"""The daily e-mail digest of deadlines, sent through Django's e-mail backend.

It writes no row: a cache key per person and day (Redis in production, shared by every worker)
remembers who got today's digest, so running the task twice sends nothing the second time."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import selectors_my

logger = logging.getLogger(__name__)

SENT_KEY = "notifications-digest:{day}:{user}"
SENT_KEEP_SECONDS = 2 * 24 * 3600


def notifications_digest_send(*, today: dt.date | None = None) -> int:
    """Send each officer and leader with deadlines their digest; returns how many were sent."""
    if not settings.NOTIFICATIONS_EMAIL:
        logger.info("notifications: no EMAIL_URL configured, digest not sent")
        return 0
    today = today or timezone.localdate()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        recipients = selectors_my.digest_recipients()
        items_by_user = selectors_my.digest_items_by_user(recipients, today)
        base_url = settings.SITE_BASE_URL.rstrip("/")
        with mail.get_connection() as connection:
            for recipient in recipients:
                items = items_by_user.get(recipient.pk)
                key = SENT_KEY.format(day=today.isoformat(), user=recipient.pk)
                if not items or cache.get(key):
                    continue
                context = {
                    "name": recipient.name,
                    "today": today,
                    "overdue": [i for i in items if i.overdue],
                    "due_soon": [i for i in items if not i.overdue],
                    "base_url": base_url,
                    "notifications_url": base_url + "/my/notifications/",
                }
                message = mail.EmailMessage(
                    subject=_("Deadlines on %(day)s: %(n)s need attention")
                    % {"day": today.strftime("%d/%m/%Y"), "n": len(items)},
                    body=render_to_string("dashboards/notification_digest.txt", context),
                    to=[recipient.email],
                    connection=connection,
                )
                message.send()
                cache.set(key, True, SENT_KEEP_SECONDS)
                sent += 1
    return sent
