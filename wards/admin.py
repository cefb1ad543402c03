from django.contrib import admin

from .models import ResidentialGroup, Street, Ward, WardNamePeriod


class ResidentialGroupInline(admin.TabularInline):
    model = ResidentialGroup
    extra = 0


class WardNamePeriodInline(admin.TabularInline):
    model = WardNamePeriod
    extra = 0


class StreetInline(admin.TabularInline):
    model = Street
    extra = 0


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "province", "police_unit_name"]
    list_filter = ["province"]
    search_fields = ["name", "code", "province"]
    inlines = [WardNamePeriodInline, ResidentialGroupInline, StreetInline]


@admin.register(ResidentialGroup)
class ResidentialGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "ward", "leader_name"]
    list_filter = ["ward"]
    search_fields = ["name", "ward__name"]
    list_select_related = ["ward"]


@admin.register(Street)
class StreetAdmin(admin.ModelAdmin):
    list_display = ["name", "ward"]
    list_filter = ["ward"]
    search_fields = ["name", "ward__name"]
    list_select_related = ["ward"]
