from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        from . import activity_panels, builtin_panels  # noqa: F401 - registers the panels
        from .rollup_signals import connect

        connect()  # the rollups (#28) follow every ORM write of their sources
