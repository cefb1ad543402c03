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
    Sum,
    Value,
    Window,
)
from django.utils import timezone

from businesses.models import Business, BusinessStatus, InspectionResult
from criteria.models import Assessment, ClassificationThreshold
from inspections.models import Commitment
from violations import selectors as violation_selectors
from violations.domains import Domain
from violations.models import Stage, Status, Violation
from wards.models import ResidentialGroup, Street, Ward
from wards.scoping import scope_to_user

from .periods import DashboardPeriod, trailing_months
from .rollup_models import WardBusinesses, WardMonth
from .rollups import month_start_sql as rollup_month_sql


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
    """The grouped reads several panels share, each run once per page, from the rollups (#28).

    Businesses are counted in ONE grouped pass per (street, residential group, status); the
    inspections and violation records of the period AND of the twelve trailing months come from
    the rollup tables, one grouped read each. Every business sits in exactly one street-group cell
    and its inspections are rolled up there, so summing the cells gives the ward's totals and the
    per-street and per-group figures; "businesses inspected" is the sum of the inspections that
    were a business's first of the period (kept with the rollups), so distinct counts stay exact."""

    def __init__(self, ward: Ward, period: DashboardPeriod) -> None:
        self.ward, self.period = ward, period
        self.months = trailing_months(period)
        # The trailing twelve months end with the period's last month; a year or a quarter starts
        # within them, so one range covers both.
        self.span_start = min(self.months[0], period.start)

    def _in_period(self, month: dt.date) -> bool:
        return self.period.start <= month < self.period.end

    @cached_property
    def _rollup_rows(self) -> list[tuple]:
        """The span's rollups in ONE statement: inspections per month ("i") and violation records
        per month ("v"), each per street and group (records also per domain and stage)."""
        first = {"month": "first_month", "quarter": "first_quarter", "year": "first_year"}[self.period.kind]
        month = rollup_month_sql("day")
        sql = f"""
            SELECT 'i', month, street_id, group_id, '', '', n, passed, reminded, failed, {first}
              FROM rollup_inspection_month
             WHERE ward_id = %s AND month >= %s AND month < %s
            UNION ALL
            SELECT 'v', {month}, street_id, group_id, domain, stage,
                   SUM(n), SUM("repeat"), SUM(multiple), 0, 0
              FROM rollup_violation_day
             WHERE ward_id = %s AND day >= %s AND day < %s
             GROUP BY {month}, street_id, group_id, domain, stage
        """  # noqa: S608 (a column name from the fixed map above; values as parameters)
        bounds = [self.ward.pk, self.span_start, self.period.end]
        with connections[Violation.objects.db].cursor() as cursor:
            cursor.execute(sql, bounds + bounds)
            return [(row[0], _as_date(row[1]), *row[2:]) for row in cursor.fetchall()]

    @cached_property
    def _inspection_months(self) -> list[tuple]:
        """(month, street, group, n, passed, reminded, failed, first of the period's kind)."""
        return [(r[1], r[2], r[3], r[6], r[7], r[8], r[9], r[10]) for r in self._rollup_rows if r[0] == "i"]

    @cached_property
    def inspection_cells(self) -> list[dict[str, Any]]:
        sums: dict[tuple, list[int]] = {}
        for month, street, group, n, passed, reminded, failed, first in self._inspection_months:
            if not self._in_period(month):
                continue
            total = sums.setdefault((street, group or None), [0, 0, 0, 0, 0])
            total[0] += first
            total[1] += n
            total[2] += passed
            total[3] += reminded
            total[4] += failed
        keys = ("businesses", "count", "passed", "reminded", "failed")
        return [
            {"street_id": street, "residential_group_id": group, **dict(zip(keys, total, strict=True))}
            for (street, group), total in sums.items()
        ]

    @cached_property
    def _violation_months(self) -> list[tuple]:
        """(month, street, group, domain, stage, n, repeat, multiple) of the span."""
        return [r[1:9] for r in self._rollup_rows if r[0] == "v"]

    @cached_property
    def violation_cells(self) -> list[dict[str, Any]]:
        sums: Counter = Counter()
        for month, street, group, domain, _stage, n, _r, _m in self._violation_months:
            if domain == "" and self._in_period(month):
                sums[(street or None, group or None)] += n
        return [
            {"street_id": street, "residential_group_id": group, "count": n}
            for (street, group), n in sums.items()
        ]

    def violation_totals(self) -> dict[str, Any]:
        """Records of the period: total, repeat, multiple and per stage (each record once)."""
        out: dict[str, Any] = {"total": 0, "repeat": 0, "multiple": 0, "stages": Counter()}
        for month, _s, _g, domain, stage, n, repeat, multiple in self._violation_months:
            if domain == "" and self._in_period(month):
                out["total"] += n
                out["repeat"] += repeat
                out["multiple"] += multiple
                out["stages"][stage] += n
        return out

    def domain_counts(self) -> dict[str, int]:
        counts: Counter = Counter()
        for month, _s, _g, domain, _stage, n, _r, _m in self._violation_months:
            if domain and self._in_period(month):
                counts[domain] += n
        return dict(counts)

    def trend_rows(self) -> list[dict[str, Any]]:
        inspections: dict[dt.date, list[int]] = {}
        for month, _s, _g, n, _p, _r, failed, _first in self._inspection_months:
            row = inspections.setdefault(month, [0, 0])
            row[0] += n
            row[1] += failed
        violations: Counter = Counter()
        for month, _s, _g, domain, _stage, n, _r, _m in self._violation_months:
            if domain == "":
                violations[month] += n
        rows = []
        for month in self.months:
            count, failed = inspections.get(month, (0, 0))
            rows.append(
                {
                    "month": month,
                    "inspections": count,
                    "failed": failed,
                    "compliance": rate(count - failed, count),
                    "violations": violations.get(month, 0),
                }
            )
        return rows

    @cached_property
    def places(self) -> dict[str, list[PlaceRow]]:
        """The ward's streets and residential groups with their businesses (all, and operating),
        in one statement. Every business is on a street of its ward, so the streets' counts add up
        to the ward's."""
        ward = self.ward
        mine = Q(businesses__ward=ward)
        active = mine & Q(businesses__status=BusinessStatus.ACTIVE)
        streets = (
            Street.objects.filter(ward=ward)
            .order_by()
            .values_list("pk", "name")
            .annotate(
                kind=Value("s"),
                total=Count("businesses", filter=mine),
                active=Count("businesses", filter=active),
            )
        )
        groups = (
            ResidentialGroup.objects.filter(ward=ward)
            .order_by()
            .values_list("pk", "name")
            .annotate(
                kind=Value("g"),
                total=Count("businesses", filter=mine),
                active=Count("businesses", filter=active),
            )
        )
        out: dict[str, list[PlaceRow]] = {"s": [], "g": []}
        self._business_totals = {"total": 0, "active": 0}
        for pk, name, kind, total, n_active in streets.union(groups, all=True):
            out[kind].append(PlaceRow(pk=pk, name=name, n_businesses=n_active))
            if kind == "s":
                self._business_totals["total"] += total
                self._business_totals["active"] += n_active
        for rows in out.values():
            rows.sort(key=lambda r: r.name)
        return out

    def business_figures(self) -> dict[str, int]:
        self.places  # noqa: B018 - read with the places
        return dict(self._business_totals)

    def inspection_figures(self) -> dict[str, int]:
        keys = ("count", "businesses", "passed", "reminded", "failed")
        return {k: sum(c[k] for c in self.inspection_cells) for k in keys}

    def _rows(self, kind: str, field: str) -> list[PlaceRow]:
        rows = {r.pk: r for r in self.places[kind]}
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
def violation_figures(
    ward: Ward, period: DashboardPeriod, today: dt.date, facts: WardFacts | None = None
) -> dict[str, Any]:
    """Records that happened in the period, by stage, repeat ones (the rollups); and, in one
    indexed query, the violators behind the repeat ones and the states of today: drafts overdue,
    decisions overdue, fines unpaid (overdue is a state of today, whatever the period)."""
    facts = facts or WardFacts(ward, period)
    totals = facts.violation_totals()
    in_period = _in_period("occurred_at", period)
    repeat_q = in_period & Q(is_repeat=True)
    overdue_q = Q(status=Status.DRAFT, due_date__lt=today)
    row = (
        Violation.objects.filter(ward=ward)
        .filter(
            repeat_q
            | overdue_q
            | violation_selectors.decision_overdue_q(today)
            | violation_selectors.unpaid_fine_q(today)
        )
        .aggregate(
            repeat_businesses=Count("business", filter=repeat_q, distinct=True),
            overdue=Count("pk", filter=overdue_q),
            decision_overdue=Count("pk", filter=violation_selectors.decision_overdue_q(today)),
            unpaid=Count("pk", filter=violation_selectors.unpaid_fine_q(today)),
        )
    )
    row.update(total=totals["total"], repeat=totals["repeat"], multiple=totals["multiple"])
    row["by_stage"] = [(stage, label, totals["stages"].get(stage, 0)) for stage, label in Stage.choices]
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
def _as_date(value: Any) -> dt.date:
    """A month or day read from the cursor: a date (PostgreSQL) or its ISO text (SQLite)."""
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _month_key(value: Any) -> tuple[int, int]:
    if isinstance(value, str):  # SQLite returns the truncated month as text in a UNION
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return (value.year, value.month)


