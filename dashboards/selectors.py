"""Reads behind the dashboards: every figure is an SQL aggregate, one query per panel.

All functions take a ward (already checked against the user by the view) and a period; none
loops over rows with further queries. Counting subqueries use the `.values(key).annotate()`
pattern, so a breakdown by street or residential group stays one statement.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db import connections
from django.db.models import (
    Count,
    DecimalField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from businesses.models import Business, BusinessStatus, InspectionResult
from criteria.models import Assessment, ClassificationThreshold
from inspections.models import Commitment, Inspection
from violations import selectors as violation_selectors
from violations.domains import Domain
from violations.models import Stage, Status, Violation, ViolationItem
from wards.models import ResidentialGroup, Street, Ward
from wards.scoping import scope_to_user

from .periods import DashboardPeriod, add_months, trailing_months


def _cursor_rows(queryset: QuerySet) -> list[tuple]:
    """The rows of a values_list() of plain columns and counts, read straight from the cursor.

    Django converts every value of every row (int() of each count, for one): on a ward's 5,000
    businesses that was 10 ms of the dashboard's 150 ms budget. The columns are named as Django's
    own iterables name them (``query.selected``, in values_list() order), and the rows are put in
    the order values_list() asks for.
    """
    query = queryset.query
    if query.selected:
        selected = list(query.selected)
    else:
        selected = [*query.extra_select, *query.values_select, *query.annotation_select]
    wanted = list(queryset._fields) or selected
    sql, params = query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if wanted == selected:
        return rows
    order = [selected.index(name) for name in wanted]
    return [tuple(row[i] for i in order) for row in rows]


WATCH_LIMIT = 10
OK_RESULTS = (InspectionResult.PASSED, InspectionResult.REMINDED)


def rate(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal, or None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _in_period(field: str, period: DashboardPeriod) -> Q:
    return Q(**{f"{field}__gte": period.start_at, f"{field}__lt": period.end_at})


# --- wards the user may see -----------------------------------------------------------------
def wards_for_dashboard(user: Any) -> QuerySet[Ward]:
    return scope_to_user(Ward.objects.all(), user, ward_field="self").order_by("province", "name")


def can_view_city(user: Any) -> bool:
    """City overview: superusers, and users granted `dashboards.view_city_dashboard` (directly or
    through a group, e.g. a "city" group for the city police staff)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # Read with the user's roles, in the query every page makes anyway.
    return user.has_page_permission("dashboards.view_city_dashboard")


# --- shared grouped reads -------------------------------------------------------------------
@dataclass
class PlaceRow:
    """A street or a residential group with its figures for the period."""

    pk: int
    name: str
    n_businesses: int = 0
    n_inspections: int = 0
    n_inspected: int = 0
    n_failed: int = 0
    n_violations: int = 0
    rank: int = 0

    @property
    def coverage(self) -> Decimal | None:
        return rate(self.n_inspected, self.n_businesses)

    @property
    def compliance(self) -> Decimal | None:
        return rate(self.n_inspections - self.n_failed, self.n_inspections)


