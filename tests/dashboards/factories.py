"""Dashboard test data: records made directly (the figures are what is under test, not the
services that write them)."""

import uuid
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from businesses.models import InspectionResult
from inspections.models import Commitment, Inspection
from tests.inspections.factories import published_checklist
from tests.violations.factories import ViolationTypeFactory
from violations.models import Violation, ViolationItem


def local(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """An aware datetime at `hour:minute` local time (Asia/Ho_Chi_Minh) on `day`."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def checklist():
    from inspections.models import ChecklistVersion, VersionStatus

    version = ChecklistVersion.objects.filter(status=VersionStatus.PUBLISHED).first()
    return version or published_checklist()


def inspection(business, officer, *, at: datetime, result: str = InspectionResult.PASSED) -> Inspection:
    return Inspection.objects.create(
        ward=business.ward,
        business=business,
        checklist_version=checklist(),
        submission_id=uuid.uuid4(),
        recorded_by=officer,
        person_present_name=business.owner_name,
        started_at=at - timedelta(minutes=20),
        finished_at=at,
        result=result,
        failed_count=1 if result == InspectionResult.FAILED else 0,
    )


def commitment(insp: Inspection, *, deadline: date, kept: bool = False) -> Commitment:
    return Commitment.objects.create(
        inspection=insp,
        business=insp.business,
        text="Cam kết không lấn chiếm vỉa hè",
        deadline=deadline,
        refused_to_sign=True,
        witness_name="Nguyễn Văn Tổ",
        fulfilled_at=insp.finished_at + timedelta(days=1) if kept else None,
    )


def violation(
    business,
    officer,
    *,
    at: datetime,
    stage: str = "reminder",
    repeat: bool = False,
    domain: str | None = None,
    due: date | None = None,
    street=None,
    group=None,
) -> Violation:
    v = Violation.objects.create(
        ward=business.ward,
        business=business,
        occurred_at=at,
        discovered_at=at,
        street=street if street is not None else business.street,
        residential_group=group if group is not None else business.residential_group,
        description="Bày hàng hóa lấn chiếm vỉa hè.",
        stage=stage,
        is_repeat=repeat,
        due_date=due or timezone.localtime(at).date() + timedelta(days=2),
        created_by=officer,
    )
    if domain:
        ViolationItem.objects.create(violation=v, violation_type=ViolationTypeFactory(domain=domain))
    return v
