"""Vietnamese demo data for phường Điện Biên (Hà Nội), a second ward and the demo users.

Idempotent: every row is looked up by a natural key before it is created, so a second run
creates nothing. Feature apps add their demo data through their own `demo.py` seeders,
called from here in dependency order.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from ward_police import demo


class Command(BaseCommand):
    help = "Load Vietnamese demo data (phường Điện Biên, a second ward, demo users). Safe to run twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--wards", type=int, default=0, help="Extra generated wards beyond the two demo wards."
        )
        parser.add_argument(
            "--businesses", type=int, default=0, help="Total businesses to reach across all wards."
        )
        parser.add_argument(
            "--inspections", type=int, default=0, help="Total inspections to reach across all wards."
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never on a live system)."
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates demo accounts with a known password; it refuses to run with DEBUG off. "
                "Use --force on a test or benchmark machine."
            )
        for name in ("wards", "businesses", "inspections"):
            if options[name] < 0:
                raise CommandError(f"--{name} must be zero or more.")
        with transaction.atomic():
            report = demo.seed_all(
                extra_wards=options["wards"],
                businesses=options["businesses"],
                inspections=options["inspections"],
                log=lambda msg: self.stdout.write(msg),
            )
        for line in report:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(f"Demo users' password: {settings.DEMO_PASSWORD} (set DEMO_PASSWORD)")
        )
