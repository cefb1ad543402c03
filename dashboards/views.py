"""Read-only dashboards. Views only pick the ward and period; selectors and panels do the rest."""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from documents.views import request_document
from wards.models import Ward

from . import panels, rollups, selectors
from .documents import WARD_DASHBOARD, dashboard_object_id
from .forms import PeriodForm, WardPeriodForm
from .panels import DashboardContext, number, percent
from .reports import can_issue as can_issue_report


def _chosen_ward(request: HttpRequest, form: WardPeriodForm) -> Ward | None:
    """The ward asked for (?ward=), else the user's own, else the first one they may see.
    Asking for a ward the user may not see is a 404, like any other ward's record."""
    wards = form.fields["ward"].queryset
    raw = request.GET.get("ward") or request.POST.get("ward")
    if raw:
        try:
            return wards.get(pk=int(raw))
        except (ValueError, Ward.DoesNotExist) as exc:
            raise Http404 from exc
    visible = request.user.visible_ward_ids()
    user_ward_id = getattr(request.user, "ward_id", None)
    if user_ward_id and (visible is None or user_ward_id in visible):
        return request.user.ward  # cached on the user: the page header reads it too
    return wards.first()


# A cached page lives at most this long even with no write (the version key makes it stale sooner).
PANELS_CACHE_SECONDS = 600


def _cached_panels(ward: Ward, period, today) -> dict:
    """The ward's built panels and their rendered HTML, cached per (ward, period, language, day)
    under the ward's version: any write that touches the ward bumps the version (#28), so the next
    view after a write shows it; "today" is in the key because overdue figures change at midnight."""
    key = ":".join(
        [
            "dashboards:ward-panels",
            str(ward.pk),
            rollups.ward_version(ward.pk),
            period.kind,
            period.start.isoformat(),
            translation.get_language() or "",
            today.isoformat(),
        ]
    )
    page = cache.get(key)
    if page is None:
        built = panels.build_all(DashboardContext(ward=ward, period=period, today=today))
        figures = [figure for panel in built for figure in panel.result.figures]
        charts = [chart.as_json() for panel in built for chart in panel.result.charts]
        html = render_to_string(
            "dashboards/partials/ward_panels.html",
            {"panels": built, "figures": figures, "charts_json": charts},
        )
        page = {"panels": built, "figures": figures, "html": html}
        cache.set(key, page, PANELS_CACHE_SECONDS)
    return page


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    wards = selectors.wards_for_dashboard(request.user)
    form = WardPeriodForm(request.GET or None, wards=wards)
    ward = _chosen_ward(request, form)
    if ward is None:
        return render(request, "dashboards/dashboard_empty.html")
    period = form.period_or_default()
    today = timezone.localdate()
    page = _cached_panels(ward, period, today)
    return render(
        request,
        "dashboards/dashboard_ward.html",
        {
            "form": form,
            "ward": ward,
            "ward_query": f"ward={ward.pk}&",
            "period": period,
            "previous": period.previous(),
            "next": period.next() if period.end <= today else None,
            "panels": page["panels"],
            "figures": page["figures"],
            "panels_html": mark_safe(page["html"]),  # noqa: S308 - rendered by our own template
            "several_wards": form.fields["ward"].queryset.count() > 1 if request.user.is_superuser else False,
            "can_view_city": selectors.can_view_city(request.user),
            "can_issue_report": can_issue_report(request.user, ward),
        },
    )


@require_GET
@login_required
def overdue_commitments(request: HttpRequest) -> HttpResponse:
    """The list behind the "Overdue commitments" figure: the same ward, the same rule, all rows."""
    wards = selectors.wards_for_dashboard(request.user)
    form = WardPeriodForm(request.GET or None, wards=wards)
    ward = _chosen_ward(request, form)
    if ward is None:
        raise Http404
    today = timezone.localdate()
    page = Paginator(selectors.overdue_commitments_list(ward, today), 50).get_page(request.GET.get("page"))
    for commitment in page:
        commitment.days_overdue = (today - commitment.deadline).days
    return render(
        request,
        "dashboards/commitment_overdue_list.html",
        {"ward": ward, "page": page, "today": today, "ward_query": f"ward={ward.pk}&"},
    )


@require_GET
@login_required
def city(request: HttpRequest) -> HttpResponse:
    if not selectors.can_view_city(request.user):
        raise PermissionDenied
    form = PeriodForm(request.GET or None)
    period = form.period_or_default()
    today = timezone.localdate()
    rows = selectors.city_rows(Ward.objects.all(), period, today)
    for row in rows:
        row.score_pct = percent(row.score)
        row.coverage_pct = percent(row.coverage)
        row.compliance_pct = percent(row.compliance)
        row.businesses_text = number(row.n_businesses)
        row.violations_text = number(row.n_violations)
        row.overdue_text = number(row.n_overdue)
    chart = {
        "id": "chart-city",
        "kind": "bar",
        "labels": [row.name for row in rows],
        "datasets": [
            {"label": _("Coverage (%)"), "data": [float(row.coverage or 0) for row in rows]},
            {"label": _("Compliance rate (%)"), "data": [float(row.compliance or 0) for row in rows]},
        ],
    }
    return render(
        request,
        "dashboards/dashboard_city.html",
        {
            "form": form,
            "period": period,
            "previous": period.previous(),
            "next": period.next() if period.end <= today else None,
            "rows": rows,
            "charts_json": [chart],
        },
    )


@require_POST
@login_required
def pdf(request: HttpRequest) -> HttpResponse:
    wards = selectors.wards_for_dashboard(request.user)
    form = WardPeriodForm(request.POST, wards=wards)
    ward = _chosen_ward(request, form)
    if ward is None:
        raise Http404
    period = form.period_or_default()
    return request_document(request, kind=WARD_DASHBOARD, object_id=dashboard_object_id(ward.pk, period))


@require_POST
@login_required
def issue_report(request: HttpRequest) -> HttpResponse:
    """The station's head issues the period's dashboard as a numbered report sent upward, then
    gets its PDF. Another ward is a 404; anyone but the ward's leaders, a 403."""
    from django.contrib import messages

    from .documents import UPWARD_REPORT
    from .reports import issue_upward_report

    wards = selectors.wards_for_dashboard(request.user)
    form = WardPeriodForm(request.POST, wards=wards)
    ward = _chosen_ward(request, form)
    if ward is None:
        raise Http404
    if not can_issue_report(request.user, ward):
        raise PermissionDenied
    report = issue_upward_report(ward=ward, period=form.period_or_default(), actor=request.user)
    messages.success(request, _("The report was issued: Số: %(number)s.") % {"number": report.number_text})
    return request_document(request, kind=UPWARD_REPORT, object_id=report.pk)