class WardFacts:
    """The grouped reads several panels share, each run once per page.

    Businesses, inspections and violations are each counted in ONE pass grouped by
    (street, residential group). Every business sits in exactly one such cell, so summing the
    cells gives the ward's totals and the per-street and per-group figures, and distinct
    business counts stay exact."""

    def __init__(self, ward: Ward, period: DashboardPeriod) -> None:
        self.ward, self.period = ward, period

    @cached_property
    def _business_rows(self) -> list[tuple[int, int | None, int | None, str]]:
        """Every business of the ward: its id, street, residential group and status (one narrow
        row each; a ward has thousands, not millions)."""
        return _cursor_rows(
            Business.objects.filter(ward=self.ward)
            .order_by()
            .values_list("pk", "street_id", "residential_group_id", "status")
        )

    @cached_property
    def _business_places(self) -> dict[int, tuple[int | None, int | None]]:
        """Each business's (street, residential group)."""
        return {pk: (street, group) for pk, street, group, _status in self._business_rows}

    @cached_property
    def business_cells(self) -> list[dict[str, Any]]:
        active = BusinessStatus.ACTIVE
        counts = Counter(
            (street, group, status == active) for _pk, street, group, status in self._business_rows
        )
        cells: dict[tuple, dict[str, Any]] = {}
        for (street, group, is_active), n in counts.items():
            cell = cells.get((street, group))
            if cell is None:
                cell = cells[(street, group)] = {
                    "street_id": street,
                    "residential_group_id": group,
                    "total": 0,
                    "active": 0,
                }
            cell["total"] += n
            if is_active:
                cell["active"] += n
        return list(cells.values())

    @cached_property
    def inspection_cells(self) -> list[dict[str, Any]]:
        """Inspections of the period counted per business by the database (an index-only scan of
        (ward, finished_at) with the result and business included), then summed per street and
        group here: joining businesses in SQL made PostgreSQL hash the whole city's registry
        (measured: 135 ms of a 150 ms budget at 100.000 businesses). The sums are kept in lists
        while a ward's few thousand rows are added up (a dictionary key per count was three
        times slower)."""
        per_business = _cursor_rows(
            Inspection.objects.filter(ward=self.ward)
            .filter(_in_period("finished_at", self.period))
            .order_by()
            .values("business_id")
            .annotate(
                count=Count("pk"),
                passed=Count("pk", filter=Q(result=InspectionResult.PASSED)),
                reminded=Count("pk", filter=Q(result=InspectionResult.REMINDED)),
                failed=Count("pk", filter=Q(result=InspectionResult.FAILED)),
            )
            .values_list("business_id", "count", "passed", "reminded", "failed")
        )
        places = self._business_places
        moved = [row[0] for row in per_business if row[0] not in places]
        if moved:  # inspected here, registered in another ward since: still counted here
            places = {
                **places,
                **{
                    pk: (street, group)
                    for pk, street, group in Business.objects.filter(pk__in=moved).values_list(
                        "pk", "street_id", "residential_group_id"
                    )
                },
            }
        sums: dict[tuple, list[int]] = {}
        for business_id, count, passed, reminded, failed in per_business:
            place = places[business_id]
            total = sums.get(place)
            if total is None:
                sums[place] = [1, count, passed, reminded, failed]
            else:
                total[0] += 1
                total[1] += count
                total[2] += passed
                total[3] += reminded
                total[4] += failed
        keys = ("businesses", "count", "passed", "reminded", "failed")
        return [
            {"street_id": street, "residential_group_id": group, **dict(zip(keys, total, strict=True))}
            for (street, group), total in sums.items()
        ]

    @cached_property
    def violation_cells(self) -> list[dict[str, Any]]:
        return list(
            Violation.objects.filter(ward=self.ward)
            .filter(_in_period("occurred_at", self.period))
            .order_by()
            .values("street_id", "residential_group_id")
            .annotate(count=Count("pk"))
        )

    @cached_property
    def places(self) -> dict[str, list[PlaceRow]]:
        """The ward's streets and residential groups, in one statement."""
        streets = (
            Street.objects.filter(ward=self.ward)
            .order_by()
            .values_list("pk", "name")
            .annotate(kind=Value("s"))
        )
        groups = (
            ResidentialGroup.objects.filter(ward=self.ward)
            .order_by()
            .values_list("pk", "name")
            .annotate(kind=Value("g"))
        )
        out: dict[str, list[PlaceRow]] = {"s": [], "g": []}
        for pk, name, kind in streets.union(groups, all=True):
            out[kind].append(PlaceRow(pk=pk, name=name))
        for rows in out.values():
            rows.sort(key=lambda r: r.name)
        return out

    def business_figures(self) -> dict[str, int]:
        return {
            "total": sum(c["total"] for c in self.business_cells),
            "active": sum(c["active"] for c in self.business_cells),
        }

    def inspection_figures(self) -> dict[str, int]:
        keys = ("count", "businesses", "passed", "reminded", "failed")
        return {k: sum(c[k] for c in self.inspection_cells) for k in keys}

    def _rows(self, kind: str, field: str) -> list[PlaceRow]:
        rows = {r.pk: r for r in self.places[kind]}
        for c in self.business_cells:
            if c[field] in rows:
                rows[c[field]].n_businesses += c["active"]
        for c in self.inspection_cells:
            if c[field] in rows:
                row = rows[c[field]]
                row.n_inspections += c["count"]
                row.n_inspected += c["businesses"]
                row.n_failed += c["failed"]
        for c in self.violation_cells:
            if c[field] in rows:
                rows[c[field]].n_violations += c["count"]
        return list(rows.values())

    def street_breakdown(self) -> list[PlaceRow]:
        return self._rows("s", "street_id")

    def group_ranking(self) -> list[PlaceRow]:
        """Residential groups ranked: fewest violations per active business first, then the best
        compliance and coverage (a group with nothing inspected ranks after those that were)."""
        rows = self._rows("g", "residential_group_id")

        def _key(row: PlaceRow) -> tuple:
            per_business = row.n_violations / row.n_businesses if row.n_businesses else row.n_violations
            return (
                per_business,
                -(row.compliance if row.compliance is not None else Decimal(-1)),
                -(row.coverage if row.coverage is not None else Decimal(-1)),
                row.name,
            )

        rows.sort(key=_key)
        for rank, row in enumerate(rows, start=1):
            row.rank = rank
        return rows


