from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        # Inspections never import campaigns: the link is made from this side, inside the
        # transaction that records the inspection (inspections.hooks).
        from inspections import hooks

        from .services import inspection_attach_to_campaign

        hooks.on_inspection_recorded(inspection_attach_to_campaign)
