"""A campaign changes after it is created (issue #26.16): while planned its whole plan, forces and
targets; while under way only its forces and officers; finished, never. Every change is logged on
the campaign and shown on its page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from campaigns import services
from campaigns.forms import CampaignForm
from campaigns.models import CampaignChange, CampaignStatus, ChangeField, ForceType
from tests.factories import UserFactory, WardFactory

from .factories import STORY_DAY, active_campaign, plan_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def oanh(ward_a):
    """A second officer of ward A."""
    return UserFactory(username="oanh", ward=ward_a, role=Role.OFFICER, full_name="Lê Thị Oanh")


def _date(day: datetime.date) -> str:
    """A date as the edit form's date widget writes it (the form reads it back the same way)."""
    return day.strftime(CampaignForm.base_fields["starts_on"].widget.format or "%Y-%m-%d")


def _plan_post(campaign, **changes) -> dict:
    data = {
        "name": campaign.name,
        "plan_reference": campaign.plan_reference,
        "starts_on": _date(campaign.starts_on),
        "ends_on": _date(campaign.ends_on),
        "domains": campaign.domains,
        "objectives": campaign.objectives,
        "leader": campaign.leader_id,
        "officers": [o.pk for o in campaign.officers.all()],
    }
    data.update(changes)
    return data


def test_leader_changes_a_planned_campaigns_dates_and_officers_and_the_page_shows_the_log(
    client, lena, alice, oanh, cafe
):
    campaign = plan_campaign(leader=lena, officers=[alice], targets=[cafe])
    client.force_login(lena)
    url = reverse("campaigns:edit", args=[campaign.pk])
    form = client.get(url).content.decode()
    assert f'value="{_date(STORY_DAY)}"' in form and 'name="name"' in form and "Lưu thay đổi" in form
    response = client.post(
        url,
        _plan_post(
            campaign,
            starts_on=_date(datetime.date(2021, 11, 3)),
            ends_on=_date(datetime.date(2021, 11, 5)),
            officers=[alice.pk, oanh.pk],
        ),
        follow=True,
    )
    page = response.content.decode()
    assert "Đã thay đổi đợt ra quân; thay đổi được ghi lại trên trang của đợt." in page
    campaign.refresh_from_db()
    assert (campaign.starts_on, campaign.ends_on) == (datetime.date(2021, 11, 3), datetime.date(2021, 11, 5))
    assert set(campaign.officers.all()) == {alice, oanh}
    log = {c.field: c for c in CampaignChange.objects.filter(campaign=campaign)}
    assert set(log) == {ChangeField.DATES, ChangeField.OFFICERS}
    assert (log["dates"].before, log["dates"].after) == ("01/11/2021", "03/11/2021 – 05/11/2021")
    assert log["dates"].changed_by == lena
    assert log["officers"].after == "Lê Thị Oanh, Nguyễn Văn Minh"
    # The campaign's page shows the log: what, before, after and who.
    assert "Các thay đổi từ khi lập kế hoạch" in page
    assert "01/11/2021</td><td>03/11/2021 – 05/11/2021" in page
    assert ">Cán bộ tham gia</th><td>Nguyễn Văn Minh</td><td>Lê Thị Oanh, Nguyễn Văn Minh" in page


def test_saving_the_plan_unchanged_logs_nothing(client, lena, cafe):
    campaign = plan_campaign(leader=lena, targets=[cafe])
    client.force_login(lena)
    response = client.post(reverse("campaigns:edit", args=[campaign.pk]), _plan_post(campaign), follow=True)
    assert "Không có gì thay đổi." in response.content.decode()
    assert not CampaignChange.objects.exists()


def test_an_end_before_the_start_is_refused_and_nothing_changes(client, lena, cafe):
    campaign = plan_campaign(leader=lena, targets=[cafe])
    client.force_login(lena)
    response = client.post(
        reverse("campaigns:edit", args=[campaign.pk]),
        _plan_post(
            campaign,
            name="Tên mới",
            starts_on=_date(datetime.date(2021, 11, 5)),
            ends_on=_date(datetime.date(2021, 11, 2)),
        ),
    )
    assert response.status_code == 400
    assert "Ngày kết thúc trước ngày bắt đầu." in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.name == "Ra quân ngày 01/11" and campaign.starts_on == STORY_DAY
    assert not CampaignChange.objects.exists()


