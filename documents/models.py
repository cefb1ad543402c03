from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from wards.models import Ward

from .layout import document_number


def document_upload_to(job: "DocumentJob", filename: str) -> str:
    # One folder per job: the same job rendered twice overwrites its own file, never a sibling's.
    return f"documents/{job.ward_id}/{job.pk}/{filename}"


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RENDERING = "rendering", _("Being produced")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class DocumentJob(models.Model):
    """One document of one record at one version; asking again for it returns this row."""

    kind = models.CharField(_("kind"), max_length=64)
    object_id = models.PositiveBigIntegerField(_("record id"))
    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, related_name="document_jobs", verbose_name=_("ward")
    )
    # The record's fingerprint when asked: a changed record makes a new job, an unchanged one reuses it.
    version = models.CharField(_("record version"), max_length=128)
    title = models.CharField(_("title"), max_length=255)
    filename = models.CharField(_("file name"), max_length=150)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=255, blank=True)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    # Which delivery of the task claimed the job, and until when the claim holds (see services).
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    worker = models.CharField(_("worker"), max_length=200, blank=True)
    lease_expires_at = models.DateTimeField(_("claim expires at"), null=True, blank=True)
    # None while the job is not known to be on the broker's queue (e.g. Redis was down).
    enqueued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "version"], name="uniq_document_job_version"
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="document_job_progress_le_100"
            ),
        ]
        indexes = [
            models.Index(fields=["ward", "-created_at"], name="document_job_ward_idx"),
            models.Index(fields=["status", "enqueued_at"], name="document_job_status_idx"),
            models.Index(fields=["kind", "object_id"], name="document_job_record_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (DocumentStatus.DONE, DocumentStatus.FAILED)

    @property
    def is_ready(self) -> bool:
        return self.status == DocumentStatus.DONE and bool(self.file)


class RegisterKind(models.TextChoices):
    """The kinds of numbered documents a ward police station issues; each has its own sequence."""

    MBB01 = "mbb01", _("Administrative violation record (MBB01)")
    MBB02 = "mbb02", _("Working record (MBB02)")
    SANCTION_DECISION = "sanction_decision", _("Sanction decision")
    INSPECTION_RECORD = "inspection_record", _("Inspection record")
    COMMITMENT = "commitment", _("Commitment document")
    REMINDER_NOTICE = "reminder_notice", _("Reminder notice")
    CAMPAIGN_REPORT = "campaign_report", _("Campaign report")
    CRITERIA_ASSESSMENT = "criteria_assessment", _("Criteria assessment")
    UPWARD_REPORT = "upward_report", _("Report sent upward")


# The symbol after the number ("Số: 01/BB-VPHC"), per Decree 30/2020's appendix III abbreviations
# (BB biên bản, QĐ quyết định, BC báo cáo, TB thông báo, CK cam kết) and Decree 118/2021's forms.
# A caller may pass another symbol (violations reads its admin-editable RecordForm.symbol).
DEFAULT_SYMBOLS: dict[str, str] = {
    RegisterKind.MBB01: "BB-VPHC",
    RegisterKind.MBB02: "BB-LV",
    RegisterKind.SANCTION_DECISION: "QĐ-XPHC",
    RegisterKind.INSPECTION_RECORD: "BB-KT",
    RegisterKind.COMMITMENT: "CK",
    RegisterKind.REMINDER_NOTICE: "TB-NN",
    RegisterKind.CAMPAIGN_REPORT: "BC-RQ",
    RegisterKind.CRITERIA_ASSESSMENT: "BC-TC",
    RegisterKind.UPWARD_REPORT: "BC-CAP",
}


class RegisterCounter(models.Model):
    """The last number issued per ward, kind and year. Locked with SELECT ... FOR UPDATE in the
    signing transaction, so numbers never repeat or skip (a rolled-back signing rolls it back)."""

    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="+", verbose_name=_("ward"))
    kind = models.CharField(_("kind"), max_length=32, choices=RegisterKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("register counter")
        verbose_name_plural = _("register counters")
        constraints = [
            models.UniqueConstraint(fields=["ward", "kind", "year"], name="uniq_register_counter"),
        ]

    def __str__(self) -> str:
        return f"{self.ward} {self.kind} {self.year}: {self.last_number}"


class RegisterEntry(models.Model):
    """One line of the register of document numbers (sổ đăng ký văn bản đi)."""

    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, related_name="register_entries", verbose_name=_("ward")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=RegisterKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    symbol = models.CharField(_("symbol"), max_length=30)
    issued_on = models.DateField(_("issued on"))
    title = models.CharField(_("title or summary"), max_length=255)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed by"),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("record type")
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    record = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # An amendment issues a new document; the one it replaces stays, marked superseded (#29).
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("withdrawal reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        ordering = ["-year", "kind", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "kind", "year", "number"], name="uniq_register_entry_number"
            ),
            # A record is numbered once per kind: signing twice cannot take a second number.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"], name="uniq_register_entry_record"
            ),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="register_entry_number_positive"),
        ]
        indexes = [
            models.Index(fields=["ward", "-issued_on"], name="register_entry_ward_date_idx"),
        ]

    def __str__(self) -> str:
        return self.number_text

    @property
    def number_text(self) -> str:
        """ "01/BB-VPHC": at least two digits, as the forms print it."""
        return document_number(self.number, self.symbol)

    @property
    def status(self) -> str:
        """valid / superseded / withdrawn: what the public verification page says of it."""
        if self.withdrawn_on is not None:
            return "withdrawn"
        if self.superseded_by_id is not None:
            return "superseded"
        return "valid"


