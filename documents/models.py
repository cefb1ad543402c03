from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wards.models import Ward


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
