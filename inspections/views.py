import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.permissions import writer_required
from accounts.roles import Role
from businesses.models import Business
from businesses.selectors import business_list
from wards.scoping import get_for_user, scope_to_user

from . import hooks, offline, selectors
from .forms import InspectionFilterForm, InspectionForm
from .models import ChecklistVersion, Commitment, Inspection, VersionStatus
from .permissions import get_inspection_for_user, get_photo_for_user
from .services import commitment_mark_fulfilled, inspection_record

PAGE_SIZE = 50


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    form = InspectionFilterForm(request.GET or None, user=request.user)
    inspections = selectors.inspection_list(request.user, form.filters())
    page = Paginator(inspections, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "inspections/inspection_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_inspect": request.user.has_role(Role.OFFICER, Role.LEADER),
        },
    )


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_detail(request.user, pk)
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "sections": selectors.inspection_checklist(inspection),
            "general_photos": [p for p in inspection.photos.all() if p.item_id is None],
            "commitment": getattr(inspection, "commitment", None),
        },
    )


def _source_from_query(request: HttpRequest) -> str:
    # `?campaign=<pk>` is the documented entry from a campaign; `?source=kind:pk` is the generic form.
    campaign = request.GET.get("campaign", "")
    if campaign.isdigit():
        return hooks.clean_source(f"campaign:{campaign}")
    return hooks.clean_source(request.GET.get("source", ""))


