"""Demo campaigns for phường Điện Biên: the source story's ra quân of 1/11/2021 (closed, with
its forces, targets and inspections) and one campaign under way today.

Idempotent: campaigns are found by their plan reference, inspections carry fixed submission ids.
"""

import datetime
import uuid
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from businesses.demo import STORY_BUSINESSES
from businesses.models import Business, BusinessStatus
from inspections.selectors import templates_for_business, version_in_force
from inspections.services import AnswerInput, CommitmentInput, applicable_items, inspection_record
from violations.domains import Domain
from wards.models import Ward

from . import services
from .models import Campaign, CampaignStatus, ForceType

DEMO_NAMESPACE = uuid.UUID("0b9c3d7e-2f41-4c8e-9a1b-5d6e7f801101")
STORY_PLAN = "Kế hoạch số 1751/KH-CABĐ-XDPT"
ACTIVE_PLAN = "Kế hoạch số 2207/KH-CAP"
STORY_DAY = datetime.date(2021, 11, 1)
STORY_FORCES = [
    (ForceType.YOUTH_UNION, 12, "Nguyễn Thu Hà (Bí thư Đoàn phường)"),
    (ForceType.CIVIL_DEFENCE, 8, "Trần Văn Lộc"),
    (ForceType.URBAN_STAFF, 3, "Phạm Đức Anh"),
    (ForceType.CULTURE_STAFF, 2, "Lê Minh Châu"),
]
# Business name -> question fragments that failed on the morning of 1/11/2021.
STORY_FAILURES = {
    "Cà phê Lê Trực": ["Mã QR", "vỉa hè", "Lối thoát nạn"],
    "Cà phê Nguyễn Tri Phương": ["Mã QR", "sổ ghi chép"],
    "Bún chả Điện Biên Phủ": ["Mã QR"],
}


def _story_signature() -> bytes:
    from inspections.demo import _signature_png

    return _signature_png()


def _record(
    *,
    campaign: Campaign,
    business: Business,
    officers: list[User],
    finished: datetime.datetime,
    failing: list[str],
    key: str,
    partner_forces: str,
) -> bool:
    # The checklist of the day: the 2021 ra quân checked QR codes, today's rounds do not (and
    # checklists written since did not exist then).
    in_force = (version_in_force(t, finished) for t in templates_for_business(business))
    version = next((v for v in in_force if v is not None), None)
    if version is None:
        return False
    items = applicable_items(version, business.category_id)
    failed_ids = {i.pk for i in items if any(f.lower() in i.question.lower() for f in failing)}
    answers = [
        AnswerInput(
            item_id=i.pk,
            status="fail" if i.pk in failed_ids else "pass",
            note="Đã nhắc nhở chủ cơ sở khắc phục ngay." if i.pk in failed_ids else "",
        )
        for i in items
    ]
    commitment = None
    if failed_ids:
        commitment = CommitmentInput(
            text="Cam kết nhắc khách quét mã QR, ghi sổ khách và chấp hành đúng quy định.",
            deadline=timezone.localdate(finished) + timedelta(days=3),
            signature_png=_story_signature(),
        )
    _inspection, created = inspection_record(
        submission_id=uuid.uuid5(DEMO_NAMESPACE, key),
        business=business,
        version=version,
        recorded_by=officers[0],
        inspectors=officers,
        person_present_name=business.owner_name,
        person_present_role="owner",
        partner_forces=partner_forces,
        started_at=finished - timedelta(minutes=20),
        finished_at=finished,
        answers=answers,
        commitment=commitment,
        source=f"campaign:{campaign.pk}",
    )
    return created


def _story_campaign(ward: Ward, leader: User, officers: list[User]) -> Campaign:
    campaign = Campaign.objects.filter(ward=ward, plan_reference=STORY_PLAN).first()
    if campaign is not None:
        return campaign
    campaign = services.campaign_create(
        ward=ward,
        name="Ra quân kiểm tra cơ sở kinh doanh ngày 01/11/2021",
        plan_reference=STORY_PLAN,
        starts_on=STORY_DAY,
        ends_on=STORY_DAY,
        domains=[Domain.SECURITY_ORDER, Domain.EPIDEMIC, Domain.TRAFFIC],
        objectives=(
            "Kiểm tra việc chấp hành quy định về an ninh trật tự, phòng chống dịch COVID-19 (quét mã QR, "
            "ghi sổ khách) và trật tự an toàn giao thông tại các cơ sở kinh doanh trên các tuyến phố."
        ),
        leader=leader,
        officers=officers,
        created_by=leader,
    )
    for force_type, count, contact in STORY_FORCES:
        services.campaign_force_set(
            campaign=campaign, force_type=force_type, head_count=count, contact_person=contact
        )
    names = [name for name, *_rest in STORY_BUSINESSES]
    businesses = list(
        Business.objects.filter(ward=ward, name__in=names).select_related(
            "street", "residential_group", "category"
        )
    )
    services.campaign_targets_add(campaign=campaign, businesses=businesses)
    for index, target in enumerate(campaign.targets.order_by("pk")):
        services.campaign_targets_assign(
            campaign=campaign, target_ids=[target.pk], officer=officers[index % len(officers)]
        )
    return campaign


