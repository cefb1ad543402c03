"""Writes to businesses: one service per state change (DESIGN.md)."""

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wards.models import Ward

from .importing import ImportCheck, ImportFileError, check_import
from .models import Business, BusinessImport, PersonalDataAccess, PersonalField, new_public_token
from .models_public import WithdrawnPublicToken
from .public import TOKEN_PREFIX_LENGTH, forget_public_page

EDITABLE_FIELDS = (
    "name",
    "category",
    "is_conditional",
    "certificate_number",
    "certificate_expiry",
    "owner_name",
    "owner_id_number",
    "owner_phone",
    "house_number",
    "street",
    "residential_group",
    "latitude",
    "longitude",
    "registration_number",
    "status",
)

logger = logging.getLogger(__name__)


def _check_same_ward(*, ward: Ward, data: dict[str, Any]) -> None:
    """Street and residential group must belong to the business's ward, whatever the form said."""
    errors = {}
    street = data.get("street")
    if street is not None and street.ward_id != ward.pk:
        errors["street"] = _("This street is not in your ward.")
    group = data.get("residential_group")
    if group is not None and group.ward_id != ward.pk:
        errors["residential_group"] = _("This residential group is not in your ward.")
    if errors:
        raise ValidationError(errors)


def _save(business: Business, *, update_fields: list[str] | None = None) -> Business:
    business.search_text = business.compute_search_text()
    try:
        with transaction.atomic():
            if update_fields is None:
                business.save()
            else:
                business.save(update_fields=[*update_fields, "search_text", "updated_by", "updated_at"])
    except IntegrityError as exc:
        raise ValidationError(
            {"registration_number": _("Another business of this ward has this registration number.")}
        ) from exc
    return business


def business_create(*, ward: Ward, user, data: dict[str, Any]) -> Business:
    _check_same_ward(ward=ward, data=data)
    business = Business(ward=ward, created_by=user, updated_by=user)
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(business, field, data[field])
    if business.category_id and business.category.requires_security_certificate:
        business.is_conditional = True
    return _save(business)


def business_update(*, business: Business, user, data: dict[str, Any]) -> Business:
    _check_same_ward(ward=business.ward, data=data)
    changed = [f for f in EDITABLE_FIELDS if f in data]
    for field in changed:
        setattr(business, field, data[field])
    if business.category.requires_security_certificate and not business.is_conditional:
        business.is_conditional = True
        changed.append("is_conditional")
    business.updated_by = user
    return _save(business, update_fields=sorted(set(changed)))


def business_rotate_token(*, business: Business, user, reason: str = "") -> Business:
    """A new public token: the old QR poster stops working (e.g. a poster was misused).

    The old token is kept, so scanning an old poster says "withdrawn" rather than "not found"."""
    old = business.public_token
    with transaction.atomic():
        WithdrawnPublicToken.objects.create(
            business=business,
            token=old,
            code_prefix=old[:TOKEN_PREFIX_LENGTH],
            withdrawn_by=user,
            reason=reason[:300],
        )
        business.public_token = new_public_token()
        business.updated_by = user
        business.save(update_fields=["public_token", "updated_by", "updated_at"])
    transaction.on_commit(lambda: forget_public_page(old))
    logger.info("public code of business %s withdrawn by user %s", business.pk, getattr(user, "pk", None))
    return business


def business_refresh_search_text(*, queryset: QuerySet[Business], batch_size: int = 1000) -> int:
    """Recompute search_text, e.g. after a street or residential group was renamed."""
    count = 0
    batch: list[Business] = []
    for business in queryset.select_related("street", "residential_group").iterator(chunk_size=batch_size):
        text = business.compute_search_text()
        if text != business.search_text:
            business.search_text = text
            batch.append(business)
        if len(batch) >= batch_size:
            count += Business.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        count += Business.objects.bulk_update(batch, ["search_text"])
    return count


def personal_data_log(
    *, user, business: Business, fields: Iterable[str], purpose: str
) -> list[PersonalDataAccess]:
    """Record that `user` was shown `fields` of `business` in full (Decree 13/2023/NĐ-CP)."""
    now = timezone.now()
    rows = [
        PersonalDataAccess(
            ward_id=business.ward_id,
            user=user,
            user_label=f"{user.get_full_name() or user.username} ({user.username})"[:200],
            business=business,
            business_label=f"{business.name} (#{business.pk})"[:200],
            field=PersonalField(field),
            purpose=PersonalDataAccess.Purpose(purpose),
            accessed_at=now,
        )
        for field in fields
        if getattr(business, field)
    ]
    return PersonalDataAccess.objects.bulk_create(rows)


# --- import ---------------------------------------------------------------------------------

PENDING_IMPORT_LIFETIME = timedelta(days=1)


