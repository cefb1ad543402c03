"""Upkeep of the rollup tables (#28): exact in the transaction of the write, rebuilt from the records.

Two ways of keeping a table exact, chosen by the table's volume:

* Inspections (the million-row source, written on the hot path of a submission) are kept by
  deltas. An inspection changes its business's contribution within one ward and one year (its own
  day, and which of the business's inspections is the first of its month, quarter and year), so
  the upkeep reads that business's inspections of that year (a handful, on the (business,
  finished_at) index), computes the contribution before and after in Python, and adds the
  difference with one upsert per table (`ON CONFLICT … DO UPDATE SET n = n + excluded.n`, the same
  statement on PostgreSQL and SQLite). A business moving to another street, residential group or
  category moves its whole contribution.
* Violation records, commitments, citizen feedback and sanction decisions (thousands a year per
  ward) are kept by recomputing the (ward, day) keys a write touches from the records: delete the
  key's rows, insert what the records give now. Exact by construction; the property test checks
  that every write path marks the right keys.

On PostgreSQL each key is serialised with a transaction-level advisory lock, so two submissions of
the same business (or two records of the same ward and day) cannot interleave their read and write.

`rebuild()` recomputes every table from the records (`manage.py rebuild_rollups`); `snapshot()`
reads them for comparisons. Writes that bypass the ORM's signals (a queryset `.update()`, COPY)
must call the matching function here or rebuild; the services do.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from .rollup_models import (
    CommitmentDay,
    DecisionDay,
    FeedbackDay,
    InspectionDay,
    InspectionMonth,
    ViolationDay,
    WardBusinesses,
    WardMonth,
)

TABLES = (
    InspectionDay,
    InspectionMonth,
    ViolationDay,
    CommitmentDay,
    FeedbackDay,
    DecisionDay,
    WardMonth,
    WardBusinesses,
)

_suspended: contextvars.ContextVar[bool] = contextvars.ContextVar("rollups_suspended", default=False)


@contextmanager
def suspended() -> Iterator[None]:
    """Skip the upkeep inside the block (bulk seeding); the caller rebuilds afterwards."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def is_suspended() -> bool:
    return _suspended.get()


# --- the ward's version: the key of its cached dashboard ----------------------------------------
def ward_version_key(ward_id: int) -> str:
    return f"dashboards:ward-version:{ward_id}"


def ward_version(ward_id: int) -> str:
    return cache.get(ward_version_key(ward_id)) or "0"


def bump_ward_versions(ward_ids: Iterable[int | None]) -> None:
    """A write touched these wards: their cached dashboards are stale once it commits. Bumped
    when the transaction commits (at once outside a transaction): a view rendered before the
    commit reads and caches the old figures under the old version, which no one asks for after
    the bump; a view between the commit and the bump caches the new figures under the old
    version, which is harmless."""
    ids = {w for w in ward_ids if w}
    if not ids:
        return

    def bump() -> None:
        token = uuid.uuid4().hex[:12]
        cache.set_many({ward_version_key(w): token for w in ids}, timeout=None)

    transaction.on_commit(bump)


# --- local days and periods -------------------------------------------------------------------
def local_day(value: dt.datetime) -> dt.date:
    return timezone.localdate(value)


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    return (
        timezone.make_aware(dt.datetime(year, 1, 1)),
        timezone.make_aware(dt.datetime(year + 1, 1, 1)),
    )


def _periods(day: dt.date) -> tuple[tuple, tuple, int]:
    return (day.year, day.month), (day.year, (day.month - 1) // 3), day.year


def _lock(kind: int, *parts: int) -> None:
    """Serialise the upkeep of one key (PostgreSQL; SQLite serialises every write anyway)."""
    if connection.vendor != "postgresql":
        return
    key = 0
    for part in parts:
        key = (key * 1_000_003 + int(part)) % 2_147_483_647
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [kind, key])


