"""Jinja2's traps on the violation and dashboard pages (#27): a method named without () is always
true and never iterates, and markup that must stay valid HTML (no table inside a figure)."""

import re
from datetime import date

from django.urls import reverse

from tests.businesses.factories import BusinessFactory
from tests.dashboards.factories import local, violation
from violations import services


def _sign(make_draft, lena):
    return services.violation_sign(violation=make_draft(), signed_by=lena, violator_signed=True)


def test_aggravating_circumstances_show_only_when_the_record_has_some(client, make_draft, lena):
    # The first record of a behaviour has none; the same behaviour again, with no decision yet, is
    # "vi phạm nhiều lần". (Aggravation.labels is a method: without () it was always true.)
    first = _sign(make_draft, lena)
    again = _sign(make_draft, lena)
    assert not first.is_multiple and again.is_multiple
    client.force_login(lena)

    form = client.get(reverse("violations:decision-create", args=[first.pk])).content.decode()
    assert "Tình tiết tăng nặng:" not in form
    form = client.get(reverse("violations:decision-create", args=[again.pk])).content.decode()
    assert "<p>Tình tiết tăng nặng: Vi phạm hành chính nhiều lần</p>" in form

    detail = client.get(reverse("violations:detail", args=[first.pk])).content.decode()
    assert "<dt>Tình tiết tăng nặng</dt><dd>không</dd>" in detail
    detail = client.get(reverse("violations:detail", args=[again.pk])).content.decode()
    assert "<dt>Tình tiết tăng nặng</dt><dd>Vi phạm hành chính nhiều lần</dd>" in detail


def test_the_record_form_shows_every_section_with_its_fields(client, alice, sidewalk):
    # ViolationDraftForm.sections is a method: iterated without () the form had no fields at all.
    client.force_login(alice)
    page = client.get(reverse("violations:create")).content.decode()
    legends = re.findall(r'<fieldset class="form-section">\s*<legend>(.*?)</legend>', page)
    assert "Biên bản làm việc (MBB02)" in legends and len(legends) >= 3
    assert 'name="description"' in page
    assert re.search(
        r'<label class="radio" for="id_types_0"><input type="checkbox" name="types" value="[^"]+"', page
    )
    # A group of checkboxes is a fieldset with its legend; a single field keeps its label.
    assert re.search(
        r'<fieldset class="field"[^>]*>\s*<legend>[^<]+<span aria-hidden="true">\*</span></legend>', page
    )
    assert '<label for="id_description">' in page


def test_a_charts_figures_table_follows_the_chart_outside_its_figure(client, charlie, alice):
    shop = BusinessFactory(ward=charlie.ward)
    violation(shop, alice, at=local(date(2025, 11, 4)), domain="urban_order")
    client.force_login(charlie)
    page = client.get(reverse("dashboards:home"), {"period": "month", "on": "15/11/2025"}).content.decode()
    figures = re.findall(r"<figure\b.*?</figure>", page, re.S)
    assert figures and not any("<details" in f or "<table" in f for f in figures)
    assert re.search(
        r'<figcaption>[^<]+</figcaption>\s*</figure>\s*<details class="dash-chart__data">\s*<summary>', page
    )
