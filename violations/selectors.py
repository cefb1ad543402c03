"""Reads of violations: scoped to the user's ward, with the joins each page needs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from pghistory.models import Events

from businesses.models import Business
from documents.layout import document_number
from ward_police import refdata
from wards.models import Ward
from wards.places import GROUP, STREET
from wards.scoping import get_for_user, scope_to_user

from . import rules
from .audit import audit_supported
from .models import (
    DecisionKind,
    DecisionStatus,
    Sanction,
    Stage,
    Status,
    Violation,
    ViolationItem,
    ViolationType,
)

# Records that count as established violations (drafts are not; a superseded record is replaced
# by its amendment, which counts instead).
ESTABLISHED = (Status.SIGNED, Status.TRANSFERRED, Status.REMEDIED, Status.DECIDED)


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


# The columns the list's rows show (jinja2/violations/macros.html, violation_rows), read as tuples:
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
    "decision_due_date",
    "decision__status",
    "decision__payment_due_date",
    "is_multiple",
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
    decision_due_date: date | None = None
    decision_status: str | None = None
    payment_due_date: date | None = None
    is_multiple: bool = False
    street_name: str = ""
    group_name: str = ""
    item_titles: tuple[str, ...] = ()

    @property
    def number_display(self) -> str:  # as Violation.number_display
        return "" if self.number is None else f"Số: {document_number(self.number, self.number_symbol)}"

    def decision_overdue_on(self, today: date) -> bool:
        return (
            self.status == Status.SIGNED
            and self.stage == Stage.VIOLATION_RECORD
            and rules.is_overdue(self.decision_due_date, today)
        )

    def unpaid_on(self, today: date) -> bool:
        return self.decision_status in (DecisionStatus.SERVED, DecisionStatus.APPEALED) and rules.is_overdue(
            self.payment_due_date, today
        )


def _catalogue_titles() -> tuple[tuple[tuple[str, str], ...], dict[int, str]]:
    latest: dict[str, str] = {}
    by_id: dict[int, str] = {}
    for pk, code, title in ViolationType.objects.order_by("code", "-valid_from").values_list(
        "pk", "code", "title"
    ):
        latest.setdefault(code, title)
        by_id[pk] = title
    return tuple(sorted(latest.items(), key=lambda c: c[1])), by_id


def catalogue_titles() -> tuple[tuple[tuple[str, str], ...], dict[int, str]]:
    """The catalogue's titles, from the cache (CATALOGUE scope): (code, latest title) of each
    code by title (the list's filter), and every entry's title by id (its rows' cited violations,
    named without joining the catalogue). The violation list asks on every page."""
    return refdata.cached("violation-titles", (refdata.CATALOGUE,), _catalogue_titles)


def violation_type_titles() -> dict[int, str]:
    return catalogue_titles()[1]


def violation_rows_of(values: Sequence[tuple], places: Any) -> list[ViolationRow]:
    """The rows of a page of ``violation_list(...).values_list(*ROW_COLUMNS)``: the street and
    group names from the page's places (wards.places.PagePlaces), the cited violations' titles in
    one query for the whole page, in the order they were cited."""
    if not values:
        return []
    ids = [row[0] for row in values]
    titles: dict[int, list[str]] = {}
    type_titles = violation_type_titles()
    cited = (
        ViolationItem.objects.filter(violation_id__in=ids)
        .order_by("violation_id", "pk")
        .values_list("violation_id", "violation_type_id")
    )
    for violation_id, type_id in cited:
        titles.setdefault(violation_id, []).append(type_titles.get(type_id, ""))
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
    if filters.get("multiple"):
        qs = qs.filter(is_multiple=True)
    if filters.get("decision_overdue"):
        qs = qs.filter(decision_overdue_q(timezone.localdate()))
    if filters.get("unpaid"):
        qs = qs.filter(unpaid_fine_q(timezone.localdate()))
    if filters.get("business"):
        qs = qs.filter(business=filters["business"])
    if filters.get("date_from"):
        qs = qs.filter(occurred_at__gte=_local_midnight(filters["date_from"]))
    if filters.get("date_to"):
        qs = qs.filter(occurred_at__lt=_local_midnight(filters["date_to"] + timedelta(days=1)))
    return qs.order_by("-occurred_at", "-pk")


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def decision_overdue_q(today: date) -> Q:
    """Signed MBB01s past the Điều 66 deadline with no decision signed."""
    return Q(status=Status.SIGNED, stage=Stage.VIOLATION_RECORD, decision_due_date__lt=today)


def unpaid_fine_q(today: date) -> Q:
    """Records whose fine was served and not paid (nor enforced) by the Điều 73 deadline."""
    return Q(
        decision__status__in=(DecisionStatus.SERVED, DecisionStatus.APPEALED),
        decision__sanction=Sanction.FINE,
        decision__payment_due_date__lt=today,
    )


def decision_of(violation: Violation) -> Any:
    """The record's decision (draft or signed), or None."""
    from .models import SanctionDecision

    return SanctionDecision.objects.filter(violation=violation).select_related("signed_by").first()


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


# Records that can make a repeat offence or "vi phạm nhiều lần": violation records, never reminders,
# commitments or working records (they stay in the history and count as neither).
OFFENCE_STAGES = (Stage.VIOLATION_RECORD, Stage.SANCTION)


def aggravation_history(
    *,
    ward: Ward,
    business: Business | None,
    person_id_number: str = "",
    exclude_pks: Sequence[int | None] = (),
) -> tuple[list[rules.PastDecision], list[rules.PastRecord]]:
    """The violator's earlier violation records and the decisions made on them, as plain data for
    rules.aggravating_circumstances."""
    if business is None and not person_id_number:
        return [], []
    qs = Violation.objects.filter(ward=ward, stage__in=OFFENCE_STAGES, status__in=ESTABLISHED)
    qs = (
        qs.filter(business=business) if business is not None else qs.filter(person_id_number=person_id_number)
    )
    exclude = [pk for pk in exclude_pks if pk]
    if exclude:
        qs = qs.exclude(pk__in=exclude)
    qs = qs.select_related("decision").prefetch_related(
        Prefetch("items", queryset=ViolationItem.objects.select_related("violation_type"))
    )
    decisions: list[rules.PastDecision] = []
    records: list[rules.PastRecord] = []
    for v in qs:
        codes = frozenset(item.violation_type.code for item in v.items.all())
        decision = getattr(v, "decision", None)
        decided = decision is not None and decision.status != DecisionStatus.DRAFT
        records.append(
            rules.PastRecord(occurred_on=timezone.localdate(v.occurred_at), type_codes=codes, decided=decided)
        )
        if decided and decision.kind == DecisionKind.SANCTION:
            # A warning is carried out when it is served; a fine when paid or enforced.
            carried_out = decision.paid_on or decision.enforced_on
            if decision.sanction == Sanction.WARNING:
                carried_out = decision.served_on
            decisions.append(
                rules.PastDecision(
                    type_codes=codes,
                    signed_on=timezone.localdate(decision.signed_at),
                    sanction=decision.sanction,
                    carried_out_on=carried_out,
                )
            )
    return decisions, records


@dataclass(frozen=True)
class RepeatViolator:
    business: Business
    violations: int
    repeats: int
    last_occurred_at: Any
    multiples: int = 0


def repeat_violators_among(businesses: QuerySet[Business], today: date) -> QuerySet[Business]:
    """The businesses with an aggravated record in the last 12 months: tái phạm (an earlier
    sanction decision for the same behaviour still counting) or vi phạm nhiều lần (the same
    behaviour recorded before with no decision yet). Annotated with n_repeats, n_multiple,
    n_violations (records of those 12 months, superseded ones left out) and last_at.

    Picked through the partial index of aggravated records (violation_aggravated_idx) and
    counted by correlated subqueries on each business's own records: joining every record to the
    ward's businesses read the whole violations table (measured: 56 ms at 56.000 records; this way
    6 ms). The ward dashboard's watch-list and the repeat-violator page both read it; each orders it.
    """
    since = rules.months_before(today, rules.REPEAT_WINDOW_MONTHS)
    since_at = timezone.make_aware(datetime.combine(since, time.min))
    window = Violation.objects.filter(business=OuterRef("pk"), occurred_at__gte=since_at).exclude(
        status=Status.SUPERSEDED
    )
    aggravated = window.filter(Q(is_repeat=True) | Q(is_multiple=True))

    def count(records: QuerySet[Violation]) -> Subquery:
        return Subquery(
            records.order_by().values("business").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        )

    return (
        businesses.filter(Exists(aggravated))
        .annotate(
            n_repeats=count(window.filter(is_repeat=True)),
            n_multiple=count(window.filter(is_multiple=True)),
            n_violations=count(window),
            last_at=Subquery(window.order_by("-occurred_at").values("occurred_at")[:1]),
        )
        .select_related("street")
    )


def repeat_violators(user: Any, *, today: date | None = None) -> list[RepeatViolator]:
    """Businesses of the user's wards with a repeat offence or a behaviour violated several times
    in the last 12 months, most repeat offences first, then the most recent."""
    businesses = repeat_violators_among(
        scope_to_user(Business.objects.all(), user), today or timezone.localdate()
    ).order_by("-n_repeats", "-n_multiple", "-last_at", "pk")
    return [
        RepeatViolator(b, b.n_violations or 0, b.n_repeats or 0, b.last_at, b.n_multiple or 0)
        for b in businesses
    ]


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
