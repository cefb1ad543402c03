"""The public verification of an issued document (#29): /v/ (type a code) and /v/<code>/.

No login. Nothing here shows personal data: the page says what the register says of the
document (kind, number, date, issuing unit, status, SHA-256), never its title or who it concerns.
Unknown codes are a plain 404 and every request counts against the same per-address throttle as
the other public pages, so codes cannot be walked."""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import issuing
from .forms_verify import VerifyCodeForm, VerifyUploadForm
from .models import IssuedDocument
from .signing import verify_pdf

# The same window and budget as the businesses' public pages (businesses/feedback.py): one
# counter per address for every public page view.
PAGE_VIEWS_PER_ADDRESS_PER_MINUTE = 60
UPLOADS_PER_ADDRESS_PER_HOUR = 30


def _address(request: HttpRequest) -> str:
    return get_client_ip_address(request) or "unknown"


def _bump(key: str, seconds: int) -> int:
    if cache.add(key, 1, seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, seconds)
        return 1


def _view_throttled(request: HttpRequest) -> bool:
    return _bump(f"throttle:view:ip:{_address(request)}", 60) > PAGE_VIEWS_PER_ADDRESS_PER_MINUTE


def _upload_throttled(request: HttpRequest) -> bool:
    return _bump(f"throttle:verify-upload:ip:{_address(request)}", 3600) > UPLOADS_PER_ADDRESS_PER_HOUR


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "documents/verify_throttled.html",
        {"message": _("Too many requests from your connection. Please try again in a minute.")},
        status=429,
    )
    response["Retry-After"] = "60"
    return response


@require_http_methods(["GET"])
def verify_code_entry(request: HttpRequest) -> HttpResponse:
    if _view_throttled(request):
        return _too_many(request)
    form = VerifyCodeForm(request.GET or None)
    if form.is_valid():
        return redirect("verify:document", code=form.cleaned_data["code"])
    return render(request, "documents/verify_code_entry.html", {"form": form})


def document_facts(issued: IssuedDocument) -> dict:
    """What the public page says of an issued document: the register's facts, no personal data."""
    entry = issued.entry
    successor = None
    if entry.superseded_by_id:
        newer = IssuedDocument.objects.filter(entry_id=entry.superseded_by_id).first()
        successor = {
            "number": entry.superseded_by.number_text,
            "code": newer.code if newer else "",
        }
    certificate = issued.certificate
    return {
        "kind": entry.get_kind_display(),
        "number": entry.number_text,
        "issued_on": entry.issued_on,
        "unit": entry.ward.document_unit_name,
        "status": entry.status,
        "successor": successor,
        "withdrawn_on": entry.withdrawn_on,
        "sha256": issued.sha256,
        "signed": issued.is_signed,
        "profile": issued.profile,
        "certificate": (
            {
                "subject": certificate.subject,
                "issuer": certificate.issuer,
                "fingerprint": certificate.fingerprint,
                "not_after": certificate.not_after,
                "revoked_at": certificate.revoked_at,
                "is_demo": certificate.is_demo,
            }
            if certificate
            else None
        ),
    }


@require_http_methods(["GET", "POST"])
def verify_document(request: HttpRequest, code: str) -> HttpResponse:
    if _view_throttled(request):
        return _too_many(request)
    normalised = issuing.normalise_code(code)
    issued = (
        IssuedDocument.objects.select_related("entry__ward", "entry__superseded_by", "certificate")
        .filter(code=normalised)
        .first()
        if normalised
        else None
    )
    if issued is None:
        # The same answer for a code never drawn and for a malformed one: nothing to enumerate.
        return render(request, "documents/verify_not_found.html", status=404)
    if normalised != code:
        return redirect("verify:document", code=normalised)
    form = VerifyUploadForm(max_bytes=settings.VERIFY_MAX_UPLOAD_BYTES)
    result = None
    status = 200
    if request.method == "POST":
        if _upload_throttled(request):
            return _too_many(request)
        form = VerifyUploadForm(request.POST, request.FILES, max_bytes=settings.VERIFY_MAX_UPLOAD_BYTES)
        if form.is_valid():
            result = verify_pdf(
                form.cleaned_data["file"],
                issued_sha256=issued.sha256,
                certificates=issuing.ward_certificates(issued.entry.ward_id),
            )
        else:
            status = 400
    response = render(
        request,
        "documents/verify_document.html",
        {
            "facts": document_facts(issued),
            "code": issuing.display_code(issued.code),
            "raw_code": issued.code,
            "form": form,
            "result": result,
        },
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    return response
