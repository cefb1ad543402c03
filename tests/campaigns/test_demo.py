import datetime

import pytest
from django.core.management import call_command

from campaigns.models import Campaign, CampaignStatus, CampaignTarget
from inspections.models import Inspection

pytestmark = pytest.mark.django_db


def test_seed_demo_recreates_the_ra_quan_of_1_11_2021_and_an_active_campaign_once(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = (Campaign.objects.count(), CampaignTarget.objects.count(), Inspection.objects.count())
    call_command("seed_demo")
    assert (Campaign.objects.count(), CampaignTarget.objects.count(), Inspection.objects.count()) == first

    story = Campaign.objects.get(plan_reference="Kế hoạch số 1751/KH-CABĐ-XDPT")
    assert story.starts_on == datetime.date(2021, 11, 1) and story.status == CampaignStatus.CLOSED
    assert story.ward.name == "Phường Điện Biên"
    assert {"security_order", "epidemic", "traffic"} <= set(story.domains)
    assert story.forces.filter(force_type="youth_union").exists() and story.summary["people"] >= 20
    totals = story.summary["totals"]
    # Most shops compliant; some cafés did not remind customers to scan the QR code.
    assert totals["inspected"] == totals["targets"] >= 6
    assert totals["passed"] > totals["inspected"] / 2 and totals["reminded"] + totals["failed"] >= 2
    assert totals["commitments"] >= 2

    active = Campaign.objects.get(status=CampaignStatus.ACTIVE)
    assert active.targets.filter(inspection__isnull=False).count() == 3
    assert active.targets.filter(assigned_to__username="officer1").exists()
