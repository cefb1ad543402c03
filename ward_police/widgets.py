"""One way to type a date on every site form: dd/mm/yyyy in a text box.

Chromium draws a native date field in the browser's locale (mm/dd/yyyy on an English system)
while every page prints dd/mm/yyyy, so the site's date fields are text inputs with a numeric
keyboard, a placeholder showing the pattern and a ``pattern`` that the browser checks before
sending. The server parses with DATE_INPUT_FORMATS / DATETIME_INPUT_FORMATS (dd/mm/yyyy first,
ISO accepted for links and offline copies).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

DAY_PATTERN = r"\d{1,2}/\d{1,2}/\d{4}"
DAY_TIME_PATTERN = r"\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}"


class DayInput(forms.DateInput):
    """dd/mm/yyyy."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {
            "inputmode": "numeric",
            "placeholder": "dd/mm/yyyy",
            "pattern": DAY_PATTERN,
            "title": _("A date as dd/mm/yyyy, e.g. 25/12/2026"),
            "autocomplete": "off",
            "size": "10",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


class DayTimeInput(forms.DateTimeInput):
    """dd/mm/yyyy hh:mm (24-hour)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {
            "placeholder": "dd/mm/yyyy hh:mm",
            "pattern": DAY_TIME_PATTERN,
            "title": _("A date and time as dd/mm/yyyy hh:mm, e.g. 25/12/2026 14:30"),
            "autocomplete": "off",
            "size": "16",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y %H:%M")