# --- headline figures -----------------------------------------------------------------------
def violation_figures(ward: Ward, period: DashboardPeriod, today: dt.date) -> dict[str, Any]:
    """Records that happened in the period, by stage; repeat ones; and drafts overdue today
    (overdue is a state of today, whatever the period)."""
    in_period = _in_period("occurred_at", period)
    aggregates = {
        "total": Count("pk", filter=in_period),
        "repeat": Count("pk", filter=in_period & Q(is_repeat=True)),
        "repeat_businesses": Count("business", filter=in_period & Q(is_repeat=True), distinct=True),
        "overdue": Count("pk", filter=Q(status=Status.DRAFT, due_date__lt=today)),
        "multiple": Count("pk", filter=in_period & Q(is_multiple=True)),
        # Sanction decisions (#25.3): states of today, whatever the period.
        "decision_overdue": Count("pk", filter=violation_selectors.decision_overdue_q(today)),
        "unpaid": Count("pk", filter=violation_selectors.unpaid_fine_q(today)),
    }
    for stage in Stage.values:
        aggregates[f"stage_{stage}"] = Count("pk", filter=in_period & Q(stage=stage))
    row = (
        Violation.objects.filter(ward=ward)
        .filter(
            in_period
            | Q(status=Status.DRAFT)
            | violation_selectors.decision_overdue_q(today)
            | violation_selectors.unpaid_fine_q(today)
        )
        .aggregate(**aggregates)
    )
    row["by_stage"] = [(stage, label, row.pop(f"stage_{stage}")) for stage, label in Stage.choices]
    return row


def overdue_commitments(
    ward: Ward, today: dt.date, *, limit: int = WATCH_LIMIT
) -> tuple[int, list[Commitment]]:
    """The first `limit` commitments past their deadline and not kept, and how many there are
    (a window count: one query for both)."""
    qs = (
        Commitment.objects.filter(ward=ward, fulfilled_at__isnull=True, deadline__lt=today)
        .select_related("business", "business__street", "inspection")
        .annotate(total=Window(Count("pk")))
        .order_by("deadline", "pk")
    )
    rows = list(qs[:limit])
    return (rows[0].total if rows else 0), rows


def overdue_commitments_list(ward: Ward, today: dt.date) -> QuerySet[Commitment]:
    """Every commitment of the ward past its deadline and not kept, oldest deadline first: the
    list behind the dashboard's "Overdue commitments" figure (same filter as overdue_commitments)."""
    return (
        Commitment.objects.filter(ward=ward, fulfilled_at__isnull=True, deadline__lt=today)
        .select_related("business", "business__street", "inspection")
        .order_by("deadline", "pk")
    )


def criteria_standing(ward: Ward) -> Assessment | None:
    """The ward's latest assessment with its set's target: the highest classification that meets
    the standard (the model-ward level the ward aims at)."""
    target = ClassificationThreshold.objects.filter(
        criteria_set=OuterRef("criteria_set"), meets_standard=True
    ).order_by("-minimum_total")
    return (
        Assessment.objects.filter(ward=ward)
        .select_related("criteria_set")
        .annotate(
            target_label=Subquery(target.values("label")[:1]),
            target_total=Subquery(
                target.values("minimum_total")[:1], output_field=DecimalField(max_digits=7, decimal_places=2)
            ),
        )
        .order_by("-year", "-quarter")
        .first()
    )


# --- trends ---------------------------------------------------------------------------------
def _month_key(value: Any) -> tuple[int, int]:
    if isinstance(value, str):  # SQLite returns the truncated month as text in a UNION
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return (value.year, value.month)


def monthly_trends(ward: Ward, period: DashboardPeriod) -> dict[str, Any]:
    months = trailing_months(period)
    since = timezone.make_aware(dt.datetime.combine(months[0], dt.time.min))
    until = timezone.make_aware(dt.datetime.combine(add_months(months[-1], 1), dt.time.min))
    tz = timezone.get_current_timezone()
    inspections = (
        Inspection.objects.filter(ward=ward, finished_at__gte=since, finished_at__lt=until)
        .annotate(month=TruncMonth("finished_at", tzinfo=tz), kind=Value("i"))
        .order_by()
        .values("month", "kind")
        .annotate(n=Count("pk"), failed=Count("pk", filter=Q(result=InspectionResult.FAILED)))
    )
    violations = (
        Violation.objects.filter(ward=ward, occurred_at__gte=since, occurred_at__lt=until)
        .annotate(month=TruncMonth("occurred_at", tzinfo=tz), kind=Value("v"))
        .order_by()
        .values("month", "kind")
        .annotate(n=Count("pk"), failed=Value(0))
    )
    # One statement for both series.
    by_kind: dict[str, dict] = {"i": {}, "v": {}}
    for row in inspections.union(violations, all=True):
        by_kind[row["kind"]][_month_key(row["month"])] = row
    by_inspection = by_kind["i"]
    by_violation = {k: r["n"] for k, r in by_kind["v"].items()}
    rows = []
    for month in months:
        insp = by_inspection.get((month.year, month.month), {})
        count, failed = insp.get("n", 0), insp.get("failed", 0)
        rows.append(
            {
                "month": month,
                "inspections": count,
                "failed": failed,
                "compliance": rate(count - failed, count),
                "violations": by_violation.get((month.year, month.month), 0),
            }
        )
    return {"rows": rows}


