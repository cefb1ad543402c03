from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CriteriaConfig(AppConfig):
    name = "criteria"
    verbose_name = _("Model-ward criteria")

    def ready(self) -> None:
        from . import metrics_activity, metrics_records

        metrics_records.register_all()  # metrics read from inspections and violations
        metrics_activity.register_all()  # metrics read from campaigns and citizen feedback
