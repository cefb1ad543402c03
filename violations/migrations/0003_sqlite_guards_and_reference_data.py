"""SQLite equivalents of the PostgreSQL (pgtrigger) guards on signed records, and the reference
data signing needs: record forms (MBB01, MBB02) and the 2025–2026 public holidays."""

from django.db import migrations

from violations import immutability
from violations.holidays import RECORD_FORMS, VIETNAMESE_PUBLIC_HOLIDAYS

CHILD_TABLES = ["violations_violationitem", "violations_violationevidence"]
TRIGGER_NAMES = [
    "violations_violation_protect_signed_update",
    "violations_violation_protect_signed_delete",
    *[f"{table}_protect_signed_{op}" for table in CHILD_TABLES for op in ("insert", "update", "delete")],
]


def create_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL is guarded by the pgtrigger triggers of migration 0002.
    violation = apps.get_model("violations", "Violation")
    columns = [field.column for field in violation._meta.local_concrete_fields]
    statements = immutability.sqlite_violation_sql(columns)
    for table in CHILD_TABLES:
        statements += immutability.sqlite_child_sql(table)
    for sql in statements:
        schema_editor.execute(sql)


def drop_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in immutability.sqlite_drop_sql(TRIGGER_NAMES):
        schema_editor.execute(sql)


def load_reference_data(apps, schema_editor):
    record_form = apps.get_model("violations", "RecordForm")
    holiday = apps.get_model("violations", "PublicHoliday")
    for code, name, symbol, stage in RECORD_FORMS:
        record_form.objects.get_or_create(code=code, defaults={"name": name, "symbol": symbol, "stage": stage})
    for day, name in VIETNAMESE_PUBLIC_HOLIDAYS:
        holiday.objects.get_or_create(date=day, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("violations", "0002_records")]

    operations = [
        migrations.RunPython(create_sqlite_triggers, drop_sqlite_triggers),
        migrations.RunPython(load_reference_data, migrations.RunPython.noop),
    ]