@writer_required
def inspection_new(request: HttpRequest) -> HttpResponse:
    business_pk = request.GET.get("business", "")
    if not business_pk:
        return _choose_business(request)
    business = get_for_user(
        Business.objects.select_related("category", "street", "ward"), request.user, pk=business_pk
    )
    published = selectors.published_checklists_for_business(business)
    if not published:
        return render(request, "inspections/inspection_no_checklist.html", {"business": business}, status=200)
    templates = [v.template for v in published]
    version = next((v for v in published if v.template.code == request.GET.get("checklist")), published[0])
    chosen = version.template
    if request.method == "POST":
        # The version the form was opened with, even if a newer one was published meanwhile.
        posted = request.POST.get("version", "")
        if posted.isdigit() and (version is None or int(posted) != version.pk):
            version = (
                ChecklistVersion.objects.filter(pk=int(posted), template=chosen)
                .exclude(status="draft")
                .first()
                or version
            )
    sections = selectors.checklist_form_sections(version, business.category_id)
    form_kwargs = {"business": business, "version": version, "sections": sections}
    if request.method == "POST":
        form = InspectionForm(request.POST, request.FILES, **form_kwargs)
        if form.is_valid():
            try:
                inspection, created = _record(form, business=business, version=version, user=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if inspection.ward_id != business.ward_id:
                    raise Http404
                if created:
                    messages.success(
                        request,
                        _("Inspection saved: %(result)s.") % {"result": inspection.get_result_display()},
                    )
                else:
                    messages.info(
                        request, _("This inspection had already been saved; nothing was duplicated.")
                    )
                return redirect("inspections:detail", pk=inspection.pk)
    else:
        form = InspectionForm(
            initial=InspectionForm.new_initial(
                user=request.user,
                version=version,
                source=_source_from_query(request),
                owner_name=business.owner_name,
            ),
            **form_kwargs,
        )
    return render(
        request,
        "inspections/inspection_form.html",
        {
            "form": form,
            "business": business,
            "version": version,
            "templates": templates,
            "chosen": chosen,
            "item_count": len(form.item_names),
            "offline_ticket": offline.ticket_for(user=request.user, business=business),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _record(form: InspectionForm, *, business: Business, version: ChecklistVersion, user) -> tuple:
    """Store a valid form through the service (shared by the page and the offline sync)."""
    data = form.cleaned_data
    return inspection_record(
        submission_id=data["submission_id"],
        business=business,
        version=version,
        recorded_by=user,
        inspectors=list(data["inspectors"]),
        person_present_name=data["person_present_name"].strip(),
        person_present_role=data["person_present_role"],
        partner_forces=data["partner_forces"].strip(),
        started_at=data["started_at"],
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        gps_accuracy_m=data.get("gps_accuracy_m"),
        answers=form.answers(),
        photos=form.processed_photos,
        commitment=form.commitment_input(),
        remarks=data["remarks"].strip(),
        source=data.get("source") or "",
        violation_types=[data["violation_type"]] if data.get("violation_type") else [],
    )


PICKER_LIMIT = 20


def _choose_business(request: HttpRequest) -> HttpResponse:
    # The registry's own search (accent-folded name, owner, house number and street), so the
    # picker finds what the business list finds.
    query = request.GET.get("q", "").strip()
    businesses = []
    if query:
        businesses = list(business_list(user=request.user, filters={"q": query})[: PICKER_LIMIT + 1])
    return render(
        request,
        "inspections/inspection_choose_business.html",
        {
            "query": query,
            "businesses": businesses[:PICKER_LIMIT],
            "more": len(businesses) > PICKER_LIMIT,
            "limit": PICKER_LIMIT,
        },
    )


def _serve(name: str, content_type: str) -> FileResponse:
    if not name or not default_storage.exists(name):
        raise Http404
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def photo_file(request: HttpRequest, pk: int, size: str = "full") -> FileResponse:
    photo = get_photo_for_user(request.user, pk)
    return _serve(photo.thumbnail.name if size == "thumb" else photo.image.name, "image/jpeg")


@login_required
def signature_file(request: HttpRequest, pk: int) -> FileResponse:
    inspection = get_inspection_for_user(request.user, pk)
    commitment = Commitment.objects.filter(inspection=inspection).first()
    if commitment is None:
        raise Http404
    return _serve(commitment.signature.name, "image/png")


@require_POST
@writer_required
def commitment_fulfil(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, pk)
    commitment = Commitment.objects.filter(inspection=inspection).first()
    if commitment is None:
        raise Http404
    commitment_mark_fulfilled(commitment=commitment, user=request.user)
    messages.success(request, _("The commitment is marked as kept."))
    return redirect(reverse("inspections:detail", args=[inspection.pk]) + "#commitment")


# --- offline: the outbox page and the sync endpoint the phone's queue posts to --------------


@writer_required
def inspection_outbox(request: HttpRequest) -> HttpResponse:
    """A shell: the list itself lives on the phone (IndexedDB) and is drawn by offline.js."""
    return render(request, "inspections/inspection_outbox.html")


def _sync_error(status: int, message: str, *, reasons: list[str] | None = None, errors=None) -> JsonResponse:
    body: dict = {"status": "conflict" if status == 409 else "error", "message": message}
    if reasons is not None:
        body["reasons"] = reasons
    if errors is not None:
        body["errors"] = errors
    return JsonResponse(body, status=status)


def _sync_stored(request: HttpRequest, inspection, *, created: bool) -> JsonResponse:
    return JsonResponse(
        {
            "status": "created" if created else "already_stored",
            "message": _("Inspection saved: %(result)s.") % {"result": inspection.get_result_display()}
            if created
            else _("This inspection had already been saved; nothing was duplicated."),
            "inspection_id": inspection.pk,
            "inspection_url": reverse("inspections:detail", args=[inspection.pk]),
        },
        status=201 if created else 200,
    )


def _form_errors(form: InspectionForm) -> list[str]:
    messages_ = []
    for name, errors in form.errors.items():
        label = "" if name == "__all__" else str(form.fields[name].label or "")
        messages_.extend(f"{label}: {e}" if label else str(e) for e in errors)
    return messages_


@never_cache
@writer_required
def inspection_sync(request: HttpRequest) -> HttpResponse:
    """POST one queued form (the same fields as the page, plus `business`), answer in JSON.

    GET hands a fresh CSRF token to the phone's queue (the cookie is HttpOnly); the POST itself
    is CSRF-checked like every other form. 201 created, 200 already stored (a replay), 400 the
    form is invalid, 404 not in the user's ward, 409 it can no longer be accepted (reasons).
    """
    if request.method == "GET":
        return JsonResponse({"csrf_token": get_token(request)})
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        submission_id = uuid.UUID(request.POST.get("submission_id", ""))
    except ValueError:
        return _sync_error(400, _("The queued inspection has no valid submission id."))
    stored = scope_to_user(Inspection.objects.all(), request.user).filter(submission_id=submission_id).first()
    if stored:
        return _sync_stored(request, stored, created=False)

    business_pk = request.POST.get("business", "")
    if not business_pk.isdigit():
        return _sync_error(400, _("The queued inspection does not say which business it is for."))
    business = (
        scope_to_user(Business.objects.select_related("category", "ward"), request.user)
        .filter(pk=int(business_pk))
        .first()
    )
    if business is None:
        if offline.ticket_vouches(
            request.POST.get("offline_ticket", ""), user=request.user, business_pk=int(business_pk)
        ):
            return _sync_error(
                409, _("This inspection can no longer be accepted."), reasons=[offline.moved_reason()]
            )
        return _sync_error(404, _("This business is not in your ward."))

    posted = request.POST.get("version", "")
    version = (
        ChecklistVersion.objects.select_related("template")
        .exclude(status=VersionStatus.DRAFT)
        .filter(pk=int(posted) if posted.isdigit() else None)
        .first()
    )
    if version is None:
        return _sync_error(400, _("The checklist of this inspection no longer exists."))
    try:
        started_at = parse_datetime(request.POST.get("started_at", ""))
    except ValueError:
        started_at = None
    if started_at is not None and timezone.is_naive(started_at):
        started_at = timezone.make_aware(started_at)
    reasons = offline.sync_conflicts(
        user=request.user,
        business=business,
        version=version,
        source=hooks.clean_source(request.POST.get("source", "")),
        started_at=started_at,
    )
    if reasons:
        return _sync_error(409, _("This inspection can no longer be accepted."), reasons=reasons)

    sections = selectors.checklist_form_sections(version, business.category_id)
    form = InspectionForm(request.POST, request.FILES, business=business, version=version, sections=sections)
    if not form.is_valid():
        return _sync_error(400, _("The inspection was not saved."), errors=_form_errors(form))
    try:
        inspection, created = _record(form, business=business, version=version, user=request.user)
    except ValidationError as exc:
        return _sync_error(400, _("The inspection was not saved."), errors=list(exc.messages))
    if inspection.ward_id != business.ward_id:
        return _sync_error(404, _("This business is not in your ward."))
    return _sync_stored(request, inspection, created=created)
