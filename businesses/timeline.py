"""The business page's timeline and its next due actions.

Apps that land later (inspections, violations, commitments, citizen feedback) add their events
with `register_timeline_source`: businesses never imports them, the dependency points their way.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from .selectors import EXPIRING_WITHIN_DAYS, months_ago


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime
    kind: str  # "inspection", "violation", "commitment", "feedback"
    title: str
    url: str = ""
    detail: str = ""


TimelineSource = Callable[[object], Iterable[TimelineEntry]]
_SOURCES: list[TimelineSource] = []


def register_timeline_source(source: TimelineSource) -> TimelineSource:
    """Called from another app's AppConfig.ready(); usable as a decorator."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def timeline_for(business, *, limit: int = 50) -> list[TimelineEntry]:
    entries = [entry for source in _SOURCES for entry in source(business)]
    return sorted(entries, key=lambda e: e.when, reverse=True)[:limit]


# An inspection is due when the last one is older than this (months).
INSPECTION_INTERVAL_MONTHS = 6


@dataclass(frozen=True)
class DueAction:
    level: str  # "error", "warning", "info": the CSS message style
    text: str


def next_due_actions(
    *,
    status: str,
    is_conditional: bool,
    certificate_number: str,
    certificate_expiry: date | None,
    last_inspected_at: datetime | None,
    today: date | None = None,
    now: datetime | None = None,
) -> list[DueAction]:
    """What the officer should do next, most urgent first (a pure function of the facts)."""
    if status == "closed":
        return []
    today = today or timezone.localdate()
    now = now or timezone.now()
    actions: list[DueAction] = []
    if is_conditional and not certificate_number:
        actions.append(
            DueAction("error", _("Conditional business without a security-and-order certificate."))
        )
    if certificate_expiry and certificate_expiry < today:
        actions.append(
            DueAction(
                "error",
                _("The security-and-order certificate expired on %(date)s: ask the owner to renew it.")
                % {"date": certificate_expiry.strftime("%d/%m/%Y")},
            )
        )
    elif certificate_expiry and (certificate_expiry - today).days <= EXPIRING_WITHIN_DAYS:
        actions.append(
            DueAction(
                "warning",
                _("The security-and-order certificate expires on %(date)s.")
                % {"date": certificate_expiry.strftime("%d/%m/%Y")},
            )
        )
    if last_inspected_at is None:
        actions.append(DueAction("warning", _("Never inspected: plan a first inspection.")))
    elif last_inspected_at < months_ago(now, INSPECTION_INTERVAL_MONTHS):
        actions.append(
            DueAction(
                "warning",
                _("Not inspected for more than %(months)s months: an inspection is due.")
                % {"months": INSPECTION_INTERVAL_MONTHS},
            )
        )
    return actions


# Apps above businesses add what their records make due (overdue commitments, records to make).
DueActionSource = Callable[[object], Iterable[DueAction]]
_DUE_SOURCES: list[DueActionSource] = []


def register_due_action_source(source: DueActionSource) -> DueActionSource:
    """Called from another app's AppConfig.ready(); usable as a decorator."""
    if source not in _DUE_SOURCES:
        _DUE_SOURCES.append(source)
    return source


_LEVEL_ORDER = {"error": 0, "warning": 1, "info": 2}


def due_actions_for(business) -> list[DueAction]:
    """The business's own due actions and those of the registered sources, most urgent first."""
    actions = next_due_actions(
        status=business.status,
        is_conditional=business.is_conditional,
        certificate_number=business.certificate_number,
        certificate_expiry=business.certificate_expiry,
        last_inspected_at=business.last_inspected_at,
    )
    if business.status != "closed":
        actions += [action for source in _DUE_SOURCES for action in source(business)]
    return sorted(actions, key=lambda a: _LEVEL_ORDER.get(a.level, 3))
