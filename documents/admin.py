from django.contrib import admin

from .models import DocumentJob


@admin.register(DocumentJob)
class DocumentJobAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "title",
        "kind",
        "object_id",
        "ward",
        "status",
        "progress",
        "attempts",
        "created_at",
    )
    list_filter = ("status", "kind", "ward")
    search_fields = ("title", "filename", "kind", "error")
    list_select_related = ("ward",)
    readonly_fields = [f.name for f in DocumentJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
