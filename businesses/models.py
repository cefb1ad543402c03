import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wards.models import ResidentialGroup, Street, Ward

from .text import fold, mask

cccd_validator = RegexValidator(
    r"^\d{12}$", _("The citizen ID number (CCCD) must be exactly 12 digits."), code="invalid_cccd"
)


def new_public_token() -> str:
    # 32 bytes = 256 bits, URL-safe: unguessable, so a poster cannot be forged by counting.
    return secrets.token_urlsafe(32)


class BusinessCategory(models.Model):
    """A managed list (quán ăn, cà phê, karaoke, nhà nghỉ/khách sạn, cầm đồ, quán bar, tạp hóa, …)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    # Categories such as karaoke, hotels and pawn shops are conditional businesses (ANTT).
    requires_security_certificate = models.BooleanField(
        _("needs a security-and-order certificate"), default=False
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("business category")
        verbose_name_plural = _("business categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BusinessStatus(models.TextChoices):
    ACTIVE = "active", _("Operating")
    SUSPENDED = "suspended", _("Temporarily suspended")
    CLOSED = "closed", pgettext_lazy("business status", "Closed")


class InspectionResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    REMINDED = "reminded", _("Passed with reminders")
    FAILED = "failed", _("Violations found")


class Business(models.Model):
    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, related_name="businesses", verbose_name=_("ward")
    )
    name = models.CharField(_("business name"), max_length=200)
    category = models.ForeignKey(
        BusinessCategory, on_delete=models.PROTECT, related_name="businesses", verbose_name=_("category")
    )
    is_conditional = models.BooleanField(
        _("conditional business (needs a security-and-order certificate)"), default=False
    )
    certificate_number = models.CharField(
        _("security-and-order certificate number"), max_length=60, blank=True
    )
    certificate_expiry = models.DateField(_("certificate expiry date"), null=True, blank=True)

    owner_name = models.CharField(_("owner's name"), max_length=120)
    owner_id_number = models.CharField(
        _("owner's citizen ID number (CCCD)"), max_length=12, blank=True, validators=[cccd_validator]
    )
    owner_phone = models.CharField(_("owner's phone"), max_length=15, blank=True)

    house_number = models.CharField(_("house number"), max_length=40, blank=True)
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="businesses", verbose_name=_("street")
    )
    residential_group = models.ForeignKey(
        ResidentialGroup,
        on_delete=models.PROTECT,
        related_name="businesses",
        null=True,
        blank=True,
        verbose_name=_("residential group"),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    registration_number = models.CharField(_("business registration number"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=BusinessStatus.choices, default=BusinessStatus.ACTIVE
    )
    public_token = models.CharField(
        _("public token"), max_length=64, unique=True, default=new_public_token, editable=False
    )
    # Accent- and case-folded name, owner, street and address, kept by the services for search.
    search_text = models.TextField(_("search text"), default="", editable=False)
    # Kept by the inspections service so list filters need no join over millions of inspections.
    last_inspected_at = models.DateTimeField(_("last inspected"), null=True, blank=True, editable=False)
    last_inspection_result = models.CharField(
        _("last inspection result"),
        max_length=12,
        choices=InspectionResult.choices,
        blank=True,
        editable=False,
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "registration_number"],
                condition=~Q(registration_number=""),
                name="uniq_business_registration_per_ward",
            ),
        ]
        indexes = [
            models.Index(fields=["ward", "name"], name="business_ward_name_idx"),
            models.Index(fields=["ward", "status"], name="business_ward_status_idx"),
            models.Index(fields=["ward", "street"], name="business_ward_street_idx"),
            models.Index(fields=["ward", "residential_group"], name="business_ward_group_idx"),
            models.Index(fields=["ward", "category"], name="business_ward_category_idx"),
            models.Index(fields=["ward", "last_inspected_at"], name="business_ward_lastinsp_idx"),
            models.Index(fields=["ward", "certificate_expiry"], name="business_ward_certexp_idx"),
            # A typed short code (businesses.public) resolves to these first 8 characters.
            models.Index(Substr("public_token", 1, 8), name="business_token_prefix_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        parts = [
            f"Số {self.house_number}" if self.house_number else "",
            self.street.name if self.street_id else "",
        ]
        return " ".join(p for p in parts if p)

    @property
    def owner_id_number_masked(self) -> str:
        return mask(self.owner_id_number)

    @property
    def owner_phone_masked(self) -> str:
        return mask(self.owner_phone)

    def compute_search_text(self) -> str:
        """Folded name, owner, address (house number + street) and registration number.

        Not the residential group: "Tổ dân phố số 3" on every row would make "pho" match them all
        (the list has a filter for groups)."""
        parts = [
            self.name,
            self.owner_name,
            f"{self.house_number} {self.street.name}" if self.street_id else self.house_number,
            self.registration_number,
        ]
        return " | ".join(fold(p) for p in parts if p)


class PersonalField(models.TextChoices):
    OWNER_ID_NUMBER = "owner_id_number", _("owner's citizen ID number (CCCD)")
    OWNER_PHONE = "owner_phone", _("owner's phone")


class PersonalDataAccess(models.Model):
    """One showing of a business owner's full personal data (Decree 13/2023/NĐ-CP): who, when,
    which record, which field, and why. Rows are written by services and never changed."""

    class Purpose(models.TextChoices):
        REVEAL = "reveal", _("Revealed on the business page")
        EDIT = "edit", _("Opened the edit form")
        PRINT = "print", _("Printed in full in the business history")

    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="+", verbose_name=_("ward"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # Kept as text too, so the log still reads after a user or business is deleted.
    user_label = models.CharField(_("user"), max_length=200)
    business = models.ForeignKey(
        Business,
        on_delete=models.SET_NULL,
        null=True,
        related_name="personal_data_accesses",
        verbose_name=_("business"),
    )
    business_label = models.CharField(_("business"), max_length=200)
    field = models.CharField(_("field"), max_length=20, choices=PersonalField.choices)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    accessed_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data access log")
        ordering = ["-accessed_at", "-pk"]
        indexes = [models.Index(fields=["ward", "-accessed_at"], name="pda_ward_time_idx")]

    def __str__(self) -> str:
        return f"{self.user_label} · {self.business_label} · {self.get_field_display()}"


class BusinessImport(models.Model):
    """An uploaded spreadsheet waiting between preview and confirmation.

    The file is kept in the database, keyed by a random id and tied to the uploader and ward, so
    the confirming request may land on any web process (no local file shared between them)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        APPLIED = "applied", _("Imported")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="+", verbose_name=_("ward"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("uploaded by")
    )
    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    created_count = models.PositiveIntegerField(_("businesses added"), default=0)
    updated_count = models.PositiveIntegerField(_("businesses updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("businesses unchanged"), default=0)

    class Meta:
        verbose_name = _("business import")
        verbose_name_plural = _("business imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name


# The QR poster's withdrawn tokens and citizens' feedback (kept in their own module).
from .models_public import Feedback, FeedbackCategory, FeedbackStatus, WithdrawnPublicToken  # noqa: E402

__all__ = [
    "Business",
    "BusinessCategory",
    "BusinessImport",
    "BusinessStatus",
    "Feedback",
    "FeedbackCategory",
    "FeedbackStatus",
    "InspectionResult",
    "PersonalDataAccess",
    "PersonalField",
    "WithdrawnPublicToken",
]
