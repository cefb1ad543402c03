"""Citizens' feedback (phản ánh): the photo check, the throttle, the writes and the reads.

The photo goes through the same rules as an inspection photo (inspections.images, which sits
above this app, so the rules are repeated here rather than imported): decoded by Pillow as what
its name claims, size and pixel limits, re-encoded as JPEG without EXIF (a phone photo carries
the sender's GPS position).
"""

import logging
import statistics
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ward_police.images import process_photo
from wards.scoping import get_for_user, scope_to_user

from .models import Business, Feedback, FeedbackStatus
from .timeline import TimelineEntry, register_timeline_source

logger = logging.getLogger(__name__)

MAX_PHOTO_BYTES = 5 * 1024 * 1024
STORED_MAX_SIDE = 2048

# Throttle: at most this many feedback per hour from one address, and for one business.
FEEDBACK_PER_ADDRESS_PER_HOUR = 5
FEEDBACK_PER_TOKEN_PER_HOUR = 20
# Page views per minute from one address (scrapers walking tokens).
PAGE_VIEWS_PER_ADDRESS_PER_MINUTE = 60


# --- photo ----------------------------------------------------------------------------------
def process_feedback_photo(upload: UploadedFile) -> bytes:
    """A clean JPEG of the uploaded photo, or ValidationError with a message for the sender."""
    return process_photo(upload, max_bytes=MAX_PHOTO_BYTES, max_side=STORED_MAX_SIDE, thumbnail=False).content


# --- throttle -------------------------------------------------------------------------------
def _count(key: str) -> int:
    return int(cache.get(key) or 0)


def _bump(key: str, seconds: int) -> int:
    # add() is atomic: the first hit opens the window, later hits only count within it.
    if cache.add(key, 1, seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # the window closed between add() and incr()
        cache.set(key, 1, seconds)
        return 1


def _address_key(kind: str, address: str) -> str:
    return f"throttle:{kind}:ip:{address}"


def _token_key(token: str) -> str:
    return f"throttle:feedback:token:{token}"


def feedback_throttled(*, address: str, token: str) -> bool:
    return (
        _count(_address_key("feedback", address)) >= FEEDBACK_PER_ADDRESS_PER_HOUR
        or _count(_token_key(token)) >= FEEDBACK_PER_TOKEN_PER_HOUR
    )


def feedback_count_attempt(*, address: str, token: str) -> None:
    _bump(_address_key("feedback", address), 3600)
    _bump(_token_key(token), 3600)


def page_view_throttled(*, address: str) -> bool:
    return _bump(_address_key("view", address), 60) > PAGE_VIEWS_PER_ADDRESS_PER_MINUTE


# --- writes ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class FeedbackInput:
    category: str
    message: str
    contact_phone: str = ""
    contact_email: str = ""
    contact_consent: bool = False
    photo: bytes | None = None


def feedback_submit(*, business: Business, data: FeedbackInput) -> Feedback:
    """A citizen's feedback lands in the business's ward's inbox, status "new"."""
    has_contact = bool(data.contact_phone or data.contact_email)
    feedback = Feedback(
        ward_id=business.ward_id,
        business=business,
        category=data.category,
        message=data.message.strip(),
        # Contact details are kept only with the sender's consent (Decree 13/2023).
        contact_phone=data.contact_phone if data.contact_consent else "",
        contact_email=data.contact_email if data.contact_consent else "",
        contact_consent=data.contact_consent and has_contact,
    )
    with transaction.atomic():
        if data.photo:
            feedback.photo.save(f"{uuid.uuid4().hex}.jpg", ContentFile(data.photo), save=False)
        feedback.save()
    logger.info("feedback %s received for business %s", feedback.pk, business.pk)
    return feedback


_ORDER = [FeedbackStatus.NEW, FeedbackStatus.IN_PROGRESS, FeedbackStatus.RESOLVED]


def feedback_update(*, feedback: Feedback, user, status: str, response_note: str) -> Feedback:
    """Move feedback along new → in progress → resolved (or back to in progress when it was
    closed too early); the first action on it stamps the time of first response."""
    if status not in _ORDER:
        raise ValidationError(_("Choose a valid status."), code="bad_status")
    if status == FeedbackStatus.NEW and feedback.status != FeedbackStatus.NEW:
        raise ValidationError(_("Feedback that has been taken up cannot go back to “new”."), code="backwards")
    note = response_note.strip()
    if status == FeedbackStatus.RESOLVED and not (note or feedback.response_note):
        raise ValidationError(
            _("Write what was done before marking the feedback as resolved."), code="note_required"
        )
    now = timezone.now()
    with transaction.atomic():
        feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
        changed = status != feedback.status or (note and note != feedback.response_note)
        if not changed:
            return feedback
        if feedback.first_response_at is None:
            feedback.first_response_at = now
        feedback.status = status
        if note:
            feedback.response_note = note
        feedback.resolved_at = now if status == FeedbackStatus.RESOLVED else None
        feedback.handled_by = user
        feedback.save(
            update_fields=[
                "status",
                "response_note",
                "first_response_at",
                "resolved_at",
                "handled_by",
                "updated_at",
            ]
        )
    return feedback


# --- reads ----------------------------------------------------------------------------------
def feedback_list(*, user, filters: dict) -> QuerySet[Feedback]:
    queryset = scope_to_user(Feedback.objects.all(), user).select_related("business", "business__street")
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("category"):
        queryset = queryset.filter(category=filters["category"])
    if filters.get("since"):
        queryset = queryset.filter(created_at__date__gte=filters["since"])
    if filters.get("until"):
        queryset = queryset.filter(created_at__date__lte=filters["until"])
    return queryset.order_by("-created_at", "-pk")


def get_feedback_for_user(user, pk: object) -> Feedback:
    queryset = Feedback.objects.select_related("ward", "business", "business__street", "handled_by")
    return get_for_user(queryset, user, pk=pk)


def feedback_median_first_response_hours(*, ward_id: int, start: datetime, end: datetime) -> float | None:
    """Median hours from receipt to first response for feedback received in [start, end):
    the criteria metric "median time to first response". None when nothing was answered."""
    rows = Feedback.objects.filter(
        ward_id=ward_id, created_at__gte=start, created_at__lt=end, first_response_at__isnull=False
    ).values_list("created_at", "first_response_at")
    hours = [(answered - received).total_seconds() / 3600 for received, answered in rows]
    return round(statistics.median(hours), 1) if hours else None


@register_timeline_source
def feedback_timeline(business) -> list[TimelineEntry]:
    rows = Feedback.objects.filter(business=business).order_by("-created_at")[:20]
    return [
        TimelineEntry(
            when=row.created_at,
            kind="feedback",
            title=_("Citizen feedback: %(subject)s") % {"subject": row.get_category_display()},
            url=reverse("feedback:detail", args=[row.pk]),
            detail=str(row.get_status_display()),
        )
        for row in rows
    ]