# --- upserts ---------------------------------------------------------------------------------
def _upsert_sql(model, deltas: dict[tuple, list[int]]) -> tuple[str, list[Any]]:
    """INSERT … ON CONFLICT DO UPDATE adding each key's values to its row (created at zero)."""
    rows = sorted((key, values) for key, values in deltas.items() if any(values))
    table = model._meta.db_table
    quote = connection.ops.quote_name
    columns = [*model.KEY, *model.VALUES]
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = "INSERT INTO {t} ({cols}) VALUES {vals} ON CONFLICT ({key}) DO UPDATE SET {sets}".format(  # noqa: S608
        t=quote(table),
        cols=", ".join(quote(c) for c in columns),
        vals=", ".join([placeholders] * len(rows)),
        key=", ".join(quote(c) for c in model.KEY),
        sets=", ".join(f"{quote(c)} = {quote(table)}.{quote(c)} + excluded.{quote(c)}" for c in model.VALUES),
    )
    params: list[Any] = []
    for key, values in rows:
        params += [*key, *values]
    return sql, params


def _add(model, deltas: dict[tuple, list[int]]) -> None:
    """Add each key's values to its row, one statement."""
    if not any(any(values) for values in deltas.values()):
        return
    sql, params = _upsert_sql(model, deltas)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _replace(model, ward_id: int, day: dt.date, rows: dict[tuple, list[int]]) -> None:
    """The key's rows become exactly `rows` (all for this ward and day)."""
    model.objects.filter(ward_id=ward_id, day=day).delete()
    _insert(model, rows)


def _insert(model, rows: dict[tuple, list[int]], batch: int = 2000) -> None:
    objects = [
        model(**dict(zip(model.KEY, key, strict=True)), **dict(zip(model.VALUES, values, strict=True)))
        for key, values in rows.items()
        if any(values)
    ]
    model.objects.bulk_create(objects, batch_size=batch)


def _sum_into(target: dict[tuple, list[int]], key: tuple, values: Iterable[int]) -> None:
    row = target.get(key)
    if row is None:
        target[key] = list(values)
    else:
        for i, v in enumerate(values):
            row[i] += v


# --- inspections: deltas ----------------------------------------------------------------------
RESULT_INDEX = {"passed": 1, "reminded": 2, "failed": 3}


def _inspection_contribution(rows: Iterable[tuple], place: tuple[int, int, int]) -> dict[tuple, list[int]]:
    """rows: (pk, ward_id, finished_at, result) of ONE business. Its InspectionDay values."""
    street, group, category = place
    out: dict[tuple, list[int]] = {}
    seen: set[tuple] = set()
    for _pk, ward_id, finished_at, result in sorted(rows, key=lambda r: (r[2], r[0])):
        day = local_day(finished_at)
        values = [1, 0, 0, 0, 0, 0, 0]
        if result in RESULT_INDEX:
            values[RESULT_INDEX[result]] = 1
        for offset, period in enumerate(_periods(day), start=4):
            if (ward_id, offset, period) not in seen:
                seen.add((ward_id, offset, period))
                values[offset] = 1
        _sum_into(out, (ward_id, day, street, group, category), values)
    return out


def _diff(after: dict[tuple, list[int]], before: dict[tuple, list[int]]) -> dict[tuple, list[int]]:
    out = {k: list(v) for k, v in after.items()}
    for key, values in before.items():
        _sum_into(out, key, [-v for v in values])
    return out


def _month_projection(day_deltas: dict[tuple, list[int]]) -> dict[tuple, list[int]]:
    out: dict[tuple, list[int]] = {}
    for (ward_id, day, street, group, _category), values in day_deltas.items():
        _sum_into(out, (ward_id, day.replace(day=1), street, group), values)
    return out


def _ward_month_projection(day_deltas: dict[tuple, list[int]]) -> dict[tuple, list[int]]:
    out: dict[tuple, list[int]] = {}
    for (ward_id, day, *_place), (n, _p, _r, failed, fm, fq, fy) in day_deltas.items():
        _sum_into(out, (ward_id, day.replace(day=1)), [n, failed, fm, fq, fy, 0])
    return out


