"""A checklist version's sections and items, and the versions published for a category, read
through the cache (ward_police/refdata.py).

The inspection form and every submission read the same sections, items and item categories (3–4
queries and some 60 model instances a request), and ask which versions are published for the
business's category. Both change a few times a year, only through the checklist tables, so they
are kept in Django's cache as plain rows under the CHECKLISTS scope (and CATALOGUE, for the
violation types an item proposes), which every write to those tables bumps (refdata.connect()).
A draft is always read from the database: it is being edited.

Each request builds its own model instances from the rows (``Model.from_db``, with the item's
categories and violation types set as prefetched): nothing is shared between requests.
"""

from __future__ import annotations

import zlib
from datetime import date
from functools import cache as memoize
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Exists, Model, OuterRef, Prefetch, Q, QuerySet

from businesses.models import BusinessCategory
from violations.models import ViolationType
from violations.services import violation_types_in_force
from ward_police import refdata

from .models import ChecklistItem, ChecklistSection, ChecklistTemplate, ChecklistVersion, VersionStatus

Structure = tuple[tuple[ChecklistSection, tuple[ChecklistItem, ...]], ...]


@memoize
def _attnames(model: type[Model]) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields)


@memoize
def _shape(*models: type[Model]) -> str:
    """A fingerprint of these models' columns, part of the cache key of rows of them: after a
    deploy that adds a field, rows cached by the previous code are not read as the new shape."""
    names = "|".join(",".join(_attnames(model)) for model in models)
    return f"{zlib.crc32(names.encode()):08x}"


def _row(instance: Model) -> tuple:
    """The instance as plain data: its column values, in the model's field order."""
    return tuple(getattr(instance, name) for name in _attnames(type(instance)))


def _instance(model: type[Model], row: tuple) -> Any:
    return model.from_db(DEFAULT_DB_ALIAS, _attnames(model), row)


def _set_prefetched(instance: Model, name: str, objects: list[Model]) -> None:
    """What prefetch_related leaves on an instance: `instance.<name>.all()` returns `objects`."""
    related = instance._meta.get_field(name).related_model
    queryset = QuerySet(model=related)
    queryset._result_cache = objects
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset


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


def _structure_rows(version_id: int) -> tuple:
    return tuple(
        (
            _row(section),
            tuple(
                (
                    _row(item),
                    tuple(_row(c) for c in item.categories.all()),
                    tuple(_row(t) for t in item.violation_types.all()),
                )
                for item in items
            ),
        )
        for section, items in _load(version_id)
    )


def _structure_from_rows(rows: tuple) -> Structure:
    structure = []
    for section_row, item_rows in rows:
        section = _instance(ChecklistSection, section_row)
        items = []
        for item_row, category_rows, type_rows in item_rows:
            item = _instance(ChecklistItem, item_row)
            item.section = section
            _set_prefetched(item, "categories", [_instance(BusinessCategory, r) for r in category_rows])
            _set_prefetched(item, "violation_types", [_instance(ViolationType, r) for r in type_rows])
            items.append(item)
        structure.append((section, tuple(items)))
    return tuple(structure)


def version_structure(version: ChecklistVersion) -> Structure:
    """Every section of the version (in order) with all its items (in order)."""
    if version.status == VersionStatus.DRAFT:
        return _load(version.pk)
    shape = _shape(ChecklistSection, ChecklistItem, BusinessCategory, ViolationType)
    rows = refdata.cached(
        f"checklist-structure:{version.pk}:{shape}",
        (refdata.CHECKLISTS, refdata.CATALOGUE),
        lambda: _structure_rows(version.pk),
    )
    return _structure_from_rows(rows)


def _published_queryset(category_id: int) -> QuerySet:
    links = ChecklistTemplate.categories.through.objects.filter(checklisttemplate_id=OuterRef("template_id"))
    return (
        ChecklistVersion.objects.filter(status=VersionStatus.PUBLISHED, template__is_active=True)
        .annotate(for_categories=Exists(links))
        .filter(Q(for_categories=False) | Exists(links.filter(businesscategory_id=category_id)))
        .select_related("template")
        .order_by()
    )


def _published_rows(category_id: int) -> tuple:
    found = [(_row(v), _row(v.template), bool(v.for_categories)) for v in _published_queryset(category_id)]
    # Those made for the category first, then by the checklist's name.
    found.sort(key=lambda row: (not row[2], row[1][_attnames(ChecklistTemplate).index("name")]))
    return tuple(found)


def published_for_category(category_id: int) -> tuple[ChecklistVersion, ...]:
    """The published version of each active checklist that applies to the category (made for it,
    or for every category), with its checklist; those made for the category first, then by name."""
    rows = refdata.cached(
        f"checklists-published:category:{category_id}:{_shape(ChecklistVersion, ChecklistTemplate)}",
        (refdata.CHECKLISTS,),
        lambda: _published_rows(category_id),
    )
    versions = []
    for version_row, template_row, for_categories in rows:
        version = _instance(ChecklistVersion, version_row)
        version.template = _instance(ChecklistTemplate, template_row)
        version.for_categories = for_categories
        versions.append(version)
    return tuple(versions)


# The violation catalogue in force on a day, as the form's violation choices (#26.4): admin data
# that changes a few times a year, under the CATALOGUE scope.


def catalogue_in_force(day: date) -> tuple[tuple[str, str, str], ...]:
    """(code, title, domain) of each catalogue entry in force on `day`, by domain and code."""
    return refdata.cached(
        f"catalogue-in-force:{day.isoformat()}",
        (refdata.CATALOGUE,),
        lambda: tuple(violation_types_in_force(on=day).values_list("code", "title", "domain")),
    )
