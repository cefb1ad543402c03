"""Commitments carry their inspection's ward (filled from it), indexed for the ward's open ones."""

import django.db.models.deletion
from django.db import migrations, models

BACKFILL = """
UPDATE inspections_commitment SET ward_id = (
    SELECT inspections_inspection.ward_id FROM inspections_inspection
    WHERE inspections_inspection.id = inspections_commitment.inspection_id
)
"""


def backfill(apps, schema_editor) -> None:
    # The new foreign key's check is deferred on PostgreSQL: made immediate for the update, else
    # the ALTER that follows finds "pending trigger events".
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute(BACKFILL)
    if postgres:
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0003_inspections_covering_ward_period_index"),
        ("wards", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="commitment",
            name="ward",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wards.ward",
                verbose_name="ward",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="commitment",
            name="ward",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wards.ward",
                verbose_name="ward",
            ),
        ),
        migrations.RemoveIndex(model_name="commitment", name="commitment_open_dl_idx"),
        migrations.AddIndex(
            model_name="commitment",
            index=models.Index(
                condition=models.Q(("fulfilled_at__isnull", True)),
                fields=["ward", "deadline"],
                name="commitment_ward_open_dl_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="commitment",
            index=models.Index(fields=["ward", "deadline"], name="commitment_ward_dl_idx"),
        ),
    ]
