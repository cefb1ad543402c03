"""Campaign reports were numbered by database id ("3/BC-CAP"); they now take their number from
the documents register when the campaign is closed. Closed campaigns are numbered per ward and
year in the order they were closed."""

from django.db import migrations
from django.utils import timezone

from documents.register_backfill import backfill, unregister

KIND = "campaign_report"


def number_reports(apps, schema_editor):
    campaign = apps.get_model("campaigns", "Campaign")
    rows = (
        campaign.objects.filter(closed_at__isnull=False)
        .order_by("closed_at", "pk")
        .values_list("ward_id", "closed_at", "name", "closed_by_id", "pk")
    )
    backfill(
        apps,
        kind=KIND,
        symbol="BC-RQ",
        app_label="campaigns",
        model="campaign",
        lines=(
            (ward_id, timezone.localtime(closed).date(), f"Báo cáo kết quả đợt ra quân: {name}", signer, pk)
            for ward_id, closed, name, signer, pk in rows
        ),
    )


def forget_numbers(apps, schema_editor):
    unregister(apps, kind=KIND)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("documents", "0002_register25_register"),
        ("campaigns", "0002_setup26_campaign_change"),
    ]

    operations = [migrations.RunPython(number_reports, forget_numbers)]
