"""Dashboard panels for the campaigns in progress and the citizens' feedback waiting for an
answer: one aggregate query each."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .panels import Cell, DashboardContext, Figure, Panel, PanelResult, Table, list_url, number, register

TABLE_ROWS = 10


def campaigns_panel(ctx: DashboardContext) -> PanelResult:
    from campaigns.models import Campaign, CampaignStatus

    under_way = Campaign.objects.filter(ward=ctx.ward, status=CampaignStatus.ACTIVE)
    active = list(
        under_way.annotate(
            target_count=Count("targets"),
            inspected=Count("targets", filter=Q(targets__inspection__isnull=False)),
        )
        .order_by("-starts_on", "-pk")
        .values("pk", "name", "starts_on", "target_count", "inspected")[:TABLE_ROWS]
    )
    # The figure counts every campaign under way (it showed at most ten); the table the latest ten.
    total = len(active) if len(active) < TABLE_ROWS else under_way.count()
    rows = [
        [
            Cell(c["name"], reverse("campaigns:detail", args=[c["pk"]])),
            Cell(c["starts_on"].strftime("%d/%m/%Y")),
            Cell(number(c["target_count"]), numeric=True),
            Cell(number(c["inspected"]), numeric=True),
            Cell(
                f"{round(100 * c['inspected'] / c['target_count'])}%" if c["target_count"] else "—",
                numeric=True,
            ),
        ]
        for c in active
    ]
    return PanelResult(
        figures=[
            Figure(
                "active_campaigns",
                _("Campaigns under way"),
                number(total),
                list_url("campaigns:list", status=CampaignStatus.ACTIVE),
            )
        ],
        tables=[
            Table(
                _("Progress of the campaigns under way"),
                [_("Campaign"), _("Starts on"), _("Targets"), _("Inspected"), _("Progress")],
                rows,
                empty=_("No campaign is under way."),
            )
        ],
        more_url=reverse("campaigns:list"),
        more_label=_("All campaigns"),
    )


def feedback_panel(ctx: DashboardContext) -> PanelResult:
    from businesses.models import Feedback, FeedbackStatus

    start, end = ctx.period.start, ctx.period.last_day
    row = Feedback.objects.filter(ward=ctx.ward).aggregate(
        waiting=Count("pk", filter=Q(status=FeedbackStatus.NEW)),
        in_progress=Count("pk", filter=Q(status=FeedbackStatus.IN_PROGRESS)),
        received=Count("pk", filter=Q(created_at__date__gte=start, created_at__date__lte=end)),
    )
    return PanelResult(
        figures=[
            Figure(
                "open_feedback",
                _("Citizens' feedback waiting for an answer"),
                number(row["waiting"]),
                list_url("feedback:list", status=FeedbackStatus.NEW),
                _("%(n)s being handled") % {"n": number(row["in_progress"])},
            ),
            Figure(
                "feedback_received",
                _("Feedback received in the period"),
                number(row["received"]),
                list_url("feedback:list", since=start.isoformat(), until=end.isoformat()),
            ),
        ]
    )


register(Panel("campaigns", gettext_lazy("Campaigns under way"), campaigns_panel, order=55))
register(Panel("feedback", gettext_lazy("Citizens' feedback"), feedback_panel, order=45))
