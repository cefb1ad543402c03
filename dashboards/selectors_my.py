"""Reads for the landing pages of officers and leaders, and the deadline notifications.

Everything is scoped to the user's own ward (a user without a ward sees nothing) and read with
a fixed number of queries, each served by an index on (ward, status/deadline):
violation_ward_status_due_idx, commitment_ward_open_dl_idx, feedback_ward_status_idx,
camptarget_assigned_idx.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from businesses.models import Business, BusinessStatus
from businesses.models_public import Feedback, FeedbackStatus
from businesses.selectors import search_filter
from campaigns.models import CampaignStatus, CampaignTarget
from documents.layout import document_number
from inspections.models import Commitment, Inspection
from violations.models import Stage, Status, Violation

# A deadline this many days away or closer is "running out" (and notified).
DUE_SOON_DAYS = 2
# At most this many rows per kind on a page or in a digest; the counts stay exact.
ROWS_PER_KIND = 50
SEARCH_RESULTS = 20


class Kind:
    RECORD = "record"
    COMMITMENT = "commitment"
    FEEDBACK = "feedback"
    # #25.3: a signed MBB01 waiting for its decision (Điều 66), a served fine not paid (Điều 73).
    DECISION = "decision"
    FINE = "fine"


@dataclass(frozen=True)
class DeadlineItem:
    """One thing with a deadline: a draft record, an open commitment, unanswered feedback."""

    kind: str
    pk: int
    title: str
    due: dt.date
    today: dt.date
    url: str
    ward_id: int
    # Who it concerns besides the ward's leaders (officers see only their own).
    owner_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def days_left(self) -> int:
        return (self.due - self.today).days

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def kind_label(self) -> str:
        return {
            Kind.RECORD: _("Draft record"),
            Kind.COMMITMENT: _("Commitment to fix"),
            Kind.FEEDBACK: _("Citizen feedback"),
            Kind.DECISION: _("Decision to make"),
            Kind.FINE: _("Fine not paid"),
        }[self.kind]

    @property
    def countdown(self) -> str:
        days = self.days_left
        if days < 0:
            return _("%(n)s day(s) overdue") % {"n": -days}
        if days == 0:
            return _("Due today")
        return _("%(n)s day(s) left") % {"n": days}


def feedback_response_days() -> int:
    return settings.FEEDBACK_RESPONSE_DAYS


def _week_end(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=6 - today.weekday())


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- the rows of each kind ------------------------------------------------------------------


def _records(ward_ids: Iterable[int], *, due_by: dt.date | None, created_by: Any = None) -> QuerySet:
    qs = Violation.objects.filter(ward_id__in=list(ward_ids), status=Status.DRAFT)
    if due_by is not None:
        qs = qs.filter(due_date__lte=due_by)
    if created_by is not None:
        qs = qs.filter(created_by=created_by)
    return qs.order_by("due_date", "pk")


def _limited(qs: QuerySet, limit: int | None) -> QuerySet:
    return qs if limit is None else qs[:limit]


def _record_items(qs: QuerySet, today: dt.date, limit: int | None = ROWS_PER_KIND) -> list[DeadlineItem]:
    rows = _limited(
        qs.values_list("pk", "due_date", "created_by_id", "business__name", "person_name", "ward_id"), limit
    )
    return [
        DeadlineItem(
            kind=Kind.RECORD,
            pk=pk,
            title=_("Draft #%(pk)s · %(who)s") % {"pk": pk, "who": business_name or person_name},
            due=due,
            today=today,
            url=reverse("violations:detail", args=[pk]),
            ward_id=ward_id,
            owner_ids=frozenset({created_by_id}),
        )
        for pk, due, created_by_id, business_name, person_name, ward_id in rows
    ]


def _decision_items(ward_ids: Iterable[int], *, due_by: dt.date, today: dt.date) -> list[DeadlineItem]:
    """Signed MBB01s whose decision is due by `due_by` (7 working days, or a month; Điều 66)."""
    rows = _limited(
        Violation.objects.filter(
            ward_id__in=list(ward_ids),
            status=Status.SIGNED,
            stage=Stage.VIOLATION_RECORD,
            decision_due_date__lte=due_by,
        )
        .order_by("decision_due_date", "pk")
        .values_list(
            "pk", "decision_due_date", "number", "number_symbol", "business__name", "person_name", "ward_id"
        ),
        ROWS_PER_KIND,
    )
    return [
        DeadlineItem(
            kind=Kind.DECISION,
            pk=pk,
            title=_("Decision on record %(number)s · %(who)s")
            % {"number": document_number(number, symbol), "who": business_name or person_name},
            due=due,
            today=today,
            url=reverse("violations:detail", args=[pk]),
            ward_id=ward_id,
        )
        for pk, due, number, symbol, business_name, person_name, ward_id in rows
    ]


def _fine_items(ward_ids: Iterable[int], *, due_by: dt.date, today: dt.date) -> list[DeadlineItem]:
    """Served fines not paid, whose 10 days to pay (Điều 73) end by `due_by`."""
    from violations.decision_models import DecisionKind, DecisionStatus, SanctionDecision

    rows = _limited(
        SanctionDecision.objects.filter(
            ward_id__in=list(ward_ids),
            kind=DecisionKind.SANCTION,
            sanction="fine",
            status=DecisionStatus.SERVED,
            payment_due_date__lte=due_by,
        )
        .order_by("payment_due_date", "pk")
        .values_list(
            "pk",
            "payment_due_date",
            "number",
            "number_symbol",
            "violation_id",
            "violation__business__name",
            "violation__person_name",
            "ward_id",
        ),
        ROWS_PER_KIND,
    )
    return [
        DeadlineItem(
            kind=Kind.FINE,
            pk=pk,
            title=_("Fine of decision %(number)s · %(who)s")
            % {"number": document_number(number, symbol), "who": business_name or person_name},
            due=due,
            today=today,
            url=reverse("violations:decision", args=[violation_id]),
            ward_id=ward_id,
        )
        for pk, due, number, symbol, violation_id, business_name, person_name, ward_id in rows
    ]


def _is_inspector(user: Any) -> Exists:
    through = Inspection.inspectors.through
    return Exists(through.objects.filter(inspection_id=OuterRef("inspection_id"), user_id=user.pk))


def _on_streets_of(user: Any) -> Exists:
    through = get_user_model().streets.through
    return Exists(through.objects.filter(street_id=OuterRef("business__street_id"), user_id=user.pk))


def _commitments(ward_ids: Iterable[int], *, due_by: dt.date, user: Any = None) -> QuerySet:
    qs = Commitment.objects.filter(
        ward_id__in=list(ward_ids), fulfilled_at__isnull=True, deadline__isnull=False, deadline__lte=due_by
    )
    if user is not None:
        # The officer's: from an inspection they made or took part in, or on a street they answer for.
        qs = qs.filter(Q(inspection__recorded_by=user) | _is_inspector(user) | _on_streets_of(user))
    return qs.order_by("deadline", "pk")


def _commitment_items(
    qs: QuerySet, today: dt.date, *, with_owners: bool, limit: int | None = ROWS_PER_KIND
) -> list[DeadlineItem]:
    columns = (
        "pk",
        "deadline",
        "inspection_id",
        "inspection__recorded_by_id",
        "business__name",
        "ward_id",
        "business__street_id",
    )
    rows = list(_limited(qs.values_list(*columns), limit))
    inspectors: dict[int, set[int]] = defaultdict(set)
    street_officers: dict[int, set[int]] = defaultdict(set)
    if with_owners and rows:
        through = Inspection.inspectors.through
        for inspection_id, user_id in through.objects.filter(
            inspection_id__in=[row[2] for row in rows]
        ).values_list("inspection_id", "user_id"):
            inspectors[inspection_id].add(user_id)
        streets = get_user_model().streets.through
        for street_id, user_id in streets.objects.filter(
            street_id__in={row[6] for row in rows if row[6]}
        ).values_list("street_id", "user_id"):
            street_officers[street_id].add(user_id)
    return [
        DeadlineItem(
            kind=Kind.COMMITMENT,
            pk=pk,
            title=_("Commitment of %(business)s") % {"business": business_name},
            due=deadline,
            today=today,
            url=reverse("inspections:detail", args=[inspection_id]),
            ward_id=ward_id,
            owner_ids=frozenset({recorded_by_id, *inspectors[inspection_id], *street_officers[street_id]}),
        )
        for pk, deadline, inspection_id, recorded_by_id, business_name, ward_id, street_id in rows
    ]


def _feedback(ward_ids: Iterable[int], *, due_by: dt.date | None) -> QuerySet:
    """Feedback nobody has answered yet; its response is due FEEDBACK_RESPONSE_DAYS after it came."""
    qs = Feedback.objects.filter(ward_id__in=list(ward_ids), status=FeedbackStatus.NEW)
    if due_by is not None:
        received_before = due_by - dt.timedelta(days=feedback_response_days())
        qs = qs.filter(created_at__lt=_local_midnight(received_before + dt.timedelta(days=1)))
    return qs.order_by("created_at", "pk")


def _feedback_items(qs: QuerySet, today: dt.date, limit: int | None = ROWS_PER_KIND) -> list[DeadlineItem]:
    rows = _limited(qs.values_list("pk", "created_at", "business__name", "category", "ward_id"), limit)
    days = dt.timedelta(days=feedback_response_days())
    labels = dict(Feedback._meta.get_field("category").flatchoices)
    return [
        DeadlineItem(
            kind=Kind.FEEDBACK,
            pk=pk,
            title=f"{labels.get(category, category)} · {business_name}",
            due=timezone.localdate(created_at) + days,
            today=today,
            url=reverse("feedback:detail", args=[pk]),
            ward_id=ward_id,
        )
        for pk, created_at, business_name, category, ward_id in rows
    ]


# --- notifications --------------------------------------------------------------------------


@dataclass
class Notifications:
    items: list[DeadlineItem]
    count: int

    @property
    def overdue(self) -> list[DeadlineItem]:
        return [item for item in self.items if item.overdue]

    @property
    def due_soon(self) -> list[DeadlineItem]:
        return [item for item in self.items if not item.overdue]


def _is_leader(user: Any) -> bool:
    return user.has_role(Role.LEADER)


def notified(user: Any) -> bool:
    """Officers and leaders of a ward get deadline notifications; the chairman reads dashboards."""
    return bool(user.is_authenticated and user.ward_id and user.has_role(Role.LEADER, Role.OFFICER))


def _notification_querysets(user: Any, today: dt.date) -> dict[str, QuerySet]:
    due_by = today + dt.timedelta(days=DUE_SOON_DAYS)
    wards = [user.ward_id]
    if _is_leader(user):
        return {
            Kind.RECORD: _records(wards, due_by=due_by),
            Kind.COMMITMENT: _commitments(wards, due_by=due_by),
            Kind.FEEDBACK: _feedback(wards, due_by=due_by),
        }
    return {
        Kind.RECORD: _records(wards, due_by=due_by, created_by=user),
        Kind.COMMITMENT: _commitments(wards, due_by=due_by, user=user),
    }


def notification_count(user: Any, today: dt.date | None = None) -> int:
    """The header's number: one COUNT per kind."""
    if not notified(user):
        return 0
    today = today or timezone.localdate()
    return sum(qs.count() for qs in _notification_querysets(user, today).values())


