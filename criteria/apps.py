from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CriteriaConfig(AppConfig):
    name = "criteria"
    verbose_name = _("Model-ward criteria")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from accounts.services import roles_sync_on_migrate

        # accounts syncs the role groups on its own post_migrate, before this app's permissions
        # exist; sync again once they do so leaders get the assessment permissions.
        post_migrate.connect(roles_sync_on_migrate, sender=self)
