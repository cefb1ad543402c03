"""The violation records' counters move into the documents register (one register of numbers for
every kind of document): each counter becomes a register counter of its kind, each numbered
record a register line. Reversible: going back rebuilds the counters from the register."""

from django.db import migrations, models
from django.utils import timezone

# RecordForm.code -> documents.RegisterKind value (MQĐ02: the sanction decision, decision25).
FORM_KINDS = {"MBB01": "mbb01", "MBB02": "mbb02", "MQĐ02": "sanction_decision"}


def to_register(apps, schema_editor):
    record_counter = apps.get_model("violations", "RecordCounter")
    violation = apps.get_model("violations", "Violation")
    register_counter = apps.get_model("documents", "RegisterCounter")
    register_entry = apps.get_model("documents", "RegisterEntry")
    content_type = apps.get_model("contenttypes", "ContentType")
    for counter in record_counter.objects.select_related("form"):
        kind = FORM_KINDS.get(counter.form.code)
        if kind is None:
            continue
        register_counter.objects.update_or_create(
            ward_id=counter.ward_id, kind=kind, year=counter.year, defaults={"last_number": counter.last_number}
        )
    violation_type, _created = content_type.objects.get_or_create(app_label="violations", model="violation")
    numbered = violation.objects.filter(number__isnull=False).select_related("record_form", "business")
    entries = []
    for v in numbered.iterator(chunk_size=2000):
        kind = FORM_KINDS.get(v.record_form.code)
        if kind is None:
            continue
        violator = v.person_name or (v.business.owner_name if v.business_id else "")
        entries.append(
            register_entry(
                ward_id=v.ward_id,
                kind=kind,
                year=v.number_year,
                number=v.number,
                symbol=v.number_symbol,
                issued_on=timezone.localtime(v.signed_at).date(),
                title=f"{v.record_form.name}: {violator}"[:255],
                signer_id=v.signed_by_id,
                content_type_id=violation_type.pk,
                object_id=v.pk,
            )
        )
    # Signed sanction decisions: their numbers go into the register too.
    decision = apps.get_model("violations", "SanctionDecision")
    decision_type, _created = content_type.objects.get_or_create(app_label="violations", model="sanctiondecision")
    forms = {f.symbol: f for f in apps.get_model("violations", "RecordForm").objects.filter(code="MQĐ02")}
    for d in decision.objects.filter(number__isnull=False).select_related("violation", "violation__business"):
        v = d.violation
        violator = v.person_name or (v.business.owner_name if v.business_id else "")
        form = forms.get(d.number_symbol)
        entries.append(
            register_entry(
                ward_id=d.ward_id,
                kind="sanction_decision",
                year=d.number_year,
                number=d.number,
                symbol=d.number_symbol,
                issued_on=timezone.localtime(d.signed_at).date(),
                title=f"{form.name if form else 'Quyết định xử phạt vi phạm hành chính'}: {violator}"[:255],
                signer_id=d.signed_by_id,
                content_type_id=decision_type.pk,
                object_id=d.pk,
            )
        )
    register_entry.objects.bulk_create(entries, batch_size=2000)
    # A counter behind its highest issued number would issue it again.
    for counter in register_counter.objects.filter(kind__in=FORM_KINDS.values()):
        top = (
            register_entry.objects.filter(ward_id=counter.ward_id, kind=counter.kind, year=counter.year)
            .aggregate(top=models.Max("number"))["top"]
            or 0
        )
        if top > counter.last_number:
            counter.last_number = top
            counter.save(update_fields=["last_number"])


def from_register(apps, schema_editor):
    record_counter = apps.get_model("violations", "RecordCounter")
    record_form = apps.get_model("violations", "RecordForm")
    register_counter = apps.get_model("documents", "RegisterCounter")
    register_entry = apps.get_model("documents", "RegisterEntry")
    forms = {code: record_form.objects.filter(code=code).first() for code in FORM_KINDS}
    for code, kind in FORM_KINDS.items():
        if forms[code] is None:
            continue
        for counter in register_counter.objects.filter(kind=kind):
            record_counter.objects.update_or_create(
                ward_id=counter.ward_id,
                form=forms[code],
                year=counter.year,
                defaults={"last_number": counter.last_number},
            )
    register_entry.objects.filter(kind__in=FORM_KINDS.values()).delete()
    register_counter.objects.filter(kind__in=FORM_KINDS.values()).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("documents", "0002_register25_register"),
        # After the sanction decisions (decision25): their counters move into the register too.
        ("violations", "0008_ui26_item_type_label"),
    ]

    operations = [
        migrations.RunPython(to_register, from_register),
        migrations.DeleteModel(name="RecordCounter"),
    ]
