from django.contrib import admin

from .models import Campaign, CampaignForce, CampaignTarget


class ForceInline(admin.TabularInline):
    model = CampaignForce
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "ward", "starts_on", "status"]
    list_filter = ["status", "ward"]
    search_fields = ["name", "plan_reference"]
    inlines = [ForceInline]
    raw_id_fields = ["leader", "officers", "created_by", "closed_by"]
    readonly_fields = ["status", "started_at", "closed_at", "closed_by", "summary"]


@admin.register(CampaignTarget)
class CampaignTargetAdmin(admin.ModelAdmin):
    list_display = ["business_name", "campaign", "street_name", "assigned_to", "inspection"]
    raw_id_fields = ["campaign", "business", "assigned_to", "inspection"]
