"""The record page's link back to the inspection that proposed it (#26.9), registered with
violations in InspectionsConfig.ready() (violations never imports this app)."""

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from violations.origins import Origin, register_origin_source

from .models import Inspection


def proposing_inspections(violation) -> Iterable[Origin]:
    for pk, finished_at, result in Inspection.objects.filter(proposed_violation=violation).values_list(
        "pk", "finished_at", "result"
    ):
        yield Origin(
            label=_("The inspection of %(when)s (%(result)s)")
            % {
                "when": timezone.localtime(finished_at).strftime("%d/%m/%Y %H:%M"),
                "result": Inspection(result=result).get_result_display(),
            },
            url=reverse("inspections:detail", args=[pk]),
        )


def connect() -> None:
    register_origin_source(proposing_inspections)