# --- breakdowns -----------------------------------------------------------------------------
def domain_breakdown(ward: Ward, period: DashboardPeriod) -> list[dict[str, Any]]:
    """Violations of the period per domain (a record with items in two domains counts in both,
    as the violations list filtered by domain shows it)."""
    counts = dict(
        ViolationItem.objects.filter(violation__ward=ward)
        .filter(_in_period("violation__occurred_at", period))
        .order_by()
        .values_list("violation_type__domain")
        .annotate(n=Count("violation", distinct=True))
        .values_list("violation_type__domain", "n")
    )
    return [
        {"domain": value, "label": label, "violations": counts.get(value, 0)}
        for value, label in Domain.choices
    ]


# --- watch-list -----------------------------------------------------------------------------
def repeat_violators(ward: Ward, today: dt.date, *, limit: int = WATCH_LIMIT) -> list[Business]:
    """The watch-list: the ward's repeat violators of the last 12 months (the businesses of the
    violations:repeat page), most repeats first, then most records."""
    return list(
        violation_selectors.repeat_violators_among(Business.objects.filter(ward=ward), today).order_by(
            "-n_repeats", "-n_violations", "name"
        )[:limit]
    )


# --- city -----------------------------------------------------------------------------------
def city_rows(wards: QuerySet[Ward], period: DashboardPeriod, today: dt.date) -> list[Ward]:
    """One row per ward; each source is read in one pass grouped by ward (no per-ward query).
    Ranked by criteria score, then coverage, then compliance."""
    latest = Assessment.objects.filter(ward=OuterRef("pk")).order_by("-year", "-quarter")
    rows = list(
        wards.annotate(
            score_total=Subquery(latest.values("total")[:1]),
            score_max=Subquery(latest.values("max_total")[:1]),
            classification=Subquery(latest.values("classification")[:1]),
        )
    )
    ids = [row.pk for row in rows]
    businesses = {
        r["ward_id"]: r["n"]
        for r in Business.objects.filter(ward_id__in=ids, status=BusinessStatus.ACTIVE)
        .order_by()
        .values("ward_id")
        .annotate(n=Count("pk"))
    }
    inspections = {
        r["ward_id"]: r
        for r in Inspection.objects.filter(ward_id__in=ids)
        .filter(_in_period("finished_at", period))
        .order_by()
        .values("ward_id")
        .annotate(
            n=Count("pk"),
            inspected=Count("business", distinct=True),
            failed=Count("pk", filter=Q(result=InspectionResult.FAILED)),
        )
    }
    in_period = _in_period("occurred_at", period)
    overdue = Q(status=Status.DRAFT, due_date__lt=today)
    violations = {
        r["ward_id"]: r
        for r in Violation.objects.filter(ward_id__in=ids)
        .filter(in_period | overdue)
        .order_by()
        .values("ward_id")
        .annotate(n=Count("pk", filter=in_period), overdue=Count("pk", filter=overdue))
    }
    for row in rows:
        insp = inspections.get(row.pk, {})
        viol = violations.get(row.pk, {})
        row.n_businesses = businesses.get(row.pk, 0)
        row.n_inspections, row.n_inspected = insp.get("n", 0), insp.get("inspected", 0)
        row.n_failed = insp.get("failed", 0)
        row.n_violations, row.n_overdue = viol.get("n", 0), viol.get("overdue", 0)
        row.coverage = rate(row.n_inspected, row.n_businesses)
        row.compliance = rate(row.n_inspections - row.n_failed, row.n_inspections)
        row.score = rate(row.score_total, row.score_max) if row.score_total is not None else None

    def _key(row: Any) -> tuple:
        def neg(v: Decimal | None) -> Decimal:
            return -(v if v is not None else Decimal(-1))

        return (neg(row.score), neg(row.coverage), neg(row.compliance), row.name)

    rows.sort(key=_key)
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
    return rows
