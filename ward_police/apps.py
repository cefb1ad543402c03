from django.apps import AppConfig


class WardPoliceConfig(AppConfig):
    # The project package is an app too: it holds seed_demo, which spans every feature app.
    name = "ward_police"
    verbose_name = "Ward police"

    def ready(self) -> None:
        from . import refdata
        from .third_party import translate_third_party_admin

        refdata.connect()  # the writes that bump the cached reference data's versions
        translate_third_party_admin()
