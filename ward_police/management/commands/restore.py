from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ward_police.backup import backup_restore


class Command(BaseCommand):
    help = "Restore the database and media files from a backup folder made by `manage.py backup`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, help="the backup folder (contains manifest.json)")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, **options) -> None:
        source: Path = options["source"]
        if not (source / "manifest.json").exists():
            raise CommandError(f"{source} is not a backup folder (no manifest.json).")
        if not options["yes"]:
            answer = input("This replaces the current database and media files. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Cancelled; nothing changed.")
        try:
            backup_restore(source=source)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored from {source}"))
