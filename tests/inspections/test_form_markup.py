"""The inspection form's markup (jinja2/inspections/macros.html, jinja2/macros/forms.html) is the
markup Django's widgets write: the options of a RadioSelect, the boxes of a CheckboxSelectMultiple."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django import forms
from django.template import engines

from inspections.models import AnswerStatus

CHOICES = [(value, str(label)) for value, label in AnswerStatus.choices]


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "input":
            self.found.append(dict(attrs))


def inputs(html: str) -> list[dict]:
    """The <input>s of some markup, each as its attributes (their order aside)."""
    parser = _Inputs()
    parser.feed(html)
    return parser.found


def render(source: str, **context) -> str:
    """A snippet of a site template, through the site's Jinja2 environment (strict in tests)."""
    return (
        engines["jinja2"]
        .from_string(
            '{% import "inspections/macros.html" as insp %}{% import "macros/forms.html" as forms %}' + source
        )
        .render(context)
    )


class ItemForm(forms.Form):
    answer = forms.ChoiceField(label="Có bình chữa cháy", choices=CHOICES, widget=forms.RadioSelect)
    optional = forms.ChoiceField(
        required=False, choices=[*CHOICES, ("x<&\"'", "Khác <b>")], widget=forms.RadioSelect
    )
    disabled = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, disabled=True, initial="na")


@pytest.mark.parametrize(
    "make",
    [
        lambda: ItemForm(),
        lambda: ItemForm(initial={"answer": "fail", "optional": "x<&\"'"}),
        lambda: ItemForm({"answer": "pass", "optional": "x<&\"'"}),
        lambda: ItemForm({"answer": "nonsense"}),  # invalid: aria-invalid on every option
        lambda: ItemForm({}),
        lambda: ItemForm({"p-answer": "na"}, prefix="p"),
        lambda: ItemForm({"answer": "na"}, auto_id=False),
        lambda: ItemForm({"answer": "na"}, auto_id="field-%s", use_required_attribute=False),
    ],
)
def test_answers_are_the_inputs_of_djangos_radio_select(make):
    form = make()
    for name in ("answer", "optional", "disabled"):
        html = render("{{ insp.radios(f) }}", f=form[name])
        # Django's whole RadioSelect, rendered by Django: the same options, attribute for attribute.
        assert inputs(html) == inputs(str(form[name]))
        labels = re.findall(r'<label class="insp-choice insp-choice--([^"]*)"( for="[^"]*")?>', html)
        assert [unescape(value) for value, _for in labels] == [v for v, _l in form.fields[name].choices]
        # A label points at its option's input when the form gives ids, and nowhere otherwise.
        assert all(bool(label_for) == bool(form[name].auto_id) for _v, label_for in labels)


def test_the_markup_shows_the_answer_its_errors_and_requirement():
    html = render("{{ insp.radios(f) }}", f=ItemForm({"answer": "fail"})["answer"])
    assert (
        '<label class="insp-choice insp-choice--fail" for="id_answer_1">'
        '<input type="radio" name="answer" value="fail" id="id_answer_1" required checked>'
        f"<span>{AnswerStatus.FAIL.label}</span></label>" in html
    )
    assert html.count("checked") == 1 and "aria-invalid" not in html
    invalid = render("{{ insp.radios(f) }}", f=ItemForm({"answer": "?"})["answer"])
    assert invalid.count('aria-invalid="true"') == 3 and "checked" not in invalid
    other = render("{{ insp.radios(f) }}", f=ItemForm({"optional": "x<&\"'"})["optional"])
    assert 'insp-choice--x&lt;&amp;&#34;&#39;"' in other and "<span>Khác &lt;b&gt;</span>" in other


def test_a_radio_widget_with_attributes_of_its_own_keeps_them():
    form = ItemForm()
    form.fields["answer"].widget.attrs["data-x"] = "1"
    html = render("{{ insp.radios(f) }}", f=form["answer"])
    assert inputs(html) == inputs(str(form["answer"])) and html.count('data-x="1"') == 3


class PeopleForm(forms.Form):
    name = forms.CharField(label="Người làm việc <với> đoàn", max_length=120)
    forces = forms.CharField(
        label="Lực lượng", required=False, help_text="Ví dụ: Đoàn thanh niên & dân phòng."
    )
    officers = forms.MultipleChoiceField(
        label="Cán bộ",
        choices=[("3", "Nguyễn Văn Minh"), ("4", "Trần <Thị> Lan")],
        widget=forms.CheckboxSelectMultiple,
    )


def test_a_field_has_its_label_help_and_errors_linked_to_the_widget():
    form = PeopleForm({"forces": "x" * 3})
    name = render("{{ forms.field(f) }}", f=form["name"])
    assert (
        '<label for="id_name">Người làm việc &lt;với&gt; đoàn <span aria-hidden="true">*</span></label>'
        in name
    )
    assert 'aria-describedby="id_name_error"' in name and 'aria-invalid="true"' in name
    assert '<ul class="errorlist" id="id_name_error"><li>' in name
    forces = render("{{ forms.field(f) }}", f=form["forces"])
    assert (
        '<span class="help" id="id_forces_helptext">Ví dụ: Đoàn thanh niên &amp; dân phòng.</span>' in forces
    )
    assert 'aria-describedby="id_forces_helptext"' in forces and "errorlist" not in forces
    assert "*" not in forces


def test_officers_boxes_are_labelled_and_keep_the_choice():
    field = PeopleForm({"officers": ["4"]})["officers"]
    html = render("{{ insp.checkboxes(f) }}", f=field)
    assert html.startswith('<label class="insp-check" for="id_officers_0"><input type="checkbox"')
    assert '<input type="checkbox" name="officers" value="4" id="id_officers_1" checked>' in html
    assert "<span>Trần &lt;Thị&gt; Lan</span></label>" in html
    assert inputs(html) == inputs(str(field))


class FilterForm(forms.Form):
    q = forms.CharField(label="Tìm", required=False)
    overdue = forms.BooleanField(label="Quá hạn", required=False)
    day = forms.DateField(label="Từ ngày", required=False)
    business = forms.IntegerField(widget=forms.HiddenInput, required=False)


def test_a_filter_bar_shows_its_fields_boxes_first_and_a_bad_value_with_its_message():
    form = FilterForm({"day": "32/13/2026", "overdue": "on", "business": "7"})
    html = render('{{ forms.filter_fields(f, skip=("q",)) }}', f=form)
    assert 'name="q"' not in html
    assert html.startswith('<input type="hidden" name="business" value="7" id="id_business">')
    assert (
        '<div class="field field-check"><input type="checkbox" name="overdue" id="id_overdue" checked>'
        in html
    )
    assert ' <label for="id_overdue">Quá hạn</label></div>' in html
    assert '<label for="id_day">Từ ngày</label>' in html and "*" not in html
    assert 'aria-invalid="true" aria-describedby="id_day_error"' in html
    assert '<ul class="errorlist" id="id_day_error"><li>' in html
