"""The inspection form's checklist items, written in Python.

A checklist of 13 items cost the template engine 3.5 ms a page (a fieldset, three radio buttons, a
note and a photo input per item, each through several variable lookups and translations); written
here it is a fraction of that. The markup is the one static/js/inspections.js and the offline
scripts read (``data-item``, ``insp-choice--<answer>``); the widgets themselves are rendered by the
site's form renderer (ward_police/forms_renderer.py).
"""

from __future__ import annotations

from django import forms, template
from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from ward_police.form_tags import field_html
from ward_police.rows import escape

register = template.Library()

PHOTO_TYPES = "image/jpeg,image/png,image/webp"


@register.simple_tag
def checklist_items(entries: list[dict]) -> SafeString:
    """The ``<fieldset>`` of each entry of InspectionForm.section_rows(): item, answer, note, photo."""
    critical = f' <span class="badge badge--critical">{escape(gettext("Critical"))}</span>'
    extra = escape(gettext("Note and photos"))
    note_label = escape(gettext("Note"))
    photos_label = escape(gettext("Photos"))
    out = []
    for entry in entries:
        item, answer, note, photo = entry["item"], entry["answer"], entry["note"], escape(entry["photo_name"])
        classes = "insp-item"
        if item.is_critical:
            classes += " insp-item--critical"
        vtype = entry.get("violation_type")
        if answer.errors or (vtype is not None and vtype.errors):
            classes += " insp-item--error"
        guidance = f'<p class="help">{escape(item.guidance)}</p>' if item.guidance else ""
        errors = (
            '<ul class="errorlist">' + "".join(f"<li>{escape(e)}</li>" for e in answer.errors) + "</ul>"
            if answer.errors
            else ""
        )
        radios = _radios(answer)
        chooser = f'<div class="insp-vtype">{field_html(vtype)}</div>' if vtype is not None else ""
        out.append(
            f'<fieldset class="{classes}" id="item-{item.pk}" data-item>\n'
            f"      <legend>{escape(item.question)}{critical if item.is_critical else ''}</legend>\n"
            f"      {guidance}\n"
            f"      {errors}\n"
            f'      <div class="insp-choices">\n        {radios}\n      </div>\n'
            f"      {chooser}\n"
            f'      <details class="insp-extra"{" open" if note.value() else ""}>\n'
            f"        <summary>{extra}</summary>\n"
            f'        <label for="{escape(note.id_for_label)}">{note_label}</label>\n'
            f"        {note}\n"
            f'        <label for="id_{photo}">{photos_label}</label>\n'
            f'        <input type="file" id="id_{photo}" name="{photo}" accept="{PHOTO_TYPES}" multiple>\n'
            "      </details>\n"
            "    </fieldset>"
        )
    return mark_safe("\n    ".join(out))  # noqa: S308 - every text is escaped, the widgets are Django's


def _attrs(attrs: dict) -> str:
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _radios(answer: BoundField) -> str:
    """An item's three answers: Django's RadioSelect markup (the attributes its BoundField gives
    every option: id, required, aria-invalid, checked), written without building a BoundWidget and
    a widget context per option (39 of them were a tenth of the page). A widget with attributes of
    its own goes through Django."""
    widget = answer.field.widget
    if type(widget) is not forms.RadioSelect or widget.attrs:
        return "".join(
            f'<label class="insp-choice insp-choice--{escape(radio.data["value"])}"'
            f' for="{escape(radio.id_for_label)}">{radio.tag()}'
            f"<span>{escape(radio.choice_label)}</span></label>"
            for radio in answer
        )
    html_id = answer.auto_id
    attrs = answer.build_widget_attrs({"id": html_id} if html_id else {})
    value = answer.value()
    chosen = "" if value is None else str(value)
    name = escape(answer.html_name)
    out = []
    for index, (value, label) in enumerate(answer.field.choices):
        choice = escape(value)
        option = dict(attrs)
        if str(value) == chosen:
            option["checked"] = True
        label_for = ""
        if html_id:
            option["id"] = f"{html_id}_{index}"
            label_for = f' for="{escape(option["id"])}"'
        out.append(
            f'<label class="insp-choice insp-choice--{choice}"{label_for}>'
            f'<input type="radio" name="{name}" value="{choice}"{_attrs(option)}>'
            f"<span>{escape(label)}</span></label>"
        )
    return "".join(out)


@register.simple_tag
def insp_checkboxes(field: BoundField) -> SafeString:
    """A multiple-choice field's boxes, each in its label (the inspecting officers)."""
    return mark_safe(  # noqa: S308 - every text is escaped, the widgets are Django's
        "".join(
            f'<label class="insp-check" for="{escape(box.id_for_label)}">{box.tag()}'
            f"<span>{escape(box.choice_label)}</span></label>"
            for box in field
        )
    )