def _add_inspection_deltas(deltas: dict[tuple, list[int]]) -> None:
    parts = [
        (model, rows)
        for model, rows in (
            (InspectionDay, deltas),
            (InspectionMonth, _month_projection(deltas)),
            (WardMonth, _ward_month_projection(deltas)),
        )
        if any(any(v) for v in rows.values())
    ]
    if connection.vendor == "postgresql" and len(parts) > 1:
        # One round trip for the tables (data-modifying CTEs): the upkeep is on the path of every
        # submission.
        statements = [_upsert_sql(model, rows) for model, rows in parts]
        ctes = ", ".join(f"part{n} AS ({sql} RETURNING 1)" for n, (sql, _p) in enumerate(statements[:-1]))
        params = [p for _sql, part in statements for p in part]
        with connection.cursor() as cursor:
            cursor.execute(f"WITH {ctes} {statements[-1][0]}", params)
    else:
        for model, rows in parts:
            _add(model, rows)
    bump_ward_versions(key[0] for key, values in deltas.items() if any(values))


def _business_place(business_id: int) -> tuple[int, int, int]:
    from businesses.models import Business

    street, group, category = Business.objects.values_list(
        "street_id", "residential_group_id", "category_id"
    ).get(pk=business_id)
    return street or 0, group or 0, category or 0


def _scope_rows(business_id: int, ward_id: int, year: int) -> list[tuple]:
    from inspections.models import Inspection

    start, end = year_bounds(year)
    return list(
        Inspection.objects.filter(
            business_id=business_id, ward_id=ward_id, finished_at__gte=start, finished_at__lt=end
        ).values_list("pk", "ward_id", "finished_at", "result")
    )


def inspection_changed(
    *,
    pk: int,
    old: tuple[int, int, dt.datetime, str] | None,
    new: tuple[int, int, dt.datetime, str] | None,
    place: tuple[int, int, int] | None = None,
) -> None:
    """An inspection was added (old None), deleted (new None) or changed. old/new: (business_id,
    ward_id, finished_at, result), as stored before and after the write (the write is done)."""
    if is_suspended() or old == new:
        return
    scopes = []
    for state in (old, new):
        if state is not None:
            scope = (state[0], state[1], local_day(state[2]).year)
            if scope not in scopes:
                scopes.append(scope)
    deltas: dict[tuple, list[int]] = {}
    for business_id, ward_id, year in scopes:
        _lock(2801, business_id)
        where = place if place is not None and new is not None and new[0] == business_id else None
        business_place = where or _business_place(business_id)
        after = [r for r in _scope_rows(business_id, ward_id, year) if r[0] != pk]
        before = list(after)
        if new is not None and (new[0], new[1], local_day(new[2]).year) == (business_id, ward_id, year):
            after.append((pk, new[1], new[2], new[3]))
        if old is not None and (old[0], old[1], local_day(old[2]).year) == (business_id, ward_id, year):
            before.append((pk, old[1], old[2], old[3]))
        for key, values in _diff(
            _inspection_contribution(after, business_place), _inspection_contribution(before, business_place)
        ).items():
            _sum_into(deltas, key, values)
    _add_inspection_deltas(deltas)


def business_moved(
    business_id: int, old_place: tuple[int, int, int], new_place: tuple[int, int, int]
) -> None:
    """A business changed street, residential group or category: its inspections' counts move with
    it (they are counted at the business's current place, as the dashboards always counted them);
    its commitments, feedback and violation records are recomputed on their days."""
    if is_suspended() or old_place == new_place:
        return
    from businesses.models import Feedback
    from inspections.models import Commitment, Inspection
    from violations.models import SanctionDecision, Violation

    _lock(2801, business_id)
    rows = list(
        Inspection.objects.filter(business_id=business_id).values_list(
            "pk", "ward_id", "finished_at", "result"
        )
    )
    _add_inspection_deltas(
        _diff(_inspection_contribution(rows, new_place), _inspection_contribution(rows, old_place))
    )
    keys: set[tuple[str, int, dt.date]] = set()
    for ward_id, deadline in Commitment.objects.filter(
        business_id=business_id, deadline__isnull=False
    ).values_list("ward_id", "deadline"):
        keys.add(("commitment", ward_id, deadline))
    for ward_id, created in Feedback.objects.filter(business_id=business_id).values_list(
        "ward_id", "created_at"
    ):
        keys.add(("feedback", ward_id, local_day(created)))
    if old_place[2] != new_place[2]:  # records are at their own street and group, not at the business's
        for ward_id, occurred in Violation.objects.filter(business_id=business_id).values_list(
            "ward_id", "occurred_at"
        ):
            keys.add(("violation", ward_id, local_day(occurred)))
        for ward_id, signed, paid in SanctionDecision.objects.filter(
            violation__business_id=business_id, signed_at__isnull=False
        ).values_list("ward_id", "signed_at", "paid_on"):
            keys.add(("decision", ward_id, local_day(signed)))
            if paid:
                keys.add(("decision", ward_id, paid))
    for source, ward_id, day in sorted(keys):
        REFRESH[source](ward_id, day)


