"""The metrics registry: metric key -> (label, unit, compute(ward, period) -> MetricValue).

A computed criterion names a metric by key. Only metrics whose data source exists are
registered; the pure rules for the others are in criteria.metric_rules, waiting for their
adapters (PENDING_METRICS lists them, with the app each needs).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wards.models import Ward

from . import metric_rules
from .periods import Period

# How many of the records behind a figure an assessment keeps (the gap list links to them).
MAX_SOURCE_RECORDS = 50


@dataclass(frozen=True)
class SourceRecord:
    label: str
    url: str | None = None


@dataclass(frozen=True)
class MetricValue:
    """A metric's figure for a ward and a period, and where it comes from."""

    value: Decimal | None  # None: nothing to measure (never a made-up 0 or 100)
    numerator: int | None = None
    denominator: int | None = None
    description: str = ""  # which records were counted, in words
    url: str | None = None  # a list of the records behind the figure, when one exists
    records: tuple[SourceRecord, ...] = field(default=())  # the records that cost points

    def as_source(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "url": self.url,
            "records": [{"label": r.label, "url": r.url} for r in self.records[:MAX_SOURCE_RECORDS]],
            "more": max(0, len(self.records) - MAX_SOURCE_RECORDS),
        }


@dataclass(frozen=True)
class Metric:
    key: str
    label: Any  # lazy translation
    unit: Any
    compute: Callable[[Ward, Period], MetricValue]
    higher_is_better: bool = True


REGISTRY: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    if metric.key in REGISTRY:
        raise ValueError(f"metric {metric.key!r} is already registered")
    REGISTRY[metric.key] = metric
    return metric


def get_metric(key: str) -> Metric:
    return REGISTRY[key]


def metric_choices() -> list[tuple[str, str]]:
    return [(m.key, f"{m.label} ({m.unit})") for m in REGISTRY.values()]


def compute(key: str, ward: Ward, period: Period) -> MetricValue:
    return REGISTRY[key].compute(ward, period)


def _url(name: str, *args: Any, query: str = "") -> str | None:
    """A link to a page that may not exist yet (its app lands later): None until it does."""
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return None


# --- registered: data exists ---------------------------------------------------------------


def conditional_certified(ward: Ward, period: Period) -> MetricValue:
    """Operating conditional businesses (ngành nghề kinh doanh có điều kiện về ANTT) whose
    certificate has a number and is valid on the period's last day (today while it runs).
    The registry keeps only today's status, so a past period is judged on today's list."""
    from businesses.models import Business, BusinessStatus

    as_of = period.as_of(timezone.localdate())
    rows = list(
        Business.objects.filter(ward=ward, is_conditional=True, status=BusinessStatus.ACTIVE)
        .order_by("name", "pk")
        .values("pk", "name", "certificate_number", "certificate_expiry")
    )
    result = metric_rules.certified_share(
        (
            metric_rules.CertificateFacts(r["pk"], r["certificate_number"], r["certificate_expiry"])
            for r in rows
        ),
        as_of,
    )
    names = {r["pk"]: r for r in rows}
    records = []
    for pk in result.failing:
        row = names[pk]
        expiry = row["certificate_expiry"]
        why = (
            _("no certificate on file")
            if not row["certificate_number"].strip() or expiry is None
            else _("expired on %(date)s") % {"date": expiry.strftime("%d/%m/%Y")}
        )
        records.append(SourceRecord(f"{row['name']} ({why})", _url("businesses:detail", pk)))
    return MetricValue(
        value=result.percent,
        numerator=result.numerator,
        denominator=result.denominator,
        description=_(
            "Operating conditional businesses of the ward with a numbered certificate valid on %(date)s."
        )
        % {"date": as_of.strftime("%d/%m/%Y")},
        url=_url("businesses:list", query="conditional=1"),
        records=tuple(records),
    )


register(
    Metric(
        key="conditional_certified",
        label=gettext_lazy("Conditional businesses with a valid security-and-order certificate"),
        unit="%",
        compute=conditional_certified,
    )
)


# --- waiting for their data source (the pure rule exists in metric_rules) ------------------
# None now: inspections and violations are read by criteria.metrics_records, campaigns and
# citizen feedback by criteria.metrics_activity.

PENDING_METRICS: dict[str, tuple[str, str]] = {
    # key: (pure rule in metric_rules, app whose records it reads)
}
