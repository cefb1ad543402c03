"""One full name, as written ("Nguyễn Văn Minh"), instead of Django's first/last name pair.

Existing names are kept: the full name is what the site showed (last name, then first name), except
the demo administrator, seeded as first "Quản trị" + last "viên", which showed as "viên Quản trị".
Reversible: going back puts the last word in first_name and the rest in last_name.
"""

from django.db import migrations, models


def join_names(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.only("pk", "first_name", "last_name").iterator():
        first, last = user.first_name.strip(), user.last_name.strip()
        if (first, last) == ("Quản trị", "viên"):
            full = "Quản trị viên"
        else:
            full = " ".join(part for part in (last, first) if part)
        User.objects.filter(pk=user.pk).update(full_name=full)


def split_names(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.only("pk", "full_name").iterator():
        *family, given = user.full_name.split() or [""]
        User.objects.filter(pk=user.pk).update(first_name=given, last_name=" ".join(family))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_otp_changed_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="full_name",
            field=models.CharField(
                blank=True,
                help_text="As written, e.g. “Nguyễn Văn Minh”.",
                max_length=150,
                verbose_name="full name",
            ),
        ),
        migrations.RunPython(join_names, split_names),
        migrations.RemoveField(model_name="user", name="first_name"),
        migrations.RemoveField(model_name="user", name="last_name"),
    ]
