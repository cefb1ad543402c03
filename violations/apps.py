from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ViolationsConfig(AppConfig):
    name = "violations"
    verbose_name = _("Violations")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from accounts.services import roles_sync_on_migrate

        # accounts syncs the role groups after its own migrations, before this app's permissions
        # exist; sync again once they do, so leaders get "sign_violation" and the rest.
        post_migrate.connect(roles_sync_on_migrate, sender=self, dispatch_uid="violations_roles_sync")
