from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    CompetenceLimit,
    PublicHoliday,
    RecordForm,
    SanctionDecision,
    Status,
    Violation,
    ViolationItem,
    ViolationType,
)


@admin.register(ViolationType)
class ViolationTypeAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "title",
        "domain",
        "decree",
        "article",
        "clause",
        "point",
        "valid_from",
        "valid_to",
        "needs_verification",
    ]
    list_filter = ["domain", "decree", "needs_verification"]
    search_fields = ["code", "title", "decree"]
    ordering = ["domain", "code", "-valid_from"]
    # Confirmation goes through the actions, so who confirmed and when are always recorded.
    readonly_fields = ["needs_verification", "verified_by", "verified_at"]
    actions = ["confirm_entries", "flag_entries"]

    @admin.action(description=_("Confirm against the official text (may be cited in signed records)"))
    def confirm_entries(self, request, queryset) -> None:
        for violation_type in queryset:
            services.violation_type_confirm(violation_type=violation_type, user=request.user)
        self.message_user(request, _("%(n)d entries confirmed.") % {"n": queryset.count()}, messages.SUCCESS)

    @admin.action(description=_("Mark “to be checked against the official text” again"))
    def flag_entries(self, request, queryset) -> None:
        for violation_type in queryset:
            services.violation_type_flag(violation_type=violation_type, user=request.user)
        self.message_user(request, _("%(n)d entries marked to be checked.") % {"n": queryset.count()})

    def has_delete_permission(self, request, obj=None) -> bool:
        # A type cited by a record is history: end its validity (valid_to) instead.
        if obj is not None and obj.items.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(PublicHoliday)
class PublicHolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"


@admin.register(RecordForm)
class RecordFormAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "symbol", "stage"]


class ViolationItemInline(admin.TabularInline):
    model = ViolationItem
    extra = 0
    raw_id_fields = ["violation_type"]


@admin.register(Violation)
class ViolationAdmin(admin.ModelAdmin):
    """Read and correct drafts; a signed record is read-only here as everywhere (and the database
    refuses the change anyway)."""

    list_display = ["__str__", "ward", "business", "stage", "status", "occurred_at", "due_date"]
    list_filter = ["status", "stage", "is_repeat", "ward"]
    list_select_related = ["ward", "business"]
    search_fields = ["person_name", "business__name", "description"]
    raw_id_fields = ["business", "street", "residential_group", "supersedes", "created_by", "signed_by"]
    inlines = [ViolationItemInline]
    readonly_fields = ["number", "number_year", "number_symbol", "record_form", "signed_at", "signed_by"]

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.status != Status.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.status != Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # The bulk delete action would try signed records too; drafts are deleted one by one.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(CompetenceLimit)
class CompetenceLimitAdmin(admin.ModelAdmin):
    """Competence limits per title, domain and period: data with its legal source, corrected and
    confirmed here (uncheck "to be checked" once compared with the official text)."""

    list_display = [
        "title",
        "domain",
        "fine_limit_individual",
        "valid_from",
        "valid_to",
        "legal_source",
        "needs_verification",
    ]
    list_filter = ["title", "domain", "needs_verification"]
    search_fields = ["legal_source", "rule"]


@admin.register(SanctionDecision)
class SanctionDecisionAdmin(admin.ModelAdmin):
    """Read-only: decisions are written by the services (violations/decisions.py)."""

    list_display = ["__str__", "ward", "violation", "kind", "status", "fine_amount", "signed_at", "served_on"]
    list_filter = ["status", "kind"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