def test_a_planned_campaigns_forces_and_targets_change_and_are_logged(client, lena, cafe, pho):
    campaign = plan_campaign(leader=lena, targets=[cafe, pho])
    client.force_login(lena)
    force_url = reverse("campaigns:force", args=[campaign.pk])
    client.post(force_url, {"force_type": "youth_union", "head_count": 12, "contact_person": "Nguyễn Thu Hà"})
    client.post(force_url, {"force_type": "youth_union", "head_count": 15, "contact_person": "Nguyễn Thu Hà"})
    assert campaign.forces.get().head_count == 15
    client.post(reverse("campaigns:force_remove", args=[campaign.pk]), {"force_type": "youth_union"})
    assert not campaign.forces.exists()
    target = campaign.targets.get(business=pho)
    response = client.post(
        reverse("campaigns:targets_remove", args=[campaign.pk]), {"remove-targets": [target.pk]}, follow=True
    )
    assert "Đã bỏ 1 cơ sở khỏi đợt ra quân." in response.content.decode()
    assert list(campaign.targets.values_list("business_name", flat=True)) == ["Cà phê Lê Trực"]
    forces = list(
        campaign.changes.filter(field=ChangeField.FORCE).order_by("pk").values_list("before", "after")
    )
    assert forces == [
        ("", "Đoàn thanh niên: 12 (Nguyễn Thu Hà)"),
        ("Đoàn thanh niên: 12 (Nguyễn Thu Hà)", "Đoàn thanh niên: 15 (Nguyễn Thu Hà)"),
        ("Đoàn thanh niên: 15 (Nguyễn Thu Hà)", ""),
    ]
    removed = campaign.changes.get(field=ChangeField.TARGETS_REMOVED)
    assert removed.before == "Phở Lê Trực" and removed.changed_by == lena
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "Cơ sở bỏ khỏi danh sách" in page and "Phở Lê Trực" in page


def test_targets_added_on_the_page_are_logged(client, lena, cafe, pho, le_truc):
    campaign = plan_campaign(leader=lena)
    client.force_login(lena)
    client.post(reverse("campaigns:targets", args=[campaign.pk]), {"streets": [le_truc.pk]})
    added = campaign.changes.get(field=ChangeField.TARGETS_ADDED)
    assert added.after == "Cà phê Lê Trực; Phở Lê Trực" and added.changed_by == lena


def test_under_way_only_officers_and_forces_change(client, lena, alice, oanh, cafe):
    campaign = active_campaign(leader=lena, officers=[alice], targets=[cafe])
    client.force_login(lena)
    url = reverse("campaigns:edit", args=[campaign.pk])
    form = client.get(url).content.decode()
    assert 'name="officers"' in form and 'name="starts_on"' not in form and 'name="name"' not in form
    # Dates sent anyway are not part of the form and change nothing.
    client.post(
        url, {"officers": [alice.pk, oanh.pk], "starts_on": _date(datetime.date(2021, 11, 9)), "name": "Khác"}
    )
    campaign.refresh_from_db()
    assert set(campaign.officers.all()) == {alice, oanh}
    assert campaign.starts_on == STORY_DAY and campaign.name == "Ra quân ngày 01/11"
    client.post(
        reverse("campaigns:force", args=[campaign.pk]), {"force_type": "civil_defence", "head_count": 6}
    )
    assert list(campaign.changes.order_by("pk").values_list("field", flat=True)) == ["officers", "force"]


def test_under_way_the_plan_and_targets_are_refused_and_nothing_is_saved(client, lena, cafe, pho):
    campaign = active_campaign(leader=lena, targets=[cafe])
    refused = "đang diễn ra: chỉ có thể thay đổi lực lượng phối hợp và cán bộ"
    with pytest.raises(ValidationError, match=refused):
        services.campaign_update(campaign=campaign, user=lena, ends_on=datetime.date(2021, 11, 9))
    with pytest.raises(ValidationError, match="đang diễn ra"):
        services.campaign_targets_add(campaign=campaign, businesses=[pho], user=lena)
    client.force_login(lena)
    target = campaign.targets.get()
    response = client.post(
        reverse("campaigns:targets_remove", args=[campaign.pk]), {"remove-targets": [target.pk]}, follow=True
    )
    assert refused in response.content.decode()
    page = client.get(reverse("campaigns:targets", args=[campaign.pk])).content.decode()
    assert "Thêm vào đợt ra quân" not in page and "không thể thay đổi danh sách cơ sở" in page
    campaign.refresh_from_db()
    assert campaign.ends_on == STORY_DAY and campaign.targets.count() == 1
    assert not campaign.changes.exists()


