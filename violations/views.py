"""Thin views: a form validates, permissions fetch (404 for another ward), one service writes,
then post/redirect/get."""

import contextlib
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import writer_required
from businesses.models import Business
from ward_police.pagination import RowsPaginator
from wards.places import PagePlaces
from wards.scoping import get_for_user

from . import selectors, services
from .forms import AmendForm, EvidenceForm, SignForm, TransferForm, ViolationDraftForm, ViolationFilterForm
from .models import Stage, Status
from .origins import origins_for
from .permissions import allowed_actions, get_violation_for_user, require

PAGE_SIZE = 50


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@login_required
def violation_list(request: HttpRequest) -> HttpResponse:
    places = PagePlaces(request.user)
    form = ViolationFilterForm(request.GET or None, user=request.user, places=places)
    filters = form.cleaned_data if form.is_valid() else {}
    records = selectors.violation_list(request.user, filters)
    page = RowsPaginator(records, PAGE_SIZE, selectors.ROW_COLUMNS).get_page(request.GET.get("page"))
    page.object_list = selectors.violation_rows_of(list(page.object_list), places)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "violations/violation_list.html",
        {
            "filter_form": form,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            # The rows' labels, translated once per page (violations/macros.html).
            "stage_labels": {value: str(label) for value, label in Stage.choices},
            "status_labels": {value: str(label) for value, label in Status.choices},
            # Read with the roles (one query), not through has_perm's two permission queries.
            "can_create": request.user.has_page_permission("violations.add_violation"),
        },
    )


def _detail_context(request: HttpRequest, violation: Any, **forms: Any) -> dict[str, Any]:
    chain = selectors.amendment_chain(violation)
    sign_form = forms.get("sign_form") or SignForm(
        initial={"witness_name": violation.witness_name, "witness_role": violation.witness_role}
    )
    return {
        "violation": violation,
        "items": list(violation.items.all()),
        "evidence": list(violation.evidence.all()),
        "origins": origins_for(violation),
        "history": selectors.violation_history(violation),
        "business_history": selectors.business_history(violation.business) if violation.business else None,
        "chain": chain if len(chain) > 1 else [],
        "actions": allowed_actions(request.user, violation),
        "decision": selectors.decision_of(violation),
        "sign_form": sign_form,
        # Signatures drawn on the phone: the violator's and the witness's, printed in their blocks.
        "sign_pads": [
            {"name": name, "label": label, "errors": sign_form[name].errors}
            for name, label in (
                ("violator_signature_data", _("Signature of the violator")),
                ("witness_signature_data", _("Signature of the witness or ward representative")),
            )
        ],
        "transfer_form": forms.get("transfer_form") or TransferForm(),
        "amend_form": forms.get("amend_form") or AmendForm(),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
    }


@login_required
def violation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    violation = get_violation_for_user(request.user, pk)
    return render(request, "violations/violation_detail.html", _detail_context(request, violation))


def _draft_initial(request: HttpRequest) -> dict[str, Any]:
    now = timezone.localtime().replace(second=0, microsecond=0)
    initial: dict[str, Any] = {"occurred_at": now, "discovered_at": now, "person_nationality": "Việt Nam"}
    business_pk = request.GET.get("business")
    if business_pk:
        with contextlib.suppress(Http404):
            initial["business"] = get_for_user(Business.objects.all(), request.user, pk=business_pk)
    return initial


def _service_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = {name: data.get(name) for name in services.DRAFT_FIELDS}
    fields["stage"] = data.get("stage") or None
    for name in ("person_name", "person_id_number", "person_address", "place", *services.RECORD_TEXT_FIELDS):
        fields[name] = fields[name] or ""
    return fields


