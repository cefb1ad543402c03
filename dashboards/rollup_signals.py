"""Every ORM write of a rollup's source keeps the rollups exact (dashboards.rollups), in the
writer's transaction: the services write through save()/delete(), which send these signals.

Before a save or delete the row's stored key columns are read (one indexed query by primary key);
after it the old and the new keys are refreshed. The services' writes that send no
signal (bulk_create of a record's items, the import's bulk update of businesses) call
dashboards.rollups themselves. Writes that touch the dashboards but no rollup (campaigns,
assessments, streets and groups) only bump the ward's cached-dashboard version.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from . import rollups

_SEEN = "_rollup_seen"


def _stored(instance: Any, fields: tuple[str, ...]) -> tuple | None:
    """The columns as the database holds them before this write (None for a new row). Read from
    the database, not remembered from loading: an instance refreshed, or saved in a transaction
    that rolled back, would remember the wrong place."""
    if instance._state.adding or instance.pk is None:
        return None
    return type(instance)._base_manager.filter(pk=instance.pk).values_list(*fields).first()


def _before(fields: tuple[str, ...]):
    def handler(sender, instance, raw=False, **kwargs) -> None:
        if not raw and not rollups.is_suspended():
            instance.__dict__[_SEEN] = _stored(instance, fields)

    return handler


def _seen(instance: Any) -> tuple | None:
    return instance.__dict__.pop(_SEEN, None)


# --- inspections --------------------------------------------------------------------------------
INSPECTION_FIELDS = ("business_id", "ward_id", "finished_at", "result")


def _inspection_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if raw or rollups.is_suspended():
        return
    new = tuple(getattr(instance, f) for f in INSPECTION_FIELDS)
    business = instance._state.fields_cache.get("business")  # the service's own business: no query
    place = None
    if business is not None and business.pk == instance.business_id:
        place = (business.street_id or 0, business.residential_group_id or 0, business.category_id or 0)
    old = None if created else _seen(instance)
    rollups.inspection_changed(pk=instance.pk, old=old, new=new, place=place)


def _inspection_deleted(sender, instance, **kwargs) -> None:
    if rollups.is_suspended():
        return
    old = _seen(instance) or tuple(getattr(instance, f) for f in INSPECTION_FIELDS)
    rollups.inspection_changed(pk=instance.pk, old=old, new=None)


# --- businesses --------------------------------------------------------------------------------
BUSINESS_FIELDS = ("street_id", "residential_group_id", "category_id", "ward_id", "status")


def business_places(pks: list[int]) -> dict[int, tuple]:
    """The stored (street, group, category, ward) of these businesses, before a bulk update."""
    from businesses.models import Business

    return {
        row[0]: row[1:] for row in Business.objects.filter(pk__in=pks).values_list("pk", *BUSINESS_FIELDS)
    }


def business_saved(instance: Any, old: tuple | None, *, bump: bool = True) -> None:
    """The business was written: if its place changed, its counts move (also called by the import,
    which bumps the ward's version once for all its rows)."""
    new = tuple(getattr(instance, f) for f in BUSINESS_FIELDS)
    if old is not None and old[:3] != new[:3]:
        rollups.business_moved(
            instance.pk, (old[0] or 0, old[1] or 0, old[2] or 0), (new[0] or 0, new[1] or 0, new[2] or 0)
        )
        rollups.bump_ward_versions([old[3]])
    if bump and (old is None or old[3:] != new[3:]):  # created, or another ward or status
        for ward_id in {new[3], old[3] if old else None} - {None}:
            rollups.refresh_ward_businesses(ward_id)
    if bump:
        rollups.bump_ward_versions([instance.ward_id])


def _business_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw and not rollups.is_suspended():
        business_saved(instance, _seen(instance))


def _business_deleted(sender, instance, **kwargs) -> None:
    if not rollups.is_suspended():
        rollups.refresh_ward_businesses(instance.ward_id)


# --- per-day sources -----------------------------------------------------------------------------
def _day_keys(source: str, fields: tuple[str, ...], key_of):
    def refresh(instance, *, deleted: bool = False) -> None:
        if rollups.is_suspended():
            return
        keys = set()
        old = _seen(instance)
        if old is not None:
            keys |= set(key_of(*old))
        current = tuple(getattr(instance, f) for f in fields)
        keys |= set(key_of(*current))  # deleted: the row's own values (no row to read any more)
        for ward_id, day in sorted(k for k in keys if k[0] and k[1]):
            rollups.REFRESH[source](ward_id, day)

    def saved(sender, instance, raw=False, **kwargs) -> None:
        if not raw:
            refresh(instance)

    def deleted(sender, instance, **kwargs) -> None:
        refresh(instance, deleted=True)

    return _before(fields), saved, deleted


def _on(day_value):
    return rollups.local_day(day_value) if day_value is not None else None


VIOLATION_FIELDS = ("ward_id", "occurred_at")
violation_handlers = _day_keys("violation", VIOLATION_FIELDS, lambda ward, at: [(ward, _on(at))])
COMMITMENT_FIELDS = ("ward_id", "deadline")
commitment_handlers = _day_keys("commitment", COMMITMENT_FIELDS, lambda ward, deadline: [(ward, deadline)])
FEEDBACK_FIELDS = ("ward_id", "created_at")
feedback_handlers = _day_keys("feedback", FEEDBACK_FIELDS, lambda ward, at: [(ward, _on(at))])
DECISION_FIELDS = ("ward_id", "signed_at", "paid_on")
decision_handlers = _day_keys(
    "decision", DECISION_FIELDS, lambda ward, signed, paid: [(ward, _on(signed)), (ward, paid)]
)


def _item_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw or rollups.is_suspended():
        return
    from violations.models import Violation

    row = Violation.objects.filter(pk=instance.violation_id).values_list("ward_id", "occurred_at").first()
    if row is not None:
        rollups.refresh_violation_day(row[0], rollups.local_day(row[1]))


def _bump_ward(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        rollups.bump_ward_versions([getattr(instance, "ward_id", None)])


def _bump_campaign_ward(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        from campaigns.models import Campaign

        rollups.bump_ward_versions(
            Campaign.objects.filter(pk=instance.campaign_id).values_list("ward_id", flat=True)
        )


def connect() -> None:
    from businesses.models import Business, Feedback
    from campaigns.models import Campaign, CampaignTarget
    from criteria.models import Assessment
    from inspections.models import Commitment, Inspection
    from violations.models import SanctionDecision, TrackedBusiness, Violation, ViolationItem
    from wards.models import ResidentialGroup, Street

    uid = "dashboards.rollups"
    pre_save.connect(
        _before(INSPECTION_FIELDS), sender=Inspection, dispatch_uid=f"{uid}.inspection.pre", weak=False
    )
    post_save.connect(_inspection_saved, sender=Inspection, dispatch_uid=f"{uid}.inspection.save")
    post_delete.connect(_inspection_deleted, sender=Inspection, dispatch_uid=f"{uid}.inspection.delete")
    for model in (Business, TrackedBusiness):
        name = model.__name__
        pre_save.connect(_before(BUSINESS_FIELDS), sender=model, dispatch_uid=f"{uid}.{name}.pre", weak=False)
        post_save.connect(_business_saved, sender=model, dispatch_uid=f"{uid}.{name}.save")
    for model, (before, saved, deleted) in (
        (Violation, violation_handlers),
        (Commitment, commitment_handlers),
        (Feedback, feedback_handlers),
        (SanctionDecision, decision_handlers),
    ):
        name = model.__name__
        pre_save.connect(before, sender=model, dispatch_uid=f"{uid}.{name}.pre", weak=False)
        pre_delete.connect(before, sender=model, dispatch_uid=f"{uid}.{name}.predelete", weak=False)
        post_save.connect(saved, sender=model, dispatch_uid=f"{uid}.{name}.save", weak=False)
        post_delete.connect(deleted, sender=model, dispatch_uid=f"{uid}.{name}.delete", weak=False)
    post_save.connect(_item_changed, sender=ViolationItem, dispatch_uid=f"{uid}.item.save")
    post_delete.connect(_item_changed, sender=ViolationItem, dispatch_uid=f"{uid}.item.delete")
    for model in (Business, TrackedBusiness):
        post_delete.connect(
            _business_deleted, sender=model, dispatch_uid=f"{uid}.{model.__name__}.delete", weak=False
        )
    for model in (Campaign, Assessment, Street, ResidentialGroup, Business):
        post_delete.connect(_bump_ward, sender=model, dispatch_uid=f"{uid}.{model.__name__}.bump.delete")
    for model in (Campaign, Assessment, Street, ResidentialGroup):
        post_save.connect(_bump_ward, sender=model, dispatch_uid=f"{uid}.{model.__name__}.bump.save")
    post_save.connect(_bump_campaign_ward, sender=CampaignTarget, dispatch_uid=f"{uid}.target.save")
    post_delete.connect(_bump_campaign_ward, sender=CampaignTarget, dispatch_uid=f"{uid}.target.delete")
