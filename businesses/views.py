from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.permissions import manager_required, role_required, writer_required
from documents.views import request_document
from ward_police.pagination import CountedRowsPaginator
from wards.places import PagePlaces
from wards.scoping import get_for_user

from . import exporting
from .documents import BUSINESS_HISTORY_FULL
from .forms import BusinessFilterForm, BusinessForm, ImportUploadForm
from .importing import MAX_BYTES, ImportFileError, check_import
from .models import BusinessImport, BusinessStatus, InspectionResult, PersonalField
from .permissions import (
    PERSONAL_DATA_ROLES,
    can_edit_business,
    can_inspect_business,
    can_reveal_personal_data,
    get_business_for_user,
)
from .selectors import ROW_COLUMNS, business_list, business_rows_of, personal_data_accesses_for_user
from .services import (
    ImportRejected,
    business_create,
    business_import_apply,
    business_import_upload,
    business_update,
    personal_data_log,
)
from .timeline import due_actions_for, timeline_for

PAGE_SIZE = 50


def row_labels() -> dict:
    """What the list's rows (jinja2/businesses/macros.html) show the same on every row, translated
    once per page: the column names (each cell's data-label), the certificate's and last
    inspection's texts, the status and result names, and the prefix of a business's address
    (businesses/urls.py: ``<int:pk>/`` under the list)."""
    return {
        "columns": {
            "business": _("Business"),
            "address": _("Address"),
            "owner": _("Owner"),
            "status": _("Status"),
            "certificate": _("Certificate"),
            "last_inspection": _("Last inspection"),
        },
        "texts": {
            "expired": _("Expired %(date)s"),
            "valid": _("Valid until %(date)s"),
            "missing": _("Needed, none recorded"),
            "not_required": _("Not required"),
            "never": _("Never inspected"),
        },
        "statuses": {value: str(label) for value, label in BusinessStatus.choices},
        "results": {value: str(label) for value, label in InspectionResult.choices},
        "detail_url_prefix": reverse("businesses:list"),
    }


def _filter_form(request: HttpRequest) -> BusinessFilterForm:
    return BusinessFilterForm(request.GET or None, user=request.user)


@login_required
def business_list_view(request: HttpRequest) -> HttpResponse:
    places = PagePlaces(request.user, categories=True)
    form = BusinessFilterForm(request.GET or None, user=request.user, places=places)
    # The rows' category, street and group names come from the filters' lists, not from joins.
    filters = form.filters()
    queryset = business_list(user=request.user, filters=filters).select_related(None)
    if filters.get("q"):  # a search reads every match anyway: its count comes with the page
        paginator = CountedRowsPaginator(queryset, PAGE_SIZE, ROW_COLUMNS)
    else:
        paginator = Paginator(queryset.values_list(*ROW_COLUMNS), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = business_rows_of(list(page.object_list), places)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "businesses/business_list.html",
        {
            "form": form,
            "page": page,
            "query_string": params.urlencode(),
            "can_write": request.user.can_write,
            "today": timezone.localdate(),
            "labels": row_labels(),
        },
    )


def _detail_context(request: HttpRequest, business, *, revealed: frozenset[str] = frozenset()) -> dict:
    return {
        "business": business,
        "revealed": revealed,
        "can_edit": can_edit_business(request.user, business),
        "can_inspect": can_inspect_business(request.user, business),
        "can_reveal": can_reveal_personal_data(request.user, business),
        "due_actions": due_actions_for(business),
        "timeline": timeline_for(business),
    }


@login_required
def business_detail(request: HttpRequest, pk: int) -> HttpResponse:
    business = get_business_for_user(request.user, pk)
    return render(request, "businesses/business_detail.html", _detail_context(request, business))


@never_cache
@require_POST
@role_required(*PERSONAL_DATA_ROLES)
def business_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the owner's full ID number and phone once, and log it (an explicit, deliberate act)."""
    business = get_business_for_user(request.user, pk)
    if not can_reveal_personal_data(request.user, business):
        raise PermissionDenied
    fields = [f for f in request.POST.getlist("field") if f in PersonalField.values] or list(
        PersonalField.values
    )
    personal_data_log(user=request.user, business=business, fields=fields, purpose="reveal")
    context = _detail_context(request, business, revealed=frozenset(fields))
    if request.htmx:
        return render(request, "businesses/partials/personal_data.html", context)
    return render(request, "businesses/business_detail.html", context)


