from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import writer_required
from businesses.models import Business
from wards.scoping import get_for_user, scope_to_user

from . import hooks, selectors
from .forms import InspectionFilterForm, InspectionForm
from .models import ChecklistVersion, Commitment
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
        {"form": form, "page": page, "query": query.urlencode()},
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
    templates = selectors.templates_for_business(business)
    if not templates:
        return render(request, "inspections/inspection_no_checklist.html", {"business": business}, status=200)
    chosen = next((t for t in templates if t.code == request.GET.get("checklist")), templates[0])
    version = selectors.published_version(chosen)
    if request.method == "POST":
        # The version the form was opened with, even if a newer one was published meanwhile.
        posted = request.POST.get("version", "")
        if posted.isdigit():
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
            data = form.cleaned_data
            try:
                inspection, created = inspection_record(
                    submission_id=data["submission_id"],
                    business=business,
                    version=version,
                    recorded_by=request.user,
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
                )
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
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _choose_business(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    businesses = []
    if query:
        businesses = list(
            scope_to_user(Business.objects.select_related("street"), request.user)
            .filter(name__icontains=query)
            .order_by("name")[:20]
        )
    return render(
        request, "inspections/inspection_choose_business.html", {"query": query, "businesses": businesses}
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
