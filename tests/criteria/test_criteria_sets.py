"""Criteria sets: a published set never changes; clone, import and export."""

import json
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from criteria import services
from criteria.models import CriteriaSet, Criterion, SetStatus

from .factories import CriterionFactory, GroupFactory, ThresholdFactory, published_set

pytestmark = pytest.mark.django_db


def test_published_set_refuses_every_edit_through_the_services():
    criteria_set = published_set()
    criterion = Criterion.objects.get(group__criteria_set=criteria_set, code="1.1")
    group = criterion.group
    attempts = [
        lambda: services.criteria_set_update(criteria_set=criteria_set, name="Đổi tên"),
        lambda: services.criterion_update(criterion=criterion, max_points=D(20)),
        lambda: services.criterion_add(group=group, code="1.9", text="Mới", max_points=D(1)),
        lambda: services.criterion_delete(criterion=criterion),
        lambda: services.criteria_group_add(criteria_set=criteria_set, code="IX", name="Mới"),
        lambda: services.threshold_add(criteria_set=criteria_set, label="Xuất sắc", minimum_total=D(19)),
        lambda: services.criteria_set_publish(criteria_set=criteria_set),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="đã ban hành"):
            attempt()
    criterion.refresh_from_db()
    assert criterion.max_points == D(10)
    assert Criterion.objects.filter(group__criteria_set=criteria_set).count() == 3
    assert CriteriaSet.objects.get(pk=criteria_set.pk).name == "Bộ tiêu chí kiểu mẫu thử"


def test_a_stale_draft_instance_cannot_slip_an_edit_past_publication():
    criteria_set = published_set()
    stale = CriteriaSet.objects.get(pk=criteria_set.pk)
    stale.status = SetStatus.DRAFT  # as if loaded before it was published
    with pytest.raises(ValidationError):
        services.criteria_set_update(criteria_set=stale, name="Đổi tên")


def test_published_set_is_read_only_in_the_admin(client, root):
    criteria_set = published_set()
    client.force_login(root)
    url = reverse("admin:criteria_criteriaset_change", args=[criteria_set.pk])
    page = client.get(url).content.decode()
    assert 'name="name"' not in page
    assert "thresholds-0-minimum_total" not in page
    response = client.post(url, {"name": "Đổi tên", "version": 1, "valid_from": "01/01/2024"})
    assert response.status_code == 403
    assert CriteriaSet.objects.get(pk=criteria_set.pk).name == "Bộ tiêu chí kiểu mẫu thử"
    group = criteria_set.groups.get(code="I")
    group_page = client.get(reverse("admin:criteria_criteriagroup_change", args=[group.pk])).content.decode()
    assert "criteria-0-max_points" not in group_page
    assert (
        client.post(reverse("admin:criteria_criteriaset_delete", args=[criteria_set.pk])).status_code == 403
    )


def test_draft_set_is_editable_in_the_admin(client, root):
    group = GroupFactory()
    client.force_login(root)
    page = client.get(
        reverse("admin:criteria_criteriaset_change", args=[group.criteria_set.pk])
    ).content.decode()
    assert 'name="name"' in page


def test_clone_makes_a_new_draft_version_with_the_same_content():
    original = published_set()
    clone = services.criteria_set_clone(criteria_set=original)
    assert (clone.name, clone.version, clone.status) == (original.name, 2, SetStatus.DRAFT)
    exported_original = services.criteria_set_export(original)
    exported_clone = services.criteria_set_export(clone)
    assert exported_clone == {**exported_original, "version": 2}
    services.criterion_update(
        criterion=Criterion.objects.get(group__criteria_set=clone, code="1.1"), max_points=D(12)
    )
    assert Criterion.objects.get(group__criteria_set=original, code="1.1").max_points == D(10)


