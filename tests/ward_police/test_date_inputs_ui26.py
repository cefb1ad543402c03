"""One date entry pattern on every site form (#26.14): each date or date-time field a visitor types
in is a DayInput / DayTimeInput (dd/mm/yyyy text box), never the browser's date picker."""

import importlib

from django import forms
from django.apps import apps

from ward_police.widgets import DayInput, DayTimeInput

PROJECT_APPS = (
    "wards",
    "accounts",
    "documents",
    "businesses",
    "violations",
    "inspections",
    "campaigns",
    "criteria",
    "dashboards",
)


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def _project_forms():
    for label in PROJECT_APPS:
        package = apps.get_app_config(label).module.__name__
        for name in ("forms", "forms_public", "decision_forms"):
            try:
                importlib.import_module(f"{package}.{name}")
            except ModuleNotFoundError:
                continue
    for form in _all_subclasses(forms.BaseForm):
        # The admin's forms use the admin's own date widgets (its calendar, dd/mm/yyyy from
        # DATE_INPUT_FORMATS): not site forms.
        if form.__module__.split(".")[0] in PROJECT_APPS and ".admin" not in form.__module__:
            yield form


def test_every_date_field_of_the_site_forms_is_typed_dd_mm_yyyy():
    checked = []
    for form in _project_forms():
        for name, field in getattr(form, "base_fields", {}).items():
            if isinstance(field.widget, forms.HiddenInput):
                continue
            if isinstance(field, forms.DateTimeField):
                assert isinstance(field.widget, DayTimeInput), f"{form.__module__}.{form.__name__}.{name}"
                checked.append(name)
            elif isinstance(field, forms.DateField):
                assert isinstance(field.widget, DayInput), f"{form.__module__}.{form.__name__}.{name}"
                checked.append(name)
    assert {"starts_on", "occurred_at", "commitment_deadline", "served_on"} <= set(checked)


def test_a_day_input_shows_and_reads_dd_mm_yyyy():
    field = forms.DateField(widget=DayInput())
    html = field.widget.render("d", field.clean("05/03/2027"))
    assert 'type="text"' in html and 'value="05/03/2027"' in html
    assert 'placeholder="dd/mm/yyyy"' in html and 'inputmode="numeric"' in html and "pattern=" in html
    assert str(field.clean("05/03/2027")) == "2027-03-05"