def notifications_for(user: Any, today: dt.date | None = None) -> Notifications:
    if not notified(user):
        return Notifications(items=[], count=0)
    today = today or timezone.localdate()
    sets = _notification_querysets(user, today)
    items = _record_items(sets[Kind.RECORD], today) + _commitment_items(
        sets[Kind.COMMITMENT], today, with_owners=False
    )
    if Kind.FEEDBACK in sets:
        items += _feedback_items(sets[Kind.FEEDBACK], today)
    items.sort(key=lambda item: (item.due, item.kind, item.pk))
    count = len(items)
    if any(len([i for i in items if i.kind == kind]) >= ROWS_PER_KIND for kind in sets):
        count = sum(qs.count() for qs in sets.values())
    return Notifications(items=items, count=count)


@dataclass(frozen=True)
class Recipient:
    pk: int
    ward_id: int
    email: str
    name: str
    leader: bool


def digest_recipients() -> list[Recipient]:
    """Active officers and leaders of a ward who have an e-mail address, in one query."""
    rows = (
        get_user_model()
        .objects.filter(is_active=True, ward__isnull=False, groups__name__in=[Role.OFFICER, Role.LEADER])
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", "ward_id", "email", "full_name", "username", "groups__name")
    )
    found: dict[int, Recipient] = {}
    for pk, ward_id, email, full_name, username, group in rows:
        leader = group == Role.LEADER or (pk in found and found[pk].leader)
        name = full_name.strip() or username
        found[pk] = Recipient(pk=pk, ward_id=ward_id, email=email, name=name, leader=leader)
    return list(found.values())


