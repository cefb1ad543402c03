"""Reads of violations: scoped to the user's ward, with the joins each page needs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from pghistory.models import Events

from businesses.models import Business
from documents.layout import document_number
from ward_police.compiled import CompiledQuery
from wards.models import Ward
from wards.places import GROUP, STREET
from wards.scoping import get_for_user, scope_to_user

from . import rules
from .audit import audit_supported
from .models import Status, Violation, ViolationItem, ViolationType

# Records that count as established violations (drafts are not; a superseded record is replaced
# by its amendment, which counts instead).
ESTABLISHED = (Status.SIGNED, Status.TRANSFERRED, Status.REMEDIED)


def violations_for_user(user: Any) -> QuerySet[Violation]:
    return scope_to_user(Violation.objects.all(), user)


def violation_for_user(user: Any, pk: Any) -> Violation:
    qs = Violation.objects.select_related(
        "ward",
        "business",
        "business__street",
        "street",
        "residential_group",
        "record_form",
        "signed_by",
        "created_by",
        "supersedes",
    ).prefetch_related(
        Prefetch("items", queryset=ViolationItem.objects.select_related("violation_type")),
        "evidence",
    )
    return get_for_user(qs, user, pk=pk)


# The columns the list's rows show (templatetags/violations_tags.violation_rows), read as tuples:
# a record carries some 60 columns and its business 30; building model instances for 50 rows, even
# with the other columns deferred, and prefetching their items as models took 12 of the page's
# ~14 ms in the ORM for 2 ms of SQL (bench machine, city scale).
ROW_COLUMNS = (
    "pk",
    "number",
    "number_symbol",
    "occurred_at",
    "business_id",
    "business__name",
    "person_name",
    "street_id",
    "place",
    "residential_group_id",
    "stage",
    "is_repeat",
    "status",
    "due_date",
)


@dataclass(frozen=True, slots=True)
class ViolationRow:
    """One line of the violation list."""

    pk: int
    number: int | None
    number_symbol: str
    occurred_at: datetime
    business_id: int | None
    business_name: str | None
    person_name: str
    street_id: int | None
    place: str
    residential_group_id: int | None
    stage: str
    is_repeat: bool
    status: str
    due_date: date
    street_name: str = ""
    group_name: str = ""
    item_titles: tuple[str, ...] = ()

    @property
    def number_display(self) -> str:  # as Violation.number_display
        return "" if self.number is None else f"Số: {document_number(self.number, self.number_symbol)}"


# A page's cited violations, compiled once per process for up to a page of records
# (ward_police/compiled.py): building the query cost more CPU than PostgreSQL spent on it.
ITEM_TITLES_BATCH = 50
_ITEM_TITLES = CompiledQuery(
    lambda ids: (
        ViolationItem.objects.filter(violation_id__in=ids)
        .order_by("violation_id", "pk")
        .values_list("violation_id", "violation_type__title")
    ),
    lists={"ids": ITEM_TITLES_BATCH},
)


def violation_rows_of(values: Sequence[tuple], places: Any) -> list[ViolationRow]:
    """The rows of a page of ``violation_list(...).values_list(*ROW_COLUMNS)``: the street and
    group names from the page's places (wards.places.PagePlaces), the cited violations' titles in
    one query for the whole page, in the order they were cited."""
    if not values:
        return []
    ids = [row[0] for row in values]
    titles: dict[int, list[str]] = {}
    for start in range(0, len(ids), ITEM_TITLES_BATCH):
        for violation_id, title in _ITEM_TITLES.rows(ids=ids[start : start + ITEM_TITLES_BATCH]):
            titles.setdefault(violation_id, []).append(title)
    streets = places.names(STREET, {row[7] for row in values})
    groups = places.names(GROUP, {row[9] for row in values})
    return [
        ViolationRow(
            *row,
            street_name=streets.get(row[7], ""),
            group_name=groups.get(row[9], ""),
            item_titles=tuple(titles.get(row[0], ())),
        )
        for row in values
    ]


def violation_list(user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Violation]:
    """The list page's records: every filter maps to an indexed column of the ward's records."""
    filters = filters or {}
    qs = violations_for_user(user)
    if filters.get("stage"):
        qs = qs.filter(stage=filters["stage"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("street"):
        qs = qs.filter(street=filters["street"])
    if filters.get("residential_group"):
        qs = qs.filter(residential_group=filters["residential_group"])
    if filters.get("type"):
        qs = qs.filter(
            Exists(
                ViolationItem.objects.filter(violation=OuterRef("pk"), violation_type__code=filters["type"])
            )
        )
    if filters.get("domain"):
        qs = qs.filter(
            Exists(
                ViolationItem.objects.filter(
                    violation=OuterRef("pk"), violation_type__domain=filters["domain"]
                )
            )
        )
    if filters.get("overdue"):
        qs = qs.filter(status=Status.DRAFT, due_date__lt=timezone.localdate())
    if filters.get("repeat"):
        qs = qs.filter(is_repeat=True)
    if filters.get("business"):
        qs = qs.filter(business=filters["business"])
    if filters.get("date_from"):
        qs = qs.filter(occurred_at__gte=_local_midnight(filters["date_from"]))
    if filters.get("date_to"):
        qs = qs.filter(occurred_at__lt=_local_midnight(filters["date_to"] + timedelta(days=1)))
    return qs.order_by("-occurred_at", "-pk")


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def overdue_count(user: Any) -> int:
    """For the dashboard: drafts past their legal deadline."""
    return violations_for_user(user).filter(status=Status.DRAFT, due_date__lt=timezone.localdate()).count()


def past_violations(
    *,
    ward: Ward,
    business: Business | None,
    person_id_number: str = "",
    exclude_pks: Sequence[int | None] = (),
) -> list[rules.PastViolation]:
    """The violator's established violations, as plain data for the repeat rule."""
    if business is None and not person_id_number:
        return []
    qs = Violation.objects.filter(ward=ward, status__in=ESTABLISHED)
    qs = (
        qs.filter(business=business) if business is not None else qs.filter(person_id_number=person_id_number)
    )
    exclude = [pk for pk in exclude_pks if pk]
    if exclude:
        qs = qs.exclude(pk__in=exclude)
    qs = qs.prefetch_related(
        Prefetch("items", queryset=ViolationItem.objects.select_related("violation_type"))
    )
    history = []
    for v in qs:
        types = [item.violation_type for item in v.items.all()]
        history.append(
            rules.PastViolation(
                occurred_on=timezone.localdate(v.occurred_at),
                type_codes=frozenset(t.code for t in types),
                domains=frozenset(t.domain for t in types),
                stage=v.stage,
            )
        )
    return history


