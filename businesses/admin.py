from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Business, BusinessCategory, BusinessImport, PersonalDataAccess
from .text import fold


@admin.register(BusinessCategory)
class BusinessCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "requires_security_certificate", "is_active"]
    list_filter = ["requires_security_certificate", "is_active"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "category",
        "address_display",
        "ward",
        "status",
        "is_conditional",
        "certificate_expiry",
        "last_inspected_at",
    ]
    list_filter = ["ward", "status", "category", "is_conditional", "last_inspection_result"]
    list_select_related = ["ward", "category", "street"]
    search_fields = ["search_text__contains", "certificate_number"]
    raw_id_fields = ["street", "residential_group", "created_by", "updated_by"]
    readonly_fields = [
        "public_token",
        "search_text",
        "last_inspected_at",
        "last_inspection_result",
        "created_by",
        "updated_by",
        "created_at",
        "updated_at",
    ]
    date_hierarchy = "created_at"
    list_per_page = 50

    @admin.display(description=_("address"), ordering="street__name")
    def address_display(self, obj: Business) -> str:
        return obj.address

    def get_search_results(self, request, queryset, search_term):
        # Search the folded column with the folded term, as the ward's list does.
        return super().get_search_results(request, queryset, fold(search_term))

    def save_model(self, request, obj, form, change):
        obj.search_text = obj.compute_search_text()
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """The access log is evidence: read-only, never edited or deleted from the admin."""

    list_display = ["accessed_at", "user_label", "business_label", "field", "purpose", "ward"]
    list_filter = ["ward", "field", "purpose"]
    list_select_related = ["ward"]
    search_fields = ["user_label", "business_label"]
    date_hierarchy = "accessed_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(BusinessImport)
class BusinessImportAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "ward",
        "uploaded_by",
        "status",
        "created_at",
        "created_count",
        "updated_count",
        "unchanged_count",
    ]
    list_filter = ["status", "ward"]
    list_select_related = ["ward", "uploaded_by"]
    exclude = ["content"]
    readonly_fields = [
        "ward",
        "uploaded_by",
        "file_name",
        "status",
        "created_at",
        "applied_at",
        "created_count",
        "updated_count",
        "unchanged_count",
    ]

    def has_add_permission(self, request) -> bool:
        return False
