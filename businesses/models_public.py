"""Models behind the QR poster: withdrawn public tokens and citizens' feedback (phản ánh).

Imported by businesses.models, so Django sees them as models of the businesses app.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wards.models import Ward


class WithdrawnPublicToken(models.Model):
    """A token that once was on a poster. Kept so an old poster says "withdrawn" instead of
    "not found": a citizen scanning a forged or lost poster learns it is no longer valid."""

    business = models.ForeignKey(
        "businesses.Business",
        on_delete=models.CASCADE,
        related_name="withdrawn_tokens",
        verbose_name=_("business"),
    )
    token = models.CharField(_("public token"), max_length=64, unique=True)
    # First 8 characters of the token: what a typed short code resolves to.
    code_prefix = models.CharField(_("short code prefix"), max_length=8, db_index=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), default=timezone.now)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("withdrawn public code")
        verbose_name_plural = _("withdrawn public codes")
        ordering = ["-withdrawn_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.business_id} · {self.withdrawn_at:%d/%m/%Y}"


class FeedbackCategory(models.TextChoices):
    SECURITY = "security", _("Security and order")
    NOISE = "noise", _("Noise or late-night disturbance")
    SIDEWALK = "sidewalk", _("Sidewalk or roadway encroachment")
    FIRE = "fire", _("Fire safety")
    PRICE = "price", _("Overcharging or unfair practices")
    OTHER = "other", _("Other")


class FeedbackStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")


def feedback_photo_upload_to(instance: "Feedback", filename: str) -> str:
    now = timezone.now()
    return f"feedback/{instance.ward_id}/{now:%Y/%m}/{filename}"


class Feedback(models.Model):
    """A citizen's feedback sent from a business's public page. Written only by services."""

    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="+", verbose_name=_("ward"))
    business = models.ForeignKey(
        "businesses.Business",
        on_delete=models.PROTECT,
        related_name="feedback",
        verbose_name=_("business"),
    )
    category = models.CharField(_("subject"), max_length=12, choices=FeedbackCategory.choices)
    message = models.TextField(_("message"))
    contact_phone = models.CharField(_("contact phone"), max_length=15, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_consent = models.BooleanField(_("agreed to be contacted"), default=False)
    photo = models.FileField(_("photo"), upload_to=feedback_photo_upload_to, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=FeedbackStatus.choices, default=FeedbackStatus.NEW
    )
    response_note = models.TextField(_("response note"), blank=True)
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    # The first time an officer acted on it: "median time to first response" is measured on it.
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        verbose_name = _("citizen feedback")
        verbose_name_plural = _("citizen feedback")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["ward", "-created_at"], name="feedback_ward_time_idx"),
            models.Index(fields=["ward", "status", "-created_at"], name="feedback_ward_status_idx"),
            models.Index(fields=["ward", "category", "-created_at"], name="feedback_ward_cat_idx"),
            models.Index(fields=["business", "-created_at"], name="feedback_business_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.business_id}"

    @property
    def response_time(self):
        return self.first_response_at - self.created_at if self.first_response_at else None
