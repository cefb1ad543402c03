"""Campaigns are built through the services, as a leader would."""

import datetime

from businesses.models import Business
from campaigns import services
from campaigns.models import Campaign
from tests.businesses.factories import BusinessCategoryFactory, BusinessFactory  # noqa: F401
from violations.domains import Domain

STORY_DAY = datetime.date(2021, 11, 1)


def plan_campaign(*, leader, officers=(), name="Ra quân ngày 01/11", targets=(), **kwargs) -> Campaign:
    values = {
        "ward": leader.ward,
        "name": name,
        "plan_reference": "Kế hoạch số 1751/KH-CABĐ-XDPT",
        "starts_on": STORY_DAY,
        "ends_on": STORY_DAY,
        "domains": [Domain.SECURITY_ORDER, Domain.EPIDEMIC],
        "objectives": "Kiểm tra quét mã QR tại các quán cà phê.",
        "leader": leader,
        "officers": list(officers),
        "created_by": leader,
    }
    values.update(kwargs)
    campaign = services.campaign_create(**values)
    if targets:
        services.campaign_targets_add(campaign=campaign, businesses=targets)
    return campaign


def active_campaign(*, leader, targets: list[Business], **kwargs) -> Campaign:
    campaign = plan_campaign(leader=leader, targets=targets, **kwargs)
    return services.campaign_start(campaign=campaign, user=leader)