# --- the smaller sources: recomputed per (ward, day) ------------------------------------------
def _place_of(street: int | None, group: int | None, category: int | None) -> tuple[int, int, int]:
    return street or 0, group or 0, category or 0


def _violation_rows(queryset) -> dict[tuple, list[int]]:
    from violations.models import ViolationItem

    records = list(
        queryset.order_by().values_list(
            "pk",
            "ward_id",
            "occurred_at",
            "street_id",
            "residential_group_id",
            "business__category_id",
            "stage",
            "status",
            "is_repeat",
            "is_multiple",
        )
    )
    domains: dict[int, set[str]] = defaultdict(set)
    if records:
        items = ViolationItem.objects.order_by().values_list("violation_id", "violation_type__domain")
        if len(records) < 500:
            items = items.filter(violation_id__in=[r[0] for r in records])
        else:
            items = items.filter(violation__in=queryset.order_by().values("pk"))
        for violation_id, domain in items:
            domains[violation_id].add(domain)
    out: dict[tuple, list[int]] = {}
    for pk, ward_id, occurred, street, group, category, stage, status, repeat, multiple in records:
        day = local_day(occurred)
        values = [1, int(repeat), int(multiple)]
        place = _place_of(street, group, category)
        for domain in ("", *sorted(domains.get(pk, ()))):
            _sum_into(out, (ward_id, day, *place, domain, stage, status), values)
    return out


def _commitment_rows(queryset) -> dict[tuple, list[int]]:
    out: dict[tuple, list[int]] = {}
    for ward_id, deadline, street, group, category, fulfilled in (
        queryset.filter(deadline__isnull=False)
        .order_by()
        .values_list(
            "ward_id",
            "deadline",
            "business__street_id",
            "business__residential_group_id",
            "business__category_id",
            "fulfilled_at",
        )
    ):
        kept = fulfilled is not None
        _sum_into(
            out, (ward_id, deadline, *_place_of(street, group, category)), [1, int(kept), int(not kept)]
        )
    return out


def _feedback_rows(queryset) -> dict[tuple, list[int]]:
    out: dict[tuple, list[int]] = {}
    for ward_id, created, street, group, category, responded in queryset.order_by().values_list(
        "ward_id",
        "created_at",
        "business__street_id",
        "business__residential_group_id",
        "business__category_id",
        "first_response_at",
    ):
        answered = responded is not None
        seconds = int((responded - created).total_seconds()) if answered else 0
        _sum_into(
            out,
            (ward_id, local_day(created), *_place_of(street, group, category)),
            [1, int(answered), seconds],
        )
    return out


def _decision_rows(queryset, *, day: dt.date | None = None) -> dict[tuple, list[int]]:
    out: dict[tuple, list[int]] = {}
    for ward_id, signed, paid_on, kind, fine, paid, street, group, category in (
        queryset.filter(signed_at__isnull=False)
        .order_by()
        .values_list(
            "ward_id",
            "signed_at",
            "paid_on",
            "kind",
            "fine_amount",
            "paid_amount",
            "violation__street_id",
            "violation__residential_group_id",
            "violation__business__category_id",
        )
    ):
        place = _place_of(street, group, category)
        signed_on = local_day(signed)
        if day is None or signed_on == day:
            _sum_into(out, (ward_id, signed_on, *place, kind, "signed"), [1, fine or 0])
        if paid_on is not None and (day is None or paid_on == day):
            _sum_into(out, (ward_id, paid_on, *place, kind, "paid"), [1, paid or 0])
    return out


def refresh_violation_day(ward_id: int, day: dt.date) -> None:
    from violations.models import Violation

    if is_suspended():
        return
    _lock(2802, ward_id, day.toordinal())
    start, end = day_bounds(day)
    _replace(
        ViolationDay,
        ward_id,
        day,
        _violation_rows(
            Violation.objects.filter(ward_id=ward_id, occurred_at__gte=start, occurred_at__lt=end)
        ),
    )
    _ward_month_violations(ward_id, day.replace(day=1))
    bump_ward_versions([ward_id])


