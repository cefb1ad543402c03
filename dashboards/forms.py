from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ward_police.widgets import DayInput
from wards.models import Ward

from .periods import KIND_CHOICES, MONTH, DashboardPeriod


class PeriodForm(forms.Form):
    """The period selector, read from the query string so a dashboard view is a link."""

    period = forms.ChoiceField(label=_("Report period"), choices=KIND_CHOICES, required=False)
    on = forms.DateField(
        label=_("Containing the day"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=DayInput(),
        help_text=_("dd/mm/yyyy"),
    )

    def period_or_default(self) -> DashboardPeriod:
        today = timezone.localdate()
        if not self.is_bound or not self.is_valid():
            return DashboardPeriod.containing(MONTH, today)
        return DashboardPeriod.containing(
            self.cleaned_data["period"] or MONTH, self.cleaned_data["on"] or today
        )


class WardPeriodForm(PeriodForm):
    ward = forms.ModelChoiceField(
        label=_("Ward"), queryset=Ward.objects.none(), required=False, empty_label=None
    )

    field_order = ["ward", "period", "on"]

    def __init__(self, *args: Any, wards: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = wards
