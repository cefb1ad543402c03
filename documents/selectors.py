import datetime

from django.db.models import QuerySet
from django.http import Http404

from wards.scoping import get_for_user, scope_to_user

from . import registry
from .models import DocumentJob, RegisterEntry


def document_jobs_for_user(user) -> QuerySet[DocumentJob]:
    return scope_to_user(DocumentJob.objects.select_related("requested_by", "ward"), user)


def get_document_job_for_user(user, pk: int) -> DocumentJob:
    """The job, or Http404 (also when it belongs to another ward, or is another user's private
    document)."""
    job = get_for_user(DocumentJob.objects.select_related("requested_by"), user, pk=pk)
    try:
        private = registry.get(job.kind).private
    except registry.UnknownDocumentKind:
        private = False
    if private and job.requested_by_id != user.pk:
        raise Http404
    return job


def register_entries_for_user(
    user,
    *,
    kind: str = "",
    year: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[RegisterEntry]:
    """The register lines of the user's ward (every ward for a superuser), newest first."""
    entries = scope_to_user(RegisterEntry.objects.select_related("signer", "ward", "issued"), user)
    if kind:
        entries = entries.filter(kind=kind)
    if year:
        entries = entries.filter(year=year)
    if date_from:
        entries = entries.filter(issued_on__gte=date_from)
    if date_to:
        entries = entries.filter(issued_on__lte=date_to)
    return entries.order_by("-issued_on", "kind", "-number", "-pk")
