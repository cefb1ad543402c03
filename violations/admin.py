from django.contrib import admin

from .models import ViolationType


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
    ]
    list_filter = ["domain", "decree", "needs_verification"]
    search_fields = ["code", "title", "decree"]
    ordering = ["domain", "code", "-valid_from"]
