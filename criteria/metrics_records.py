"""Metrics read from the inspections and violations apps (registered by CriteriaConfig.ready()).

Each adapter turns the ward's rows into the plain facts of criteria.metric_rules, lets the pure
rule decide, and keeps the records behind the figure (linked) for the assessment's gap list.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wards.models import Ward

from . import metric_rules
from .metrics import Metric, MetricValue, SourceRecord, _url, register
from .periods import Period

# The window in which a second violation of the same kind is a repeat (tái phạm): one year.
REPEAT_WINDOW_DAYS = 365


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Aware datetimes covering the local days start..end (inclusive)."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


def _day(value: datetime | None) -> date | None:
    return timezone.localdate(value) if value else None


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _ratio(result: metric_rules.RatioResult, description: str, url, records) -> MetricValue:
    return MetricValue(
        value=result.percent,
        numerator=result.numerator,
        denominator=result.denominator,
        description=description,
        url=url,
        records=tuple(records),
    )


def _count(count: int, description: str, url, records) -> MetricValue:
    return MetricValue(
        value=Decimal(count), numerator=count, description=description, url=url, records=tuple(records)
    )


def _period_text(period: Period) -> dict[str, str]:
    return {"start": _dmy(period.start), "end": _dmy(period.end)}


# --- inspections -----------------------------------------------------------------------------


def _inspection_facts(ward: Ward, period: Period) -> list[tuple[metric_rules.InspectionFacts, dict]]:
    from inspections.models import Inspection

    start, end = _bounds(period.start, period.end)
    rows = (
        Inspection.objects.filter(ward=ward, finished_at__gte=start, finished_at__lt=end)
        .order_by("finished_at", "pk")
        .values("pk", "business_id", "business__name", "finished_at", "result")
    )
    return [
        (metric_rules.InspectionFacts(r["pk"], r["business_id"], _day(r["finished_at"]), r["result"]), r)
        for r in rows
    ]


def businesses_inspected(ward: Ward, period: Period) -> MetricValue:
    """Operating businesses of the ward (today's register) inspected at least once in the period."""
    from businesses.models import Business, BusinessStatus

    active = list(
        Business.objects.filter(ward=ward, status=BusinessStatus.ACTIVE)
        .order_by("name", "pk")
        .values("pk", "name")
    )
    facts = [f for f, _row in _inspection_facts(ward, period)]
    result = metric_rules.inspected_share((b["pk"] for b in active), facts, period)
    names = {b["pk"]: b["name"] for b in active}
    records = [
        SourceRecord(_("%(name)s (not inspected)") % {"name": names[pk]}, _url("businesses:detail", pk))
        for pk in result.failing
    ]
    return _ratio(
        result,
        _("Operating businesses of the ward inspected at least once from %(start)s to %(end)s.")
        % _period_text(period),
        _url("inspections:list"),
        records,
    )


def compliance_rate(ward: Ward, period: Period) -> MetricValue:
    """Inspections of the period that found no violation (passed, with or without reminders).

    Counted from the daily rollup (#28): a year of a ward is a few thousand rows, not tens of
    thousands of inspections. The records behind the figure, the inspections that found
    violations, are read on the (ward, result, finished_at) index."""
    from django.db.models import Sum

    from businesses.models import InspectionResult
    from dashboards.rollup_models import InspectionDay
    from inspections.models import Inspection

    totals = InspectionDay.objects.filter(
        ward_id=ward.pk, day__gte=period.start, day__lte=period.end
    ).aggregate(n=Sum("n"), failed=Sum("failed"))
    count, failed = totals["n"] or 0, totals["failed"] or 0
    start, end = _bounds(period.start, period.end)
    failing = list(
        Inspection.objects.filter(
            ward=ward, result=InspectionResult.FAILED, finished_at__gte=start, finished_at__lt=end
        )
        .order_by("finished_at", "pk")
        .values_list("pk", "business__name", "finished_at")
    )
    result = metric_rules.RatioResult(count - failed, count, tuple(pk for pk, _name, _at in failing))
    records = [
        SourceRecord(f"{name} ({_dmy(_day(at))})", _url("inspections:detail", pk)) for pk, name, at in failing
    ]
    return _ratio(
        result,
        _("Inspections from %(start)s to %(end)s that found no violation.") % _period_text(period),
        _url("inspections:list"),
        records,
    )


# --- violations ------------------------------------------------------------------------------


def _violation_rows(ward: Ward, start: date, end: date):
    from violations.models import Status, ViolationItem

    low, high = _bounds(start, end)
    # Corrections replace a record: the superseded one is not a second violation.
    return (
        ViolationItem.objects.filter(
            violation__ward=ward, violation__occurred_at__gte=low, violation__occurred_at__lt=high
        )
        .exclude(violation__status=Status.SUPERSEDED)
        .order_by("violation__occurred_at", "violation_id", "pk")
        .values(
            "violation_id",
            "violation__occurred_at",
            "violation__business_id",
            "violation__business__name",
            "violation__business__residential_group_id",
            "violation__person_name",
            "violation__person_id_number",
            "violation__residential_group_id",
            "violation_type__code",
        )
    )


def _subject(row: dict) -> tuple:
    if row["violation__business_id"]:
        return ("business", row["violation__business_id"])
    return ("person", row["violation__person_id_number"] or row["violation__person_name"].strip().lower())


def _violation_facts(rows) -> list[metric_rules.ViolationFacts]:
    return [
        metric_rules.ViolationFacts(
            key=r["violation_id"],
            subject=_subject(r),
            type=r["violation_type__code"],
            on=_day(r["violation__occurred_at"]),
            group=r["violation__residential_group_id"] or r["violation__business__residential_group_id"],
        )
        for r in rows
    ]


def repeat_violators(ward: Ward, period: Period) -> MetricValue:
    """Businesses or people who, within the period, repeated a violation of the same kind
    committed less than a year before (tái phạm)."""
    rows = list(_violation_rows(ward, period.start - timedelta(days=REPEAT_WINDOW_DAYS), period.end))
    result = metric_rules.repeat_violators(_violation_facts(rows), period, REPEAT_WINDOW_DAYS)
    records = []
    for subject in result.keys:
        row = next(r for r in rows if _subject(r) == subject)
        if subject[0] == "business":
            records.append(
                SourceRecord(row["violation__business__name"], _url("businesses:detail", subject[1]))
            )
        else:
            records.append(
                SourceRecord(row["violation__person_name"], _url("violations:detail", row["violation_id"]))
            )
    return _count(
        result.count,
        _("Violators who repeated a violation of the same kind within a year, from %(start)s to %(end)s.")
        % _period_text(period),
        _url("violations:repeat"),
        records,
    )


RECORD_STAGES = ("working_record", "violation_record", "sanction")


def _record_deadlines(ward: Ward, *, due_before: date | None = None, period: Period | None = None):
    """Violation records (MBB01/MBB02) with the due date the violations app computed when the
    case was opened (2 working days after discovery, 5 if complex), and the day they were signed."""
    from violations.models import Violation

    qs = Violation.objects.filter(ward=ward, stage__in=RECORD_STAGES, supersedes__isnull=True)
    if period is not None:
        qs = qs.filter(due_date__gte=period.start, due_date__lte=period.end)
    if due_before is not None:
        qs = qs.filter(due_date__lt=due_before)
    rows = list(
        qs.order_by("due_date", "pk").values(
            "pk", "due_date", "signed_at", "description", "number", "number_symbol"
        )
    )
    facts = [
        metric_rules.DeadlineFacts(("record", r["pk"]), r["due_date"], _day(r["signed_at"])) for r in rows
    ]
    return facts, {("record", r["pk"]): r for r in rows}


def _record_label(row: dict) -> str:
    number = f"{row['number']}/{row['number_symbol']}" if row["number"] else _("draft")
    return _("Record %(number)s due %(date)s") % {"number": number, "date": _dmy(row["due_date"])}


def records_on_time(ward: Ward, period: Period) -> MetricValue:
    as_of = period.as_of(timezone.localdate())
    facts, rows = _record_deadlines(ward, period=period)
    result = metric_rules.on_time_share(facts, period, as_of)
    records = [
        SourceRecord(_record_label(rows[key]), _url("violations:detail", key[1])) for key in result.failing
    ]
    return _ratio(
        result,
        _(
            "Violation records falling due from %(start)s to %(end)s that were signed within the legal time "
            "(2 working days after discovery, 5 for a complex case)."
        )
        % _period_text(period),
        _url("violations:list"),
        records,
    )


def overdue_records_commitments(ward: Ward, period: Period) -> MetricValue:
    from inspections.models import Commitment

    as_of = period.as_of(timezone.localdate())
    facts, rows = _record_deadlines(ward, due_before=as_of)
    commitments = list(
        Commitment.objects.filter(ward=ward, deadline__lt=as_of)
        .order_by("deadline", "pk")
        .values("pk", "inspection_id", "deadline", "fulfilled_at", "business__name")
    )
    facts += [
        metric_rules.DeadlineFacts(("commitment", c["pk"]), c["deadline"], _day(c["fulfilled_at"]))
        for c in commitments
    ]
    by_commitment = {("commitment", c["pk"]): c for c in commitments}
    result = metric_rules.overdue_count(facts, as_of)
    records = []
    for key in result.keys:
        if key[0] == "record":
            records.append(SourceRecord(_record_label(rows[key]), _url("violations:detail", key[1])))
        else:
            c = by_commitment[key]
            records.append(
                SourceRecord(
                    _("Commitment of %(name)s due %(date)s")
                    % {"name": c["business__name"], "date": _dmy(c["deadline"])},
                    _url("inspections:detail", c["inspection_id"]),
                )
            )
    return _count(
        result.count,
        _("Violation records not signed and commitments not kept by their due date, on %(date)s.")
        % {"date": _dmy(as_of)},
        _url("violations:list", query="overdue=1"),
        records,
    )


def groups_without_violations(ward: Ward, period: Period) -> MetricValue:
    from wards.models import ResidentialGroup

    groups = list(ResidentialGroup.objects.filter(ward=ward).order_by("name", "pk").values("pk", "name"))
    facts = _violation_facts(_violation_rows(ward, period.start, period.end))
    result = metric_rules.groups_without_violations((g["pk"] for g in groups), facts, period)
    names = {g["pk"]: g["name"] for g in groups}
    records = [
        SourceRecord(
            _("%(group)s (violations recorded)") % {"group": names[pk]},
            _url("violations:list", query=f"residential_group={pk}"),
        )
        for pk in result.failing
    ]
    return _ratio(
        result,
        _("Residential groups of the ward with no violation recorded from %(start)s to %(end)s.")
        % _period_text(period),
        _url("violations:list"),
        records,
    )


METRICS = [
    Metric("businesses_inspected", gettext_lazy("Operating businesses inspected"), "%", businesses_inspected),
    Metric(
        "compliance_rate",
        gettext_lazy("Inspections without violations (compliance rate)"),
        "%",
        compliance_rate,
    ),
    Metric(
        "repeat_violators",
        gettext_lazy("Repeat violators in the period"),
        gettext_lazy("violators"),
        repeat_violators,
        higher_is_better=False,
    ),
    Metric("records_on_time", gettext_lazy("Violation records made on time"), "%", records_on_time),
    Metric(
        "overdue_records_commitments",
        gettext_lazy("Overdue violation records and commitments"),
        gettext_lazy("records and commitments"),
        overdue_records_commitments,
        higher_is_better=False,
    ),
    Metric(
        "groups_without_violations",
        gettext_lazy("Residential groups without violations"),
        "%",
        groups_without_violations,
    ),
]


def register_all() -> None:
    from .metrics import REGISTRY

    for metric in METRICS:
        if metric.key not in REGISTRY:
            register(metric)
