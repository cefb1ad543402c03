"""The form renderer: Django's own widget templates, with the commonest ones rendered in Python.

A select of a ward's 80 streets costs Django's template engine one ``{% include %}`` per option
(2 ms a select); a checklist of 30 items renders 90 radio buttons the same way. These functions
write exactly the markup of Django's templates (``django/forms/widgets/*.html``; the tests compare
the two byte for byte), so every form of the site gets faster without a template changing. Any
widget or value they do not recognise falls back to the template. (This renderer, like Django's,
reads Django's widget templates before any app's, so an app cannot override these names.)
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.safestring import SafeData

W = "django/forms/widgets/"
INPUT_TEMPLATES = frozenset(
    W + n + ".html"
    for n in (
        "input",
        "text",
        "hidden",
        "number",
        "email",
        "url",
        "password",
        "search",
        "tel",
        "color",
        "date",
        "datetime",
        "time",
        "checkbox",
        "file",
    )
)
OPTION_TEMPLATES = frozenset((W + "radio_option.html", W + "checkbox_option.html", W + "input_option.html"))
SELECT_TEMPLATES = frozenset((W + "select.html",))
SELECT_OPTION = W + "select_option.html"
TEXTAREA = W + "textarea.html"


class _Fallback(Exception):
    """A value these functions do not render exactly as the template would: use the template."""


def conditional_escape(value: Any) -> str:
    # django.utils.html.conditional_escape without its lazy-argument wrapper (a tenth of a checklist
    # form's rendering was that wrapper's check of every argument).
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


def _text(value: Any) -> str:
    # ``{{ value|stringformat:'s' }}``: '%s' % value, escaped unless it is already safe.
    if isinstance(value, SafeData):
        return str(value)
    if isinstance(value, tuple) or callable(value) or hasattr(value, "__html__"):
        raise _Fallback  # '%s' % a tuple, a callable resolved by the template, an __html__ object
    return escape(str(value))


def _label(value: Any) -> str:
    # ``{{ widget.label }}``: a string or lazy string, escaped unless safe.
    if isinstance(value, str | Promise):
        return conditional_escape(value)
    raise _Fallback


def _attrs(attrs: dict) -> str:
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(" " + conditional_escape(name))
        else:
            out.append(f' {conditional_escape(name)}="{_text(value)}"')
    return "".join(out)


def _input(widget: dict) -> str:
    value = widget["value"]
    value_attr = "" if value is None else f' value="{_text(value)}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{value_attr}{_attrs(widget['attrs'])}>"
    )


def _input_option(widget: dict) -> str:
    if widget["template_name"] not in OPTION_TEMPLATES:
        raise _Fallback
    tag = _input(widget)
    if not widget.get("wrap_label"):
        return tag
    html_id = widget["attrs"].get("id")
    label_for = f' for="{_text(html_id)}"' if html_id else ""
    # input.html is included with its last newline, then " {{ widget.label }}</label>"
    return f"<label{label_for}>{tag}\n {_label(widget['label'])}</label>"


def _select(widget: dict) -> str:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_label(group_name)}">')
        for option in options:
            if option["template_name"] != SELECT_OPTION:
                raise _Fallback
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_label(option['label'])}</option>\n"  # the included file's last newline
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget: dict) -> str:
    value = widget["value"]
    if value and not isinstance(value, str):
        raise _Fallback  # ``{{ widget.value }}`` would localise it
    body = conditional_escape(value) if value else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{body}</textarea>'


class FastFormRenderer(DjangoTemplates):
    FAST: dict[str, Callable[[dict], str]] = {
        **dict.fromkeys(INPUT_TEMPLATES, _input),
        **dict.fromkeys(OPTION_TEMPLATES, _input_option),
        **dict.fromkeys(SELECT_TEMPLATES, _select),
        TEXTAREA: _textarea,
    }

    def render(self, template_name: str, context: dict, request=None) -> str:
        fast = self.FAST.get(template_name)
        widget = context.get("widget") if fast is not None else None
        if isinstance(widget, dict):
            try:
                return fast(widget)
            except (_Fallback, KeyError):
                pass
        return super().render(template_name, context, request)
