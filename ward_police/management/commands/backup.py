from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from ward_police.backup import backup_create


class Command(BaseCommand):
    help = "Back up the database and the media files into var/backups/<timestamp>/ (or --to DIR)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", type=Path, default=None, help="folder that receives the backup folder")

    def handle(self, *args, **options) -> None:
        target = backup_create(target_root=options["to"])
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target}"))