def issued_upload_to(issued: "IssuedDocument", filename: str) -> str:
    return f"documents/issued/{issued.entry.ward_id}/{filename}"


class CertificateSource(models.TextChoices):
    UPLOAD = "upload", _("Uploaded in the admin")
    ENVIRONMENT = "environment", _("From the server's environment")
    DEMO = "demo", _("Demo certificate")


class SigningCertificate(models.Model):
    """A certificate a ward's documents are (or were) signed with. Kept after it is replaced or
    revoked: documents signed with it stay verifiable. The PKCS#12 file of an uploaded one is
    kept as uploaded (encrypted by its own password); that password is stored encrypted with a
    key derived from SECRET_KEY, never in clear (documents.signing)."""

    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, related_name="signing_certificates", verbose_name=_("ward")
    )
    source = models.CharField(_("source"), max_length=12, choices=CertificateSource.choices)
    subject = models.CharField(_("certificate subject"), max_length=500)
    issuer = models.CharField(_("issuer"), max_length=500)
    serial_number = models.CharField(_("serial number"), max_length=80)
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    certificate_der = models.BinaryField(_("certificate (DER)"))
    # The issuing CA certificates, PEM, in order: what the verification trusts for this ward.
    chain_pem = models.TextField(_("certificate chain (PEM)"), blank=True)
    pkcs12 = models.BinaryField(_("PKCS#12 file"), blank=True, null=True, editable=False)
    password_encrypted = models.TextField(_("encrypted password"), blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.CharField(_("revocation reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signing certificate")
        verbose_name_plural = _("signing certificates")
        ordering = ["ward", "-not_before", "-pk"]

    def __str__(self) -> str:
        return f"{self.subject} ({self.fingerprint[:16]})"

    @property
    def is_demo(self) -> bool:
        return self.source == CertificateSource.DEMO or "DEMO" in self.subject


class IssuedDocument(models.Model):
    """An official document as issued: signed once, its bytes kept, never rendered again.

    One per register line; `code` is what the verification block prints (/v/<code>/)."""

    entry = models.OneToOneField(
        RegisterEntry, on_delete=models.PROTECT, related_name="issued", verbose_name=_("register entry")
    )
    code = models.CharField(_("verification code"), max_length=10, unique=True)
    file = models.FileField(_("signed file"), upload_to=issued_upload_to, max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    certificate = models.ForeignKey(
        SigningCertificate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("signing certificate"),
    )
    profile = models.CharField(_("signature profile"), max_length=20, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.entry} [{self.code}]"

    @property
    def is_signed(self) -> bool:
        return bool(self.sha256)
