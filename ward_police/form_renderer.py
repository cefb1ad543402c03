"""The site's form renderer: Django's Jinja2 form renderer, with the Django-template renderer behind it
for widgets that exist only as Django templates (the admin's related-object wrappers, for example)."""

from __future__ import annotations

from functools import cached_property

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class SiteFormRenderer(Jinja2):
    @cached_property
    def _django(self) -> DjangoTemplates:
        return DjangoTemplates()

    def get_template(self, template_name: str):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self._django.get_template(template_name)
