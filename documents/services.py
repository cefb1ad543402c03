"""Writes of the documents app: asking for a document, producing it, sweeping lost jobs.

Reliability rests on three rules:
- one row per (kind, record, version): asking twice returns the same job (unique constraint);
- a delivery of the render task first *claims* the job under a row lock; a claim holds for the
  task's hard time limit plus a margin, so a second delivery of a job that is being rendered
  leaves it alone, while a redelivery of the same message (its worker died) or any delivery
  after the claim expired takes over;
- the file has one deterministic name per job, overwritten by a re-render, so a job has one
  file however many times it was rendered.
"""

import hashlib
import logging
import os
import random
from collections.abc import Callable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from wards.models import Ward

from . import issuing, registry
from .errors import DocumentError
from .layout import ascii_filename, official_context, recipients_lines
from .models import DocumentJob, DocumentStatus, document_upload_to
from .rendering import render_pdf

logger = logging.getLogger(__name__)

# Publishing must not keep a person's request hanging when Redis is down: two quick tries, then
# the job waits (enqueued_at empty) for the sweep to put it on the queue once Redis is back.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}


def _lease_length() -> timedelta:
    # No render outlives the hard time limit; the margin covers clocks of different hosts.
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + settings.DOCUMENT_LEASE_MARGIN)


def document_request(*, kind: str, object_id: int, user) -> DocumentJob:
    """The job for the current version of a record's document, created and queued if needed.

    Raises Http404 for an unknown kind, a missing record or a record of a ward the user may not
    see (the same answer in all three cases, so nothing about another ward leaks)."""
    try:
        document_kind = registry.get(kind)
        ward_id = document_kind.ward_id(object_id)
    except (registry.UnknownDocumentKind, ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    visible = user.visible_ward_ids() if getattr(user, "is_authenticated", False) else []
    if visible is not None and ward_id not in visible:
        raise Http404
    entry = issuing.issued_entry_for_job(document_kind, object_id)
    if entry is not None:
        # Issued: one document per register line, whatever changes on the record afterwards.
        version = issuing.issued_version(entry)
    else:
        version = document_kind.version(object_id)
        if document_kind.private:
            version = f"{version}:u{user.pk}"
    with override("vi"):
        title = str(document_kind.title)
        filename = ascii_filename(document_kind.filename(object_id))

    with transaction.atomic():
        job, created = DocumentJob.objects.get_or_create(
            kind=kind,
            object_id=object_id,
            version=version,
            defaults={"ward_id": ward_id, "requested_by": user, "title": title, "filename": filename},
        )
        if created:
            must_enqueue = True
        else:
            job = DocumentJob.objects.select_for_update().get(pk=job.pk)
            must_enqueue = job.status == DocumentStatus.FAILED or (
                job.status == DocumentStatus.QUEUED and job.enqueued_at is None
            )
            if job.status == DocumentStatus.FAILED:
                # Asking again after a failure is the way to try again: same row, fresh attempts.
                job.status = DocumentStatus.QUEUED
                job.attempts = 0
                job.progress = 0
                job.error = ""
                job.task_id = ""
                job.lease_expires_at = None
                job.save(
                    update_fields=[
                        "status",
                        "attempts",
                        "progress",
                        "error",
                        "task_id",
                        "lease_expires_at",
                        "updated_at",
                    ]
                )
        if must_enqueue:
            transaction.on_commit(partial(document_job_enqueue, job_id=job.pk))
    return job


def document_job_enqueue(*, job_id: int) -> bool:
    """Put the job on the broker's queue; False (and the job left waiting) when the broker is down."""
    from .tasks import document_render_task

    DocumentJob.objects.filter(pk=job_id, status=DocumentStatus.QUEUED).update(enqueued_at=timezone.now())
    try:
        document_render_task.apply_async(args=[job_id], retry=True, retry_policy=PUBLISH_RETRY_POLICY)
    except Exception:  # whatever the transport raises, a broker outage must not fail the page
        logger.warning("documents: could not queue job %s; the sweep will retry", job_id, exc_info=True)
        DocumentJob.objects.filter(pk=job_id, status=DocumentStatus.QUEUED).update(enqueued_at=None)
        return False
    return True


def _set_progress(job_id: int, task_id: str, percent: int) -> None:
    DocumentJob.objects.filter(pk=job_id, task_id=task_id, status=DocumentStatus.RENDERING).update(
        progress=max(0, min(percent, 99)), updated_at=timezone.now()
    )


def document_job_claim(*, job_id: int, task_id: str, worker: str) -> DocumentJob | None:
    """Mark the job as being rendered by this delivery, or None when there is nothing to do."""
    now = timezone.now()
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status in (DocumentStatus.DONE, DocumentStatus.FAILED):
            return None
        if (
            job.status == DocumentStatus.RENDERING
            and job.task_id != task_id
            and job.lease_expires_at is not None
            and job.lease_expires_at > now
        ):
            logger.info("documents: job %s is being rendered by %s; skipping", job_id, job.worker)
            return None
        if job.attempts >= settings.DOCUMENT_MAX_ATTEMPTS:
            _fail(
                job,
                _("The document could not be produced after %(count)d attempts. Ask for it again later.")
                % {"count": job.attempts},
            )
            return None
        job.status = DocumentStatus.RENDERING
        job.attempts += 1
        job.task_id = task_id
        job.worker = worker[:200]
        job.started_at = now
        job.lease_expires_at = now + _lease_length()
        job.progress = 5
        job.save(
            update_fields=[
                "status",
                "attempts",
                "task_id",
                "worker",
                "started_at",
                "lease_expires_at",
                "progress",
                "updated_at",
            ]
        )
        return job


def _fail(job: DocumentJob, message: str) -> None:
    job.status = DocumentStatus.FAILED
    job.error = message
    job.lease_expires_at = None
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "lease_expires_at", "finished_at", "updated_at"])


