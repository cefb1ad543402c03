"""Vietnamese names for the third-party apps the admin shows (axes, django-celery-results, django-otp).

The admin titles each section with its app's verbose_name: "Axes", "Celery Results", "Otp_Static".
INSTALLED_APPS names the AppConfig subclasses below instead of the packages. django-otp writes its
models' names, field labels and fieldset titles as plain strings, which no catalogue can translate:
`translate_third_party_admin()` (run from WardPoliceConfig.ready, after the admin has registered
every model) wraps them in gettext_lazy, with the same English text, so migrations see no change.
The msgids and their Vietnamese are in ward_police/django_catalogue.py and locale/vi/sources/ui26.json.
"""

from __future__ import annotations

from axes.apps import AppConfig as _AxesConfig
from django.utils.functional import lazy
from django.utils.text import camel_case_to_spaces
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _
from django_celery_results.apps import CeleryResultConfig as _CeleryResultConfig
from django_otp.plugins.otp_static.apps import DefaultConfig as _OtpStaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as _OtpTotpConfig


class AxesConfig(_AxesConfig):
    verbose_name = _("Login lockouts")


class CeleryResultsConfig(_CeleryResultConfig):
    verbose_name = _("Background task results")


class OtpStaticConfig(_OtpStaticConfig):
    verbose_name = _("Two-step verification: backup codes")


class OtpTotpConfig(_OtpTotpConfig):
    verbose_name = _("Two-step verification: authenticator apps")


THIRD_PARTY_APPS = ("axes", "django_celery_results", "otp_static", "otp_totp")


def _lazy(text):
    # Already lazy (axes, celery-results): keep it; a plain string: look it up when shown.
    return gettext_lazy(text) if isinstance(text, str) and text else text


def _translated_fieldsets(admin_class: type) -> type:
    class TranslatedFieldsetsAdmin(admin_class):
        def get_fieldsets(self, request, obj=None):
            return [
                (gettext(str(name)) if name else name, options)
                for name, options in super().get_fieldsets(request, obj)
            ]

    TranslatedFieldsetsAdmin.__name__ = admin_class.__name__
    return TranslatedFieldsetsAdmin


def _search_help_text(field_names: list[str]) -> str:
    from django.contrib.auth import get_user_model

    opts = get_user_model()._meta
    fields = ", ".join(str(opts.get_field(name).verbose_name).lower() for name in field_names)
    return gettext("Search by the user's %(fields)s") % {"fields": fields}


_search_help = lazy(_search_help_text, str)


def translate_third_party_admin() -> None:
    from django.apps import apps
    from django.contrib import admin

    for label in THIRD_PARTY_APPS:
        for model in apps.get_app_config(label).get_models():
            opts = model._meta
            opts.verbose_name = _lazy(opts.verbose_name)
            # Without one in Meta, Django made the plural as format_lazy("{}s", verbose_name).
            if opts.original_attrs.get("verbose_name_plural") is None:
                english = opts.original_attrs.get("verbose_name") or camel_case_to_spaces(model.__name__)
                if isinstance(english, str):
                    plural = f"{english}s"
                    opts.verbose_name_plural = gettext_lazy(plural)
            else:
                opts.verbose_name_plural = _lazy(opts.original_attrs["verbose_name_plural"])
            for field in opts.get_fields():
                # Only what the admin shows: deconstruct() reads _verbose_name, and help_text
                # compares equal to the same English text, so no migration is detected.
                if hasattr(field, "verbose_name"):
                    field.verbose_name = _lazy(field.verbose_name)
                if getattr(field, "help_text", ""):
                    field.help_text = _lazy(field.help_text)
            model_admin = admin.site._registry.get(model)
            if model_admin is not None and not getattr(model_admin, "_fieldsets_translated", False):
                admin.site.unregister(model)
                translated = _translated_fieldsets(type(model_admin))
                translated._fieldsets_translated = True
                user_fields = [
                    f.split("__", 1)[1] for f in model_admin.search_fields if f.startswith("user__")
                ]
                if user_fields and model_admin.search_help_text:
                    # django-otp writes "Search by user's username or email address" in English.
                    translated.search_help_text = _search_help(user_fields)
                admin.site.register(model, translated)
