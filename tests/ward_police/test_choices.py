"""ward_police.choices: model selects read their choices with one plain query, as Django would list them."""

import pytest
from django import forms
from django.db import connection
from django.forms.models import ModelChoiceIterator
from django.test.utils import CaptureQueriesContext

from tests.factories import StreetFactory
from ward_police.choices import ListModelChoiceIterator
from wards.models import Street

pytestmark = pytest.mark.django_db


class StreetForm(forms.Form):
    street = forms.ModelChoiceField(queryset=Street.objects.order_by("name"), empty_label="Tất cả")
    streets = forms.ModelMultipleChoiceField(queryset=Street.objects.order_by("-name"))


def labels(choices) -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in choices]


def test_every_model_select_uses_it_and_lists_what_djangos_iterator_lists(ward_a):
    for name in ("Hàng Bông", "Cửa Bắc", "Đội Cấn"):
        StreetFactory(ward=ward_a, name=name)
    form = StreetForm()
    assert form.fields["street"].iterator is ListModelChoiceIterator
    assert form.fields["streets"].iterator is ListModelChoiceIterator
    for field in form.fields.values():
        assert labels(ListModelChoiceIterator(field)) == labels(ModelChoiceIterator(field))
    assert labels(form.fields["street"].choices)[0] == ("", "Tất cả")
    html = str(form["street"])
    assert html.index("Cửa Bắc") < html.index("Hàng Bông") < html.index("Đội Cấn")


def test_choices_are_read_afresh_each_time_and_in_one_plain_query(ward_a):
    StreetFactory(ward=ward_a, name="Hàng Bông")
    field = StreetForm().fields["street"]
    with CaptureQueriesContext(connection) as queries:
        first = labels(field.choices)
    assert len(queries) == 1
    assert not any("DECLARE" in q["sql"] or "CURSOR" in q["sql"] for q in queries.captured_queries)
    StreetFactory(ward=ward_a, name="Lý Nam Đế")
    assert [label for _, label in labels(field.choices)] == ["Tất cả", "Hàng Bông", "Lý Nam Đế"]
    assert len(first) == 2


def test_a_list_longer_than_a_chunk_is_complete_from_one_query(ward_a, monkeypatch):
    import ward_police.choices as choices

    monkeypatch.setattr(choices, "CHUNK_SIZE", 2)
    for name in ("A", "B", "C", "D", "E"):
        StreetFactory(ward=ward_a, name=f"Phố {name}")
    field = StreetForm().fields["street"]
    with CaptureQueriesContext(connection) as queries:
        listed = [label for _, label in labels(field.choices)]
    assert listed == ["Tất cả", "Phố A", "Phố B", "Phố C", "Phố D", "Phố E"]
    assert len(queries) == 1
