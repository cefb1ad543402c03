"""The inspection form's markup written in Python (checklist_tags) is the markup Django writes."""

import pytest
from django import forms
from django.utils.html import escape

from inspections.models import AnswerStatus
from inspections.templatetags.checklist_tags import _radios, insp_checkboxes
from ward_police.form_tags import field_block, filter_fields

CHOICES = [(value, str(label)) for value, label in AnswerStatus.choices]


class ItemForm(forms.Form):
    answer = forms.ChoiceField(label="Có bình chữa cháy", choices=CHOICES, widget=forms.RadioSelect)
    optional = forms.ChoiceField(
        required=False, choices=[*CHOICES, ("x<&\"'", "Khác <b>")], widget=forms.RadioSelect
    )
    disabled = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, disabled=True, initial="na")


def _django(bound) -> str:
    """What the page wrote before, through Django's BoundWidgets (without ids, no ``for``: the
    old template wrote for="None")."""
    return "".join(
        f'<label class="insp-choice insp-choice--{escape(radio.data["value"])}"'
        + (f' for="{escape(radio.id_for_label)}"' if radio.id_for_label else "")
        + f">{radio.tag()}"
        f"<span>{escape(radio.choice_label)}</span></label>"
        for radio in bound
    )


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
def test_answers_are_djangos_radio_markup(make):
    form = make()
    for name in ("answer", "optional", "disabled"):
        assert _radios(form[name]) == _django(form[name])


def test_the_markup_shows_the_answer_its_errors_and_requirement():
    form = ItemForm({"answer": "fail"})
    html = _radios(form["answer"])
    assert 'value="fail" id="id_answer_1" required checked>' in html
    assert html.count("checked") == 1 and "aria-invalid" not in html
    invalid = _radios(ItemForm({"answer": "?"})["answer"])
    assert invalid.count('aria-invalid="true"') == 3 and "checked" not in invalid


def test_a_radio_widget_with_attributes_of_its_own_goes_through_django():
    form = ItemForm()
    form.fields["answer"].widget.attrs["data-x"] = "1"
    html = _radios(form["answer"])
    assert html == _django(form["answer"]) and 'data-x="1"' in html


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
    name = field_block(form["name"])
    assert (
        '<label for="id_name">Người làm việc &lt;với&gt; đoàn <span aria-hidden="true">*</span></label>'
        in name
    )
    assert 'aria-describedby="id_name_error"' in name and 'aria-invalid="true"' in name
    assert '<ul class="errorlist" id="id_name_error"><li>' in name
    forces = field_block(form["forces"])
    assert (
        '<span class="help" id="id_forces_helptext">Ví dụ: Đoàn thanh niên &amp; dân phòng.</span>' in forces
    )
    assert 'aria-describedby="id_forces_helptext"' in forces and "errorlist" not in forces
    assert "*" not in forces


def test_officers_boxes_are_labelled_and_keep_the_choice():
    html = insp_checkboxes(PeopleForm({"officers": ["4"]})["officers"])
    assert html.startswith('<label class="insp-check" for="id_officers_0"><input type="checkbox"')
    assert '<input type="checkbox" name="officers" value="4" id="id_officers_1" checked>' in html
    assert "<span>Trần &lt;Thị&gt; Lan</span></label>" in html


class FilterForm(forms.Form):
    q = forms.CharField(label="Tìm", required=False)
    overdue = forms.BooleanField(label="Quá hạn", required=False)
    day = forms.DateField(label="Từ ngày", required=False)
    business = forms.IntegerField(widget=forms.HiddenInput, required=False)


def test_a_filter_bar_shows_its_fields_boxes_first_and_a_bad_value_with_its_message():
    html = filter_fields(FilterForm({"day": "32/13/2026", "overdue": "on", "business": "7"}), skip="q")
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
