"""Celery tasks of the documents app (DESIGN.md convention 5: ids in, re-fetch, idempotent)."""

import logging
import os

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

from . import services
from .errors import TransientDocumentError

logger = logging.getLogger(__name__)

# Worth another try later: the database or the file storage hiccuped, or the render ran out of
# time on a busy worker. Everything else (a template error, a missing record) fails for good.
TRANSIENT_ERRORS = (
    TransientDocumentError,
    SoftTimeLimitExceeded,
    OperationalError,
    InterfaceError,
    ConnectionError,
    TimeoutError,
)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def document_render_task(self, job_id: int) -> str:
    task_id = self.request.id or ""
    worker = f"{self.request.hostname or 'local'} pid {os.getpid()}"
    try:
        job = services.document_job_render(job_id=job_id, task_id=task_id, worker=worker)
    except TRANSIENT_ERRORS as exc:
        logger.warning("documents: job %s hit a transient error: %r", job_id, exc)
        try:
            countdown = services.document_job_release_for_retry(job_id=job_id, task_id=task_id)
        except (OperationalError, InterfaceError):
            # The database itself is away: let the broker bring the message back later.
            countdown = 30
        if countdown is None:
            return "gave up"
        if self.request.is_eager:
            # In-process mode (no broker): try again at once. Celery's eager retry would re-raise
            # under task_eager_propagates; the attempt cap bounds this recursion.
            return self.run(job_id)
        raise self.retry(exc=exc, countdown=countdown) from exc
    except Exception as exc:
        logger.exception("documents: job %s failed", job_id)
        services.document_job_fail(job_id=job_id, task_id=task_id, error=exc)
        return "failed"
    return "done" if job is not None else "nothing to do"


@shared_task(acks_late=True, ignore_result=True)
def document_jobs_sweep_task() -> int:
    return services.document_jobs_sweep()
