"""Checklist versions: a published version never changes; editing makes a new version."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from inspections.models import ChecklistItem, ChecklistVersion, VersionStatus
from inspections.services import (
    checklist_item_add,
    checklist_item_update,
    checklist_section_add,
    checklist_version_create_draft,
    checklist_version_publish,
)
from violations.domains import Domain
from violations.models import ViolationType

from .factories import BusinessCategoryFactory, BusinessFactory, published_checklist, record, template_of

pytestmark = pytest.mark.django_db


def test_a_published_version_refuses_changes_through_the_services():
    version = published_checklist()
    item = ChecklistItem.objects.filter(section__version=version).first()
    with pytest.raises(ValidationError, match="không thể sửa nữa"):
        checklist_item_update(item=item, question="Câu hỏi đã sửa")
    with pytest.raises(ValidationError):
        checklist_section_add(version=version, domain=Domain.SANITATION)
    with pytest.raises(ValidationError):
        checklist_item_add(section=item.section, question="Câu mới")
    with pytest.raises(ValidationError):
        checklist_version_publish(version=version, user=None)
    item.refresh_from_db()
    assert item.question == "Mã QR được niêm yết và khách quét mã"


def test_editing_clones_the_published_version_into_a_draft_with_its_items():
    category = BusinessCategoryFactory(name="Karaoke", code="karaoke")
    version = published_checklist()
    first = ChecklistItem.objects.filter(section__version=version).first()
    first.categories.add(category)
    violation_type = ViolationType.objects.create(
        code="lan-chiem-via-he",
        domain=Domain.URBAN_ORDER,
        title="Lấn chiếm vỉa hè",
        decree="144/2021/NĐ-CP",
        article=7,
        valid_from="2021-12-31",
    )
    first.violation_types.add(violation_type)

    draft = checklist_version_create_draft(template=template_of(version))

    assert (draft.number, draft.status, draft.based_on) == (2, VersionStatus.DRAFT, version)
    questions = list(ChecklistItem.objects.filter(section__version=draft).values_list("question", flat=True))
    assert questions == list(
        ChecklistItem.objects.filter(section__version=version).values_list("question", flat=True)
    )
    clone = ChecklistItem.objects.get(section__version=draft, question=first.question)
    assert clone.pk != first.pk
    assert list(clone.categories.all()) == [category]
    assert list(clone.violation_types.all()) == [violation_type]
    # Asking again returns the same draft rather than a third version.
    assert checklist_version_create_draft(template=template_of(version)) == draft


def test_publishing_a_new_version_retires_the_old_one():
    version = published_checklist()
    draft = checklist_version_create_draft(template=template_of(version))
    checklist_item_update(
        item=ChecklistItem.objects.filter(section__version=draft).first(), question="Mã QR mới"
    )
    checklist_version_publish(version=draft, user=None)
    version.refresh_from_db()
    draft.refresh_from_db()
    assert version.status == VersionStatus.RETIRED and version.retired_at is not None
    assert draft.status == VersionStatus.PUBLISHED
    assert ChecklistVersion.objects.filter(status=VersionStatus.PUBLISHED).count() == 1


def test_an_empty_draft_cannot_be_published():
    version = published_checklist()
    draft = checklist_version_create_draft(template=template_of(version))
    ChecklistItem.objects.filter(section__version=draft).delete()
    with pytest.raises(ValidationError, match="ít nhất một nội dung"):
        checklist_version_publish(version=draft, user=None)


def test_old_inspections_keep_showing_the_wording_of_their_version(client, alice, ward_a):
    version = published_checklist()
    business = BusinessFactory(ward=ward_a)
    inspection = record(business=business, version=version, officer=alice)
    draft = checklist_version_create_draft(template=template_of(version))
    checklist_item_update(
        item=ChecklistItem.objects.get(section__version=draft, question__startswith="Mã QR"),
        question="Có nhân viên hướng dẫn khách khai báo y tế",
    )
    checklist_version_publish(version=draft, user=None)

    client.force_login(alice)
    page = client.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    assert "Mã QR được niêm yết và khách quét mã" in page
    assert "Có nhân viên hướng dẫn khách khai báo y tế" not in page
    assert "phiên bản 1" in page
    form = client.get(reverse("inspections:new") + f"?business={business.pk}").content.decode()
    assert "Có nhân viên hướng dẫn khách khai báo y tế" in form


def test_admin_shows_a_published_version_read_only_and_refuses_a_change(client, root):
    version = published_checklist()
    item = ChecklistItem.objects.filter(section__version=version).first()
    client.force_login(root)
    url = reverse("admin:inspections_checklistsection_change", args=[item.section_id])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="items-0-question"' not in page.content.decode()
    response = client.post(url, {"version": version.pk, "domain": "epidemic", "title": "Sửa", "position": 1})
    assert response.status_code == 403
    item.section.refresh_from_db()
    assert item.section.title == ""


def test_admin_publishes_a_draft_with_the_action_and_creates_the_next_draft(client, root):
    version = published_checklist()
    template = template_of(version)
    client.force_login(root)
    client.post(
        reverse("admin:inspections_checklisttemplate_changelist"),
        {"action": "new_draft", "_selected_action": [template.pk]},
    )
    draft = template.versions.get(status=VersionStatus.DRAFT)
    edit = client.get(reverse("admin:inspections_checklistversion_change", args=[draft.pk]))
    assert 'name="sections-0-title"' in edit.content.decode()
    client.post(
        reverse("admin:inspections_checklistversion_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    version.refresh_from_db()
    assert (draft.status, version.status) == (VersionStatus.PUBLISHED, VersionStatus.RETIRED)
