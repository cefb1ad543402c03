import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from inspections.services import applicable_items

from .factories import BusinessCategoryFactory, BusinessFactory, published_checklist


@pytest.fixture(autouse=True)
def fresh_cache():
    """The catalogue in force is kept in the cache; a rolled-back test must not leave its copy."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Each test stores files in its own folder, so "nothing left on disk" can be checked."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


@pytest.fixture
def cafe(ward_a):
    return BusinessFactory(
        ward=ward_a,
        name="Cà phê Lê Trực",
        category=BusinessCategoryFactory(code="ca-phe", name="Quán cà phê"),
    )


@pytest.fixture
def checklist(db):
    return published_checklist()


def form_data(business, version, officer, *, statuses=None, **extra) -> dict:
    """What the phone posts: every applicable item answered ("pass" unless `statuses` says)."""
    statuses = statuses or {}
    data = {
        "submission_id": str(uuid.uuid4()),
        "version": version.pk,
        "started_at": (timezone.now() - timedelta(minutes=15)).isoformat(timespec="seconds"),
        "inspectors": [officer.pk],
        "person_present_name": business.owner_name,
        "person_present_role": "owner",
        "partner_forces": "Đoàn thanh niên phường",
    }
    for item in applicable_items(version, business.category_id):
        data[f"item-{item.pk}"] = statuses.get(item.question, "pass")
        data[f"note-{item.pk}"] = ""
    data.update(extra)
    return data