def digest_items_by_user(recipients: list[Recipient], today: dt.date) -> dict[int, list[DeadlineItem]]:
    """Every recipient's notifications in a fixed number of queries, whatever the number of
    users or wards: each kind is read once for all their wards, then shared out."""
    ward_ids = sorted({r.ward_id for r in recipients})
    if not ward_ids:
        return {}
    due_by = today + dt.timedelta(days=DUE_SOON_DAYS)
    # Whole ward sets (the per-kind cap is for pages, not for a digest).
    records = _record_items(_records(ward_ids, due_by=due_by), today, limit=None)
    commitments = _commitment_items(
        _commitments(ward_ids, due_by=due_by), today, with_owners=True, limit=None
    )
    feedback = _feedback_items(_feedback(ward_ids, due_by=due_by), today, limit=None)
    by_ward: dict[int, list[tuple[DeadlineItem, bool]]] = defaultdict(list)
    for item in records + commitments:
        by_ward[item.ward_id].append((item, False))
    for item in feedback:
        by_ward[item.ward_id].append((item, True))
    result: dict[int, list[DeadlineItem]] = {}
    for recipient in recipients:
        mine = [
            item
            for item, leaders_only in by_ward.get(recipient.ward_id, [])
            if recipient.leader or (not leaders_only and recipient.pk in item.owner_ids)
        ]
        if mine:
            result[recipient.pk] = sorted(mine, key=lambda item: (item.due, item.kind, item.pk))
    return result


