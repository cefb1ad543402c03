"""Joins the sanction decisions (0008_decision25_decisions_in_register) with main's line
(0010_merge_ui26_forms25). No operations."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("violations", "0008_decision25_decisions_in_register"),
        ("violations", "0010_merge_ui26_forms25"),
    ]

    operations = []
