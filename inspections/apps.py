from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from . import origins, timeline

        timeline.connect()  # the business page's history and due actions
        origins.connect()  # the record page's link back to the inspection that proposed it
