"""Assessment reports were numbered by database id ("5/BC-TC"), drafts included; they now take
their number from the documents register when approved. Approved assessments are numbered per
ward and year in the order they were approved."""

from django.db import migrations
from django.utils import timezone

from criteria.periods import Period
from documents.register_backfill import backfill, unregister

KIND = "criteria_assessment"


def _period(year: int, quarter: int) -> str:
    return Period(year, quarter).label


def number_assessments(apps, schema_editor):
    assessment = apps.get_model("criteria", "Assessment")
    rows = (
        assessment.objects.filter(status="approved", approved_at__isnull=False)
        .order_by("approved_at", "pk")
        .values_list("ward_id", "approved_at", "year", "quarter", "approved_by_id", "pk")
    )
    backfill(
        apps,
        kind=KIND,
        symbol="BC-TC",
        app_label="criteria",
        model="assessment",
        lines=(
            (
                ward_id,
                timezone.localtime(approved).date(),
                f"Báo cáo kết quả tự đánh giá theo bộ tiêu chí, {_period(year, quarter)}",
                signer,
                pk,
            )
            for ward_id, approved, year, quarter, signer, pk in rows
        ),
    )


def forget_numbers(apps, schema_editor):
    unregister(apps, kind=KIND)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("documents", "0002_register25_register"),
        ("criteria", "0001_initial"),
    ]

    operations = [migrations.RunPython(number_assessments, forget_numbers)]