def refresh_commitment_day(ward_id: int, day: dt.date) -> None:
    from inspections.models import Commitment

    if is_suspended():
        return
    _lock(2803, ward_id, day.toordinal())
    _replace(
        CommitmentDay,
        ward_id,
        day,
        _commitment_rows(Commitment.objects.filter(ward_id=ward_id, deadline=day)),
    )
    bump_ward_versions([ward_id])


def refresh_feedback_day(ward_id: int, day: dt.date) -> None:
    from businesses.models import Feedback

    if is_suspended():
        return
    _lock(2804, ward_id, day.toordinal())
    start, end = day_bounds(day)
    _replace(
        FeedbackDay,
        ward_id,
        day,
        _feedback_rows(Feedback.objects.filter(ward_id=ward_id, created_at__gte=start, created_at__lt=end)),
    )
    bump_ward_versions([ward_id])


def refresh_decision_day(ward_id: int, day: dt.date) -> None:
    from django.db.models import Q

    from violations.models import SanctionDecision

    if is_suspended():
        return
    _lock(2805, ward_id, day.toordinal())
    start, end = day_bounds(day)
    queryset = SanctionDecision.objects.filter(ward_id=ward_id).filter(
        Q(signed_at__gte=start, signed_at__lt=end) | Q(paid_on=day)
    )
    _replace(DecisionDay, ward_id, day, _decision_rows(queryset, day=day))
    bump_ward_versions([ward_id])


def _ward_month_violations(ward_id: int, month: dt.date) -> None:
    """The ward's records of the month, summed again from its days (a month is ≤ 31 days' rows)."""
    nxt = (month + dt.timedelta(days=32)).replace(day=1)
    sql = """
        INSERT INTO rollup_ward_month
            (ward_id, month, n, failed, first_month, first_quarter, first_year, violations)
        SELECT %s, %s, 0, 0, 0, 0, 0, COALESCE(SUM(n), 0)
          FROM rollup_violation_day WHERE ward_id = %s AND domain = '' AND day >= %s AND day < %s
        ON CONFLICT (ward_id, month) DO UPDATE SET violations = excluded.violations
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [ward_id, month, ward_id, month, nxt])


def refresh_ward_businesses(ward_id: int) -> None:
    """The ward's businesses per status, counted again (a ward has thousands, on its index)."""
    from businesses.models import Business

    if is_suspended() or not ward_id:
        return
    _lock(2806, ward_id)
    WardBusinesses.objects.filter(ward_id=ward_id).delete()
    _insert(
        WardBusinesses,
        {
            (ward_id, status): [n]
            for status, n in Business.objects.filter(ward_id=ward_id)
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        },
    )


REFRESH = {
    "violation": refresh_violation_day,
    "commitment": refresh_commitment_day,
    "feedback": refresh_feedback_day,
    "decision": refresh_decision_day,
}


def violation_touched(violation: Any) -> None:
    """After a write the signals do not see (the services' bulk_create of a record's items)."""
    refresh_violation_day(violation.ward_id, local_day(violation.occurred_at))


# --- rebuild ---------------------------------------------------------------------------------
def _local_date_sql(column: str) -> tuple[str, list[Any]]:
    tz = settings.TIME_ZONE
    if connection.vendor == "postgresql":
        return f"({column} AT TIME ZONE %s)::date", [tz]
    if connection.vendor == "sqlite":
        return f"django_datetime_cast_date({column}, %s, %s)", [tz, "UTC"]
    raise NotImplementedError(connection.vendor)


def _year_month_sql(column: str) -> tuple[str, str]:
    if connection.vendor == "postgresql":
        return f"EXTRACT(YEAR FROM {column})::int", f"EXTRACT(MONTH FROM {column})::int"
    return f"CAST(strftime('%%Y', {column}) AS INTEGER)", f"CAST(strftime('%%m', {column}) AS INTEGER)"


def month_start_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"date_trunc('month', {column})::date"
    return f"date({column}, 'start of month')"


