"""Model selects read their choices with Django's own iterator, in one plain query: on PostgreSQL
the settings turn server-side cursors off (DISABLE_SERVER_SIDE_CURSORS), which is all the former
ward_police/choices.py iterator worked around."""

import pytest
from django import forms
from django.conf import settings
from django.db import connection
from django.forms.models import ModelChoiceIterator
from django.test.utils import CaptureQueriesContext

from tests.factories import StreetFactory
from wards.models import Street

pytestmark = pytest.mark.django_db


class StreetForm(forms.Form):
    street = forms.ModelChoiceField(queryset=Street.objects.order_by("name"), empty_label="Tất cả")


def labels(choices) -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in choices]


def test_model_selects_use_djangos_iterator():
    assert StreetForm().fields["street"].iterator is ModelChoiceIterator


def test_server_side_cursors_are_off_on_postgresql():
    engine = settings.DATABASES["default"]["ENGINE"]
    disabled = settings.DATABASES["default"].get("DISABLE_SERVER_SIDE_CURSORS", False)
    assert disabled is (engine == "django.db.backends.postgresql")


def test_choices_are_read_afresh_each_time_in_one_plain_query(ward_a):
    StreetFactory(ward=ward_a, name="Hàng Bông")
    field = StreetForm().fields["street"]
    with CaptureQueriesContext(connection) as queries:
        first = labels(field.choices)
    assert len(queries) == 1
    assert not any("DECLARE" in q["sql"] or "CURSOR" in q["sql"] for q in queries.captured_queries)
    StreetFactory(ward=ward_a, name="Lý Nam Đế")
    assert [label for _, label in labels(field.choices)] == ["Tất cả", "Hàng Bông", "Lý Nam Đế"]
    assert len(first) == 2
