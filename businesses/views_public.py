"""The public page behind a poster's QR code, the page to type a short code, and citizen
feedback. No login; nothing here may show personal data or internal ids."""

from axes.helpers import get_client_ip_address
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .feedback import (
    FeedbackInput,
    feedback_count_attempt,
    feedback_submit,
    feedback_throttled,
    page_view_throttled,
)
from .forms_public import CodeEntryForm, FeedbackForm
from .models import Business
from .public import cached_public_page, lookup_short_code


def _address(request: HttpRequest) -> str:
    return get_client_ip_address(request) or "unknown"


def _too_many(request: HttpRequest, message: str) -> HttpResponse:
    response = render(request, "businesses/public_throttled.html", {"message": message}, status=429)
    response["Retry-After"] = "3600"
    return response


def _withdrawn(request: HttpRequest) -> HttpResponse:
    # 410 Gone: the code existed and was withdrawn on purpose (old or misused poster).
    return render(request, "businesses/public_withdrawn.html", status=410)


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "businesses/public_not_found.html", status=404)


@require_http_methods(["GET"])
def public_code_entry(request: HttpRequest) -> HttpResponse:
    if page_view_throttled(address=_address(request)):
        return _too_many(request, _("Too many requests from your connection. Please try again in a minute."))
    form = CodeEntryForm(request.GET or None)
    if form.is_valid():
        found = lookup_short_code(form.cleaned_data["code"])
        if found.business is not None:
            return redirect("public:business", token=found.business.public_token)
        if found.withdrawn:
            return _withdrawn(request)
        form.add_error("code", _("No poster has this code. Check the letters and digits and try again."))
    return render(request, "businesses/public_code_entry.html", {"form": form})


@require_http_methods(["GET", "POST"])
def public_business_page(request: HttpRequest, token: str) -> HttpResponse:
    address = _address(request)
    if request.method == "GET" and page_view_throttled(address=address):
        return _too_many(request, _("Too many requests from your connection. Please try again in a minute."))
    page = cached_public_page(token)
    if page["state"] == "withdrawn":
        return _withdrawn(request)
    if page["state"] != "ok":
        return _not_found(request)

    form = FeedbackForm()
    status = 200
    if request.method == "POST":
        if feedback_throttled(address=address, token=token):
            return _too_many(
                request,
                _(
                    "You have sent the most feedback allowed in one hour. Please try again later, "
                    "or call the ward police directly; in an emergency call 113."
                ),
            )
        form = FeedbackForm(request.POST, request.FILES)
        if form.is_bot:
            feedback_count_attempt(address=address, token=token)
            return redirect("public:feedback_sent", token=token)
        if form.is_valid():
            business = Business.objects.filter(public_token=token).first()
            if business is None:  # the token was withdrawn while the page sat in the cache
                return _withdrawn(request)
            data = form.cleaned_data
            feedback_submit(
                business=business,
                data=FeedbackInput(
                    category=data["category"],
                    message=data["message"],
                    contact_phone=data["contact_phone"],
                    contact_email=data["contact_email"],
                    contact_consent=data["contact_consent"],
                    photo=data["photo"],
                ),
            )
            feedback_count_attempt(address=address, token=token)
            return redirect("public:feedback_sent", token=token)
        status = 400
    response = render(
        request,
        "businesses/public_business.html",
        {"facts": page["facts"], "code": page["code"], "form": form, "token": token},
        status=status,
    )
    # The page carries a CSRF token for its form: private caches only.
    response["Cache-Control"] = "private, max-age=60"
    return response


@require_http_methods(["GET"])
def public_feedback_sent(request: HttpRequest, token: str) -> HttpResponse:
    page = cached_public_page(token)
    if page["state"] == "withdrawn":
        return _withdrawn(request)
    if page["state"] != "ok":
        return _not_found(request)
    return render(request, "businesses/public_feedback_sent.html", {"facts": page["facts"], "token": token})
