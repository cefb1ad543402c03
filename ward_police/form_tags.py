"""``{% load form_tags %}``: a form field with its label, help text and errors, written in Python.

A field block through the template engine (label, required mark, widget, help, errors: a dozen
lookups and conditions) cost about 0.15 ms; a filter bar of ten fields and the inspection form's
eight were a tenth of their pages. The widget itself is Django's (ward_police/forms_renderer.py);
the help text and the errors carry the ids Django's widget names in ``aria-describedby``.
Registered as a template library in settings (TEMPLATES OPTIONS "libraries").
"""

from __future__ import annotations

from django import template
from django.forms import BaseForm, BoundField, Form
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from ward_police.rows import escape

register = template.Library()

REQUIRED = ' <span aria-hidden="true">*</span>'


def _errors(field: BoundField, html_id: str) -> str:
    if not field.errors:
        return ""
    items = "".join(f"<li>{escape(e)}</li>" for e in field.errors)
    return f'\n  <ul class="errorlist" id="{html_id}_error">{items}</ul>'


def field_html(field: BoundField, *, required_mark: bool = True) -> str:
    html_id = escape(field.id_for_label)
    if getattr(field.field.widget, "input_type", None) == "checkbox":
        # A box before its label; its errors after.
        return (
            f'<div class="field field-check">{field} <label for="{html_id}">{escape(field.label)}</label>'
            f"{_errors(field, html_id)}</div>"
        )
    mark = REQUIRED if required_mark and field.field.required else ""
    parts = [f'<div class="field">\n  <label for="{html_id}">{escape(field.label)}{mark}</label>\n  {field}']
    if field.help_text:
        parts.append(f'\n  <span class="help" id="{html_id}_helptext">{escape(field.help_text)}</span>')
    parts.append(_errors(field, html_id))
    parts.append("\n</div>")
    return "".join(parts)


@register.simple_tag
def field_block(field: BoundField) -> SafeString:
    """One field: ``<div class="field">`` with label (``*`` when required), widget, help, errors."""
    return mark_safe(field_html(field))  # noqa: S308 - every text is escaped, the widget is Django's


@register.simple_tag
def filter_fields(form: Form, skip: str = "") -> SafeString:
    """A filter bar's visible fields (none is required: no ``*``), except those named in `skip`
    (comma-separated), and its hidden fields."""
    skipped = set(filter(None, skip.split(",")))
    hidden = "".join(str(field) for field in form.hidden_fields())
    blocks = "\n".join(
        field_html(field, required_mark=False) for field in form.visible_fields() if field.name not in skipped
    )
    return mark_safe(hidden + blocks)  # noqa: S308 - every text is escaped, the widgets are Django's


@register.filter
def error_target(field: BoundField) -> str:
    """The id a summary link jumps to: the field's input, or the first box of a group of radio
    buttons or checkboxes (whose label points nowhere: Django gives them no id_for_label)."""
    return field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")


@register.simple_tag(takes_context=True)
def error_summary(context: template.Context, form: Form | None, title: str = "") -> SafeString:
    """The error summary (templates/partials/error_summary.html) of a form with errors, else nothing.
    Errors of hidden fields and of the form as a whole are listed without a link."""
    if form is None or not getattr(form, "errors", None):
        return mark_safe("")  # noqa: S308 - empty
    general = list(form.non_field_errors())
    items = []
    for field in form:
        if field.is_hidden:
            general.extend(field.errors)
            continue
        for message in field.errors:
            items.append({"target": error_target(field), "label": field.label, "message": message})
    return render_to_string(
        "partials/error_summary.html",
        {"title": title, "general": general, "items": items},
        request=context.get("request"),
    )


@register.simple_tag(takes_context=True)
def page_error_summary(context: template.Context) -> SafeString:
    """base.html's error summary: of the first bound form with errors that the page was given
    (``form``, ``sign_form``, ``filter_form``…), so every site form gets one without a template
    asking for it."""
    for value in context.flatten().values():
        if isinstance(value, BaseForm) and value.is_bound and value.errors:
            return error_summary(context, value)
    return mark_safe("")  # noqa: S308 - empty