@require_POST
@role_required(*PERSONAL_DATA_ROLES)
def business_history_full_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The business history with the owner's CCCD and phone in full, for an officer or leader of
    the ward who revealed them: logged like a reveal on screen. The chairman's copy stays masked
    (he may ask only for the masked one)."""
    business = get_business_for_user(request.user, pk)
    if not can_reveal_personal_data(request.user, business):
        raise PermissionDenied
    personal_data_log(
        user=request.user, business=business, fields=list(PersonalField.values), purpose="print"
    )
    return request_document(request, kind=BUSINESS_HISTORY_FULL, object_id=business.pk)


@writer_required
def business_create_view(request: HttpRequest) -> HttpResponse:
    ward = request.user.ward
    form = BusinessForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target_ward = ward or data["street"].ward  # administrators without a ward: the street's ward
        try:
            business = business_create(ward=target_ward, user=request.user, data=data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Business “%(name)s” added.") % {"name": business.name})
            return redirect("businesses:detail", pk=business.pk)
    return render(request, "businesses/business_form.html", {"form": form, "business": None})


@never_cache
@writer_required
def business_edit(request: HttpRequest, pk: int) -> HttpResponse:
    business = get_business_for_user(request.user, pk)
    form = BusinessForm(request.POST or None, instance=business, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                business_update(business=business, user=request.user, data=form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Changes to “%(name)s” saved.") % {"name": business.name})
                return redirect("businesses:detail", pk=business.pk)
    else:
        # The form shows the owner's full ID number and phone: that is an access, logged.
        personal_data_log(user=request.user, business=business, fields=PersonalField.values, purpose="edit")
    return render(request, "businesses/business_form.html", {"form": form, "business": business})


@login_required
def business_export(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    queryset = business_list(user=request.user, filters=form.filters())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if request.GET.get("format") == "csv":
        response = HttpResponse(exporting.to_csv(queryset), content_type="text/csv; charset=utf-8")
        name = f"co-so-kinh-doanh-{stamp}.csv"
    else:
        response = HttpResponse(exporting.to_xlsx(queryset), content_type=exporting.XLSX_CONTENT_TYPE)
        name = f"co-so-kinh-doanh-{stamp}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        exporting.import_template(request.user.ward), content_type=exporting.XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-co-so-kinh-doanh.xlsx"'
    return response


@writer_required
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.user.ward is None:
        messages.error(request, _("Your account is not attached to a ward: there is no ward to import into."))
        return redirect("businesses:list")
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", _("The file is larger than 5 MB. Split it into smaller files."))
        elif not upload.name.lower().endswith((".xlsx", ".csv")):
            form.add_error("file", _("Only .xlsx and .csv files can be imported."))
        else:
            batch = business_import_upload(
                user=request.user, ward=request.user.ward, file_name=upload.name, content=upload.read()
            )
            return redirect("businesses:import_preview", pk=batch.pk)
    return render(request, "businesses/business_import.html", {"form": form})


def _get_import(request: HttpRequest, pk) -> BusinessImport:
    """An upload is seen only by the person who made it, in their ward."""
    batch = get_for_user(BusinessImport.objects.select_related("ward"), request.user, pk=pk)
    if batch.uploaded_by_id != request.user.pk:
        raise Http404
    return batch


@never_cache
@writer_required
def import_preview(request: HttpRequest, pk) -> HttpResponse:
    batch = _get_import(request, pk)
    if batch.status == BusinessImport.Status.APPLIED:
        messages.info(request, _("This file has already been imported."))
        return redirect("businesses:list")
    if request.method == "POST":
        try:
            batch = business_import_apply(batch=batch, user=request.user)
        except ImportRejected as exc:
            messages.error(request, exc.message)
            return redirect("businesses:import_preview", pk=batch.pk)
        messages.success(
            request,
            _("Import finished: %(created)s businesses added, %(updated)s updated, %(unchanged)s unchanged.")
            % {
                "created": batch.created_count,
                "updated": batch.updated_count,
                "unchanged": batch.unchanged_count,
            },
        )
        return redirect(reverse("businesses:list") + "?sort=-updated")
    check, file_error = None, ""
    try:
        check = check_import(content=bytes(batch.content), file_name=batch.file_name, ward=batch.ward)
    except ImportFileError as exc:
        file_error = str(exc)
    return render(
        request,
        "businesses/business_import_preview.html",
        {"batch": batch, "check": check, "file_error": file_error},
    )


@manager_required
def access_log(request: HttpRequest) -> HttpResponse:
    page = Paginator(personal_data_accesses_for_user(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # The pagination's links keep no filter: this list has none.
    return render(request, "businesses/personaldataaccess_list.html", {"page": page, "query_string": ""})
