"""Sanction decisions join the register of document numbers (register25's documents.register).

Joins the two branches of the graph (the decisions, 0006–0007_decision25, and the register,
0006_register25). Decisions numbered before through the RecordForm "MQĐ02" counter get their
register lines and counters, so their sequence continues without a repeat; the RecordForm row goes
(its stage "sanction" is not a record's). Reversible."""

from django.db import migrations, models
from django.utils import timezone

from violations.competence import DECISION_FORM

KIND = "sanction_decision"


def to_register(apps, schema_editor):
    decision = apps.get_model("violations", "SanctionDecision")
    register_counter = apps.get_model("documents", "RegisterCounter")
    register_entry = apps.get_model("documents", "RegisterEntry")
    content_type = apps.get_model("contenttypes", "ContentType")
    decision_type, _created = content_type.objects.get_or_create(app_label="violations", model="sanctiondecision")
    numbered = decision.objects.filter(number__isnull=False).select_related("violation", "violation__business")
    for d in numbered.iterator(chunk_size=2000):
        violator = d.violation.person_name or (d.violation.business.owner_name if d.violation.business_id else "")
        register_entry.objects.get_or_create(
            content_type_id=decision_type.pk,
            object_id=d.pk,
            kind=KIND,
            defaults={
                "ward_id": d.ward_id,
                "year": d.number_year,
                "number": d.number,
                "symbol": d.number_symbol,
                "issued_on": timezone.localtime(d.signed_at).date(),
                "title": f"Quyết định xử phạt vi phạm hành chính: {violator}"[:255],
                "signer_id": d.signed_by_id,
            },
        )
    tops = numbered.values("ward_id", "number_year").annotate(top=models.Max("number"))
    for row in tops:
        counter, _created = register_counter.objects.get_or_create(
            ward_id=row["ward_id"], kind=KIND, year=row["number_year"]
        )
        if counter.last_number < row["top"]:
            counter.last_number = row["top"]
            counter.save(update_fields=["last_number"])
    apps.get_model("violations", "RecordForm").objects.filter(code=DECISION_FORM[0]).delete()


def from_register(apps, schema_editor):
    code, name, symbol, stage = DECISION_FORM
    apps.get_model("violations", "RecordForm").objects.get_or_create(
        code=code, defaults={"name": name, "symbol": symbol, "stage": stage}
    )
    apps.get_model("documents", "RegisterEntry").objects.filter(kind=KIND).delete()
    apps.get_model("documents", "RegisterCounter").objects.filter(kind=KIND).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("violations", "0006_register25_register_numbers"),
        ("violations", "0007_decision25_aggravated_index"),
        ("documents", "0002_register25_register"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(to_register, from_register)]
