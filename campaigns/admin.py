from django.contrib import admin

from .models import Campaign, CampaignChange, CampaignForce, CampaignTarget


class ForceInline(admin.TabularInline):
    model = CampaignForce
    extra = 0


class ChangeInline(admin.TabularInline):
    """The change log is written by the services only: read here, never edited."""

    model = CampaignChange
    extra = 0
    can_delete = False
    fields = readonly_fields = ["changed_at", "changed_by", "field", "before", "after"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "ward", "starts_on", "status"]
    list_filter = ["status", "ward"]
    search_fields = ["name", "plan_reference"]
    inlines = [ForceInline, ChangeInline]
    raw_id_fields = ["leader", "officers", "created_by", "closed_by"]
    readonly_fields = ["status", "started_at", "closed_at", "closed_by", "summary"]


@admin.register(CampaignTarget)
class CampaignTargetAdmin(admin.ModelAdmin):
    list_display = ["business_name", "campaign", "street_name", "assigned_to", "inspection"]
    raw_id_fields = ["campaign", "business", "assigned_to", "inspection"]