# --- the officer's day ----------------------------------------------------------------------


def targets_today(user: Any, today: dt.date) -> list[CampaignTarget]:
    """Targets of the ward's campaigns under way today that are assigned to the user; those not
    inspected yet first."""
    if not user.ward_id:
        return []
    return list(
        CampaignTarget.objects.filter(
            assigned_to=user,
            campaign__ward_id=user.ward_id,
            campaign__status=CampaignStatus.ACTIVE,
            campaign__starts_on__lte=today,
            campaign__ends_on__gte=today,
        )
        .select_related("campaign")
        .order_by("inspection_id", "street_name", "business_name", "pk")[:ROWS_PER_KIND]
    )


def my_drafts(user: Any, today: dt.date) -> list[DeadlineItem]:
    """The user's draft records, the nearest legal deadline first."""
    if not user.ward_id:
        return []
    return _record_items(_records([user.ward_id], due_by=None, created_by=user), today)


def my_commitments_this_week(user: Any, today: dt.date) -> list[DeadlineItem]:
    """Open commitments on the user's streets or from their inspections, due by the end of this
    week (Sunday), including those already past their deadline."""
    if not user.ward_id:
        return []
    return _commitment_items(
        _commitments([user.ward_id], due_by=_week_end(today), user=user), today, with_owners=False
    )


def business_search(user: Any, query: str) -> list[Business]:
    """The registry's accent-free search (businesses.selectors.search_filter), the user's ward only."""
    if not user.ward_id or not query.strip():
        return []
    return list(
        Business.objects.filter(ward_id=user.ward_id)
        .exclude(status=BusinessStatus.CLOSED)
        .filter(search_filter(query))
        .select_related("street")
        .order_by("name", "pk")[:SEARCH_RESULTS]
    )