def business_import_upload(*, user, ward: Ward, file_name: str, content: bytes) -> BusinessImport:
    """Keep an uploaded file for preview and confirmation, in the database (any web process can
    read it back). The same user's stale pending uploads go: they hold personal data."""
    BusinessImport.objects.filter(
        uploaded_by=user,
        status=BusinessImport.Status.PENDING,
        created_at__lt=timezone.now() - PENDING_IMPORT_LIFETIME,
    ).delete()
    return BusinessImport.objects.create(
        ward=ward, uploaded_by=user, file_name=file_name[:255], content=content
    )


class ImportRejected(Exception):
    def __init__(self, check: ImportCheck | None = None, message: str = "") -> None:
        super().__init__(message)
        self.check = check
        self.message = message


IMPORT_FIELDS = [
    "name",
    "category",
    "is_conditional",
    "certificate_number",
    "certificate_expiry",
    "owner_name",
    "owner_id_number",
    "owner_phone",
    "house_number",
    "street",
    "residential_group",
    "latitude",
    "longitude",
    "registration_number",
    "status",
]


def _bulk_update_rows(objects: list[Business], field_names: list[str]) -> None:
    """One parameterised UPDATE per row.

    Django's bulk_update builds a CASE WHEN expression per row and column: for 5,000 rows of 18
    columns that took ~30 s of Python time (measured); this takes a few seconds. Not executemany:
    the audit context of django-pghistory wraps every statement and cannot wrap executemany."""
    if not objects:
        return
    fields = [Business._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    # Identifiers come from the model's metadata, quoted; every value is a query parameter.
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
        quote(Business._meta.db_table),
        ", ".join(f"{quote(f.column)} = %s" for f in fields),
        quote(Business._meta.pk.column),
    )
    rows = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        for row in rows:
            cursor.execute(sql, row)


@transaction.atomic
def business_import_apply(*, batch: BusinessImport, user, batch_size: int = 1000) -> BusinessImport:
    """All or nothing: the file is checked again and, only if every row is valid, businesses are
    added and updated with bulk writes in one transaction."""
    batch = BusinessImport.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BusinessImport.Status.PENDING:
        raise ImportRejected(message=_("This file has already been imported."))
    try:
        check = check_import(content=bytes(batch.content), file_name=batch.file_name, ward=batch.ward)
    except ImportFileError as exc:
        raise ImportRejected(message=str(exc)) from exc
    if not check.is_valid:
        raise ImportRejected(check=check, message=_("Nothing was imported: some rows have errors."))

    now = timezone.now()
    existing = Business.objects.in_bulk([r.match_pk for r in check.rows if r.match_pk is not None])
    to_create: list[Business] = []
    to_update: list[Business] = []
    unchanged = 0
    for row in check.rows:
        if row.match_pk is None:
            business = Business(ward=batch.ward, created_by=user, updated_by=user)
            target = to_create
        else:
            business = existing[row.match_pk]
            target = to_update
        changed = False
        for name in IMPORT_FIELDS:
            if name in row.keep or name not in row.values:
                continue
            if name == "registration_number" and not row.values[name] and business.registration_number:
                continue  # a row matched by name and address does not erase a known number
            value = row.values[name]
            attname = business._meta.get_field(name).attname
            current = getattr(business, attname)
            new = value.pk if hasattr(value, "pk") else value
            if current != new:
                changed = True
                setattr(business, name, value)
        if target is to_update and not changed:
            unchanged += 1
            continue  # re-importing the same file touches nothing
        if target is to_update:
            # compute_search_text reads the street and group: set them from the lookups, no query.
            business.street = row.values["street"]
            business.residential_group = row.values["residential_group"]
        business.updated_by = user
        business.updated_at = now
        business.search_text = business.compute_search_text()
        target.append(business)
    Business.objects.bulk_create(to_create, batch_size=batch_size)
    from dashboards.rollup_signals import business_places, business_saved
    from dashboards.rollups import bump_ward_versions, refresh_ward_businesses

    stored = business_places([b.pk for b in to_update])
    _bulk_update_rows(to_update, [*IMPORT_FIELDS, "updated_by", "updated_at", "search_text"])
    for business in to_update:  # a row that changed street, group or category moves its counts (#28)
        business_saved(business, stored.get(business.pk), bump=False)
    refresh_ward_businesses(batch.ward_id)
    bump_ward_versions([batch.ward_id])
    batch.status = BusinessImport.Status.APPLIED
    batch.applied_at = now
    batch.created_count = len(to_create)
    batch.updated_count = len(to_update)
    batch.unchanged_count = unchanged
    batch.content = b""  # the file holds owners' personal data: not kept once imported
    batch.save(
        update_fields=["status", "applied_at", "created_count", "updated_count", "unchanged_count", "content"]
    )
    return batch
