"""Inspections join a campaign through the inspections hook, only while it is under way."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns import services
from inspections.models import Inspection
from tests.inspections.conftest import form_data
from tests.inspections.factories import record

from .factories import BusinessFactory, active_campaign, plan_campaign

pytestmark = pytest.mark.django_db


def test_an_inspection_started_from_the_campaign_attaches_to_its_target(lena, alice, cafe, checklist):
    campaign = active_campaign(leader=lena, targets=[cafe])
    inspection = record(business=cafe, version=checklist, officer=alice, source=f"campaign:{campaign.pk}")
    assert campaign.targets.get().inspection == inspection


def test_an_inspection_without_the_campaign_source_does_not_attach(lena, alice, cafe, checklist):
    campaign = active_campaign(leader=lena, targets=[cafe])
    record(business=cafe, version=checklist, officer=alice)
    assert campaign.targets.get().inspection is None


def test_a_planned_campaign_refuses_inspections_and_nothing_is_saved(lena, alice, cafe, checklist):
    campaign = plan_campaign(leader=lena, targets=[cafe])
    with pytest.raises(ValidationError, match="chưa bắt đầu"):
        record(business=cafe, version=checklist, officer=alice, source=f"campaign:{campaign.pk}")
    assert not Inspection.objects.exists()
    cafe.refresh_from_db()
    assert cafe.last_inspected_at is None


def test_a_closed_campaign_refuses_inspections_and_its_results_stay_frozen(lena, alice, cafe, pho, checklist):
    campaign = active_campaign(leader=lena, targets=[cafe, pho])
    record(business=cafe, version=checklist, officer=alice, source=f"campaign:{campaign.pk}")
    campaign = services.campaign_close(campaign=campaign, user=lena)
    with pytest.raises(ValidationError, match="đã kết thúc"):
        record(business=pho, version=checklist, officer=alice, source=f"campaign:{campaign.pk}")
    # An inspection made later outside the campaign changes neither its targets nor its summary.
    record(business=pho, version=checklist, officer=alice)
    campaign.refresh_from_db()
    assert campaign.targets.get(business=pho).inspection is None
    assert campaign.summary["totals"]["inspected"] == 1


def test_a_business_that_is_not_a_target_is_refused(lena, alice, cafe, pho, checklist):
    campaign = active_campaign(leader=lena, targets=[cafe])
    with pytest.raises(ValidationError, match="không nằm trong danh sách cơ sở cần kiểm tra"):
        record(business=pho, version=checklist, officer=alice, source=f"campaign:{campaign.pk}")
    assert not Inspection.objects.exists()


def test_a_campaign_of_another_ward_is_refused(lena, bob, ward_b, cafe, checklist):
    campaign = active_campaign(leader=lena, targets=[cafe])
    theirs = BusinessFactory(ward=ward_b)
    with pytest.raises(ValidationError, match="không có ở phường của cơ sở"):
        record(business=theirs, version=checklist, officer=bob, source=f"campaign:{campaign.pk}")
    assert not Inspection.objects.exists()


def test_officer_inspects_from_the_board_with_business_and_campaign_filled_in(
    client, lena, alice, cafe, checklist
):
    campaign = active_campaign(leader=lena, targets=[cafe])
    client.force_login(alice)
    board = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    link = f"{reverse('inspections:new')}?business={cafe.pk}&amp;campaign={campaign.pk}"
    assert link in board
    form = client.get(
        f"{reverse('inspections:new')}?business={cafe.pk}&campaign={campaign.pk}"
    ).content.decode()
    assert f'value="campaign:{campaign.pk}"' in form
    data = form_data(cafe, checklist, alice, source=f"campaign:{campaign.pk}")
    response = client.post(f"{reverse('inspections:new')}?business={cafe.pk}&campaign={campaign.pk}", data)
    assert response.status_code == 302
    assert campaign.targets.get().inspection == Inspection.objects.get()


def test_the_inspection_form_shows_the_refusal_in_vietnamese(client, lena, alice, cafe, checklist):
    campaign = plan_campaign(leader=lena, targets=[cafe])
    client.force_login(alice)
    data = form_data(cafe, checklist, alice, source=f"campaign:{campaign.pk}")
    response = client.post(f"{reverse('inspections:new')}?business={cafe.pk}&campaign={campaign.pk}", data)
    assert response.status_code == 400
    assert "chưa bắt đầu" in response.content.decode()
    assert not Inspection.objects.exists()


def test_a_phone_queued_inspection_for_a_campaign_closed_meanwhile_is_explained_not_dropped(
    client, lena, alice, cafe, pho, checklist
):
    from tests.inspections.test_offline_sync import SYNC, queued

    campaign = active_campaign(leader=lena, targets=[cafe, pho])
    data = queued(pho, checklist, alice, source=f"campaign:{campaign.pk}")  # filled offline
    services.campaign_close(campaign=campaign, user=lena)

    client.force_login(alice)
    response = client.post(SYNC, data)

    assert response.status_code == 409
    assert any("đã kết thúc" in reason and "lãnh đạo" in reason for reason in response.json()["reasons"])
    assert not Inspection.objects.filter(business=pho).exists()
