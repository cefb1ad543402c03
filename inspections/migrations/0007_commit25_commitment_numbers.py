"""#25.8: commitments print as their own document ("Số: 01/CK") and take their number from the
documents register when recorded. Existing commitments are numbered per ward and year in the
order their inspections finished."""

from django.db import migrations
from django.utils import timezone

from documents.register_backfill import backfill, unregister

KIND = "commitment"


def number_commitments(apps, schema_editor):
    commitment = apps.get_model("inspections", "Commitment")
    rows = (
        commitment.objects.order_by("inspection__finished_at", "pk")
        .values_list("ward_id", "inspection__finished_at", "business__name", "inspection__recorded_by_id", "pk")
        .iterator(chunk_size=5000)
    )
    backfill(
        apps,
        kind=KIND,
        symbol="CK",
        app_label="inspections",
        model="commitment",
        lines=(
            (ward_id, timezone.localtime(finished).date(), f"Bản cam kết của cơ sở {name}", signer, pk)
            for ward_id, finished, name, signer, pk in rows
        ),
    )


def forget_numbers(apps, schema_editor):
    unregister(apps, kind=KIND)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("documents", "0002_register25_register"),
        ("inspections", "0006_inspdoc25_commitment_refusal_reason"),
    ]

    operations = [migrations.RunPython(number_commitments, forget_numbers)]
