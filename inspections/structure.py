"""A checklist version's sections and items, read once per process when the version is frozen.

A published (or retired) version never changes: editing one clones it into a new draft (see
models.ChecklistVersion and the admin). The inspection form and every submission read the same
sections, items and item categories (3–4 queries and some 60 model instances a request), so a
frozen version's structure is kept here, keyed by its id and publication time. A draft is always
read from the database. Any write to a checklist table clears this process's copy as well: the
admin and the tests never see a stale one, and a version's frozen content is the same everywhere.

Which versions are published for a business category is asked on every form page too. That
answer can change at any time (a version published or retired, a checklist switched off or given
other categories) and in any process, so it is read from the database every time, but through a
query compiled once per process that returns only the versions' ids, publication times and their
checklists' codes and names; the version and checklist instances behind such a list are kept,
keyed by exactly those values.

The instances are shared between requests: read them, never change them.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save

from violations.models import ViolationType
from violations.services import violation_types_in_force
from ward_police.compiled import CompiledQuery

from .models import ChecklistItem, ChecklistSection, ChecklistTemplate, ChecklistVersion, VersionStatus

Structure = tuple[tuple[ChecklistSection, tuple[ChecklistItem, ...]], ...]


def _load(version_id: int) -> Structure:
    sections = ChecklistSection.objects.filter(version_id=version_id).prefetch_related(
        Prefetch(
            "items",
            queryset=ChecklistItem.objects.prefetch_related("categories", "violation_types").order_by(
                "position", "pk"
            ),
        )
    )
    return tuple((section, tuple(section.items.all())) for section in sections)


@lru_cache(maxsize=256)
def _frozen(version_id: int, published_at: datetime | None) -> Structure:
    return _load(version_id)


def version_structure(version: ChecklistVersion) -> Structure:
    """Every section of the version (in order) with all its items (in order)."""
    if version.status == VersionStatus.DRAFT:
        return _load(version.pk)
    return _frozen(version.pk, version.published_at)


def _published_queryset(category_id: int) -> QuerySet:
    links = ChecklistTemplate.categories.through.objects.filter(checklisttemplate_id=OuterRef("template_id"))
    return (
        ChecklistVersion.objects.filter(status=VersionStatus.PUBLISHED, template__is_active=True)
        .annotate(for_categories=Exists(links))
        .filter(Q(for_categories=False) | Exists(links.filter(businesscategory_id=category_id)))
        .order_by()
        .values_list(
            "pk", "published_at", "template_id", "template__code", "template__name", "for_categories"
        )
    )


_PUBLISHED = CompiledQuery(_published_queryset)


@lru_cache(maxsize=256)
def _published_instances(key: tuple[tuple, ...]) -> tuple[ChecklistVersion, ...]:
    flags = {row[0]: bool(row[5]) for row in key}
    versions = list(ChecklistVersion.objects.filter(pk__in=list(flags)).select_related("template"))
    for version in versions:
        version.for_categories = flags[version.pk]
    versions.sort(key=lambda v: (not v.for_categories, v.template.name))
    return tuple(versions)


def published_for_category(category_id: int) -> tuple[ChecklistVersion, ...]:
    """The published version of each active checklist that applies to the category (made for it,
    or for every category), with its checklist; those made for the category first, then by name."""
    key = tuple(sorted(_PUBLISHED.rows(category_id=category_id), key=lambda row: row[0]))
    return _published_instances(key) if key else ()


# The violation catalogue in force on a day, as the form's violation choices (#26.4): admin data
# that changes a few times a year, kept in Django's cache under a versioned key that any write to
# the catalogue bumps (shared by every process when the cache is).
CATALOGUE_VERSION_KEY = "inspections:catalogue:version"


def catalogue_in_force(day: date) -> tuple[tuple[str, str, str], ...]:
    """(code, title, domain) of each catalogue entry in force on `day`, by domain and code."""
    version = cache.get(CATALOGUE_VERSION_KEY, 0)
    key = f"inspections:catalogue:{version}:{day.isoformat()}"
    rows = cache.get(key)
    if rows is None:
        rows = tuple(violation_types_in_force(on=day).values_list("code", "title", "domain"))
        cache.set(key, rows, 24 * 3600)
    return rows


def _catalogue_changed(**_kwargs) -> None:
    try:
        cache.incr(CATALOGUE_VERSION_KEY)
    except ValueError:
        cache.set(CATALOGUE_VERSION_KEY, 1, None)


def clear(**_kwargs) -> None:
    _frozen.cache_clear()
    _published_instances.cache_clear()


def connect() -> None:
    for model in (ChecklistTemplate, ChecklistVersion, ChecklistSection, ChecklistItem):
        post_save.connect(clear, sender=model, dispatch_uid=f"structure-save-{model.__name__}")
        post_delete.connect(clear, sender=model, dispatch_uid=f"structure-delete-{model.__name__}")
    post_save.connect(_catalogue_changed, sender=ViolationType, dispatch_uid="catalogue-save")
    post_delete.connect(_catalogue_changed, sender=ViolationType, dispatch_uid="catalogue-delete")
    for through in (
        ChecklistTemplate.categories.through,
        ChecklistItem.categories.through,
        ChecklistItem.violation_types.through,
    ):
        m2m_changed.connect(clear, sender=through, dispatch_uid=f"structure-m2m-{through.__name__}")
