from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BusinessesConfig(AppConfig):
    name = "businesses"
    verbose_name = _("Businesses")

    def ready(self) -> None:
        # Citizen feedback on the business page's timeline.
        from . import feedback  # noqa: F401
