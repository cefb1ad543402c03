from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ward_police.widgets import DayInput

from .models import RegisterKind


class RegisterFilterForm(forms.Form):
    """The register page's filters: all optional; a bad value says why, nothing is guessed."""

    kind = forms.ChoiceField(
        label=_("Kind of document"), choices=[("", _("All"))] + RegisterKind.choices, required=False
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    date_from = forms.DateField(label=_("Issued from"), required=False, widget=DayInput())
    date_to = forms.DateField(label=_("Issued until"), required=False, widget=DayInput())

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError(_("The start date is after the end date."))
        return data
