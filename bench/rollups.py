"""#28 figures: the dashboards read from the rollups, beside what they replaced.

* Ward dashboard, a year: median server time and query count, the panels rendered (cache cleared
  before each request) and as served from the cache, beside the raw SQL of the unrolled aggregates
  the dashboard ran before the rollups (`unrolled_queries`, the same statements as the selectors
  of 03/12/2026, sent straight through a cursor).
* City view, every ward.
* `rebuild_rollups` (in a transaction rolled back afterwards).
* The upkeep's cost on an inspection submission: `inspection_record` timed with the upkeep and
  inside `rollups.suspended()`, interleaved.
"""

from __future__ import annotations

import statistics
import time
import uuid
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count, Q, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone


class _Rollback(Exception):
    pass


def unrolled_queries(ward, period, today) -> list:
    """The dashboard's aggregates as they were computed from the records before #28."""
    from businesses.models import Business, InspectionResult
    from dashboards.periods import add_months, trailing_months
    from inspections.models import Inspection
    from violations import selectors as vs
    from violations.models import Status, Violation, ViolationItem

    in_period = Q(occurred_at__gte=period.start_at, occurred_at__lt=period.end_at)
    months = trailing_months(period)
    since = timezone.make_aware(timezone.datetime.combine(months[0], timezone.datetime.min.time()))
    until = timezone.make_aware(
        timezone.datetime.combine(add_months(months[-1], 1), timezone.datetime.min.time())
    )
    tz = timezone.get_current_timezone()
    return [
        Business.objects.filter(ward=ward)
        .order_by()
        .values_list("pk", "street_id", "residential_group_id", "status"),
        Inspection.objects.filter(ward=ward, finished_at__gte=period.start_at, finished_at__lt=period.end_at)
        .order_by()
        .values("business_id")
        .annotate(
            count=Count("pk"),
            passed=Count("pk", filter=Q(result=InspectionResult.PASSED)),
            reminded=Count("pk", filter=Q(result=InspectionResult.REMINDED)),
            failed=Count("pk", filter=Q(result=InspectionResult.FAILED)),
        )
        .values_list("business_id", "count", "passed", "reminded", "failed"),
        Violation.objects.filter(ward=ward)
        .filter(in_period)
        .order_by()
        .values("street_id", "residential_group_id")
        .annotate(count=Count("pk")),
        Violation.objects.filter(ward=ward)
        .filter(in_period | Q(status=Status.DRAFT) | vs.decision_overdue_q(today) | vs.unpaid_fine_q(today))
        .values("ward")
        .annotate(
            total=Count("pk", filter=in_period),
            repeat=Count("pk", filter=in_period & Q(is_repeat=True)),
            repeat_businesses=Count("business", filter=in_period & Q(is_repeat=True), distinct=True),
            overdue=Count("pk", filter=Q(status=Status.DRAFT, due_date__lt=today)),
            multiple=Count("pk", filter=in_period & Q(is_multiple=True)),
            stages=Count("stage", distinct=True, filter=in_period),
        ),
        Inspection.objects.filter(ward=ward, finished_at__gte=since, finished_at__lt=until)
        .annotate(month=TruncMonth("finished_at", tzinfo=tz), kind=Value("i"))
        .order_by()
        .values("month", "kind")
        .annotate(n=Count("pk"), failed=Count("pk", filter=Q(result=InspectionResult.FAILED)))
        .union(
            Violation.objects.filter(ward=ward, occurred_at__gte=since, occurred_at__lt=until)
            .annotate(month=TruncMonth("occurred_at", tzinfo=tz), kind=Value("v"))
            .order_by()
            .values("month", "kind")
            .annotate(n=Count("pk"), failed=Value(0)),
            all=True,
        ),
        ViolationItem.objects.filter(
            violation__ward=ward,
            violation__occurred_at__gte=period.start_at,
            violation__occurred_at__lt=period.end_at,
        )
        .order_by()
        .values_list("violation_type__domain")
        .annotate(n=Count("violation", distinct=True)),
    ]


def _raw_seconds(querysets: list) -> float:
    statements = [qs.query.sql_with_params() for qs in querysets]
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()
    return time.perf_counter() - start


def _served(client, url: str, *, clear: bool) -> float:
    from django.core.cache import cache

    if clear:
        cache.clear()
    start = time.perf_counter()
    response = client.get(url)
    seconds = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    return seconds


