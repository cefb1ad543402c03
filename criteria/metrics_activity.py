"""Metrics read from campaigns and citizen feedback: campaigns held in the period, and the median
time to a first response to citizens' feedback (phản ánh)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wards.models import Ward

from . import metric_rules
from .metrics import Metric, MetricValue, SourceRecord, _url, register
from .periods import Period


def _period_text(period: Period) -> dict[str, str]:
    return {"start": period.start.strftime("%d/%m/%Y"), "end": period.end.strftime("%d/%m/%Y")}


def campaigns_held(ward: Ward, period: Period) -> MetricValue:
    from campaigns.models import Campaign, CampaignStatus

    rows = list(
        Campaign.objects.filter(ward=ward, starts_on__range=(period.start, period.end)).values(
            "pk", "name", "starts_on", "status"
        )
    )
    facts = [
        metric_rules.CampaignFacts(
            key=row["pk"],
            starts_on=row["starts_on"],
            held=row["status"] in (CampaignStatus.ACTIVE, CampaignStatus.CLOSED),
        )
        for row in rows
    ]
    result = metric_rules.campaigns_held(facts, period)
    names = {row["pk"]: row["name"] for row in rows}
    return MetricValue(
        value=Decimal(result.count),
        numerator=result.count,
        description=_("Campaigns carried out (under way or finished) that started from %(start)s to %(end)s.")
        % _period_text(period),
        url=_url("campaigns:list"),
        records=tuple(SourceRecord(names[key], _url("campaigns:detail", key)) for key in result.keys),
    )


def feedback_first_response(ward: Ward, period: Period) -> MetricValue:
    from businesses.models import Feedback

    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(period.start, time.min), tz)
    end = timezone.make_aware(datetime.combine(period.end + timedelta(days=1), time.min), tz)
    rows = list(
        Feedback.objects.filter(ward=ward, created_at__gte=start, created_at__lt=end).values(
            "pk", "created_at", "first_response_at"
        )
    )
    facts = [
        metric_rules.FeedbackFacts(
            key=r["pk"],
            received_at=timezone.localtime(r["created_at"]),
            first_response_at=r["first_response_at"],
        )
        for r in rows
    ]
    as_of = min(timezone.now(), end)
    result = metric_rules.median_first_response(facts, period, as_of)
    return MetricValue(
        value=result.hours,
        numerator=result.count,
        description=_(
            "Median hours from receipt to the first response, over the citizens' feedback received from "
            "%(start)s to %(end)s (unanswered feedback counts with the time it has waited)."
        )
        % _period_text(period),
        url=_url("feedback:list"),
        records=tuple(
            SourceRecord(_("Feedback #%(pk)s (no response yet)") % {"pk": key}, _url("feedback:detail", key))
            for key in result.unanswered
        ),
    )


METRICS = [
    Metric("campaigns_held", gettext_lazy("Campaigns held"), gettext_lazy("campaigns"), campaigns_held),
    Metric(
        "feedback_first_response",
        gettext_lazy("Median time to first response to citizens' feedback"),
        gettext_lazy("hours"),
        feedback_first_response,
        higher_is_better=False,
    ),
]


def register_all() -> None:
    from .metrics import REGISTRY

    for metric in METRICS:
        if metric.key not in REGISTRY:
            register(metric)
