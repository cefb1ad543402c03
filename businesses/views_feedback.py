"""Triage of citizens' feedback by the ward's officers; the chairman reads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import writer_required

from .feedback import feedback_list, feedback_update, get_feedback_for_user
from .forms_public import FeedbackFilterForm, FeedbackUpdateForm

PAGE_SIZE = 50


@require_GET
@login_required
def feedback_list_view(request: HttpRequest) -> HttpResponse:
    form = FeedbackFilterForm(request.GET or None)
    queryset = feedback_list(user=request.user, filters=form.filters())
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "businesses/feedback_list.html",
        {"form": form, "page": page, "query_string": params.urlencode()},
    )


def _detail(request: HttpRequest, feedback, form: FeedbackUpdateForm, *, status: int = 200) -> HttpResponse:
    return render(
        request,
        "businesses/feedback_detail.html",
        {"feedback": feedback, "form": form, "can_write": request.user.can_write},
        status=status,
    )


@never_cache
@require_GET
@login_required
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = get_feedback_for_user(request.user, pk)
    form = FeedbackUpdateForm(initial={"status": feedback.status, "response_note": feedback.response_note})
    return _detail(request, feedback, form)


@require_POST
@writer_required
def feedback_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = get_feedback_for_user(request.user, pk)
    form = FeedbackUpdateForm(request.POST)
    if form.is_valid():
        try:
            feedback_update(
                feedback=feedback,
                user=request.user,
                status=form.cleaned_data["status"],
                response_note=form.cleaned_data["response_note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The feedback was updated."))
            return redirect("feedback:detail", pk=feedback.pk)
    return _detail(request, feedback, form, status=400)


@never_cache
@require_GET
@login_required
def feedback_photo(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = get_feedback_for_user(request.user, pk)
    if not feedback.photo:
        raise Http404
    try:
        handle = feedback.photo.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