def _rebuild_inspections() -> None:
    """In SQL: a million inspections do not pass through Python. One sort by (business, ward,
    finished_at, id): an inspection is the first of its month (quarter, year) when the one before
    it, of the same business in the same ward, is of another month (or there is none)."""
    from businesses.models import Business
    from inspections.models import Inspection

    quote = connection.ops.quote_name
    insp, biz = quote(Inspection._meta.db_table), quote(Business._meta.db_table)
    day_sql, day_params = _local_date_sql("i.finished_at")
    year, month = _year_month_sql("d.day")
    period = f"({year}) * 12 + ({month}) - 1"
    sql = f"""
        INSERT INTO rollup_inspection_day
            (ward_id, day, street_id, group_id, category_id,
             n, passed, reminded, failed, first_month, first_quarter, first_year)
        SELECT w.ward_id, w.day, b.street_id, COALESCE(b.residential_group_id, 0), b.category_id,
               COUNT(*),
               SUM(CASE WHEN w.result = 'passed' THEN 1 ELSE 0 END),
               SUM(CASE WHEN w.result = 'reminded' THEN 1 ELSE 0 END),
               SUM(CASE WHEN w.result = 'failed' THEN 1 ELSE 0 END),
               SUM(CASE WHEN w.prev IS NULL OR w.prev <> w.m THEN 1 ELSE 0 END),
               SUM(CASE WHEN w.prev IS NULL OR w.prev / 3 <> w.m / 3 THEN 1 ELSE 0 END),
               SUM(CASE WHEN w.prev IS NULL OR w.prev / 12 <> w.m / 12 THEN 1 ELSE 0 END)
          FROM (SELECT d.ward_id, d.business_id, d.result, d.day, {period} AS m,
                       LAG({period}) OVER (PARTITION BY d.business_id, d.ward_id
                                           ORDER BY d.finished_at, d.id) AS prev
                  FROM (SELECT i.id, i.ward_id, i.business_id, i.result, i.finished_at, {day_sql} AS day
                          FROM {insp} i) d) w
          JOIN {biz} b ON b.id = w.business_id
         GROUP BY w.ward_id, w.day, b.street_id, COALESCE(b.residential_group_id, 0), b.category_id
    """  # noqa: S608 (identifiers from the models' metadata, values as parameters)
    month_sql = f"""
        INSERT INTO rollup_inspection_month
            (ward_id, month, street_id, group_id,
             n, passed, reminded, failed, first_month, first_quarter, first_year)
        SELECT ward_id, {month_start_sql("day")}, street_id, group_id,
               SUM(n), SUM(passed), SUM(reminded), SUM(failed),
               SUM(first_month), SUM(first_quarter), SUM(first_year)
          FROM rollup_inspection_day
         GROUP BY ward_id, {month_start_sql("day")}, street_id, group_id
    """  # noqa: S608 (fixed table and column names)
    with connection.cursor() as cursor:
        cursor.execute(sql, day_params)
        cursor.execute(month_sql)


def _rebuild_violations() -> None:
    """Each record once (domain ""), and once per domain it cites, in SQL."""
    from businesses.models import Business
    from violations.models import Violation, ViolationItem, ViolationType

    quote = connection.ops.quote_name
    viol, biz = quote(Violation._meta.db_table), quote(Business._meta.db_table)
    item, vtype = quote(ViolationItem._meta.db_table), quote(ViolationType._meta.db_table)
    day_sql, day_params = _local_date_sql("v.occurred_at")
    columns = f"""v.ward_id, {day_sql}, COALESCE(v.street_id, 0), COALESCE(v.residential_group_id, 0),
                  COALESCE(b.category_id, 0)"""
    sums = """COUNT(*), SUM(CASE WHEN v.is_repeat THEN 1 ELSE 0 END),
              SUM(CASE WHEN v.is_multiple THEN 1 ELSE 0 END)"""
    sql = f"""
        INSERT INTO rollup_violation_day
            (ward_id, day, street_id, group_id, category_id, domain, stage, status, n, "repeat", multiple)
        SELECT {columns}, '', v.stage, v.status, {sums}
          FROM {viol} v LEFT JOIN {biz} b ON b.id = v.business_id
         GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        UNION ALL
        SELECT {columns}, d.domain, v.stage, v.status, {sums}
          FROM {viol} v LEFT JOIN {biz} b ON b.id = v.business_id
          JOIN (SELECT DISTINCT i.violation_id, t.domain
                  FROM {item} i JOIN {vtype} t ON t.id = i.violation_type_id) d ON d.violation_id = v.id
         GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
    """  # noqa: S608 (identifiers from the models' metadata, values as parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, day_params + day_params)


