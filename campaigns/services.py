"""Writes for campaigns: one service per state change (DESIGN.md)."""

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import MANAGER_ROLES
from businesses.models import Business
from documents.models import RegisterKind
from documents.register import register_issue
from inspections.models import Inspection
from violations.domains import Domain
from wards.models import Ward

from .models import Campaign, CampaignForce, CampaignStatus, CampaignTarget
from .selectors import campaign_results

SOURCE_PREFIX = "campaign:"


def _ensure_manager(user: User) -> None:
    if not (user.is_superuser or user.has_role(*MANAGER_ROLES)):
        raise ValidationError(_("Only the ward police leader or an administrator may do this."))


def _ensure_not_closed(campaign: Campaign) -> None:
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(_("This campaign is closed: its results can no longer change."))


@transaction.atomic
def campaign_create(
    *,
    ward: Ward,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    leader: User,
    created_by: User,
    plan_reference: str = "",
    domains: Sequence[str] = (),
    objectives: str = "",
    officers: Iterable[User] = (),
) -> Campaign:
    _ensure_manager(created_by)
    officers = list(officers)
    if ends_on < starts_on:
        raise ValidationError(_("The end date is before the start date."))
    if leader.ward_id != ward.pk or any(o.ward_id != ward.pk for o in officers):
        raise ValidationError(_("The leader and the officers must belong to the campaign's ward."))
    if any(d not in Domain.values for d in domains):
        raise ValidationError(_("Unknown domain."))
    campaign = Campaign.objects.create(
        ward=ward,
        name=name.strip(),
        plan_reference=plan_reference.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        domains=list(dict.fromkeys(domains)),
        objectives=objectives.strip(),
        leader=leader,
        created_by=created_by,
    )
    campaign.officers.set(officers)
    return campaign


@transaction.atomic
def campaign_force_set(
    *, campaign: Campaign, force_type: str, head_count: int, contact_person: str = "", contact_phone: str = ""
) -> CampaignForce:
    """Record (or correct) how many people a partner force sent."""
    _ensure_not_closed(campaign)
    if head_count < 1:
        raise ValidationError(_("A force takes part with at least one person."))
    force, _created = CampaignForce.objects.update_or_create(
        campaign=campaign,
        force_type=force_type,
        defaults={
            "head_count": head_count,
            "contact_person": contact_person.strip(),
            "contact_phone": contact_phone.strip(),
        },
    )
    return force


def _snapshot(business: Business) -> dict:
    return {
        "business_name": business.name,
        "address": business.address,
        "street_name": business.street.name if business.street_id else "",
        "residential_group_name": business.residential_group.name if business.residential_group_id else "",
        "category_name": business.category.name,
    }


@transaction.atomic
def campaign_targets_add(*, campaign: Campaign, businesses: Iterable[Business]) -> int:
    """Add businesses as targets, copying their name and address; returns how many were new."""
    _ensure_not_closed(campaign)
    businesses = list(businesses)
    if any(b.ward_id != campaign.ward_id for b in businesses):
        raise ValidationError(_("A target must be a business of the campaign's ward."))
    existing = set(campaign.targets.values_list("business_id", flat=True))
    new = [
        CampaignTarget(campaign=campaign, business=b, **_snapshot(b))
        for b in businesses
        if b.pk not in existing
    ]
    CampaignTarget.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def campaign_target_remove(*, target: CampaignTarget) -> None:
    _ensure_not_closed(target.campaign)
    if target.inspection_id:
        raise ValidationError(_("This business has already been inspected in the campaign."))
    target.delete()


@transaction.atomic
def campaign_targets_assign(*, campaign: Campaign, target_ids: Sequence[int], officer: User | None) -> int:
    """Give targets to an officer (None: unassign). Returns how many rows changed."""
    _ensure_not_closed(campaign)
    if officer is not None and officer.ward_id != campaign.ward_id:
        raise ValidationError(_("The officer must belong to the campaign's ward."))
    return campaign.targets.filter(pk__in=list(target_ids)).update(assigned_to=officer)


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


