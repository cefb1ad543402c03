"""Reads for inspections: querysets with their relations loaded, for lists and pages."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from businesses.models import Business
from ward_police import refdata

from .models import (
    Answer,
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    ChecklistVersion,
    Commitment,
    Inspection,
    Photo,
    VersionStatus,
)
from .permissions import get_inspection_for_user, inspections_visible_to
from .structure import published_for_category, version_structure


@dataclass(frozen=True)
class InspectionFilters:
    result: str = ""
    date_from: date | None = None
    date_to: date | None = None
    officer_id: int | None = None
    street_id: int | None = None
    business_id: int | None = None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def inspection_list(user: User, filters: InspectionFilters) -> QuerySet[Inspection]:
    qs = inspections_visible_to(user).select_related(
        "business", "business__street", "recorded_by", "commitment"
    )
    if filters.result:
        qs = qs.filter(result=filters.result)
    if filters.date_from:
        qs = qs.filter(finished_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(finished_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    if filters.officer_id:
        qs = qs.filter(Q(inspectors=filters.officer_id) | Q(recorded_by=filters.officer_id)).distinct()
    if filters.street_id:
        qs = qs.filter(business__street_id=filters.street_id)
    if filters.business_id:
        qs = qs.filter(business_id=filters.business_id)
    return qs.order_by("-finished_at", "-pk")


def inspection_detail(user: User, pk: int) -> Inspection:
    queryset = Inspection.objects.select_related(
        "business",
        "business__street",
        "business__category",
        "recorded_by",
        "checklist_version__template",
        "commitment",
    ).prefetch_related(
        "inspectors",
        Prefetch("photos", queryset=Photo.objects.order_by("pk")),
    )
    return get_inspection_for_user(user, pk, queryset)


@dataclass
class ItemView:
    item: ChecklistItem
    answer: Answer | None
    photos: list[Photo]


@dataclass
class SectionView:
    section: ChecklistSection
    items: list[ItemView]


def inspection_checklist(inspection: Inspection) -> list[SectionView]:
    """The version the inspection used, with its answers: old inspections keep their wording."""
    answers = {a.item_id: a for a in inspection.answers.all()}
    photos_by_item: dict[int | None, list[Photo]] = {}
    for photo in inspection.photos.all():
        photos_by_item.setdefault(photo.item_id, []).append(photo)
    sections = ChecklistSection.objects.filter(version_id=inspection.checklist_version_id).prefetch_related(
        Prefetch(
            "items", queryset=ChecklistItem.objects.prefetch_related("categories").order_by("position", "pk")
        )
    )
    category_id = inspection.business.category_id
    result = []
    for section in sections:
        # Answered items, and applicable ones left unrecorded (bulk-imported summaries).
        items = [
            ItemView(item=item, answer=answers.get(item.pk), photos=photos_by_item.get(item.pk, []))
            for item in section.items.all()
            if item.pk in answers or item.applies_to(category_id)
        ]
        if items:
            result.append(SectionView(section=section, items=items))
    return result


def published_checklists_for_business(business: Business) -> list[ChecklistVersion]:
    """The published version of each active checklist for the business's category (a template
    has at most one), with its template, those made for the category first, then by name.

    Read through inspections.structure, from the cache (the form page asks on every request)."""
    return list(published_for_category(business.category_id))


def templates_for_business(business: Business) -> list[ChecklistTemplate]:
    """Active checklists with a published version for the business's category, most specific first."""
    return [version.template for version in published_checklists_for_business(business)]


def published_version(template: ChecklistTemplate) -> ChecklistVersion | None:
    return template.versions.filter(status=VersionStatus.PUBLISHED).first()


def version_in_force(template: ChecklistTemplate, moment: datetime) -> ChecklistVersion | None:
    """The edition that was in force at `moment` (published by then, not yet retired): an
    inspection of 2021 is made with the 2021 checklist, not today's."""
    return (
        template.versions.exclude(status=VersionStatus.DRAFT)
        .filter(published_at__lte=moment)
        .filter(Q(retired_at__isnull=True) | Q(retired_at__gt=moment))
        .order_by("-published_at", "-number")
        .first()
    )


def checklist_form_sections(
    version: ChecklistVersion, category_id: int
) -> list[tuple[ChecklistSection, list[ChecklistItem]]]:
    """The sections with the items that apply to the category (empty sections left out)."""
    result = []
    for section, items in version_structure(version):
        applicable = [item for item in items if item.applies_to(category_id)]
        if applicable:
            result.append((section, applicable))
    return result


def ward_inspectors(ward_id: int) -> QuerySet[User]:
    """Users who may be named as inspecting officers: the ward's officers and leaders."""
    return (
        User.objects.filter(ward_id=ward_id, is_active=True, groups__name__in=[Role.OFFICER, Role.LEADER])
        .distinct()
        .order_by("full_name", "username")
    )


def ward_inspector_rows(ward_id: int) -> list[User]:
    """ward_inspectors() as unsaved User instances holding only the names (for the form's boxes),
    read through the cache under the ward's version (ward_police/refdata.py): a user's ward,
    activity, names and groups bump it."""
    rows = refdata.cached(
        f"inspectors:ward:{ward_id}",
        (refdata.ward_scope(ward_id), refdata.ACCESS),
        lambda: tuple(ward_inspectors(ward_id).values_list("pk", "full_name", "username")),
    )
    return [User(pk=pk, full_name=full_name, username=username) for pk, full_name, username in rows]


def commitments_for_business(business: Business) -> QuerySet[Commitment]:
    """For the business's timeline: newest first; `is_overdue` flags the ones not kept in time."""
    return (
        Commitment.objects.filter(business=business)
        .select_related("inspection")
        .order_by("-inspection__finished_at")
    )


def inspections_for_business(business: Business, *, limit: int = 20) -> list[Inspection]:
    return list(
        Inspection.objects.filter(business=business)
        .select_related("recorded_by", "commitment")
        .order_by("-finished_at")[:limit]
    )