@writer_required
def violation_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "violations.add_violation")
    form = ViolationDraftForm(request.POST or None, user=request.user, initial=_draft_initial(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            violation = services.violation_create_draft(
                business=data["business"],
                ward=request.user.ward,
                types=data["types"],
                created_by=request.user,
                **_service_fields(data),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("violations:detail", pk=violation.pk)
    return render(request, "violations/violation_form.html", {"form": form, "violation": None})


@writer_required
def violation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    violation = get_violation_for_user(request.user, pk)
    require(request.user, "violations.change_violation")
    if violation.status != Status.DRAFT:
        messages.error(request, _("This record is signed and can no longer be edited; make an amendment."))
        return redirect("violations:detail", pk=violation.pk)
    initial = {name: getattr(violation, name) for name in services.DRAFT_FIELDS}
    initial.update(
        business=violation.business,
        types=[item.violation_type.code for item in violation.items.all()],
        occurred_at=timezone.localtime(violation.occurred_at),
        discovered_at=timezone.localtime(violation.discovered_at),
        **{
            name: timezone.localtime(getattr(violation, name))
            for name in ("made_at", "finished_at", "summons_at")
            if getattr(violation, name)
        },
    )
    form = ViolationDraftForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = _service_fields(data)
        try:
            if data["business"] != violation.business:
                raise ValidationError(
                    {"business": _("The business of a draft cannot be changed; make a new draft.")}
                )
            services.violation_update_draft(
                violation=violation, actor=request.user, types=data["types"], **fields
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("violations:detail", pk=violation.pk)
    return render(request, "violations/violation_form.html", {"form": form, "violation": violation})


def _record_action(
    request: HttpRequest,
    pk: int,
    *,
    permission: str,
    act: Callable[[Any, Any], HttpResponse],
    form_class: type | None = None,
    form_name: str = "",
) -> HttpResponse:
    """What the record's actions (sign, transfer, mark remedied, amend, delete a draft, attach a
    photo) share: the record of the user's ward (404 otherwise), the permission, the posted form,
    and a refusal, the form's or the service's, shown on the record's page beside that form with
    nothing saved (an action without a form shows it as a message). `act(violation, form)` runs
    the service and answers."""
    violation = get_violation_for_user(request.user, pk)
    require(request.user, permission)
    form = form_class(request.POST, request.FILES) if form_class is not None else None
    try:
        if form is not None and not form.is_valid():
            raise ValidationError([])
        return act(violation, form)
    except ValidationError as exc:
        if form is None:
            messages.error(request, " ".join(exc.messages))
            return redirect("violations:detail", pk=violation.pk)
        _add_errors(form, exc)
        context = _detail_context(request, violation, **{form_name: form})
        return render(request, "violations/violation_detail.html", context, status=400)


@require_POST
@writer_required
def violation_sign(request: HttpRequest, pk: int) -> HttpResponse:
    def act(violation: Any, form: SignForm) -> HttpResponse:
        refused = form.cleaned_data["signature"] == "refused"
        signed = services.violation_sign(
            violation=violation,
            signed_by=request.user,
            violator_signed=not refused,
            refused_to_sign=refused,
            witness_name=form.cleaned_data["witness_name"],
            witness_role=form.cleaned_data["witness_role"],
            refusal_reason=form.cleaned_data["refusal_reason"],
            violator_signature_png=form.signature_pngs.get("violator_signature_data"),
            witness_signature_png=form.signature_pngs.get("witness_signature_data"),
        )
        if signed.number_display:
            number = signed.number_display
            messages.success(request, _("The record was signed: %(number)s.") % {"number": number})
        else:
            messages.success(request, _("The record was signed."))
        return redirect("violations:detail", pk=violation.pk)

    return _record_action(
        request,
        pk,
        permission="violations.sign_violation",
        act=act,
        form_class=SignForm,
        form_name="sign_form",
    )


@require_POST
@writer_required
def violation_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    def act(violation: Any, form: TransferForm) -> HttpResponse:
        services.violation_transfer(
            violation=violation, actor=request.user, transferred_to=form.cleaned_data["transferred_to"]
        )
        messages.success(request, _("The record was transferred."))
        return redirect("violations:detail", pk=violation.pk)

    return _record_action(
        request,
        pk,
        permission="violations.transfer_violation",
        act=act,
        form_class=TransferForm,
        form_name="transfer_form",
    )


@require_POST
@writer_required
def violation_remedied(request: HttpRequest, pk: int) -> HttpResponse:
    def act(violation: Any, _form: None) -> HttpResponse:
        services.violation_mark_remedied(violation=violation, actor=request.user)
        messages.success(request, _("The violation was marked as remedied."))
        return redirect("violations:detail", pk=violation.pk)

    return _record_action(request, pk, permission="violations.transfer_violation", act=act)


@require_POST
@writer_required
def violation_amend(request: HttpRequest, pk: int) -> HttpResponse:
    def act(violation: Any, form: AmendForm) -> HttpResponse:
        amendment = services.violation_amend(
            violation=violation, actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request, _("An amendment was drafted. Correct it, then sign it to replace the record.")
        )
        return redirect("violations:edit", pk=amendment.pk)

    return _record_action(
        request,
        pk,
        permission="violations.amend_violation",
        act=act,
        form_class=AmendForm,
        form_name="amend_form",
    )


@require_POST
@writer_required
def violation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    def act(violation: Any, _form: None) -> HttpResponse:
        services.violation_delete_draft(violation=violation, actor=request.user)
        messages.success(request, _("The draft was deleted."))
        return redirect("violations:list")

    return _record_action(request, pk, permission="violations.change_violation", act=act)


@require_POST
@writer_required
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    def act(violation: Any, form: EvidenceForm) -> HttpResponse:
        services.evidence_add(
            violation=violation,
            image=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
            uploaded_by=request.user,
        )
        messages.success(request, _("The photo was attached."))
        return redirect("violations:detail", pk=violation.pk)

    return _record_action(
        request,
        pk,
        permission="violations.add_violationevidence",
        act=act,
        form_class=EvidenceForm,
        form_name="evidence_form",
    )


@login_required
def evidence_image(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    """Photos are served only through this view, after the ward check."""
    violation = get_violation_for_user(request.user, pk)
    evidence = get_object_or_404(violation.evidence.all(), pk=evidence_pk)
    response = FileResponse(evidence.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def repeat_violators(request: HttpRequest) -> HttpResponse:
    return render(
        request, "violations/repeat_violators.html", {"violators": selectors.repeat_violators(request.user)}
    )
