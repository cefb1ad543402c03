"""The business page's timeline and due actions from violations (connected in
ViolationsConfig.ready(): businesses never imports this app)."""

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from businesses.timeline import DueAction, TimelineEntry, register_due_action_source, register_timeline_source

from . import rules
from .models import Status, Violation

TIMELINE_LIMIT = 50


def violation_entries(business) -> Iterable[TimelineEntry]:
    violations = Violation.objects.filter(business=business).order_by("-occurred_at", "-pk")[:TIMELINE_LIMIT]
    for v in violations:
        title = v.get_stage_display()
        if v.number is not None:
            title = f"{title} · {v.number_display}"
        yield TimelineEntry(
            when=v.occurred_at,
            kind="violation",
            title=title,
            url=reverse("violations:detail", args=[v.pk]),
            detail=f"{v.get_status_display()} · {v.description[:120]}",
        )


def records_due(business) -> Iterable[DueAction]:
    """Draft records: overdue ones first (2 working days, 5 if complex), then those still in time."""
    today = timezone.localdate()
    drafts = Violation.objects.filter(business=business, status=Status.DRAFT).order_by("due_date", "pk")
    for draft in drafts.values("due_date", "stage"):
        stage = Violation(stage=draft["stage"]).get_stage_display()
        date = draft["due_date"].strftime("%d/%m/%Y")
        if rules.is_overdue(draft["due_date"], today):
            yield DueAction(
                "error",
                _("%(stage)s: the record was due by %(date)s and is not signed yet.")
                % {"stage": stage, "date": date},
            )
        else:
            yield DueAction(
                "warning", _("%(stage)s: sign the record by %(date)s.") % {"stage": stage, "date": date}
            )


def connect() -> None:
    register_timeline_source(violation_entries)
    register_due_action_source(records_due)
