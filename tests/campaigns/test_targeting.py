"""Choosing the businesses a campaign visits, and keeping that list as it was chosen."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from businesses.models import Business, BusinessStatus
from campaigns import selectors, services
from campaigns.models import CampaignTarget

from .factories import BusinessFactory, plan_campaign

pytestmark = pytest.mark.django_db


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


def test_targets_chosen_by_street(lena, cafe, karaoke, pho, le_truc):
    campaign = plan_campaign(leader=lena)
    assert names(selectors.target_candidates(campaign=campaign, street_ids=[le_truc.pk])) == {
        "Cà phê Lê Trực",
        "Phở Lê Trực",
    }


def test_targets_chosen_by_residential_group(lena, cafe, karaoke, pho, group_3):
    campaign = plan_campaign(leader=lena)
    assert names(selectors.target_candidates(campaign=campaign, group_ids=[group_3.pk])) == {"Cà phê Lê Trực"}


def test_targets_chosen_by_category(lena, cafe, karaoke, pho, karaoke_category):
    campaign = plan_campaign(leader=lena)
    assert names(selectors.target_candidates(campaign=campaign, category_ids=[karaoke_category.pk])) == {
        "Karaoke Hoàng Diệu"
    }


def test_targets_not_inspected_for_n_months_include_never_inspected(lena, cafe, karaoke, pho):
    now = timezone.now()
    Business.objects.filter(pk=cafe.pk).update(last_inspected_at=now - timedelta(days=20))
    Business.objects.filter(pk=karaoke.pk).update(last_inspected_at=now - timedelta(days=200))
    campaign = plan_campaign(leader=lena)
    assert names(selectors.target_candidates(campaign=campaign, not_inspected_months=3)) == {
        "Karaoke Hoàng Diệu",
        "Phở Lê Trực",
    }


def test_criteria_combine_and_businesses_picked_one_by_one_are_added(
    lena, cafe, karaoke, pho, le_truc, group_3
):
    campaign = plan_campaign(leader=lena)
    chosen = selectors.target_candidates(
        campaign=campaign, street_ids=[le_truc.pk], group_ids=[group_3.pk], business_ids=[karaoke.pk]
    )
    assert names(chosen) == {"Cà phê Lê Trực", "Karaoke Hoàng Diệu"}


def test_closed_businesses_and_other_wards_are_never_candidates(lena, ward_b, cafe, le_truc):
    BusinessFactory(ward=ward_a_of(lena), street=le_truc, name="Quán đã đóng", status=BusinessStatus.CLOSED)
    other = BusinessFactory(ward=ward_b, name="Quán phường khác")
    campaign = plan_campaign(leader=lena)
    chosen = selectors.target_candidates(campaign=campaign, street_ids=[le_truc.pk], business_ids=[other.pk])
    assert names(chosen) == {"Cà phê Lê Trực"}


def ward_a_of(user):
    return user.ward


def test_target_list_is_a_snapshot_that_registry_changes_do_not_rewrite(lena, cafe):
    campaign = plan_campaign(leader=lena, targets=[cafe])
    cafe.name = "Cà phê Mới"
    cafe.house_number = "99"
    cafe.save()
    target = CampaignTarget.objects.get(campaign=campaign)
    assert (target.business_name, target.address, target.street_name, target.residential_group_name) == (
        "Cà phê Lê Trực",
        "Số 7 Lê Trực",
        "Lê Trực",
        "Tổ dân phố số 3",
    )


def test_adding_the_same_business_twice_keeps_one_row(lena, cafe):
    campaign = plan_campaign(leader=lena, targets=[cafe])
    assert services.campaign_targets_add(campaign=campaign, businesses=[cafe]) == 0
    assert campaign.targets.count() == 1


def test_a_business_of_another_ward_cannot_be_a_target(lena, ward_b):
    campaign = plan_campaign(leader=lena)
    with pytest.raises(ValidationError):
        services.campaign_targets_add(campaign=campaign, businesses=[BusinessFactory(ward=ward_b)])
    assert campaign.targets.count() == 0


def test_leader_adds_targets_by_street_on_the_page(client, lena, cafe, pho, karaoke, le_truc):
    campaign = plan_campaign(leader=lena)
    client.force_login(lena)
    response = client.post(
        reverse("campaigns:targets", args=[campaign.pk]), {"streets": [le_truc.pk]}, follow=True
    )
    assert "2 cơ sở đã được thêm vào đợt ra quân." in response.content.decode()
    assert set(campaign.targets.values_list("business_name", flat=True)) == {"Cà phê Lê Trực", "Phở Lê Trực"}


def test_choosing_nothing_is_refused_with_a_message(client, lena, cafe):
    campaign = plan_campaign(leader=lena)
    client.force_login(lena)
    response = client.post(reverse("campaigns:targets", args=[campaign.pk]), {})
    assert response.status_code == 400
    assert "Hãy chọn ít nhất một cách chọn cơ sở cần kiểm tra." in response.content.decode()


def test_leader_assigns_targets_to_an_officer(client, lena, alice, cafe, pho):
    campaign = plan_campaign(leader=lena, officers=[alice], targets=[cafe, pho])
    target = campaign.targets.get(business=cafe)
    client.force_login(lena)
    client.post(
        reverse("campaigns:assign", args=[campaign.pk]), {"targets": [target.pk], "officer": alice.pk}
    )
    assert list(campaign.targets.filter(assigned_to=alice).values_list("business_name", flat=True)) == [
        "Cà phê Lê Trực"
    ]


def test_an_officer_of_another_ward_cannot_be_assigned(lena, bob, cafe):
    campaign = plan_campaign(leader=lena, targets=[cafe])
    with pytest.raises(ValidationError):
        services.campaign_targets_assign(
            campaign=campaign, target_ids=list(campaign.targets.values_list("pk", flat=True)), officer=bob
        )
