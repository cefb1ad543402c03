from django import forms
from django.utils.translation import gettext_lazy as _


class StreetForm(forms.Form):
    name = forms.CharField(label=_("Street name"), max_length=160)