def _queries(client, url: str, *, clear: bool) -> int:
    from django.core.cache import cache
    from django.test.utils import CaptureQueriesContext

    if clear:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def dashboards(ctx, runs: int = 9) -> list:
    from django.test import Client

    from accounts.models import User
    from dashboards.periods import YEAR, DashboardPeriod

    from .__main__ import Figure

    today = timezone.localdate()
    period = DashboardPeriod.containing(YEAR, today)
    client = Client()
    client.force_login(ctx.user)
    url = "/dashboard/?period=year"
    client.get(url)  # warm
    unrolled = unrolled_queries(ctx.ward, period, today)
    fresh, cached, raw = [], [], []
    for _ in range(runs):  # interleaved: drift affects all three alike
        fresh.append(_served(client, url, clear=True))
        cached.append(_served(client, url, clear=False))
        raw.append(_raw_seconds(unrolled))
    fresh_ms, cached_ms, raw_ms = (1000 * statistics.median(x) for x in (fresh, cached, raw))
    n_fresh, n_cached = _queries(client, url, clear=True), _queries(client, url, clear=False)
    figures = [
        Figure(
            "Ward dashboard, a year, panels computed (server time)",
            round(fresh_ms, 1),
            "ms",
            baseline=round(raw_ms, 1),
            baseline_name="raw SQL of the unrolled aggregates",
            ratio=round(fresh_ms / raw_ms, 2) if raw_ms else None,
            target="≤ 50 ms, ≤ 8 queries",
            met=fresh_ms <= 50 and n_fresh <= 8,
            note=f"{n_fresh} queries (session, user and roles included)",
        ),
        Figure(
            "Ward dashboard, a year, from the cache (server time)",
            round(cached_ms, 1),
            "ms",
            baseline=round(raw_ms, 1),
            baseline_name="raw SQL of the unrolled aggregates",
            ratio=round(cached_ms / raw_ms, 2) if raw_ms else None,
            target="≤ 50 ms, ≤ 8 queries",
            met=cached_ms <= 50 and n_cached <= 8,
            note=f"{n_cached} queries",
        ),
    ]
    city_client = Client()
    city_client.force_login(User.objects.filter(is_superuser=True).first())
    city_url = "/dashboard/city/?period=year"
    city_client.get(city_url)
    city = [_served(city_client, city_url, clear=False) for _ in range(runs)]
    city_ms = 1000 * statistics.median(city)
    from wards.models import Ward

    n_wards = Ward.objects.count()
    figures.append(
        Figure(
            f"City view, a year, {n_wards} wards (server time)",
            round(city_ms, 1),
            "ms",
            target="≤ 100 ms",
            met=city_ms <= 100,
            note=f"{_queries(city_client, city_url, clear=False)} queries",
        )
    )
    for f in figures:
        print(f"  {f.name}: {f.value} {f.unit} ({f.note})", flush=True)
    return figures


def rebuild(ctx, runs: int = 1) -> list:
    from dashboards import rollups
    from inspections.models import Inspection

    from .__main__ import Figure

    seconds = []
    for _ in range(runs):
        try:
            with transaction.atomic():
                start = time.perf_counter()
                steps = rollups.rebuild()
                seconds.append(time.perf_counter() - start)
                raise _Rollback
        except _Rollback:
            pass
    value = statistics.median(seconds)
    n = Inspection.objects.count()
    note = ", ".join(f"{k} {v:.1f} s" for k, v in steps.items())
    figure = Figure(
        f"rebuild_rollups from {n:,} inspections".replace(",", "."),
        round(value, 1),
        "s",
        target="≤ 60 s",
        met=value <= 60,
        note=note,
    )
    print(f"  {figure.name}: {value:.1f} s ({note})", flush=True)
    return [figure]


def submission_upkeep(ctx, runs: int = 15) -> list:
    """inspection_record (answers, no photo) with the rollup upkeep and without, interleaved."""
    from businesses.models import Business
    from dashboards import rollups
    from inspections.models import ChecklistVersion, VersionStatus
    from inspections.services import AnswerInput, applicable_items, inspection_record

    from .__main__ import Figure

    businesses = list(Business.objects.filter(ward=ctx.ward, status="active").order_by("pk")[:50])
    version = items = business = None
    for candidate in businesses:
        for v in ChecklistVersion.objects.filter(status=VersionStatus.PUBLISHED):
            found = applicable_items(v, candidate.category_id)
            if found:
                version, items, business = v, found, candidate
                break
        if version:
            break
    if version is None:
        return [Figure("Rollup upkeep on an inspection submission", 0, "%", note="no checklist")]

    def submit() -> None:
        now = timezone.now()
        inspection_record(
            submission_id=uuid.uuid4(),
            business=business,
            version=version,
            recorded_by=ctx.user,
            inspectors=[ctx.user],
            person_present_name=business.owner_name,
            person_present_role="owner",
            started_at=now - timedelta(minutes=20),
            finished_at=now,
            answers=[AnswerInput(item_id=i.pk, status="pass") for i in items],
        )

    def timed(upkeep: bool) -> float:
        try:
            with transaction.atomic():
                start = time.perf_counter()
                if upkeep:
                    submit()
                else:
                    with rollups.suspended():
                        submit()
                seconds = time.perf_counter() - start
                raise _Rollback
        except _Rollback:
            return seconds

    timed(True), timed(False)  # warm
    with_upkeep, without = [], []
    for _ in range(runs):
        without.append(timed(False))
        with_upkeep.append(timed(True))
    a, b = statistics.median(with_upkeep), statistics.median(without)
    cost = 100 * (a - b) / b
    figure = Figure(
        "Inspection submission with the rollup upkeep (in-process)",
        round(1 / a, 1),
        "/s",
        baseline=round(1 / b, 1),
        baseline_name="same submission, upkeep suspended",
        ratio=round(a / b, 3),
        target="upkeep ≤ 10 % of the submission's time",
        met=cost <= 10,
        note=f"{1000 * a:.1f} ms vs {1000 * b:.1f} ms: upkeep {cost:+.1f} %",
    )
    print(f"  {figure.name}: {figure.note}", flush=True)
    return [figure]
