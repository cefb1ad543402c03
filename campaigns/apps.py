from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        # Inspections never import campaigns: the link is made from this side, inside the
        # transaction that records the inspection (inspections.hooks).
        from inspections import hooks, offline, pwa

        from .services import campaign_sync_conflicts, inspection_attach_to_campaign

        hooks.on_inspection_recorded(inspection_attach_to_campaign)
        # The printed inspection record cites the campaign's plan it was made under (#25.8).
        from .selectors import campaign_inspection_basis

        hooks.on_inspection_basis(campaign_inspection_basis)
        # A phone's queued inspection for a campaign closed meanwhile: explained (409), not dropped.
        offline.on_sync_conflict_check(campaign_sync_conflicts)
        # Opening an active campaign's board online keeps it, and the inspection forms of the
        # officer's targets, on the phone for use without a connection (static/js/sw.js).
        pwa.register_offline_board("campaigns:detail", "campaigns:offline_pages")
