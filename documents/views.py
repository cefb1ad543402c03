from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import manager_required

from .exporting import register_xlsx
from .forms import RegisterFilterForm
from .models import DocumentJob
from .selectors import get_document_job_for_user, register_entries_for_user
from .services import document_request


def _wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def job_as_dict(job: DocumentJob) -> dict:
    return {
        "id": job.pk,
        "kind": job.kind,
        "title": job.title,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "progress": job.progress,
        "attempts": job.attempts,
        "error": job.error,
        "filename": job.filename,
        "checksum": job.checksum,
        "size": job.size,
        "download_url": reverse("documents:download", args=[job.pk]) if job.is_ready else None,
        "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


@never_cache
@require_GET
@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_document_job_for_user(request.user, pk)
    if _wants_json(request):
        return JsonResponse(job_as_dict(job))
    context = {"job": job}
    if getattr(request, "htmx", False):
        return render(request, "documents/partials/documentjob_progress.html", context)
    return render(request, "documents/documentjob_detail.html", context)


@never_cache
@require_GET
@login_required
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_document_job_for_user(request.user, pk)
    if not job.is_ready:
        return redirect("documents:detail", pk=job.pk)
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=job.filename, content_type="application/pdf")
    # Documents carry personal data: no shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


def request_document(request: HttpRequest, *, kind: str, object_id: int) -> HttpResponse:
    """What a feature app's POST endpoint returns: ask for the document, 302 to its status page."""
    job = document_request(kind=kind, object_id=object_id, user=request.user)
    return redirect("documents:detail", pk=job.pk)


def document_request_view(kind: str) -> Callable[..., HttpResponse]:
    """A ready-made POST endpoint for one kind: `path("<int:pk>/pdf/", document_request_view("x"))`.

    Every logged-in user of the record's ward may ask for its documents (the chairman too: a
    printout changes no record); another ward's record is a 404."""

    @require_POST
    @login_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return request_document(request, kind=kind, object_id=pk)

    view.__name__ = f"request_{kind.replace('-', '_')}"
    return view


@manager_required
@require_GET
def register_list(request: HttpRequest) -> HttpResponse:
    """The register of document numbers of the leader's ward, filtered; `?format=xlsx` exports."""
    form = RegisterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = register_entries_for_user(
        request.user,
        kind=filters.get("kind", ""),
        year=filters.get("year"),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    if request.GET.get("format") == "xlsx" and (form.is_valid() or not request.GET):
        with translation.override("vi"):
            body = register_xlsx(entries.iterator(chunk_size=2000))
        response = HttpResponse(
            body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="so-dang-ky-van-ban.xlsx"'
        return response
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "documents/register_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
