"""Recompute every rollup table (#28) from the records, in one transaction."""

import time

from django.core.management.base import BaseCommand

from dashboards import rollups


class Command(BaseCommand):
    help = (
        "Recompute the dashboards' rollup tables from the inspections, violations, commitments, "
        "feedback and decisions."
    )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        timings = rollups.rebuild(log=self.stdout.write)
        total = time.perf_counter() - started
        rows = (
            {table: len(rows) for table, rows in rollups.snapshot().items()}
            if options["verbosity"] > 1
            else {}
        )
        for table, n in rows.items():
            self.stdout.write(f"  {table}: {n} rows")
        self.stdout.write(
            self.style.SUCCESS(
                f"Rollups rebuilt in {total:.1f} s ("
                + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
                + ")"
            )
        )