def monthly_trends(ward: Ward, period: DashboardPeriod, facts: WardFacts | None = None) -> dict[str, Any]:
    """The twelve months ending with the period's last: inspections, those that found violations,
    compliance, and violation records (from the rollups)."""
    return {"rows": (facts or WardFacts(ward, period)).trend_rows()}


# --- breakdowns -----------------------------------------------------------------------------
def domain_breakdown(
    ward: Ward, period: DashboardPeriod, facts: WardFacts | None = None
) -> list[dict[str, Any]]:
    """Violations of the period per domain (a record with items in two domains counts in both,
    as the violations list filtered by domain shows it)."""
    counts = (facts or WardFacts(ward, period)).domain_counts()
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
    businesses = dict(
        WardBusinesses.objects.filter(ward_id__in=ids, status=BusinessStatus.ACTIVE).values_list(
            "ward_id", "n"
        )
    )
    first = {"month": "first_month", "quarter": "first_quarter", "year": "first_year"}[period.kind]
    months = {
        r["ward_id"]: r
        for r in WardMonth.objects.filter(ward_id__in=ids, month__gte=period.start, month__lt=period.end)
        .order_by()
        .values("ward_id")
        .annotate(n=Sum("n"), inspected=Sum(first), failed=Sum("failed"), violations=Sum("violations"))
    }
    inspections = violations = months
    overdue = dict(
        Violation.objects.filter(ward_id__in=ids, status=Status.DRAFT, due_date__lt=today)
        .order_by()
        .values("ward_id")
        .annotate(n=Count("pk"))
        .values_list("ward_id", "n")
    )
    for row in rows:
        insp = inspections.get(row.pk, {})
        viol = violations.get(row.pk, {})
        row.n_businesses = businesses.get(row.pk, 0)
        row.n_inspections, row.n_inspected = insp.get("n") or 0, insp.get("inspected") or 0
        row.n_failed = insp.get("failed") or 0
        row.n_violations, row.n_overdue = viol.get("violations") or 0, overdue.get(row.pk, 0)
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