@transaction.atomic
def campaign_start(*, campaign: Campaign, user: User) -> Campaign:
    _ensure_manager(user)
    locked = _locked(campaign)
    if locked.status != CampaignStatus.PLANNED:
        raise ValidationError(_("Only a planned campaign can be started."))
    if not locked.targets.exists():
        raise ValidationError(_("Choose the businesses to visit before starting the campaign."))
    locked.status = CampaignStatus.ACTIVE
    locked.started_at = timezone.now()
    locked.save(update_fields=["status", "started_at"])
    return locked


@transaction.atomic
def campaign_close(*, campaign: Campaign, user: User) -> Campaign:
    """Close the campaign and freeze its results: the summary is stored, later inspections of
    its targets no longer attach to it."""
    _ensure_manager(user)
    locked = _locked(campaign)  # waits for an inspection being attached right now
    if locked.status != CampaignStatus.ACTIVE:
        raise ValidationError(_("Only a campaign under way can be closed."))
    locked.summary = campaign_results(locked)
    locked.status = CampaignStatus.CLOSED
    locked.closed_at = timezone.now()
    locked.closed_by = user
    locked.save(update_fields=["summary", "status", "closed_at", "closed_by"])
    # The report is final once the campaign is closed: it takes its number from the register.
    closed_on = timezone.localdate(locked.closed_at)
    register_issue(
        ward=locked.ward,
        kind=RegisterKind.CAMPAIGN_REPORT,
        year=closed_on.year,
        issued_on=closed_on,
        title=f"Báo cáo kết quả đợt ra quân: {locked.name}",
        signer=user,
        obj=locked,
    )
    return locked


def inspection_attach_to_campaign(inspection: Inspection) -> None:
    """Inspection hook: runs inside the transaction recording the inspection, so a refusal
    (ValidationError) leaves nothing saved."""
    if not inspection.source.startswith(SOURCE_PREFIX):
        return
    pk = int(inspection.source.removeprefix(SOURCE_PREFIX))
    campaign = Campaign.objects.select_for_update().filter(pk=pk, ward_id=inspection.ward_id).first()
    if campaign is None:
        raise ValidationError(_("This campaign does not exist in the business's ward."))
    if campaign.status == CampaignStatus.PLANNED:
        raise ValidationError(
            _("The campaign “%(name)s” has not started: inspections join it only while it is under way.")
            % {"name": campaign.name}
        )
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(
            _("The campaign “%(name)s” is closed: its results are final and take no more inspections.")
            % {"name": campaign.name}
        )
    target = campaign.targets.filter(business_id=inspection.business_id).first()
    if target is None:
        raise ValidationError(
            _("“%(business)s” is not one of the businesses the campaign “%(name)s” visits.")
            % {"business": inspection.business.name, "name": campaign.name}
        )
    target.inspection = inspection
    target.save(update_fields=["inspection"])


def campaign_sync_conflicts(user, business, source: str, started_at) -> list[str]:
    """Offline sync check: an inspection queued on a phone for a campaign that has been closed
    since is refused with the reason and what to do, instead of a bare validation error."""
    if not source.startswith(SOURCE_PREFIX):
        return []
    try:
        pk = int(source.removeprefix(SOURCE_PREFIX))
    except ValueError:
        return [_("The campaign this inspection was started for is not recognised.")]
    campaign = Campaign.objects.filter(pk=pk, ward_id=business.ward_id).first()
    if campaign is None:
        return [_("This campaign does not exist in the business's ward.")]
    if campaign.status == CampaignStatus.CLOSED:
        return [
            _(
                "The campaign “%(name)s” was closed while this inspection waited to be sent: its results "
                "are final. Ask the ward police leader whether to record it as an ordinary inspection."
            )
            % {"name": campaign.name}
        ]
    return []
