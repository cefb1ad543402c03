"""A frozen checklist's sections and items are read once per process; a draft always afresh."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections import structure
from inspections.models import ChecklistItem, VersionStatus
from inspections.selectors import checklist_form_sections
from inspections.services import (
    applicable_items,
    checklist_item_add,
    checklist_item_update,
    checklist_version_create_draft,
    checklist_version_publish,
)

from .factories import published_checklist, template_of

pytestmark = pytest.mark.django_db


def _queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return result, len(ctx.captured_queries)


def test_a_published_version_is_read_from_the_database_once(cafe):
    structure.clear()
    version = published_checklist()
    first, n_first = _queries(lambda: checklist_form_sections(version, cafe.category_id))
    again, n_again = _queries(lambda: applicable_items(version, cafe.category_id))
    assert n_first >= 3  # sections, items, their categories (and violation types)
    assert n_again == 0
    assert [i.question for i in again] == [i.question for _s, items in first for i in items]
    assert len(again) == ChecklistItem.objects.filter(section__version=version).count()


def test_a_draft_is_read_afresh_and_its_publication_is_seen(cafe):
    structure.clear()
    version = published_checklist()
    applicable_items(version, cafe.category_id)
    draft = checklist_version_create_draft(template=template_of(version))
    item = ChecklistItem.objects.filter(section__version=draft).first()
    checklist_item_update(item=item, question="Có bình chữa cháy còn hạn")
    _, n = _queries(lambda: applicable_items(draft, cafe.category_id))
    assert n >= 2
    checklist_item_add(section=item.section, question="Lối thoát hiểm thông thoáng")
    assert "Lối thoát hiểm thông thoáng" in [i.question for i in applicable_items(draft, cafe.category_id)]
    published = checklist_version_publish(version=draft, user=None)
    assert published.status == VersionStatus.PUBLISHED
    questions = [i.question for i in applicable_items(published, cafe.category_id)]
    assert "Có bình chữa cháy còn hạn" in questions and "Lối thoát hiểm thông thoáng" in questions
    # The version it replaced keeps its own items.
    version.refresh_from_db()
    assert "Lối thoát hiểm thông thoáng" not in [
        i.question for i in applicable_items(version, cafe.category_id)
    ]


def test_the_form_page_of_a_published_checklist_needs_fewer_queries_once_read(client, alice, cafe, checklist):
    structure.clear()
    client.force_login(alice)
    url = reverse("inspections:new") + f"?business={cafe.pk}"
    with CaptureQueriesContext(connection) as cold:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        page = client.get(url)
    assert len(warm.captured_queries) <= len(cold.captured_queries) - 3
    for item in applicable_items(checklist, cafe.category_id):
        assert item.question in page.content.decode()
