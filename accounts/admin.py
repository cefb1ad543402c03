from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from .models import User
from .permission_labels import label_permissions
from .roles import Role


class WardRequiredUserChangeForm(UserChangeForm):
    def clean(self) -> dict:
        data = super().clean()
        groups = data.get("groups")
        is_admin = data.get("is_superuser") or (
            groups is not None and groups.filter(name=Role.ADMIN).exists()
        )
        if not data.get("ward") and not is_admin:
            raise forms.ValidationError(_("Every user except administrators belongs to a ward."))
        streets = data.get("streets")
        if streets is not None and streets.exclude(ward=data.get("ward")).exists():
            self.add_error("streets", _("Choose only streets of the user's own ward."))
        return data


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = WardRequiredUserChangeForm
    list_display = ["username", "full_name", "ward", "is_active", "last_login"]
    list_filter = ["ward", "groups", "is_active", "is_superuser"]
    list_select_related = ["ward"]
    search_fields = ["username", "full_name", "email"]
    # Django's fieldsets without first/last name: the full name is one field.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "email")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
        (_("Ward police"), {"fields": ("ward", "rank_title", "phone", "streets")}),
    )
    filter_horizontal = ("groups", "user_permissions", "streets")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        form_field = super().formfield_for_manytomany(db_field, request, **kwargs)
        label_permissions(form_field)
        return form_field

    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Ward police"), {"fields": ("ward", "full_name", "rank_title")}),
    )


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    """Django's group admin, with the permissions named in the interface's language."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        form_field = super().formfield_for_manytomany(db_field, request, **kwargs)
        label_permissions(form_field)
        return form_field
