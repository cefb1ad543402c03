"""planned → active → closed: who may move a campaign, and what closing freezes."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from campaigns import services
from campaigns.models import Campaign, CampaignStatus, ForceType
from tests.factories import UserFactory, WardFactory
from tests.inspections.factories import record

from .factories import active_campaign, plan_campaign

pytestmark = pytest.mark.django_db


def test_leader_plans_a_campaign_on_the_page(client, lena, alice):
    client.force_login(lena)
    response = client.post(
        reverse("campaigns:create"),
        {
            "name": "Ra quân ngày 01/11/2021",
            "plan_reference": "Kế hoạch số 1751/KH-CABĐ-XDPT",
            "starts_on": "2021-11-01",
            "ends_on": "2021-11-01",
            "domains": ["security_order", "epidemic", "traffic"],
            "objectives": "Kiểm tra quét mã QR",
            "leader": lena.pk,
            "officers": [alice.pk],
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "campaigns:targets", args=[campaign.pk]
    )
    assert (campaign.ward, campaign.status, campaign.domains) == (
        lena.ward,
        CampaignStatus.PLANNED,
        ["security_order", "epidemic", "traffic"],
    )
    assert list(campaign.officers.all()) == [alice]


def test_end_before_start_is_refused_and_nothing_saved(client, lena):
    client.force_login(lena)
    response = client.post(
        reverse("campaigns:create"),
        {
            "name": "X",
            "starts_on": "2021-11-02",
            "ends_on": "2021-11-01",
            "domains": ["epidemic"],
            "leader": lena.pk,
        },
    )
    assert response.status_code == 400
    assert "Ngày kết thúc trước ngày bắt đầu." in response.content.decode()
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("who", ["alice", "charlie"])
def test_officers_and_the_chairman_cannot_plan_or_move_campaigns(client, request, lena, cafe, who):
    campaign = plan_campaign(leader=lena, targets=[cafe])
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("campaigns:create")).status_code == 403
    assert client.post(reverse("campaigns:start", args=[campaign.pk])).status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PLANNED


def test_leader_starts_then_closes_a_campaign(client, lena, cafe):
    campaign = plan_campaign(leader=lena, targets=[cafe])
    client.force_login(lena)
    client.post(reverse("campaigns:start", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.ACTIVE and campaign.started_at
    response = client.post(reverse("campaigns:close", args=[campaign.pk]), {"confirm": "yes"}, follow=True)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED and campaign.summary["totals"]["targets"] == 1
    assert "Đợt ra quân đã kết thúc; kết quả đã được chốt." in response.content.decode()


def test_closing_with_targets_not_inspected_asks_to_confirm_how_many_are_left(
    client, lena, alice, cafe, pho, karaoke, checklist
):
    campaign = active_campaign(leader=lena, targets=[cafe, pho, karaoke])
    record(business=cafe, version=checklist, officer=alice, source=f"campaign:{campaign.pk}")
    client.force_login(lena)
    url = reverse("campaigns:close", args=[campaign.pk])
    # The board's button posts without confirming: the leader sees how many are left, nothing closes.
    asked = client.post(url)
    page = asked.content.decode()
    assert asked.status_code == 200
    assert "Còn 2 trong số 3 cơ sở chưa được kiểm tra." in page
    assert 'name="confirm" value="yes"' in page and "Vẫn kết thúc và chốt kết quả" in page
    assert client.get(url).content.decode().count("Còn 2 trong số 3 cơ sở chưa được kiểm tra.") == 1
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.ACTIVE and campaign.summary is None
    # Confirmed: closed, and the summary keeps the two targets as not inspected.
    done = client.post(url, {"confirm": "yes"}, follow=True)
    assert "Đợt ra quân đã kết thúc; kết quả đã được chốt." in done.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED
    assert campaign.summary["totals"]["targets"] == 3 and campaign.summary["totals"]["inspected"] == 1


def test_closing_with_every_target_inspected_needs_no_confirmation(client, lena, alice, cafe, checklist):
    campaign = active_campaign(leader=lena, targets=[cafe])
    record(business=cafe, version=checklist, officer=alice, source=f"campaign:{campaign.pk}")
    client.force_login(lena)
    response = client.post(reverse("campaigns:close", args=[campaign.pk]), follow=True)
    assert "Đợt ra quân đã kết thúc; kết quả đã được chốt." in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED


def test_closing_another_wards_campaign_is_a_404(client, lena, cafe):
    campaign = active_campaign(leader=lena, targets=[cafe])
    other_leader = UserFactory(username="leo", ward=WardFactory(code="C-X"), role=Role.LEADER)
    client.force_login(other_leader)
    url = reverse("campaigns:close", args=[campaign.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "yes"}).status_code == 404
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.ACTIVE


def test_a_campaign_without_targets_cannot_start(client, lena):
    campaign = plan_campaign(leader=lena)
    client.force_login(lena)
    response = client.post(reverse("campaigns:start", args=[campaign.pk]), follow=True)
    assert "Hãy chọn các cơ sở cần kiểm tra trước khi bắt đầu đợt ra quân." in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PLANNED


def test_status_only_moves_forward(lena, cafe):
    campaign = plan_campaign(leader=lena, targets=[cafe])
    with pytest.raises(ValidationError):
        services.campaign_close(campaign=campaign, user=lena)
    campaign = services.campaign_start(campaign=campaign, user=lena)
    with pytest.raises(ValidationError):
        services.campaign_start(campaign=campaign, user=lena)
    campaign = services.campaign_close(campaign=campaign, user=lena)
    with pytest.raises(ValidationError):
        services.campaign_close(campaign=campaign, user=lena)


def test_a_closed_campaign_takes_no_new_targets_or_forces(lena, cafe, pho):
    campaign = services.campaign_close(campaign=active_campaign(leader=lena, targets=[cafe]), user=lena)
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.campaign_targets_add(campaign=campaign, businesses=[pho])
    with pytest.raises(ValidationError):
        services.campaign_force_set(campaign=campaign, force_type=ForceType.YOUTH_UNION, head_count=5)
    assert campaign.targets.count() == 1 and not campaign.forces.exists()


def test_leader_records_a_partner_force(client, lena):
    campaign = plan_campaign(leader=lena)
    client.force_login(lena)
    client.post(
        reverse("campaigns:force", args=[campaign.pk]),
        {"force_type": "youth_union", "head_count": 12, "contact_person": "Nguyễn Thu Hà"},
    )
    response = client.get(reverse("campaigns:detail", args=[campaign.pk]))
    assert "Đoàn thanh niên" in response.content.decode()
    assert campaign.forces.get().head_count == 12
