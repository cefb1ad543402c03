"""#25.8 (legal25): signed reminders made before reminder notices were numbered get their number.

Each signed reminder without a number takes the next "TB-NN" number of its ward and year in the
register, in the order they were signed (after any number already issued that year), and the
record stores it like a reminder signed today. Nothing else of the signed record changes.

A signed record is guarded by the database (violations/immutability.py): the guard is lifted for
this update only, on PostgreSQL with pgtrigger.ignore for the one trigger (the audit history
still records the change), on SQLite by dropping the guards and creating them again from the
columns of this state, as the migrations that add columns do (0006, 0012)."""

from django.db import migrations
from django.utils import timezone

from documents.register_backfill import backfill
from violations import immutability

KIND = "reminder_notice"
SYMBOL = "TB-NN"
TITLE = "Thông báo nhắc nhở"
GUARD = "violations.Violation:protect_signed_violation"


def _unnumbered(apps):
    violation = apps.get_model("violations", "Violation")
    return violation.objects.filter(stage="reminder", signed_at__isnull=False, number__isnull=True)


def _sqlite_guards(apps, connection, *, install: bool) -> None:
    statements = immutability.sqlite_drop_sql(
        immutability.SQLITE_TRIGGER_NAMES + immutability.SQLITE_DECISION_TRIGGER_NAMES
    )
    if install:
        violation = apps.get_model("violations", "Violation")
        decision = apps.get_model("violations", "SanctionDecision")
        statements += immutability.sqlite_violation_sql([f.column for f in violation._meta.local_concrete_fields])
        for table in immutability.SQLITE_CHILD_TABLES:
            statements += immutability.sqlite_child_sql(table)
        statements += immutability.sqlite_decision_sql([f.column for f in decision._meta.local_concrete_fields])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def number_old_reminders(apps, connection) -> int:
    """Number the signed reminders that have none; returns how many were numbered."""
    unnumbered = _unnumbered(apps)
    rows = list(
        unnumbered.order_by("signed_at", "pk").values_list(
            "pk", "ward_id", "signed_at", "signed_by_id", "person_name", "business__owner_name"
        )
    )
    if not rows:
        return 0
    backfill(
        apps,
        kind=KIND,
        symbol=SYMBOL,
        app_label="violations",
        model="violation",
        lines=(
            (ward_id, timezone.localtime(signed_at).date(), f"{TITLE}: {person or owner or ''}", signer, pk)
            for pk, ward_id, signed_at, signer, person, owner in rows
        ),
    )
    content_type = apps.get_model("contenttypes", "ContentType").objects.get(app_label="violations", model="violation")
    numbers = dict(
        (object_id, (number, year, symbol))
        for object_id, number, year, symbol in apps.get_model("documents", "RegisterEntry")
        .objects.filter(kind=KIND, content_type=content_type, object_id__in=[row[0] for row in rows])
        .values_list("object_id", "number", "year", "symbol")
    )
    violation = apps.get_model("violations", "Violation")

    def store() -> None:
        for pk, (number, year, symbol) in numbers.items():
            violation.objects.filter(pk=pk, number__isnull=True).update(
                number=number, number_year=year, number_symbol=symbol
            )

    if connection.vendor == "sqlite":
        _sqlite_guards(apps, connection, install=False)
        try:
            store()
        finally:
            _sqlite_guards(apps, connection, install=True)
    else:
        import pgtrigger

        with pgtrigger.ignore(GUARD):
            store()
    return len(numbers)


def forward(apps, schema_editor):
    number_old_reminders(apps, schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("documents", "0002_register25_register"),
        ("violations", "0012_record_parts_legal25"),
    ]

    # Going back keeps the numbers: a notice that was printed with its number keeps it.
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