@dataclass(frozen=True)
class RepeatViolator:
    business: Business
    violations: int
    repeats: int
    last_occurred_at: Any


def repeat_violators_among(businesses: QuerySet[Business], today: date) -> QuerySet[Business]:
    """The businesses with a repeat record (tái phạm) in the last 12 months, annotated with
    n_repeats, n_violations (records of those 12 months, superseded ones left out) and last_at.

    Picked through the partial index of repeat records (violation_repeat_business_idx) and counted
    by correlated subqueries on each business's own records: joining every record to the ward's
    businesses read the whole violations table (measured: 56 ms at 56.000 records; this way 6 ms).
    The ward dashboard's watch-list and the repeat-violator page both read it; each orders it.
    """
    since = rules.months_before(today, rules.REPEAT_WINDOW_MONTHS)
    since_at = timezone.make_aware(datetime.combine(since, time.min))
    window = Violation.objects.filter(business=OuterRef("pk"), occurred_at__gte=since_at).exclude(
        status=Status.SUPERSEDED
    )
    repeats = window.filter(is_repeat=True)

    def count(records: QuerySet[Violation]) -> Subquery:
        return Subquery(
            records.order_by().values("business").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        )

    return (
        businesses.filter(Exists(repeats))
        .annotate(
            n_repeats=count(repeats),
            n_violations=count(window),
            last_at=Subquery(window.order_by("-occurred_at").values("occurred_at")[:1]),
        )
        .select_related("street")
    )


def repeat_violators(user: Any, *, today: date | None = None) -> list[RepeatViolator]:
    """Businesses of the user's wards with a repeat violation in the last 12 months, most repeats
    first, then the most recent."""
    businesses = repeat_violators_among(
        scope_to_user(Business.objects.all(), user), today or timezone.localdate()
    ).order_by("-n_repeats", "-last_at", "pk")
    return [RepeatViolator(b, b.n_violations, b.n_repeats, b.last_at) for b in businesses]


# --- history ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class HistoryEntry:
    at: Any
    label: str
    user: Any
    changes: dict[str, Any]


def _history(model_label: str, obj_id: int) -> list[HistoryEntry]:
    events = list(
        Events.objects.filter(pgh_obj_model=model_label, pgh_obj_id=str(obj_id)).order_by("pgh_created_at")
    )
    # The aggregate Events model carries the context's metadata as JSON: {"user": 3, "url": ...}.
    user_ids = {(e.pgh_context or {}).get("user") for e in events} - {None}
    users = get_user_model().objects.in_bulk(list(user_ids))
    entries = []
    for e in events:
        user_id = (e.pgh_context or {}).get("user")
        diff = e.pgh_diff or {}
        diff = {k: v for k, v in diff.items() if k not in ("updated_at",)}
        entries.append(
            HistoryEntry(at=e.pgh_created_at, label=e.pgh_label, user=users.get(user_id), changes=diff)
        )
    return entries


def violation_history(violation: Violation) -> list[HistoryEntry] | None:
    """Who changed the record and when; None where the database cannot keep an audit (SQLite)."""
    if not audit_supported():
        return None
    return _history("violations.Violation", violation.pk)


def business_history(business: Business) -> list[HistoryEntry] | None:
    if not audit_supported():
        return None
    return _history("violations.TrackedBusiness", business.pk)


def violation_type_history(violation_type: ViolationType) -> list[HistoryEntry] | None:
    if not audit_supported():
        return None
    return _history("violations.ViolationType", violation_type.pk)


def amendment_chain(violation: Violation) -> list[Violation]:
    """The record's versions, oldest first: what it replaced and what replaced it."""
    chain = [violation]
    current = violation
    while current.supersedes_id:
        current = Violation.objects.select_related("supersedes").get(pk=current.supersedes_id)
        chain.insert(0, current)
    current = violation
    while True:
        nxt = Violation.objects.filter(supersedes=current).first()
        if nxt is None:
            break
        chain.append(nxt)
        current = nxt
    return chain
