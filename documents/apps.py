from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system check)

        # Feature apps declare their document kinds in `<app>/documents.py`, the way admin.py
        # works: documents never imports a feature app, each app registers itself here.
        autodiscover_modules("documents")