def test_clone_action_in_the_admin(client, root):
    original = published_set()
    client.force_login(root)
    client.post(
        reverse("admin:criteria_criteriaset_changelist"),
        {"action": "clone_sets", "_selected_action": [original.pk]},
    )
    assert CriteriaSet.objects.filter(name=original.name, version=2, status=SetStatus.DRAFT).exists()


def test_export_then_import_round_trips_a_set(client, root):
    original = published_set()
    client.force_login(root)
    response = client.post(
        reverse("admin:criteria_criteriaset_changelist"),
        {"action": "export_sets", "_selected_action": [original.pk]},
    )
    assert response["Content-Disposition"].endswith('.json"')
    payload = json.loads(response.content)
    payload["sets"][0]["version"] = 7
    upload = json.dumps(payload, ensure_ascii=False).encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("admin:criteria_criteriaset_import"),
        {"file": SimpleUploadedFile("bo-tieu-chi.json", upload, content_type="application/json")},
    )
    assert response.status_code == 302
    imported = CriteriaSet.objects.get(name=original.name, version=7)
    assert imported.status == SetStatus.DRAFT
    assert services.criteria_set_export(imported) == {**services.criteria_set_export(original), "version": 7}


def test_importing_a_bad_file_says_why_and_creates_nothing(client, root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(root)
    url = reverse("admin:criteria_criteriaset_import")
    response = client.post(url, {"file": SimpleUploadedFile("x.json", b"{not json")})
    assert "Tệp không phải JSON hợp lệ" in response.content.decode()
    broken = {
        "format": services.EXPORT_FORMAT,
        "format_version": 1,
        "sets": [
            {
                "name": "Bộ lỗi",
                "version": 1,
                "valid_from": "2025-01-01",
                "thresholds": [],
                "groups": [
                    {
                        "code": "I",
                        "name": "Nhóm",
                        "criteria": [{"code": "1", "text": "x", "max_points": "abc"}],
                    }
                ],
            }
        ],
    }
    response = client.post(url, {"file": SimpleUploadedFile("x.json", json.dumps(broken).encode())})
    assert "không phải là số" in response.content.decode()
    assert not CriteriaSet.objects.filter(name="Bộ lỗi").exists()


def test_publishing_checks_each_criterion_and_the_thresholds():
    group = GroupFactory()
    with pytest.raises(ValidationError, match="mức xếp loại"):
        CriterionFactory(group=group)
        services.criteria_set_publish(criteria_set=group.criteria_set)
    ThresholdFactory(criteria_set=group.criteria_set)
    CriterionFactory(group=group, method="computed", metric_key="no_such_metric", mapping="linear")
    with pytest.raises(ValidationError, match="chỉ số"):
        services.criteria_set_publish(criteria_set=group.criteria_set)
    assert CriteriaSet.objects.get(pk=group.criteria_set.pk).status == SetStatus.DRAFT


def test_criterion_validation_rejects_bad_mappings():
    group = GroupFactory()
    bad = [
        {
            "method": "computed",
            "metric_key": "conditional_certified",
            "mapping": "linear",
            "lower_bound": 100,
            "upper_bound": 80,
        },
        {
            "method": "computed",
            "metric_key": "conditional_certified",
            "mapping": "steps",
            "steps": [{"threshold": 90, "points": 50}],
        },
        {"method": "computed", "metric_key": "conditional_certified", "mapping": ""},
        {
            "kind": "pass_fail",
            "method": "computed",
            "metric_key": "conditional_certified",
            "mapping": "linear",
        },
    ]
    for fields in bad:
        with pytest.raises(ValidationError):
            services.criterion_add(group=group, code="9.9", text="Thử", max_points=D(10), **fields)
    assert not Criterion.objects.filter(code="9.9").exists()
    good = services.criterion_add(
        group=group,
        code="9.9",
        text="Thử",
        max_points=D(10),
        method="computed",
        metric_key="conditional_certified",
        mapping="steps",
        steps=[{"threshold": 95, "points": 10}, {"threshold": 80, "points": 5}],
    )
    assert good.pk
