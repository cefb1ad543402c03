"""The site's form renderer writes in Python exactly what Django's widget templates write."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from ward_police.forms_renderer import FastFormRenderer

CHOICES = [("", "Tất cả"), ("a", 'Phố <Hàng Bạc> & "Hàng Đào"'), ("2", gettext_lazy("Passed"))]
GROUPED = [("Phường Mẫu 1", [("1", "Tổ 1"), ("2", "Tổ 2")]), ("Phường Mẫu 2", [("3", "Tổ 3")]), ("4", "Khác")]


class EveryWidgetForm(forms.Form):
    name = forms.CharField(label="Tên", max_length=50, widget=forms.TextInput(attrs={"placeholder": "Tên…"}))
    search = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"type": "search", "autofocus": True})
    )
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    count = forms.IntegerField(required=False, min_value=1, max_value=120)
    amount = forms.DecimalField(required=False)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    when = forms.DateTimeField(required=False)
    email = forms.EmailField(required=False)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3, "disabled": False}))
    street = forms.ChoiceField(required=False, choices=CHOICES)
    group = forms.ChoiceField(required=False, choices=GROUPED)
    tags = forms.MultipleChoiceField(required=False, choices=CHOICES[1:])
    answer = forms.ChoiceField(choices=CHOICES[1:], widget=forms.RadioSelect)
    officers = forms.MultipleChoiceField(required=False, choices=GROUPED, widget=forms.CheckboxSelectMultiple)
    agree = forms.BooleanField(required=False)
    photo = forms.FileField(required=False)
    attachment = forms.FileField(required=False, widget=forms.ClearableFileInput)


DATA = {
    "name": 'Café "Ông Bảy" <b>&</b>',
    "search": "nguyen thai hoc",
    "secret": "p<ss>",
    "hidden": "x&y",
    "count": "abc",  # invalid: the bound value is shown back as typed
    "amount": "12.50",
    "day": "2026-12-03",
    "when": "03/12/2026 08:30",
    "email": "a@b.vn",
    "note": "Dòng 1\n<script>alert(1)</script>",
    "street": "a",
    "group": "3",
    "tags": ["a", "2"],
    "answer": "2",
    "officers": ["1", "3"],
    "agree": "on",
}


def _forms():
    initial = {
        "count": 5,
        "amount": Decimal("1.5"),
        "day": datetime.date(2026, 1, 2),
        "note": mark_safe("<em>đã duyệt</em>"),
        "street": "2",
        "agree": True,
    }
    return [
        ("unbound", lambda r: EveryWidgetForm(renderer=r)),
        ("initial", lambda r: EveryWidgetForm(initial=initial, renderer=r)),
        ("bound", lambda r: EveryWidgetForm(DATA, renderer=r)),
        ("empty", lambda r: EveryWidgetForm({}, renderer=r)),
    ]


def _render_all(form) -> list[str]:
    out = []
    for bound in form:
        out.append(str(bound))
        if bound.name in ("answer", "officers"):
            out.extend(str(sub.tag()) for sub in bound)
            out.extend(str(sub) for sub in bound)
    out.append(str(form))
    return out


@pytest.mark.parametrize("case", [c for c, _ in _forms()])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_fast_renderer_writes_the_markup_of_djangos_templates(case, language):
    make = dict(_forms())[case]
    with override(language):
        expected = _render_all(make(DjangoTemplates()))
        actual = _render_all(make(FastFormRenderer()))
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected, strict=True):
        assert got == want
    joined = "".join(actual)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in joined or case != "bound"
    assert "<script>alert" not in joined


def test_selects_inputs_and_radios_are_written_without_the_template_engine():
    renderer = FastFormRenderer()
    form = EveryWidgetForm(DATA, renderer=renderer)
    with mock.patch.object(DjangoTemplates, "render", side_effect=AssertionError("template used")):
        html = str(form["street"]) + str(form["group"]) + str(form["name"]) + str(form["note"])
        html += "".join(str(sub.tag()) for sub in form["answer"])
    assert '<option value="a" selected>Phố &lt;Hàng Bạc&gt; &amp; &quot;Hàng Đào&quot;</option>' in html
    assert '<optgroup label="Phường Mẫu 2">\n  <option value="3" selected>Tổ 3</option>' in html
    assert 'value="Café &quot;Ông Bảy&quot; &lt;b&gt;&amp;&lt;/b&gt;"' in html
    assert 'maxlength="50" required' in html
    assert '<input type="radio" name="answer" value="2" id="id_answer_1" required checked>' in html


def test_a_value_the_fast_path_does_not_know_falls_back_to_the_template():
    renderer = FastFormRenderer()
    widget = forms.TextInput()
    context = widget.get_context("pair", "v", {"id": "id_pair", "data-pair": ("a", "b")})
    with mock.patch.object(DjangoTemplates, "render", wraps=DjangoTemplates().render) as template:
        html = renderer.render(widget.template_name, context)
    assert template.call_count == 1
    assert html == DjangoTemplates().render(widget.template_name, context)
    assert "data-pair=\"('a', 'b')\"" in html.replace("&#x27;", "'")
