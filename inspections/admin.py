"""Checklists are data: admins edit a draft version inline and publish it.

A published or retired version is read-only here (the services refuse changes too); "edit"
means the "new draft version" action, which copies the current version.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import (
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    ChecklistVersion,
    Inspection,
    VersionStatus,
)
from .services import checklist_version_create_draft, checklist_version_publish


def _editable(obj: object) -> bool:
    if obj is None:
        return True
    version = obj if isinstance(obj, ChecklistVersion) else getattr(obj, "version", None)
    if version is None and isinstance(obj, ChecklistItem):
        version = obj.section.version
    return version is None or version.is_editable


class ChecklistVersionInline(admin.TabularInline):
    model = ChecklistVersion
    fields = ["number", "status", "published_at", "notes"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_active", "current_version"]
    list_filter = ["is_active", "categories"]
    search_fields = ["name", "code"]
    filter_horizontal = ["categories"]
    inlines = [ChecklistVersionInline]
    actions = ["new_draft"]

    @admin.display(description=_("published version"))
    def current_version(self, obj: ChecklistTemplate) -> str:
        published = [v for v in obj.versions.all() if v.status == VersionStatus.PUBLISHED]
        return f"v{published[0].number}" if published else "—"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("versions")

    def save_model(self, request: HttpRequest, obj: ChecklistTemplate, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            checklist_version_create_draft(template=obj)

    @admin.action(description=_("Edit: create a new draft version"))
    def new_draft(self, request: HttpRequest, queryset: QuerySet[ChecklistTemplate]) -> None:
        for template in queryset:
            draft = checklist_version_create_draft(template=template)
            self.message_user(
                request,
                _("%(template)s: draft version %(number)s is ready to edit.")
                % {"template": template.name, "number": draft.number},
                messages.SUCCESS,
            )


class ChecklistSectionInline(admin.TabularInline):
    model = ChecklistSection
    fields = ["position", "domain", "title", "item_count"]
    readonly_fields = ["item_count"]
    extra = 0
    show_change_link = True

    @admin.display(description=_("items"))
    def item_count(self, obj: ChecklistSection) -> int:
        return obj.items.count() if obj.pk else 0

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _editable(obj) and super().has_delete_permission(request, obj)


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(admin.ModelAdmin):
    list_display = ["template", "number", "status", "published_at", "published_by"]
    list_filter = ["status", "template"]
    fields = [
        "template",
        "number",
        "status",
        "notes",
        "based_on",
        "published_at",
        "published_by",
        "retired_at",
    ]
    readonly_fields = [
        "template",
        "number",
        "status",
        "based_on",
        "published_at",
        "published_by",
        "retired_at",
    ]
    inlines = [ChecklistSectionInline]
    actions = ["publish", "new_draft"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("template", "published_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Versions are made by the checklist's "new draft version" action, never by hand.
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _editable(obj) and super().has_delete_permission(request, obj)

    @admin.action(description=_("Publish the selected draft versions"))
    def publish(self, request: HttpRequest, queryset: QuerySet[ChecklistVersion]) -> None:
        done = 0
        for version in queryset:
            try:
                checklist_version_publish(version=version, user=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{version}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(n)d version published.", "%(n)d versions published.", done) % {"n": done},
                messages.SUCCESS,
            )

    @admin.action(description=_("Edit: create a new draft version"))
    def new_draft(self, request: HttpRequest, queryset: QuerySet[ChecklistVersion]) -> None:
        for template_id in {v.template_id for v in queryset}:
            draft = checklist_version_create_draft(template=ChecklistTemplate.objects.get(pk=template_id))
            self.message_user(
                request,
                _("%(template)s: draft version %(number)s is ready to edit.")
                % {"template": draft.template.name, "number": draft.number},
                messages.SUCCESS,
            )


class ChecklistItemInline(admin.StackedInline):
    model = ChecklistItem
    fields = [("position", "points", "is_critical"), "question", "guidance", "categories"]
    extra = 1

    def get_fields(self, request: HttpRequest, obj: object = None) -> list:
        fields = list(self.fields)
        # Extra many-to-manys (e.g. proposed violation types) appear once their app adds them.
        fields += [m.name for m in ChecklistItem._meta.many_to_many if m.name != "categories"]
        return fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _editable(obj) and super().has_delete_permission(request, obj)


@admin.register(ChecklistSection)
class ChecklistSectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "version", "domain", "position"]
    list_filter = ["domain", "version__status", "version__template"]
    fields = ["version", "domain", "title", "position"]
    inlines = [ChecklistItemInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("version__template")

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = ChecklistVersion.objects.filter(status=VersionStatus.DRAFT).select_related(
                "template"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    """Read-only: inspections are recorded by officers through the form."""

    list_display = ["business", "finished_at", "result", "score", "ward", "recorded_by"]
    list_filter = ["result", "ward"]
    search_fields = ["business__name", "submission_id"]
    date_hierarchy = "finished_at"
    list_select_related = ["business", "ward", "recorded_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
