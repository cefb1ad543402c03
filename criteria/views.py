from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import AssessmentCreateForm, ReturnForm, ScoreForm
from .models import CriterionMethod
from .permissions import (
    PREPARE,
    approver_needed,
    can_approve,
    can_prepare,
    get_assessment_for_user,
    get_evidence_for_user,
    get_score_for_user,
    permission_needed,
)
from .selectors import assessment_detail, assessments_for_user


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    assessments = list(assessments_for_user(request.user)[:200])
    return render(
        request,
        "criteria/assessment_list.html",
        {"assessments": assessments, "can_prepare": can_prepare(request.user)},
    )


@permission_needed(PREPARE)
def assessment_new(request: HttpRequest) -> HttpResponse:
    if not request.user.ward_id:
        raise PermissionDenied  # an administrator without a ward works in the Django admin
    form = AssessmentCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_create(
                ward=request.user.ward,
                period=form.cleaned_data["period"],
                criteria_set=form.cleaned_data["criteria_set"],
                user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Assessment for %(period)s created.") % {"period": assessment.period.label}
            )
            return redirect("criteria:assessment_detail", pk=assessment.pk)
    return render(request, "criteria/assessment_form.html", {"form": form})


@login_required
def assessment_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    context = assessment_detail(assessment)
    context.update(
        {
            "can_prepare": can_prepare(request.user) and assessment.is_draft,
            "can_approve": can_approve(request.user, assessment) and assessment.status == "submitted",
            "return_form": ReturnForm(),
        }
    )
    return render(request, "criteria/assessment_detail.html", context)


@require_POST
@permission_needed(PREPARE)
def assessment_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    try:
        services.assessment_refresh(assessment=assessment)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The computed figures were refreshed from the ward's records."))
    return redirect("criteria:assessment_detail", pk=assessment.pk)


@require_POST
@permission_needed(PREPARE)
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    try:
        services.assessment_submit(assessment=assessment, user=request.user)
    except ValidationError as exc:
        messages.error(request, _("The assessment cannot be submitted yet: %(why)s") % {"why": _errors(exc)})
    else:
        messages.success(request, _("The assessment was submitted for approval."))
    return redirect("criteria:assessment_detail", pk=assessment.pk)


@require_POST
@approver_needed
def assessment_approve(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    try:
        services.assessment_approve(assessment=assessment, user=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The assessment was approved; it can no longer change."))
    return redirect("criteria:assessment_detail", pk=assessment.pk)


@require_POST
@approver_needed
def assessment_return(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what has to be corrected."))
        return redirect("criteria:assessment_detail", pk=assessment.pk)
    try:
        services.assessment_return(
            assessment=assessment, user=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The assessment was returned to draft."))
    return redirect("criteria:assessment_detail", pk=assessment.pk)


@permission_needed(PREPARE)
def score_edit(request: HttpRequest, pk: int, score_pk: int) -> HttpResponse:
    score = get_score_for_user(request.user, pk, score_pk)
    assessment = score.assessment
    if score.criterion.method != CriterionMethod.MANUAL:
        raise Http404
    if not assessment.is_draft:
        messages.error(request, _("Only a draft assessment can be scored."))
        return redirect("criteria:assessment_detail", pk=assessment.pk)
    form = ScoreForm(request.POST or None, request.FILES or None, score=score)
    if request.method == "POST" and form.is_valid():
        try:
            services.score_update(
                score=score,
                user=request.user,
                points=form.cleaned_data.get("points"),
                passed=form.cleaned_data.get("passed"),
                comment=form.cleaned_data["comment"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Criterion %(code)s saved.") % {"code": score.criterion.code})
            return redirect(f"{assessment.get_absolute_url()}#score-{score.pk}")
    evidence = list(score.evidence.all())
    return render(
        request,
        "criteria/score_form.html",
        {"form": form, "score": score, "assessment": assessment, "evidence": evidence},
    )


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = get_evidence_for_user(request.user, pk)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=evidence.original_name)
    response["Content-Type"] = evidence.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@permission_needed(PREPARE)
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_evidence_for_user(request.user, pk)
    assessment = evidence.score.assessment
    try:
        services.evidence_delete(evidence=evidence, user=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Evidence file “%(name)s” removed.") % {"name": evidence.original_name})
    return redirect("criteria:score_edit", pk=assessment.pk, score_pk=evidence.score_id)
