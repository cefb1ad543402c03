"""A frozen checklist's sections and items, and which versions are published, are read through the
cache (ward_police/refdata.py) until a write to the checklists; a draft is always read afresh."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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


def test_a_published_version_is_read_from_the_database_once(cafe, committed):
    with committed():
        version = published_checklist()
    first, n_first = _queries(lambda: checklist_form_sections(version, cafe.category_id))
    again, n_again = _queries(lambda: applicable_items(version, cafe.category_id))
    assert n_first >= 3  # sections, items, their categories (and violation types)
    assert n_again == 0
    assert [i.question for i in again] == [i.question for _s, items in first for i in items]
    assert len(again) == ChecklistItem.objects.filter(section__version=version).count()


def test_a_draft_is_read_afresh_and_its_publication_is_seen(cafe, committed):
    with committed():
        version = published_checklist()
    applicable_items(version, cafe.category_id)
    with committed():
        draft = checklist_version_create_draft(template=template_of(version))
        item = ChecklistItem.objects.filter(section__version=draft).first()
        checklist_item_update(item=item, question="Có bình chữa cháy còn hạn")
    _, n = _queries(lambda: applicable_items(draft, cafe.category_id))
    assert n >= 2
    with committed():
        checklist_item_add(section=item.section, question="Lối thoát hiểm thông thoáng")
    assert "Lối thoát hiểm thông thoáng" in [i.question for i in applicable_items(draft, cafe.category_id)]
    with committed():
        published = checklist_version_publish(version=draft, user=None)
    assert published.status == VersionStatus.PUBLISHED
    questions = [i.question for i in applicable_items(published, cafe.category_id)]
    assert "Có bình chữa cháy còn hạn" in questions and "Lối thoát hiểm thông thoáng" in questions
    # The version it replaced keeps its own items.
    version.refresh_from_db()
    assert "Lối thoát hiểm thông thoáng" not in [
        i.question for i in applicable_items(version, cafe.category_id)
    ]


def test_the_form_page_of_a_published_checklist_needs_fewer_queries_once_read(client, alice, cafe, committed):
    with committed():
        checklist = published_checklist()
    client.force_login(alice)
    url = reverse("inspections:new") + f"?business={cafe.pk}"
    with CaptureQueriesContext(connection) as cold:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        page = client.get(url)
    assert len(warm.captured_queries) <= len(cold.captured_queries) - 3
    for item in applicable_items(checklist, cafe.category_id):
        assert item.question in page.content.decode()


def test_which_checklists_are_published_follows_every_write_to_the_checklists(cafe, committed):
    """Published, retired, renamed, re-targeted or switched off: each write through the models (the
    admin's and the services' way) is read at once, and until then the list comes from the cache."""
    from businesses.models import BusinessCategory
    from inspections.models import ChecklistTemplate
    from inspections.selectors import published_checklists_for_business

    with committed():
        general = published_checklist(code="chung", name="Kiểm tra chung")
        fire = published_checklist(code="pccc", name="An toàn PCCC")
        other = BusinessCategory.objects.create(code="karaoke", name="Karaoke")
        for_karaoke = published_checklist(code="karaoke", name="Karaoke", category_ids=[other.pk])

    first, n_cold = _queries(lambda: published_checklists_for_business(cafe))
    assert [v.pk for v in first] == [fire.pk, general.pk]  # by name; the karaoke one is not for cafés
    again, n_warm = _queries(lambda: published_checklists_for_business(cafe))
    assert n_cold == 1 and n_warm == 0
    assert [v.template.name for v in again] == ["An toàn PCCC", "Kiểm tra chung"]
    assert again[0].template is not first[0].template  # each read builds its own instances

    template = ChecklistTemplate.objects.get(pk=general.template_id)
    with committed():
        template.name = "Đợt kiểm tra chung"
        template.save()
    assert [v.template.name for v in published_checklists_for_business(cafe)] == [
        "An toàn PCCC",
        "Đợt kiểm tra chung",
    ]
    # The karaoke checklist is given the cafés' category too: made for it, it comes first.
    with committed():
        ChecklistTemplate.objects.get(pk=for_karaoke.template_id).categories.add(cafe.category_id)
    listed = published_checklists_for_business(cafe)
    assert [v.pk for v in listed] == [for_karaoke.pk, fire.pk, general.pk]
    assert listed[0].for_categories and not listed[1].for_categories
    with committed():
        fire.status = VersionStatus.RETIRED
        fire.save()
        template.is_active = False
        template.save()
    assert [v.pk for v in published_checklists_for_business(cafe)] == [for_karaoke.pk]
    with committed():
        # A new draft of the karaoke checklist published: the list names the new version.
        draft = checklist_version_create_draft(template=template_of(for_karaoke))
        republished = checklist_version_publish(version=draft, user=None)
    assert [v.pk for v in published_checklists_for_business(cafe)] == [republished.pk]
    with committed():
        republished.delete()
    assert published_checklists_for_business(cafe) == []


def _form_version(page) -> int:
    """The checklist version the form page was opened with: its hidden ``version`` field."""
    found = re.search(r'<input type="hidden" name="version" value="(\d+)"', page.content.decode())
    assert found, "the form carries the version it was opened with"
    return int(found.group(1))


def test_inside_the_writing_transaction_reads_skip_the_cache_and_store_nothing(cafe, committed):
    """Until it commits, what a transaction wrote is not everyone's (and may be rolled back)."""
    from inspections.selectors import published_checklists_for_business

    with committed():
        version = published_checklist()
    assert [v.pk for v in published_checklists_for_business(cafe)] == [version.pk]
    version.status = VersionStatus.RETIRED
    version.save()  # not committed yet
    _, n = _queries(lambda: published_checklists_for_business(cafe))
    assert n == 1 and published_checklists_for_business(cafe) == []


def test_a_new_publication_is_the_version_the_form_opens(client, alice, cafe, committed):
    with committed():
        version = published_checklist()
    client.force_login(alice)
    url = reverse("inspections:new") + f"?business={cafe.pk}"
    assert _form_version(client.get(url)) == version.pk
    with committed():
        draft = checklist_version_create_draft(template=template_of(version))
        item = ChecklistItem.objects.filter(section__version=draft).first()
        checklist_item_update(item=item, question="Có bình chữa cháy còn hạn")
        published = checklist_version_publish(version=draft, user=None)
    page = client.get(url)
    assert _form_version(page) == published.pk != version.pk
    assert "Có bình chữa cháy còn hạn" in page.content.decode()
