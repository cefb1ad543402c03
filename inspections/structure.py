"""A checklist version's sections and items, read once per process when the version is frozen.

A published (or retired) version never changes: editing one clones it into a new draft (see
models.ChecklistVersion and the admin). The inspection form and every submission read the same
sections, items and item categories (3–4 queries and some 60 model instances a request), so a
frozen version's structure is kept here, keyed by its id and publication time. A draft is always
read from the database. Any write to a checklist table clears this process's copy as well: the
admin and the tests never see a stale one, and a version's frozen content is the same everywhere.

The instances are shared between requests: read them, never change them.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from django.db.models import Prefetch
from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import ChecklistItem, ChecklistSection, ChecklistVersion, VersionStatus

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


def clear(**_kwargs) -> None:
    _frozen.cache_clear()


def connect() -> None:
    for model in (ChecklistVersion, ChecklistSection, ChecklistItem):
        post_save.connect(clear, sender=model, dispatch_uid=f"structure-save-{model.__name__}")
        post_delete.connect(clear, sender=model, dispatch_uid=f"structure-delete-{model.__name__}")
    for through in (ChecklistItem.categories.through, ChecklistItem.violation_types.through):
        m2m_changed.connect(clear, sender=through, dispatch_uid=f"structure-m2m-{through.__name__}")
