from django.apps import AppConfig


class WardPoliceConfig(AppConfig):
    # The project package is an app too: it holds seed_demo, which spans every feature app.
    name = "ward_police"
    verbose_name = "Ward police"

    def ready(self) -> None:
        from .choices import install
        from .third_party import translate_third_party_admin

        install()
        translate_third_party_admin()