def document_context(job: DocumentJob) -> dict:
    """Everything `job`'s template receives: the kind's context over the official layout's (call
    it under the Vietnamese locale, as build_document does)."""
    document_kind = registry.get(job.kind)
    context = document_kind.build_context(job.object_id)
    ward = Ward.objects.get(pk=job.ward_id)
    # The record's own date (signed, recorded, approved...) when the kind gives one: the heading
    # prints the unit names in force that day. Else the day the document was asked for.
    day = context.get("document_date") or (
        timezone.localdate(job.created_at) if job.created_at else timezone.localdate()
    )
    if context.get("recipients"):
        context = {**context, "recipients": recipients_lines(context["recipients"])}
    return {
        **official_context(
            ward,
            day=day,
            number=context.get("number", ""),
            title=context.get("document_title") or str(document_kind.title),
        ),
        **context,
        "job": job,
    }


def build_document(
    job: DocumentJob,
    *,
    progress: Callable[[int], None] | None = None,
    verification: dict | None = None,
) -> bytes:
    """The PDF of `job`'s record as it is now (pure: writes nothing). `verification`: the
    verification block an issued document prints (documents.issuing)."""
    document_kind = registry.get(job.kind)
    progress = progress or (lambda percent: None)
    with override("vi"):
        full_context = document_context(job)
        if verification:
            full_context["verification"] = verification
        progress(20)
        if document_kind.renderer is not None:
            pdf = document_kind.renderer(
                document_kind.template,
                full_context,
                progress=lambda done, total: progress(20 + 70 * done // total),
            )
        else:
            progress(40)
            pdf = render_pdf(document_kind.template, full_context)
    return pdf


def document_job_render(*, job_id: int, task_id: str, worker: str = "") -> DocumentJob | None:
    """Claim, render and store one job; returns the finished job or None when there was nothing to do.

    Raises what rendering raised; the task decides whether it is transient (retry) or not."""
    job = document_job_claim(job_id=job_id, task_id=task_id, worker=worker or f"pid {os.getpid()}")
    if job is None:
        return None
    entry = issuing.entry_of_job(job)
    if entry is not None:
        # An issued document: signed once and kept; a re-render returns the stored bytes.
        pdf, saved_name = issuing.issued_pdf(
            job,
            entry,
            lambda verification: build_document(
                job, progress=partial(_set_progress, job.pk, task_id), verification=verification
            ),
        )
        _set_progress(job.pk, task_id, 90)
    else:
        pdf = build_document(job, progress=partial(_set_progress, job.pk, task_id))
        _set_progress(job.pk, task_id, 90)

        name = document_upload_to(job, job.filename)
        # Overwrite, never add a sibling: a re-render after a crash must leave exactly one file.
        if default_storage.exists(name):
            default_storage.delete(name)
        saved_name = default_storage.save(name, ContentFile(pdf))

    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().get(pk=job_id)
        if job.status != DocumentStatus.RENDERING or job.task_id != task_id:
            # Our claim expired and another delivery took over; it writes the same file name.
            logger.warning("documents: job %s was taken over while rendering; dropping result", job_id)
            return None
        job.file.name = saved_name
        job.checksum = hashlib.sha256(pdf).hexdigest()
        job.size = len(pdf)
        job.status = DocumentStatus.DONE
        job.progress = 100
        job.error = ""
        job.lease_expires_at = None
        job.finished_at = timezone.now()
        job.save(
            update_fields=[
                "file",
                "checksum",
                "size",
                "status",
                "progress",
                "error",
                "lease_expires_at",
                "finished_at",
                "updated_at",
            ]
        )
    return job


def document_job_fail(*, job_id: int, task_id: str, error: Exception) -> None:
    """A permanent failure: record a message the person who asked can read."""
    if isinstance(error, DocumentError):
        message = str(error)
    elif isinstance(error, registry.UnknownDocumentKind):
        message = _("This kind of document is no longer available.")
    elif isinstance(error, ObjectDoesNotExist):
        message = _("The record this document is for no longer exists.")
    else:
        message = _("The document could not be produced because of an internal error; it has been logged.")
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status == DocumentStatus.DONE:
            return
        if job.status == DocumentStatus.RENDERING and job.task_id not in ("", task_id):
            return
        _fail(job, message)


def document_job_release_for_retry(*, job_id: int, task_id: str) -> int | None:
    """A transient failure: put the job back to waiting. Returns the countdown before the retry,
    or None when the job has used its attempts (it is then marked failed)."""
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != DocumentStatus.RENDERING or job.task_id != task_id:
            return None
        if job.attempts >= settings.DOCUMENT_MAX_ATTEMPTS:
            _fail(
                job,
                _("The document could not be produced after %(count)d attempts. Ask for it again later.")
                % {"count": job.attempts},
            )
            return None
        job.status = DocumentStatus.QUEUED
        job.progress = 0
        job.lease_expires_at = None
        job.error = _(
            "A temporary problem interrupted the document; trying again (attempt %(next)d of %(max)d)."
        ) % {
            "next": job.attempts + 1,
            "max": settings.DOCUMENT_MAX_ATTEMPTS,
        }
        job.enqueued_at = timezone.now()
        job.save(
            update_fields=["status", "progress", "lease_expires_at", "error", "enqueued_at", "updated_at"]
        )
        # Exponential backoff with jitter: 5 s, 10 s, 20 s, ... capped at 5 minutes.
        return min(5 * 2 ** (job.attempts - 1), 300) + random.randint(0, 3)


def document_jobs_sweep(*, limit: int = 500) -> int:
    """Re-enqueue jobs whose message was lost; returns how many were put on the queue."""
    now = timezone.now()
    requeue_before = now - timedelta(seconds=settings.DOCUMENT_REQUEUE_AFTER)
    # A render whose claim expired died with its worker (the hard time limit is shorter).
    DocumentJob.objects.filter(status=DocumentStatus.RENDERING, lease_expires_at__lt=now).update(
        status=DocumentStatus.QUEUED, progress=0, enqueued_at=None, updated_at=now
    )
    stuck = list(
        DocumentJob.objects.filter(status=DocumentStatus.QUEUED)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=requeue_before))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    queued = 0
    for job_id in stuck:
        queued += document_job_enqueue(job_id=job_id)
    if stuck:
        logger.info("documents: sweep re-enqueued %s of %s waiting jobs", queued, len(stuck))
    return queued