# --- the leader's page ----------------------------------------------------------------------


@dataclass
class LeaderDay:
    waiting_signature: list[DeadlineItem]
    waiting_count: int
    running_out: list[DeadlineItem]
    overdue: list[DeadlineItem]
    feedback_unanswered: list[DeadlineItem]
    feedback_count: int


def leader_day(user: Any, today: dt.date) -> LeaderDay:
    if not user.ward_id:
        return LeaderDay([], 0, [], [], [], 0)
    wards = [user.ward_id]
    drafts_qs = _records(wards, due_by=None)
    drafts = _record_items(drafts_qs, today)
    waiting_count = len(drafts) if len(drafts) < ROWS_PER_KIND else drafts_qs.count()
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    commitments = _commitment_items(_commitments(wards, due_by=soon), today, with_owners=False)
    feedback_qs = _feedback(wards, due_by=None)
    feedback = _feedback_items(feedback_qs, today)
    feedback_count = len(feedback) if len(feedback) < ROWS_PER_KIND else feedback_qs.count()
    dated = [i for i in drafts if i.due <= soon] + commitments + [i for i in feedback if i.due <= soon]
    dated += _decision_items(wards, due_by=soon, today=today) + _fine_items(wards, due_by=soon, today=today)
    dated.sort(key=lambda item: (item.due, item.kind, item.pk))
    return LeaderDay(
        waiting_signature=drafts,
        waiting_count=waiting_count,
        running_out=[i for i in dated if not i.overdue],
        overdue=[i for i in dated if i.overdue],
        feedback_unanswered=feedback,
        feedback_count=feedback_count,
    )


# --- records and decisions signed by a leader come back to the officer who made them (#25.2) ------

RETURNED_DAYS = 14


@dataclass(frozen=True)
class ReturnedItem:
    """A record or decision the officer made, signed by someone else in the last two weeks."""

    kind_label: str
    number: str
    title: str
    signed_at: dt.datetime
    signed_by: str
    url: str


def returned_to_me(user: Any, now: dt.datetime | None = None) -> list[ReturnedItem]:
    """What the user drafted and a leader signed in the last RETURNED_DAYS days, newest first:
    violation records they made, and decisions drafted on those records. Two queries."""
    from violations.decision_models import SanctionDecision

    if not (user.is_authenticated and user.ward_id):
        return []
    since = (now or timezone.now()) - dt.timedelta(days=RETURNED_DAYS)
    records = (
        Violation.objects.filter(ward_id=user.ward_id, created_by=user, signed_at__gte=since)
        .exclude(signed_by=user)
        .select_related("business", "signed_by")
        .order_by("-signed_at", "-pk")[:ROWS_PER_KIND]
    )
    decisions = (
        SanctionDecision.objects.filter(
            ward_id=user.ward_id, violation__created_by=user, signed_at__gte=since
        )
        .exclude(signed_by=user)
        .select_related("violation__business", "signed_by")
        .order_by("-signed_at", "-pk")[:ROWS_PER_KIND]
    )
    items = [
        ReturnedItem(
            kind_label=_("Violation record"),
            number=v.number_display,
            title=v.business.name if v.business_id else v.person_name,
            signed_at=v.signed_at,
            signed_by=v.signed_by.get_full_name() if v.signed_by_id else "",
            url=reverse("violations:detail", args=[v.pk]),
        )
        for v in records
    ] + [
        ReturnedItem(
            kind_label=_("Sanction decision"),
            number=d.number_display,
            title=d.violation.business.name if d.violation.business_id else d.violation.person_name,
            signed_at=d.signed_at,
            signed_by=d.signed_by.get_full_name() if d.signed_by_id else "",
            url=reverse("violations:decision", args=[d.violation_id]),
        )
        for d in decisions
    ]
    items.sort(key=lambda item: item.signed_at, reverse=True)
    return items
