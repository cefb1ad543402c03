from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _ensure_sqlite_guards(*, app_config: Any = None, using: str = "default", **kwargs: Any) -> None:
    # A flush (tests, `manage.py flush`) deletes row by row on SQLite and must lift the guards on
    # signed records first; put them back afterwards so they are never missing for long.
    from django.db import connections

    from . import immutability

    connection = connections[using]
    if connection.vendor == "sqlite" and "violations_violation" in connection.introspection.table_names():
        immutability.sqlite_install(connection)


class ViolationsConfig(AppConfig):
    name = "violations"
    verbose_name = _("Violations")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_ensure_sqlite_guards, sender=self, dispatch_uid="violations.sqlite_guards")

        from . import timeline

        timeline.connect()  # the business page's history and due actions