def test_a_finished_campaign_cannot_be_edited(client, lena, alice, cafe):
    campaign = services.campaign_close(campaign=active_campaign(leader=lena, targets=[cafe]), user=lena)
    client.force_login(lena)
    url = reverse("campaigns:edit", args=[campaign.pk])
    response = client.post(url, {"officers": [alice.pk]}, follow=True)
    assert "Đợt ra quân đã kết thúc: kết quả không thể thay đổi nữa." in response.content.decode()
    assert client.get(url)["Location"] == reverse("campaigns:detail", args=[campaign.pk])
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.campaign_update(campaign=campaign, user=lena, officers=[alice])
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.campaign_force_set(
            campaign=campaign, force_type=ForceType.YOUTH_UNION, head_count=3, user=lena
        )
    assert not campaign.officers.exists() and not campaign.changes.exists()
    assert campaign.status == CampaignStatus.CLOSED
    assert (
        reverse("campaigns:edit", args=[campaign.pk])
        not in client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    )


def test_another_wards_leader_gets_404_and_changes_nothing(client, lena, cafe):
    campaign = plan_campaign(leader=lena, targets=[cafe])
    services.campaign_force_set(campaign=campaign, force_type=ForceType.YOUTH_UNION, head_count=4)
    other = UserFactory(username="leo", ward=WardFactory(code="C-X"), role=Role.LEADER)
    client.force_login(other)
    edit = reverse("campaigns:edit", args=[campaign.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, _plan_post(campaign, name="Bị sửa")).status_code == 404
    target = campaign.targets.get()
    remove = reverse("campaigns:targets_remove", args=[campaign.pk])
    assert client.post(remove, {"remove-targets": [target.pk]}).status_code == 404
    force_remove = reverse("campaigns:force_remove", args=[campaign.pk])
    assert client.post(force_remove, {"force_type": "youth_union"}).status_code == 404
    campaign.refresh_from_db()
    assert campaign.name == "Ra quân ngày 01/11" and campaign.targets.count() == 1
    assert campaign.forces.count() == 1 and not campaign.changes.exists()


def test_officers_cannot_edit_a_campaign(client, lena, alice, cafe):
    campaign = plan_campaign(leader=lena, targets=[cafe])
    client.force_login(alice)
    assert client.get(reverse("campaigns:edit", args=[campaign.pk])).status_code == 403
    with pytest.raises(ValidationError):
        services.campaign_update(campaign=campaign, user=alice, name="Khác")
    campaign.refresh_from_db()
    assert campaign.name == "Ra quân ngày 01/11"


def test_an_officer_with_targets_left_to_visit_cannot_leave_the_campaign(
    client, lena, alice, oanh, cafe, pho
):
    campaign = active_campaign(leader=lena, officers=[alice, oanh], targets=[cafe, pho])
    services.campaign_targets_assign(
        campaign=campaign, target_ids=list(campaign.targets.values_list("pk", flat=True)), officer=alice
    )
    client.force_login(lena)
    response = client.post(reverse("campaigns:edit", args=[campaign.pk]), {"officers": [oanh.pk]})
    assert response.status_code == 400
    assert (
        "Nguyễn Văn Minh còn 2 cơ sở chưa kiểm tra: hãy giao cho người khác trước."
        in response.content.decode()
    )
    assert set(campaign.officers.all()) == {alice, oanh} and not campaign.changes.exists()
    # Once the targets are given to Oanh, Alice may leave.
    services.campaign_targets_assign(
        campaign=campaign, target_ids=list(campaign.targets.values_list("pk", flat=True)), officer=oanh
    )
    client.post(reverse("campaigns:edit", args=[campaign.pk]), {"officers": [oanh.pk]})
    assert list(campaign.officers.all()) == [oanh]
    assert campaign.changes.get().after == "Lê Thị Oanh"
