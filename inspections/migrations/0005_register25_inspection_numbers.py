"""Inspection records were numbered by database id ("8/BB-KT"); they now take their number from
the documents register when recorded. Existing records are numbered per ward and year in the
order they were finished."""

from django.db import migrations
from django.utils import timezone

from documents.register_backfill import backfill, unregister

KIND = "inspection_record"


def number_inspections(apps, schema_editor):
    inspection = apps.get_model("inspections", "Inspection")
    rows = (
        inspection.objects.order_by("finished_at", "pk")
        .values_list("ward_id", "finished_at", "business__name", "recorded_by_id", "pk")
        .iterator(chunk_size=5000)
    )
    backfill(
        apps,
        kind=KIND,
        symbol="BB-KT",
        app_label="inspections",
        model="inspection",
        lines=(
            (ward_id, timezone.localtime(finished).date(), f"Biên bản kiểm tra cơ sở {name}", signer, pk)
            for ward_id, finished, name, signer, pk in rows
        ),
    )


def forget_numbers(apps, schema_editor):
    unregister(apps, kind=KIND)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("documents", "0002_register25_register"),
        ("inspections", "0004_commitment_ward"),
    ]

    operations = [migrations.RunPython(number_inspections, forget_numbers)]
