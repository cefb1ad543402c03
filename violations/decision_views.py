"""Views of the sanction decision (#25.3): thin, as views.py: a form validates, permissions fetch
(404 for another ward's record), one service in violations/decisions.py writes, then PRG."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.permissions import writer_required
from documents.views import document_request_view

from . import decisions
from .decision_models import SIGNER_TITLE_VI, DecisionStatus, SanctionDecision, no_sanction_ground_vi
from .documents import SANCTION_DECISION
from .forms import (
    DecisionAppealForm,
    DecisionDraftForm,
    DecisionEnforcementForm,
    DecisionPaymentForm,
    DecisionServeForm,
    DecisionSignForm,
)
from .models import Stage, Status
from .permissions import get_violation_for_user, require
from .views import _add_errors

ACTION_FORMS: dict[str, type] = {
    "sign_form": DecisionSignForm,
    "serve_form": DecisionServeForm,
    "payment_form": DecisionPaymentForm,
    "enforcement_form": DecisionEnforcementForm,
    "appeal_form": DecisionAppealForm,
}


def _decision_of(violation: Any) -> SanctionDecision:
    try:
        return SanctionDecision.objects.select_related("signed_by", "created_by", "competence_limit").get(
            violation=violation
        )
    except SanctionDecision.DoesNotExist:
        raise Http404 from None


def decision_actions(user: Any, decision: SanctionDecision) -> dict[str, bool]:
    status = decision.status
    execute = user.has_perm(decisions.EXECUTE_PERMISSION)
    fine = decision.is_fine
    return {
        "sign": status == DecisionStatus.DRAFT and user.has_perm(decisions.SIGN_PERMISSION),
        "delete": status == DecisionStatus.DRAFT and user.has_perm(decisions.DRAFT_PERMISSION),
        "serve": status == DecisionStatus.SIGNED and execute,
        "pay": fine and status in (DecisionStatus.SERVED, DecisionStatus.APPEALED) and execute,
        "enforce": fine and status in (DecisionStatus.SERVED, DecisionStatus.APPEALED) and execute,
        "appeal": status == DecisionStatus.SERVED and execute,
    }


def _render_detail(
    request: HttpRequest, violation: Any, decision: SanctionDecision, status: int = 200, **forms: Any
):
    context = {
        "violation": violation,
        "decision": decision,
        "actions": decision_actions(request.user, decision),
        "signer_title_vi": SIGNER_TITLE_VI.get(decision.signer_title, ""),
        "ground_vi": no_sanction_ground_vi(decision.no_sanction_ground)
        if decision.no_sanction_ground
        else "",
        "today": timezone.localdate(),
        **{name: forms.get(name) or form_class() for name, form_class in ACTION_FORMS.items()},
    }
    return render(request, "violations/decision_detail.html", context, status=status)


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    violation = get_violation_for_user(request.user, pk)
    return _render_detail(request, violation, _decision_of(violation))


@writer_required
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    violation = get_violation_for_user(request.user, pk)
    require(request.user, decisions.DRAFT_PERMISSION)
    if SanctionDecision.objects.filter(violation=violation).exists():
        return redirect("violations:decision", pk=violation.pk)
    if violation.stage != Stage.VIOLATION_RECORD or violation.status != Status.SIGNED:
        messages.error(
            request, _("A decision is drafted on a signed administrative violation record (MBB01).")
        )
        return redirect("violations:detail", pk=violation.pk)
    initial = {"kind": "sanction", "sanction": violation.sanction, "fine_amount": violation.fine_amount}
    form = DecisionDraftForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decisions.decision_create_draft(
                violation=violation,
                actor=request.user,
                kind=data["kind"],
                sanction=data["sanction"] if data["kind"] == "sanction" else "",
                fine_amount=data["fine_amount"] if data["kind"] == "sanction" else None,
                remedial_measures=data["remedial_measures"],
                extenuating=data["extenuating"],
                no_sanction_ground=data["no_sanction_ground"] if data["kind"] == "no_sanction" else "",
                no_sanction_reason=data["no_sanction_reason"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The decision was drafted. Check it, then sign it."))
            return redirect("violations:decision", pk=violation.pk)
    return render(
        request,
        "violations/decision_form.html",
        {"violation": violation, "form": form},
        status=400 if form.errors else 200,
    )


def _action(
    form_name: str, permission: str, call: Callable[[SanctionDecision, Any, dict], Any], done: Any
) -> Callable[[HttpRequest, int], HttpResponse]:
    @require_POST
    @writer_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        violation = get_violation_for_user(request.user, pk)
        decision = _decision_of(violation)
        require(request.user, permission)
        form = ACTION_FORMS[form_name](request.POST)
        try:
            if not form.is_valid():
                raise ValidationError([])
            call(decision, request.user, form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
            return _render_detail(request, violation, decision, status=400, **{form_name: form})
        messages.success(request, done)
        return redirect("violations:decision", pk=violation.pk)

    return view


decision_sign = _action(
    "sign_form",
    decisions.SIGN_PERMISSION,
    lambda d, user, data: decisions.decision_sign(
        decision=d, signed_by=user, signer_title=data["signer_title"]
    ),
    gettext_lazy("The decision was signed; the record is closed."),
)
decision_serve = _action(
    "serve_form",
    decisions.EXECUTE_PERMISSION,
    lambda d, user, data: decisions.decision_serve(decision=d, actor=user, served_on=data["served_on"]),
    gettext_lazy("The service of the decision was recorded."),
)
decision_pay = _action(
    "payment_form",
    decisions.EXECUTE_PERMISSION,
    lambda d, user, data: decisions.decision_record_payment(
        decision=d,
        actor=user,
        receipt_number=data["receipt_number"],
        paid_on=data["paid_on"],
        amount=data["amount"],
    ),
    gettext_lazy("The payment was recorded."),
)
decision_enforce = _action(
    "enforcement_form",
    decisions.EXECUTE_PERMISSION,
    lambda d, user, data: decisions.decision_record_enforcement(
        decision=d, actor=user, enforced_on=data["enforced_on"], note=data["note"]
    ),
    gettext_lazy("The enforcement was recorded."),
)
decision_appeal = _action(
    "appeal_form",
    decisions.EXECUTE_PERMISSION,
    lambda d, user, data: decisions.decision_record_appeal(
        decision=d, actor=user, appealed_on=data["appealed_on"], note=data["note"]
    ),
    gettext_lazy("The appeal was recorded."),
)


_decision_pdf = document_request_view(SANCTION_DECISION)


@require_POST
@login_required
def decision_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The printer's endpoint, once the record (of the user's ward) has a decision."""
    _decision_of(get_violation_for_user(request.user, pk))
    return _decision_pdf(request, pk)


@require_POST
@writer_required
def decision_delete(request: HttpRequest, pk: int) -> HttpResponse:
    violation = get_violation_for_user(request.user, pk)
    decision = _decision_of(violation)
    require(request.user, decisions.DRAFT_PERMISSION)
    try:
        decisions.decision_delete_draft(decision=decision, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("violations:decision", pk=violation.pk)
    messages.success(request, _("The draft decision was deleted."))
    return redirect("violations:detail", pk=violation.pk)


@require_POST
@writer_required
def violation_extend_deadline(request: HttpRequest, pk: int) -> HttpResponse:
    violation = get_violation_for_user(request.user, pk)
    require(request.user, decisions.DRAFT_PERMISSION)
    try:
        decisions.violation_extend_decision_deadline(violation=violation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The deadline to decide is now one month from the record."))
    return redirect("violations:detail", pk=violation.pk)
