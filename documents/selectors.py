from django.db.models import QuerySet

from wards.scoping import get_for_user, scope_to_user

from .models import DocumentJob


def document_jobs_for_user(user) -> QuerySet[DocumentJob]:
    return scope_to_user(DocumentJob.objects.select_related("requested_by", "ward"), user)


def get_document_job_for_user(user, pk: int) -> DocumentJob:
    """The job, or Http404 (also when it belongs to another ward)."""
    return get_for_user(DocumentJob.objects.select_related("requested_by"), user, pk=pk)
