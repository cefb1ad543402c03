"""Permissions as the admin shows them, in the interface's language.

Django stores a permission's name in English when it migrates ("Can add user"), and the admin's
group and user pickers print that row as it is. The four default actions are recognised by their
codename and named through the catalogue; the model's name comes from its (translated) verbose
name; any other permission's name is looked up in the catalogue as written in Meta.permissions.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.utils.translation import gettext, pgettext

ACTIONS = {
    "add": lambda: pgettext("permission", "Can add"),
    "change": lambda: pgettext("permission", "Can change"),
    "delete": lambda: pgettext("permission", "Can delete"),
    "view": lambda: pgettext("permission", "Can view"),
}


def permission_label(permission: Permission) -> str:
    content_type = permission.content_type
    model = content_type.model_class()
    action, _sep, model_name = permission.codename.partition("_")
    if model is not None and action in ACTIONS and model_name == model._meta.model_name:
        name = f"{ACTIONS[action]()} {model._meta.verbose_name}"
    else:
        name = gettext(permission.name)
    return f"{content_type} | {name}"


def label_permissions(form_field) -> None:
    """Give a permissions picker Vietnamese labels (its queryset already joins the content type)."""
    queryset = getattr(form_field, "queryset", None)
    if queryset is not None and queryset.model is Permission:
        form_field.label_from_instance = permission_label
