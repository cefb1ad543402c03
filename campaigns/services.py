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

from .models import Campaign, CampaignChange, CampaignForce, CampaignStatus, CampaignTarget, ChangeField
from .selectors import campaign_results

SOURCE_PREFIX = "campaign:"


def _ensure_manager(user: User) -> None:
    if not (user.is_superuser or user.has_role(*MANAGER_ROLES)):
        raise ValidationError(_("Only the ward police leader or an administrator may do this."))


def _ensure_not_closed(campaign: Campaign) -> None:
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(_("This campaign is closed: its results can no longer change."))


def _ensure_planned(campaign: Campaign) -> None:
    _ensure_not_closed(campaign)
    if campaign.status != CampaignStatus.PLANNED:
        raise ValidationError(
            _("The campaign is under way: only its partner forces and officers can change now.")
        )


def _log(campaign: Campaign, user: User | None, field: str, before: str, after: str) -> CampaignChange:
    return CampaignChange.objects.create(
        campaign=campaign, changed_by=user, field=field, before=before[:4000], after=after[:4000]
    )


def _person(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _people(users: Iterable[User]) -> str:
    return ", ".join(sorted(_person(u) for u in users))


def _dates(starts_on: datetime.date, ends_on: datetime.date) -> str:
    if starts_on == ends_on:
        return starts_on.strftime("%d/%m/%Y")
    return f"{starts_on:%d/%m/%Y} – {ends_on:%d/%m/%Y}"


def _domains(values: Sequence[str]) -> str:
    labels = dict(Domain.choices)
    return ", ".join(str(labels.get(d, d)) for d in values)


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
def campaign_update(
    *,
    campaign: Campaign,
    user: User,
    name: str | None = None,
    plan_reference: str | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    domains: Sequence[str] | None = None,
    objectives: str | None = None,
    leader: User | None = None,
    officers: Iterable[User] | None = None,
) -> list[CampaignChange]:
    """Edit a campaign after it was created, logging each change on it. While planned everything
    may change; while under way only the officers (the forces through campaign_force_set); a
    finished campaign never. Arguments left None stay as they are. Returns the changes logged."""
    _ensure_manager(user)
    locked = _locked(campaign)
    _ensure_not_closed(locked)
    starts_on = starts_on or locked.starts_on
    ends_on = ends_on or locked.ends_on
    new_officers = list(officers) if officers is not None else None
    current_officers = list(locked.officers.all())
    plan_changes: list[tuple[str, str, str]] = []
    if name is not None and name.strip() != locked.name:
        plan_changes.append((ChangeField.NAME, locked.name, name.strip()))
    if plan_reference is not None and plan_reference.strip() != locked.plan_reference:
        plan_changes.append((ChangeField.PLAN_REFERENCE, locked.plan_reference, plan_reference.strip()))
    if (starts_on, ends_on) != (locked.starts_on, locked.ends_on):
        plan_changes.append(
            (ChangeField.DATES, _dates(locked.starts_on, locked.ends_on), _dates(starts_on, ends_on))
        )
    domains = list(dict.fromkeys(domains)) if domains is not None else None
    if domains is not None and domains != locked.domains:
        plan_changes.append((ChangeField.DOMAINS, _domains(locked.domains), _domains(domains)))
    if objectives is not None and objectives.strip() != locked.objectives:
        plan_changes.append((ChangeField.OBJECTIVES, locked.objectives, objectives.strip()))
    if leader is not None and leader.pk != locked.leader_id:
        plan_changes.append((ChangeField.LEADER, _person(locked.leader), _person(leader)))
    if plan_changes:
        _ensure_planned(locked)
    if ends_on < starts_on:
        raise ValidationError(_("The end date is before the start date."))
    if (leader is not None and leader.ward_id != locked.ward_id) or any(
        o.ward_id != locked.ward_id for o in new_officers or ()
    ):
        raise ValidationError(_("The leader and the officers must belong to the campaign's ward."))
    if domains is not None and any(d not in Domain.values for d in domains):
        raise ValidationError(_("Unknown domain."))
    changes = [_log(locked, user, field, before, after) for field, before, after in plan_changes]
    if plan_changes:
        if name is not None:
            locked.name = name.strip()
        if plan_reference is not None:
            locked.plan_reference = plan_reference.strip()
        locked.starts_on, locked.ends_on = starts_on, ends_on
        if domains is not None:
            locked.domains = domains
        if objectives is not None:
            locked.objectives = objectives.strip()
        if leader is not None:
            locked.leader = leader
        locked.save()
    if new_officers is not None:
        _ensure_no_open_targets(locked, {o.pk for o in current_officers} - {o.pk for o in new_officers})
    if new_officers is not None and {o.pk for o in new_officers} != {o.pk for o in current_officers}:
        changes.append(
            _log(locked, user, ChangeField.OFFICERS, _people(current_officers), _people(new_officers))
        )
        locked.officers.set(new_officers)
    return changes


def _ensure_no_open_targets(campaign: Campaign, leaving: set[int]) -> None:
    """An officer leaves the campaign only once no target still waits for them: their visits
    would otherwise be left to nobody without anyone noticing."""
    if not leaving:
        return
    waiting = (
        campaign.targets.filter(assigned_to_id__in=leaving, inspection__isnull=True)
        .select_related("assigned_to")
        .order_by("assigned_to__full_name", "pk")
    )
    counts: dict[str, int] = {}
    for target in waiting:
        name = _person(target.assigned_to)
        counts[name] = counts.get(name, 0) + 1
    if counts:
        raise ValidationError(
            [
                _("%(officer)s still has %(n)d targets to visit: assign them to someone else first.")
                % {"officer": officer, "n": n}
                for officer, n in counts.items()
            ]
        )


@transaction.atomic
def campaign_force_set(
    *,
    campaign: Campaign,
    force_type: str,
    head_count: int,
    contact_person: str = "",
    contact_phone: str = "",
    user: User | None = None,
) -> CampaignForce:
    """Record (or correct) how many people a partner force sent, while planned or under way; a
    change to a force already recorded is logged on the campaign."""
    _ensure_not_closed(campaign)
    if head_count < 1:
        raise ValidationError(_("A force takes part with at least one person."))
    previous = CampaignForce.objects.filter(campaign=campaign, force_type=force_type).first()
    force, _created = CampaignForce.objects.update_or_create(
        campaign=campaign,
        force_type=force_type,
        defaults={
            "head_count": head_count,
            "contact_person": contact_person.strip(),
            "contact_phone": contact_phone.strip(),
        },
    )
    if user is not None and (previous is None or _force_text(previous) != _force_text(force)):
        _log(campaign, user, ChangeField.FORCE, _force_text(previous) if previous else "", _force_text(force))
    return force


def _force_text(force: CampaignForce) -> str:
    text = f"{force.get_force_type_display()}: {force.head_count}"
    return f"{text} ({force.contact_person})" if force.contact_person else text


@transaction.atomic
def campaign_force_remove(*, campaign: Campaign, force_type: str, user: User) -> None:
    """A partner force recorded by mistake, or that did not come."""
    _ensure_manager(user)
    _ensure_not_closed(campaign)
    force = CampaignForce.objects.filter(campaign=campaign, force_type=force_type).first()
    if force is None:
        raise ValidationError(_("This force is not recorded for the campaign."))
    _log(campaign, user, ChangeField.FORCE, _force_text(force), "")
    force.delete()


def _snapshot(business: Business) -> dict:
    return {
        "business_name": business.name,
        "address": business.address,
        "street_name": business.street.name if business.street_id else "",
        "residential_group_name": business.residential_group.name if business.residential_group_id else "",
        "category_name": business.category.name,
    }


@transaction.atomic
def campaign_targets_add(
    *, campaign: Campaign, businesses: Iterable[Business], user: User | None = None
) -> int:
    """Add businesses as targets while the campaign is planned, copying their name and address;
    returns how many were new. With a user, the additions are logged on the campaign."""
    _ensure_planned(campaign)
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
    if new and user is not None:
        _log(campaign, user, ChangeField.TARGETS_ADDED, "", "; ".join(t.business_name for t in new))
    return len(new)


@transaction.atomic
def campaign_targets_remove(*, campaign: Campaign, target_ids: Sequence[int], user: User) -> int:
    """Take targets off a planned campaign; returns how many were removed."""
    _ensure_manager(user)
    _ensure_planned(campaign)
    targets = list(campaign.targets.filter(pk__in=list(target_ids)).order_by("business_name"))
    if not targets:
        raise ValidationError(_("Tick the targets to remove."))
    if any(t.inspection_id for t in targets):
        raise ValidationError(_("This business has already been inspected in the campaign."))
    _log(campaign, user, ChangeField.TARGETS_REMOVED, "; ".join(t.business_name for t in targets), "")
    CampaignTarget.objects.filter(pk__in=[t.pk for t in targets]).delete()
    return len(targets)


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
