from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401  (security log receivers)
        from .services import roles_sync_on_migrate

        # Role groups and their permissions are data the code defines; keep them current after
        # every migrate so a new app's permissions reach the roles without a manual step.
        post_migrate.connect(roles_sync_on_migrate, dispatch_uid="accounts.roles_sync")
