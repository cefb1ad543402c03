"""Offline inspections: what the server checks before it accepts a form queued on a phone.

A form filled offline may reach the server days later. Between opening and syncing the
business may have closed or moved to another ward, its checklist may have been withdrawn,
or the campaign that sent the officer may be over: the sync then answers 409 with the
reasons, and the phone keeps the entry until the officer decides what to do with it.
"""

from collections.abc import Callable
from datetime import datetime

from django.core import signing
from django.utils.translation import gettext as _

from accounts.models import User
from businesses.models import Business, BusinessStatus

from .models import ChecklistVersion, VersionStatus

TICKET_SALT = "inspections.offline.ticket"
# A ticket only proves where the business was when the form was opened; forms older than
# this are refused by the form's own start-time check anyway.
TICKET_MAX_AGE = 60 * 60 * 24 * 14

# Apps above inspections (campaigns) add checks: handler(user, business, source, started_at)
# returns reasons (already translated) the queued inspection can no longer be accepted.
ConflictCheck = Callable[[User, Business, str, datetime | None], list[str]]
_conflict_checks: list[ConflictCheck] = []


def on_sync_conflict_check(check: ConflictCheck) -> ConflictCheck:
    """Register a conflict check; usable as a decorator. Registering twice is harmless."""
    if check not in _conflict_checks:
        _conflict_checks.append(check)
    return check


def remove_sync_conflict_check(check: ConflictCheck) -> None:
    if check in _conflict_checks:
        _conflict_checks.remove(check)


def ticket_for(*, user: User, business: Business) -> str:
    """Signed note rendered into the form: this user opened this business of this ward."""
    return signing.dumps({"u": user.pk, "b": business.pk, "w": business.ward_id}, salt=TICKET_SALT)


def ticket_vouches(ticket: str, *, user: User, business_pk: int) -> bool:
    """True when the ticket shows `user` opened the form for the business while it was in their ward."""
    try:
        data = signing.loads(ticket or "", salt=TICKET_SALT, max_age=TICKET_MAX_AGE)
    except signing.BadSignature:
        return False
    return data.get("u") == user.pk and data.get("b") == business_pk and data.get("w") == user.ward_id


def moved_reason() -> str:
    return _(
        "The business has moved to another ward since the form was opened. "
        "Tell the police of its new ward, or discard this inspection."
    )


def sync_conflicts(
    *, user: User, business: Business, version: ChecklistVersion, source: str, started_at: datetime | None
) -> list[str]:
    reasons: list[str] = []
    if business.status == BusinessStatus.CLOSED:
        reasons.append(
            _(
                "The business has been marked as closed. "
                "Check its record; if it is open again, reopen it first."
            )
        )
    template = version.template
    if not template.is_active:
        reasons.append(
            _(
                "The checklist “%(name)s” has been withdrawn. "
                "Record the inspection again with a checklist in use."
            )
            % {"name": template.name}
        )
    elif (
        version.status == VersionStatus.RETIRED
        and version.retired_at is not None
        and started_at is not None
        and version.retired_at < started_at
    ):
        # Started after the version was replaced: the phone had an outdated form cached.
        reasons.append(
            _(
                "Version %(number)s of the checklist had already been replaced when this inspection "
                "started. Open the form again online and record it with the current version."
            )
            % {"number": version.number}
        )
    for check in list(_conflict_checks):
        reasons.extend(check(user, business, source, started_at))
    return reasons
