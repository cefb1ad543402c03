"""The business page's timeline and due actions from inspections and commitments (connected in
InspectionsConfig.ready(): businesses never imports this app)."""

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from businesses.timeline import DueAction, TimelineEntry, register_due_action_source, register_timeline_source

from .models import Commitment, Inspection

# A business page shows at most this many inspections; the list page has the rest.
TIMELINE_LIMIT = 50


def inspection_entries(business) -> Iterable[TimelineEntry]:
    inspections = (
        Inspection.objects.filter(business=business)
        .select_related("commitment")
        .order_by("-finished_at", "-pk")[:TIMELINE_LIMIT]
    )
    for inspection in inspections:
        url = reverse("inspections:detail", args=[inspection.pk])
        detail = inspection.get_result_display()
        if inspection.failed_count:
            detail += " · " + _("%(count)s items failed") % {"count": inspection.failed_count}
        yield TimelineEntry(
            when=inspection.finished_at, kind="inspection", title=_("Inspection"), url=url, detail=detail
        )
        commitment = getattr(inspection, "commitment", None)
        if commitment is None:
            continue
        when = commitment.signed_at or inspection.finished_at
        if commitment.fulfilled_at:
            state = _("kept on %(date)s") % {
                "date": timezone.localtime(commitment.fulfilled_at).strftime("%d/%m/%Y")
            }
        elif commitment.deadline:
            state = _("due by %(date)s") % {"date": commitment.deadline.strftime("%d/%m/%Y")}
        else:
            state = ""
        yield TimelineEntry(
            when=when,
            kind="commitment",
            title=_("Signed commitment"),
            url=url,
            detail=" · ".join(p for p in (commitment.text[:120], state) if p),
        )


def overdue_commitments(business) -> Iterable[DueAction]:
    today = timezone.localdate()
    overdue = Commitment.objects.filter(
        business=business, fulfilled_at__isnull=True, deadline__lt=today
    ).order_by("deadline")
    for commitment in overdue.values("deadline", "text"):
        yield DueAction(
            "error",
            _("The commitment “%(text)s” was due on %(date)s and is not kept yet: check it.")
            % {"text": commitment["text"][:80], "date": commitment["deadline"].strftime("%d/%m/%Y")},
        )


def connect() -> None:
    register_timeline_source(inspection_entries)
    register_due_action_source(overdue_commitments)