def _play_story(campaign: Campaign, leader: User, officers: list[User]) -> int:
    if campaign.status == CampaignStatus.CLOSED:
        return 0
    if campaign.status == CampaignStatus.PLANNED:
        campaign = services.campaign_start(campaign=campaign, user=leader)
    morning = timezone.make_aware(datetime.datetime.combine(STORY_DAY, datetime.time(7, 30)))
    created = 0
    for index, target in enumerate(campaign.targets.select_related("business").order_by("pk")):
        created += _record(
            campaign=campaign,
            business=target.business,
            officers=[officers[index % len(officers)]],
            finished=morning + timedelta(minutes=25 * (index + 1)),
            failing=STORY_FAILURES.get(target.business_name, []),
            key=f"story:{target.business_id}",
            partner_forces="Đoàn thanh niên phường, bảo vệ dân phố, cán bộ đô thị",
        )
    services.campaign_close(campaign=campaign, user=leader)
    return created


def _active_campaign(ward: Ward, leader: User, officers: list[User]) -> tuple[Campaign, int]:
    campaign = Campaign.objects.filter(ward=ward, plan_reference=ACTIVE_PLAN).first()
    today = timezone.localdate()
    if campaign is None:
        campaign = services.campaign_create(
            ward=ward,
            name="Ra quân kiểm tra phòng cháy, chữa cháy cơ sở kinh doanh có điều kiện",
            plan_reference=ACTIVE_PLAN,
            starts_on=today,
            ends_on=today + timedelta(days=6),
            domains=[Domain.FIRE_SAFETY, Domain.CONDITIONAL_BUSINESS, Domain.RESIDENCE],
            objectives="Rà soát PCCC và việc thông báo lưu trú tại karaoke, nhà nghỉ, cầm đồ, quán bar.",
            leader=leader,
            officers=officers,
            created_by=leader,
        )
        services.campaign_force_set(
            campaign=campaign, force_type=ForceType.CIVIL_DEFENCE, head_count=6, contact_person="Trần Văn Lộc"
        )
        services.campaign_force_set(
            campaign=campaign,
            force_type=ForceType.SELF_MANAGEMENT,
            head_count=4,
            contact_person="Tổ tự quản số 2",
        )
        candidates = (
            Business.objects.filter(ward=ward, is_conditional=True)
            .exclude(status=BusinessStatus.CLOSED)
            .select_related("street", "residential_group", "category")
            .order_by("name")[:12]
        )
        services.campaign_targets_add(campaign=campaign, businesses=candidates)
        for index, target in enumerate(campaign.targets.order_by("pk")):
            services.campaign_targets_assign(
                campaign=campaign, target_ids=[target.pk], officer=officers[index % len(officers)]
            )
        campaign = services.campaign_start(campaign=campaign, user=leader)
    created = 0
    if campaign.status == CampaignStatus.ACTIVE:
        now = timezone.now()
        for index, target in enumerate(campaign.targets.select_related("business").order_by("pk")[:3]):
            if target.inspection_id:
                continue
            created += _record(
                campaign=campaign,
                business=target.business,
                officers=[officers[index % len(officers)]],
                finished=now - timedelta(minutes=30 * (3 - index)),
                failing=["Thông báo lưu trú"] if index == 1 else [],
                key=f"active:{campaign.pk}:{target.business_id}",
                partner_forces="Bảo vệ dân phố",
            )
    return campaign, created


def seed(*, main_ward: Ward) -> list[str]:
    leader = User.objects.filter(username="leader1", ward=main_ward).first()
    officers = list(
        User.objects.filter(username__in=["officer1", "officer2"], ward=main_ward).order_by("username")
    )
    if leader is None or not officers:
        return ["Campaigns: no leader or officers in the main ward, nothing seeded"]
    story = _story_campaign(main_ward, leader, officers)
    made = _play_story(story, leader, officers)
    active, made_active = _active_campaign(main_ward, leader, officers)
    return [
        f"Campaigns: “{story.name}” ({made} inspections new), “{active.name}” ({made_active} inspections new)"
    ]