def _rebuild_commitments() -> None:
    from businesses.models import Business
    from inspections.models import Commitment

    quote = connection.ops.quote_name
    commitments, businesses = quote(Commitment._meta.db_table), quote(Business._meta.db_table)
    sql = f"""
        INSERT INTO rollup_commitment_day (ward_id, day, street_id, group_id, category_id, due, kept, open)
        SELECT c.ward_id, c.deadline, COALESCE(b.street_id, 0), COALESCE(b.residential_group_id, 0),
               COALESCE(b.category_id, 0), COUNT(*),
               SUM(CASE WHEN c.fulfilled_at IS NOT NULL THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.fulfilled_at IS NULL THEN 1 ELSE 0 END)
          FROM {commitments} c JOIN {businesses} b ON b.id = c.business_id
         WHERE c.deadline IS NOT NULL
         GROUP BY 1, 2, 3, 4, 5
    """  # noqa: S608 (identifiers from the models' metadata)
    with connection.cursor() as cursor:
        cursor.execute(sql)


def _rebuild_wards() -> None:
    from businesses.models import Business

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO rollup_ward_month
                (ward_id, month, n, failed, first_month, first_quarter, first_year, violations)
            SELECT ward_id, month, SUM(n), SUM(failed),
                   SUM(first_month), SUM(first_quarter), SUM(first_year), 0
              FROM rollup_inspection_month GROUP BY ward_id, month
            """
        )
        month = month_start_sql("day")
        cursor.execute(
            f"""
            INSERT INTO rollup_ward_month
                (ward_id, month, n, failed, first_month, first_quarter, first_year, violations)
            SELECT ward_id, {month}, 0, 0, 0, 0, 0, SUM(n)
              FROM rollup_violation_day WHERE domain = '' GROUP BY ward_id, {month}
            ON CONFLICT (ward_id, month) DO UPDATE SET violations = excluded.violations
            """  # noqa: S608 (fixed names)
        )
        cursor.execute(
            f"""
            INSERT INTO rollup_ward_businesses (ward_id, status, n)
            SELECT ward_id, status, COUNT(*) FROM {quote(Business._meta.db_table)} GROUP BY ward_id, status
            """  # noqa: S608 (identifiers from the models' metadata)
        )


def rebuild(*, log=None) -> dict[str, float]:
    """Every rollup recomputed from the records, in one transaction. Returns seconds per table."""
    from businesses.models import Feedback
    from violations.models import SanctionDecision

    timings: dict[str, float] = {}
    with transaction.atomic():
        started = time.perf_counter()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("TRUNCATE " + ", ".join(m._meta.db_table for m in TABLES))
        else:
            for model in TABLES:
                model.objects.all().delete()
        timings["clear"] = time.perf_counter() - started
        steps = [
            ("inspections", _rebuild_inspections),
            ("violations", _rebuild_violations),
            ("commitments", _rebuild_commitments),
            ("feedback", lambda: _insert(FeedbackDay, _feedback_rows(Feedback.objects.all()))),
            ("decisions", lambda: _insert(DecisionDay, _decision_rows(SanctionDecision.objects.all()))),
            ("wards", _rebuild_wards),
        ]
        for name, step in steps:
            started = time.perf_counter()
            step()
            timings[name] = time.perf_counter() - started
            if log:
                log(f"  {name}: {timings[name]:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in TABLES:
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    from wards.models import Ward

    bump_ward_versions(Ward.objects.values_list("pk", flat=True))
    return timings


def snapshot() -> dict[str, set[tuple]]:
    """Every table's non-zero rows (a row may fall to zeros by deltas; rebuild writes none)."""
    out = {}
    for model in TABLES:
        fields = [*model.KEY, *model.VALUES]
        out[model._meta.db_table] = {
            row for row in model.objects.values_list(*fields) if any(row[len(model.KEY) :])
        }
    return out
