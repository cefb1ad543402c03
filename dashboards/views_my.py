"""Landing pages: an officer's day (/my/), a leader's page (/my/leader/), the deadline
notifications, and where each role lands after logging in. Selectors do the reading."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.permissions import role_required
from accounts.roles import Role
from documents.issuing import certificate_status

from . import selectors_my


@require_GET
@login_required
def landing(request: HttpRequest) -> HttpResponse:
    """Officers land on their day, leaders on theirs; the chairman and administrators keep the
    dashboard."""
    user = request.user
    if user.has_role(Role.LEADER):
        return redirect("my:leader")
    if user.has_role(Role.OFFICER):
        return redirect("my:day")
    return redirect("dashboards:home")


@require_GET
@role_required(Role.OFFICER, Role.LEADER)
def my_day(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    query = request.GET.get("q", "").strip()
    targets = selectors_my.targets_today(user, today)
    return render(
        request,
        "dashboards/my_day.html",
        {
            "today": today,
            "targets_open": [t for t in targets if t.inspection_id is None],
            "targets_done": [t for t in targets if t.inspection_id is not None],
            "drafts": selectors_my.my_drafts(user, today),
            "commitments": selectors_my.my_commitments_this_week(user, today),
            "returned": selectors_my.returned_to_me(user),
            "query": query,
            "results": selectors_my.business_search(user, query) if query else None,
            # The offline scripts (inspections/partials/offline_scripts.html): how long a phone keeps
            # sent inspections and cached pages.
            "offline_keep_days": int(settings.INSPECTIONS_OFFLINE_KEEP_DAYS),
        },
    )


@require_GET
@role_required(Role.LEADER)
def leader_day(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "dashboards/my_leader.html",
        {
            "today": today,
            "day": selectors_my.leader_day(request.user, today),
            # #29: the ward's signing certificate, with a warning 30 days before it expires.
            "certificate": certificate_status(request.user.ward_id) if request.user.ward_id else None,
        },
    )


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = selectors_my.notifications_for(request.user)
    return render(
        request,
        "dashboards/notification_list.html",
        {
            "notifications": notifications,
            "notified": selectors_my.notified(request.user),
            "returned": selectors_my.returned_to_me(request.user),
        },
    )


@require_GET
@never_cache
def notification_badge(request: HttpRequest) -> HttpResponse:
    """The header's count, fetched after the page loads (htmx), so no page pays for it. When the
    session has ended, htmx gets a 204, which it leaves alone (following a redirect would swap the
    login page into the header); anyone else is sent to log in."""
    if not request.user.is_authenticated:
        if request.htmx:
            return HttpResponse(status=204)
        return redirect_to_login(request.get_full_path())
    return render(
        request,
        "dashboards/partials/notification_badge.html",
        {"notification_count": selectors_my.notification_count(request.user), "loaded": True},
    )
