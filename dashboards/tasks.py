"""Celery tasks of the dashboards app (DESIGN.md convention 5)."""

from smtplib import SMTPException

from celery import shared_task

from .notifications import notifications_digest_send


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=60,
    max_retries=3,
    time_limit=300,
    soft_time_limit=240,
)
def notifications_digest_task() -> int:
    """Run daily by beat (settings.CELERY_BEAT_SCHEDULE); a second run the same day sends nothing."""
    return notifications_digest_send()
