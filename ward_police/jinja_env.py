"""The Jinja2 environment of the site's pages (settings TEMPLATES, backend ``Jinja2``).

Page templates live in ``jinja2/`` (same names as before, e.g. ``businesses/business_list.html``);
printed documents (``*_pdf.html``) and the Django admin stay on Django templates in ``templates/``.
docs/rendering-and-caching.md is the newcomer's page on these rules; in short:

- ``{{ _("Text") }}``, ``{{ _("%(n)s items", n=count) }}``, ``ngettext``, ``pgettext``: Django's
  gettext, new style (the i18n extension formats with ``%``: a literal percent sign is ``%%``).
- ``url("app:name", pk)``, ``static("css/app.css")``, ``csrf_input``, ``request.csp_nonce``.
- Dates and times: ``|date("d/m/Y H:i")`` shows a stored time in the ward's time zone (Django's
  format characters); ``|localtime`` gives the local datetime. Numbers: ``|number`` (Vietnamese
  grouping), ``|floatformat(1)``, ``|money``.
- ``|default(x)`` fires only on an undefined value; write ``|default(x, true)`` for "empty or
  missing", as Django's ``default`` did.
- Methods are called with ``()``: ``obj.get_status_display()``, ``d.items()``.

In tests (``JINJA2_STRICT``) an undefined variable raises, and so does printing a datetime, a date,
a float, a Decimal or a method without a filter: Jinja2 would print them in UTC, in ISO form or as
``<bound method …>``. In production such a value is printed as the filters would print it.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.forms import BaseForm
from django.template import defaultfilters
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import json_script as _json_script
from jinja2 import Environment, StrictUndefined, Undefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """``reverse()``: ``url("violations:detail", pk)`` or with keyword arguments."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def static(path: str) -> str:
    return staticfiles_storage.url(path)


def localtime(value: dt.datetime | None) -> dt.datetime | None:
    """A stored (aware) time in the active time zone, the ward's."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def date(value: dt.date | dt.datetime | None, fmt: str = "d/m/Y") -> str:
    """Django's ``date`` filter: a time shown in the ward's time zone, in Django's format characters."""
    if value in (None, ""):
        return ""
    return defaultfilters.date(localtime(value), fmt)


def number(value: Any, decimals: int | None = None) -> str:
    """A number with the active language's separators (vi: 2.500.000; 1.234,5)."""
    if value in (None, ""):
        return ""
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def floatformat(value: Any, arg: int | str = -1) -> str:
    return defaultfilters.floatformat(value, arg)


def money(amount: int | None) -> str:
    """2500000 -> "2.500.000đ" (violations.services.money)."""
    if amount in (None, ""):
        return ""
    from violations.services import money as format_money

    return format_money(int(amount))


def json_script(value: Any, element_id: str | None = None) -> Markup:
    return Markup(_json_script(value, element_id))


def first_invalid_form(context: Context) -> BaseForm | None:
    """base.html's error summary: the first bound form with errors that the page was given
    (``form``, ``sign_form``, ``filter_form``…), so every site form gets one unasked."""
    for value in context.get_all().values():
        if isinstance(value, BaseForm) and value.is_bound and value.errors:
            return value
    return None


def error_target(field: Any) -> str:
    """The id an error-summary link jumps to: the field's input, or the first box of a group of radio
    buttons or checkboxes (whose label points nowhere: Django gives them no id_for_label)."""
    return field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")


def form_errors(form: BaseForm | None) -> dict[str, list]:
    """A form's errors for the error summary: ``general`` (the form's own and hidden fields') and
    ``items`` (one per visible field's message, with the id to jump to)."""
    if form is None or not getattr(form, "errors", None):
        return {"general": [], "items": []}
    general = list(form.non_field_errors())
    items = []
    for field in form:
        if field.is_hidden:
            general.extend(field.errors)
            continue
        for message in field.errors:
            items.append({"target": error_target(field), "label": field.label, "message": message})
    return {"general": general, "items": items}


def language_info_list() -> list[dict[str, Any]]:
    return [translation.get_language_info(code) for code, _name in settings.LANGUAGES]


def now(fmt: str = "d/m/Y") -> str:
    return date(timezone.now(), fmt)


class UnformattedValue(TypeError):
    """A value printed without the filter that shows it the ward's way."""


def _strict_finalize(value: Any) -> Any:
    if isinstance(value, Undefined):
        return value  # StrictUndefined raises when printed
    if isinstance(value, (dt.date, dt.datetime)):
        raise UnformattedValue(f"print {value!r} through |date: Jinja2 would show it in ISO form and in UTC")
    if isinstance(value, (float, Decimal)):
        raise UnformattedValue(f"print {value!r} through |number or |floatformat: Jinja2 does not localise")
    if callable(value) and not hasattr(value, "__html__"):
        raise UnformattedValue(f"call {value!r} with (): Jinja2 does not call methods for you")
    return value


def _lenient_finalize(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return date(value, "d/m/Y H:i")
    if isinstance(value, dt.date):
        return date(value)
    if isinstance(value, (float, Decimal)):
        return number(value)
    return value


FILTERS = {
    "date": date,
    "localtime": localtime,
    "number": number,
    "floatformat": floatformat,
    "intcomma": number,
    "money": money,
    "linebreaksbr": defaultfilters.linebreaksbr,
    "truncatechars": defaultfilters.truncatechars,
    "filesizeformat": defaultfilters.filesizeformat,
    "unlocalize": lambda value: "" if value is None else str(value),
    "json_script": json_script,
    "error_target": error_target,
}


def environment(**options: Any) -> Environment:
    strict = options.pop("strict", getattr(settings, "JINJA2_STRICT", False))
    if strict:
        options["undefined"] = StrictUndefined
    options.setdefault("extensions", []).append("jinja2.ext.i18n")
    options["finalize"] = _strict_finalize if strict else _lenient_finalize
    options.setdefault("trim_blocks", True)
    options.setdefault("lstrip_blocks", True)
    env = Environment(**options)  # noqa: S701 - the Django backend turns autoescape on
    env.install_gettext_callables(  # type: ignore[attr-defined]
        translation.gettext,
        translation.ngettext,
        newstyle=True,
        pgettext=translation.pgettext,
        npgettext=translation.npgettext,
    )
    env.globals.update(
        url=url,
        static=static,
        first_invalid_form=pass_context(first_invalid_form),
        form_errors=form_errors,
        language_info_list=language_info_list,
        now=now,
    )
    env.filters.update(FILTERS)
    env.policies["json.dumps_function"] = json.dumps
    return env
