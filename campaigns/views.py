"""Thin views: fetch through permissions (404 for another ward), one service, redirect."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.permissions import manager_required
from businesses.models import Business
from documents.views import document_request_view, request_document

from . import selectors, services
from .documents import CAMPAIGN_POSTERS, CAMPAIGN_REPORT
from .forms import (
    AssignForm,
    CampaignForm,
    CampaignOfficersForm,
    ForceForm,
    ForceRemoveForm,
    RemoveTargetsForm,
    TargetSelectionForm,
    campaign_initial,
)
from .models import CampaignStatus
from .permissions import campaigns_visible_to, can_inspect, can_manage_campaigns, get_campaign_for_user

POLL_SECONDS = 15
campaign_report = document_request_view(CAMPAIGN_REPORT)


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    queryset = campaigns_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in CampaignStatus.values:
        queryset = queryset.filter(status=status)
    page = Paginator(selectors.campaign_list(queryset).order_by("-starts_on", "-pk"), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "campaigns/campaign_list.html",
        {
            "page": page,
            "status": status,
            "statuses": CampaignStatus.choices,
            "can_manage": can_manage_campaigns(request.user),
        },
    )


@manager_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    ward_id = request.user.ward_id
    form = CampaignForm(request.POST if request.method == "POST" else None, ward_id=ward_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                ward=request.user.ward,
                name=data["name"],
                plan_reference=data["plan_reference"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                domains=data["domains"],
                objectives=data["objectives"],
                leader=data["leader"],
                officers=data["officers"],
                created_by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Campaign planned. Now choose the businesses to visit."))
            return redirect("campaigns:targets", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form}, status=400 if form.errors else 200)


@manager_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Planned: the whole plan; under way: the officers only; finished: refused."""
    campaign = get_campaign_for_user(request.user, pk)
    if campaign.is_closed:
        messages.error(request, _("This campaign is closed: its results can no longer change."))
        return redirect("campaigns:detail", pk=campaign.pk)
    form_class = CampaignForm if campaign.status == CampaignStatus.PLANNED else CampaignOfficersForm
    form = form_class(
        request.POST if request.method == "POST" else None,
        ward_id=campaign.ward_id,
        initial=campaign_initial(campaign),
    )
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.campaign_update(campaign=campaign, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if changes:
                messages.success(request, _("The campaign was changed; the change is logged on its page."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(
        request,
        "campaigns/campaign_edit.html",
        {"campaign": campaign, "form": form},
        status=400 if form.errors else 200,
    )


def _board_context(request: HttpRequest, campaign) -> dict:
    results = selectors.campaign_board(campaign)
    return {
        "campaign": campaign,
        "results": results,
        "chart": selectors.bar_chart(results),
        "findings": selectors.violation_findings(results),
        "poll_seconds": POLL_SECONDS,
    }


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign_for_user(
        request.user, pk, campaigns_visible_to(request.user).select_related("leader")
    )
    targets = list(selectors.board_targets(campaign))
    mine = [t for t in targets if t.assigned_to_id == request.user.pk]
    context = _board_context(request, campaign)
    context.update(
        {
            "targets": targets,
            "my_targets": mine,
            "forces": list(campaign.forces.all()),
            "changes": list(selectors.campaign_changes(campaign)),
            "officers": list(campaign.officers.order_by("full_name", "username")),
            "can_manage": can_manage_campaigns(request.user),
            "can_inspect": can_inspect(request.user) and campaign.is_active,
            "force_form": ForceForm(),
            # The offline script for those who inspect: their phone keeps an active campaign's
            # board for use without a connection (and drops it once the campaign is over).
            "offline": can_inspect(request.user),
        }
    )
    return render(request, "campaigns/campaign_detail.html", context)


@never_cache
@login_required
def campaign_offline_pages(request: HttpRequest, pk: int) -> JsonResponse:
    """What a phone keeps so the officer can work through the campaign without a connection.

    Asked by the service worker (static/js/sw.js) when an officer opens the board online: the
    board and the inspection forms of the officer's own targets not inspected yet, at most
    CAMPAIGNS_OFFLINE_MAX_TARGETS. A campaign that is not under way (or a user who cannot
    inspect) gets `active: false`, and the phone drops the copies it had.
    """
    campaign = get_campaign_for_user(request.user, pk)
    active = campaign.is_active and can_inspect(request.user)
    pages: list[str] = []
    total = 0
    if active:
        targets = selectors.offline_targets(campaign, request.user)
        total = targets.count()
        pages = [t.inspection_form_url for t in targets[: settings.CAMPAIGNS_OFFLINE_MAX_TARGETS]]
    return JsonResponse(
        {
            "campaign": reverse("campaigns:detail", args=[campaign.pk]),
            "active": active,
            "pages": pages,
            "total": total,
        }
    )


@login_required
def campaign_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The part of the board htmx reloads every few seconds while the campaign is under way."""
    campaign = get_campaign_for_user(request.user, pk)
    return render(request, "campaigns/partials/campaign_progress.html", _board_context(request, campaign))


@manager_required
def campaign_targets(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, pk)
    form = TargetSelectionForm(request.POST if request.method == "POST" else None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        candidates = selectors.target_candidates(
            campaign=campaign,
            street_ids=[s.pk for s in data["streets"]],
            group_ids=[g.pk for g in data["residential_groups"]],
            category_ids=[c.pk for c in data["categories"]],
            not_inspected_months=data["not_inspected_months"],
            business_ids=[b.pk for b in data["businesses"]],
        ).select_related("street", "residential_group", "category")
        try:
            added = services.campaign_targets_add(campaign=campaign, businesses=candidates, user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(n)d businesses added to the campaign.") % {"n": added})
            return redirect("campaigns:targets", pk=campaign.pk)
    officers = selectors.campaign_officer_choices(campaign)
    return render(
        request,
        "campaigns/campaign_targets.html",
        {
            "campaign": campaign,
            "form": form,
            "assign_form": AssignForm(campaign=campaign, officers=officers),
            "remove_form": RemoveTargetsForm(campaign=campaign),
            "target_count": campaign.targets.count(),
            "business_count": Business.objects.filter(ward_id=campaign.ward_id).count(),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@manager_required
def campaign_assign(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, pk)
    form = AssignForm(request.POST, campaign=campaign, officers=selectors.campaign_officer_choices(campaign))
    if not form.is_valid():
        messages.error(request, _("Tick the targets to assign."))
        return redirect("campaigns:targets", pk=campaign.pk)
    try:
        changed = services.campaign_targets_assign(
            campaign=campaign,
            target_ids=[t.pk for t in form.cleaned_data["targets"]],
            officer=form.cleaned_data["officer"],
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("%(n)d targets assigned.") % {"n": changed})
    return redirect("campaigns:targets", pk=campaign.pk)


@require_POST
@manager_required
def campaign_force(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, pk)
    form = ForceForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("campaigns:detail", pk=campaign.pk)
    try:
        services.campaign_force_set(campaign=campaign, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Participating force recorded."))
    return redirect("campaigns:detail", pk=campaign.pk)


@require_POST
@manager_required
def campaign_force_remove(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, pk)
    form = ForceRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This force is not recorded for the campaign."))
        return redirect("campaigns:detail", pk=campaign.pk)
    try:
        services.campaign_force_remove(
            campaign=campaign, force_type=form.cleaned_data["force_type"], user=request.user
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Participating force removed."))
    return redirect("campaigns:detail", pk=campaign.pk)


@require_POST
@manager_required
def campaign_targets_remove(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, pk)
    form = RemoveTargetsForm(request.POST, campaign=campaign)
    if not form.is_valid():
        messages.error(request, _("Tick the targets to remove."))
        return redirect("campaigns:targets", pk=campaign.pk)
    try:
        removed = services.campaign_targets_remove(
            campaign=campaign, target_ids=[t.pk for t in form.cleaned_data["targets"]], user=request.user
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("%(n)d targets removed from the campaign.") % {"n": removed})
    return redirect("campaigns:targets", pk=campaign.pk)


def _transition(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, pk)
    try:
        service(campaign=campaign, user=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, done)
    return redirect("campaigns:detail", pk=campaign.pk)


@require_POST
@manager_required
def campaign_start(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.campaign_start, _("The campaign is under way."))


@manager_required
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Closing freezes the results, so with targets not inspected yet the leader first sees how
    many are left and confirms (GET shows the same page)."""
    campaign = get_campaign_for_user(request.user, pk)
    progress = selectors.target_progress(campaign)
    confirmed = request.POST.get("confirm") == "yes"
    if request.method != "POST" or (progress["left"] and not confirmed and campaign.is_active):
        return render(
            request, "campaigns/campaign_close_confirm.html", {"campaign": campaign, "progress": progress}
        )
    return _transition(
        request, pk, services.campaign_close, _("The campaign is closed; its results are final.")
    )


@require_POST
@login_required
def campaign_posters(request: HttpRequest, pk: int) -> HttpResponse:
    """QR posters of every target of the campaign in one PDF, one page each (A4 or A5)."""
    size = request.POST.get("size", "a4")
    if size not in ("a4", "a5"):
        return HttpResponseBadRequest(_("Unknown paper size."))
    return request_document(request, kind=CAMPAIGN_POSTERS.format(size=size), object_id=pk)
