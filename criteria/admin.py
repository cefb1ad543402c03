"""Criteria sets are managed here. A published set is read-only everywhere in the admin; the
“clone to a new version” action is the way to change it."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import metrics, services
from .forms import CriteriaSetImportForm
from .models import (
    Assessment,
    AssessmentScore,
    ClassificationThreshold,
    CriteriaGroup,
    CriteriaSet,
    Criterion,
    Evidence,
)


def _published(obj) -> bool:
    if obj is None:
        return False
    criteria_set = obj if isinstance(obj, CriteriaSet) else getattr(obj, "criteria_set", None)
    return bool(criteria_set and criteria_set.is_published)


class FrozenWhenPublishedInline:
    """Inline rows of a published set: shown, never added, changed or deleted."""

    def has_add_permission(self, request, obj=None):
        return not _published(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _published(obj) and super().has_delete_permission(request, obj)


class ThresholdInline(FrozenWhenPublishedInline, admin.TabularInline):
    model = ClassificationThreshold
    extra = 0


class GroupInline(FrozenWhenPublishedInline, admin.TabularInline):
    model = CriteriaGroup
    extra = 0
    show_change_link = True


class CriterionAdminForm(forms.ModelForm):
    metric_key = forms.ChoiceField(label=_("metric"), required=False)

    class Meta:
        model = Criterion
        fields = ["group", *services.CRITERION_FIELDS]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric_key"].choices = [("", "—"), *metrics.metric_choices()]


class CriterionInline(admin.StackedInline):
    model = Criterion
    form = CriterionAdminForm
    extra = 0
    fields = [
        ("code", "order"),
        "text",
        ("max_points", "kind", "must_hold"),
        ("method", "evidence_required"),
        ("metric_key", "mapping", "higher_is_better"),
        ("lower_bound", "upper_bound"),
        "steps",
    ]

    def has_add_permission(self, request, obj=None):
        return not _published(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _published(obj) and super().has_delete_permission(request, obj)


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "decision_reference", "valid_from", "valid_to", "status"]
    list_filter = ["status"]
    search_fields = ["name", "decision_reference"]
    readonly_fields = ["status", "published_at"]
    inlines = [ThresholdInline, GroupInline]
    actions = ["publish_sets", "clone_sets", "export_sets"]
    change_list_template = "admin/criteria/criteriaset/change_list.html"

    def get_readonly_fields(self, request, obj=None):
        if _published(obj):
            return [f.name for f in CriteriaSet._meta.fields if f.name != "id"]
        return ["version", *self.readonly_fields] if obj else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        # A published set opens as a view-only page: no form to post back.
        return not _published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _published(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            services.criteria_set_assert_editable(obj)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publish (the set can no longer change)"))
    def publish_sets(self, request: HttpRequest, queryset) -> None:
        for criteria_set in queryset:
            try:
                services.criteria_set_publish(criteria_set=criteria_set)
            except ValidationError as exc:
                self.message_user(request, f"{criteria_set}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(
                    request, _("“%(set)s” published.") % {"set": criteria_set}, messages.SUCCESS
                )

    @admin.action(description=_("Clone to a new version"))
    def clone_sets(self, request: HttpRequest, queryset) -> None:
        for criteria_set in queryset:
            clone = services.criteria_set_clone(criteria_set=criteria_set)
            self.message_user(request, _("“%(set)s” created as a draft.") % {"set": clone}, messages.SUCCESS)

    @admin.action(description=_("Export as JSON"))
    def export_sets(self, request: HttpRequest, queryset) -> HttpResponse:
        payload = services.criteria_sets_export(queryset.order_by("name", "version"))
        name = slugify(payload["sets"][0]["name"])[:60] if len(payload["sets"]) == 1 else "criteria-sets"
        response = HttpResponse(
            json.dumps(payload, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="criteria_criteriaset_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        form = CriteriaSetImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                payload = json.loads(form.cleaned_data["file"].read().decode("utf-8"))
                with transaction.atomic():
                    created = services.criteria_sets_import(payload)
            except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
                form.add_error("file", _("The file is not valid JSON."))
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                for criteria_set in created:
                    self.message_user(request, _("“%(set)s” imported as a draft.") % {"set": criteria_set})
                return HttpResponseRedirect(reverse("admin:criteria_criteriaset_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": _("Import a criteria set"),
        }
        return render(request, "admin/criteria/criteriaset/import.html", context)


@admin.register(CriteriaGroup)
class CriteriaGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "criteria_set"]
    list_filter = ["criteria_set"]
    list_select_related = ["criteria_set"]
    inlines = [CriterionInline]

    def get_readonly_fields(self, request, obj=None):
        if _published(obj):
            return ["criteria_set", "code", "name", "order"]
        return []

    def has_change_permission(self, request, obj=None):
        return not _published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _published(obj) and super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "criteria_set" in form.base_fields:
            form.base_fields["criteria_set"].queryset = CriteriaSet.objects.filter(status="draft")
        return form

    def save_model(self, request, obj, form, change):
        services.criteria_set_assert_editable(obj.criteria_set)
        super().save_model(request, obj, form, change)


class ScoreInline(admin.TabularInline):
    model = AssessmentScore
    extra = 0
    fields = ["criterion", "points", "passed", "value", "numerator", "denominator", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """Read-only here: assessments move through their workflow on the ward's pages."""

    list_display = ["ward", "year", "quarter", "criteria_set", "status", "total", "classification"]
    list_filter = ["status", "year", "ward"]
    list_select_related = ["ward", "criteria_set"]
    inlines = [ScoreInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Assessment._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "score", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["score__criterion", "uploaded_by"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Evidence._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
