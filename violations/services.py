"""Writes to violations: one service per state change (DESIGN.md conventions).

The inspection flow calls `violation_create_draft` and `violation_types_in_force`; views call the
rest. Every write runs in a transaction and under an audit context naming the user.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from businesses.models import Business
from dashboards import rollups
from documents.issuing import register_supersede
from documents.models import RegisterKind
from documents.register import register_issue
from ward_police import refdata
from wards.models import ResidentialGroup, Street, Ward

from . import rules
from .audit import audit_context
from .models import (
    PublicHoliday,
    RecordForm,
    Sanction,
    Stage,
    Status,
    Violation,
    ViolationEvidence,
    ViolationItem,
    ViolationType,
    ViolatorKind,
)
from .selectors import aggravation_history, past_violations

SIGN_PERMISSION = "violations.sign_violation"
TRANSFER_PERMISSION = "violations.transfer_violation"
AMEND_PERMISSION = "violations.amend_violation"
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


# --- catalogue ----------------------------------------------------------------------------------
def violation_types_in_force(*, on: date, domain: str | None = None) -> QuerySet[ViolationType]:
    """Catalogue entries in force on `on` (optionally of one domain)."""
    qs = ViolationType.objects.filter(valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    if domain:
        qs = qs.filter(domain=domain)
    return qs.order_by("domain", "code")


def violation_type_in_force(*, code: str, on: date) -> ViolationType | None:
    """The version of the violation `code` that judges a violation that happened on `on`."""
    return rules.rule_in_force(list(ViolationType.objects.filter(code=code)), on)


def _resolve_types(types: Iterable[ViolationType | str], on: date) -> list[ViolationType]:
    resolved: list[ViolationType] = []
    for item in types:
        code = item.code if isinstance(item, ViolationType) else str(item)
        version = violation_type_in_force(code=code, on=on)
        if version is None:
            raise ValidationError(
                {
                    "types": _("No version of “%(code)s” was in force on %(day)s.")
                    % {"code": code, "day": on.strftime("%d/%m/%Y")}
                }
            )
        if version not in resolved:
            resolved.append(version)
    if not resolved:
        raise ValidationError({"types": _("Choose at least one violation.")})
    return resolved


# --- deadlines ----------------------------------------------------------------------------------
def holiday_dates(start: date, end: date) -> set[date]:
    return set(PublicHoliday.objects.filter(date__range=(start, end)).values_list("date", flat=True))


def record_due_date(*, discovered_at: datetime, complex_case: bool) -> date:
    discovered_on = timezone.localdate(discovered_at)
    # 5 working days never span more than a month, even across the Tết break.
    holidays = holiday_dates(discovered_on, discovered_on + timedelta(days=40))
    return rules.record_due_date(discovered_on, complex_case=complex_case, holidays=holidays)


# --- validation shared by create, edit and sign ---------------------------------------------
def _fine_range(types: Sequence[ViolationType], violator_kind: str) -> tuple[int, int]:
    if violator_kind == ViolatorKind.ORGANISATION:
        return sum(t.organisation_fine_min for t in types), sum(t.organisation_fine_max for t in types)
    return sum(t.fine_individual_min for t in types), sum(t.fine_individual_max for t in types)


def _validate_sanction(
    *, types: Sequence[ViolationType], stage: str, sanction: str, fine_amount: int | None, violator_kind: str
) -> None:
    errors: dict[str, str] = {}
    if sanction == Sanction.FINE:
        low, high = _fine_range(types, violator_kind)
        if fine_amount is None:
            errors["fine_amount"] = _("Enter the proposed fine.")
        elif not low <= fine_amount <= high:
            errors["fine_amount"] = _(
                "The fine must be between %(low)s and %(high)s for these violations."
            ) % {
                "low": money(low),
                "high": money(high),
            }
    elif fine_amount:
        errors["fine_amount"] = _("A fine amount is only given when the sanction is a fine.")
    if sanction == Sanction.WARNING and not all(t.warning_allowed for t in types):
        errors["sanction"] = _("A warning is not a sanction the decree allows for every chosen violation.")
    if rules.stage_rank(stage) < rules.stage_rank(rules.WORKING_RECORD) and rules.record_required(
        sanction=sanction, fine_amount=fine_amount, violator_kind=violator_kind
    ):
        errors["stage"] = _(
            "A fine above %(limit)s cannot be decided on the spot: an administrative violation record "
            "(MBB01) is required."
        ) % {"limit": money(rules.ON_THE_SPOT_FINE_LIMIT[violator_kind])}
    if errors:
        raise ValidationError(errors)


def money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + "đ"


def _assess_repeat(
    *,
    ward: Ward,
    business: Business | None,
    person_id_number: str,
    occurred_on: date,
    types: Sequence[ViolationType],
    deliberate: bool,
    record_needed: bool,
    exclude_pks: Sequence[int | None] = (),
) -> tuple[rules.Aggravation, str]:
    """The aggravating circumstances as the law defines them (tái phạm, vi phạm nhiều lần) and the
    ladder's suggestion (which reminders and commitments do move)."""
    history = past_violations(
        ward=ward, business=business, person_id_number=person_id_number, exclude_pks=exclude_pks
    )
    decisions, records = aggravation_history(
        ward=ward, business=business, person_id_number=person_id_number, exclude_pks=exclude_pks
    )
    aggravation = rules.aggravating_circumstances(
        decisions=decisions, records=records, occurred_on=occurred_on, type_codes={t.code for t in types}
    )
    matches = rules.matching_past_violations(
        history,
        occurred_on=occurred_on,
        type_codes={t.code for t in types},
        domains={t.domain for t in types},
    )
    suggested = rules.suggest_next_stage(
        previous_stages=[m.stage for m in matches], deliberate=deliberate, record_required=record_needed
    )
    return aggravation, suggested


# --- drafts ----------------------------------------------------------------------------------
# The parts of forms MBB01/MBB02 the officer fills in on site (Decree 118/2021 annex, as amended).
RECORD_DETAIL_FIELDS = (
    "person_sex",
    "person_birth_date",
    "person_nationality",
    "person_occupation",
    "person_id_issued_on",
    "person_id_issued_by",
    "org_head_office",
    "org_enterprise_code",
    "org_registration_number",
    "org_registration_issued_on",
    "org_registration_issued_by",
    "org_representative",
    "org_representative_sex",
    "org_representative_title",
    "witness_name",
    "witness_role",
    "witness_detail",
    "witness_address",
    "translator_name",
    "translator_occupation",
    "translator_address",
    "injured_party",
    "violator_statement",
    "witness_statement",
    "injured_statement",
    "measures_taken",
    "items_held",
    "explanation_right",
    "explanation_to",
    "summons_at",
    "summons_place",
    "made_at",
    "made_place",
    "made_place_reason",
    "finished_at",
    "pages",
    "copies",
    "witness_refusal_reason",
    "present_persons",
    "conclusions",
    "scene",
    "damage",
    "related_documents",
)
# Text fields among them: a missing value is stored as "".
RECORD_TEXT_FIELDS = tuple(
    name
    for name in RECORD_DETAIL_FIELDS
    if name
    not in (
        "person_birth_date",
        "person_id_issued_on",
        "org_registration_issued_on",
        "summons_at",
        "made_at",
        "finished_at",
        "pages",
        "copies",
    )
)

DRAFT_FIELDS = (
    "violator_kind",
    "person_name",
    "person_id_number",
    "person_address",
    "place",
    "street",
    "residential_group",
    "description",
    "stage",
    "sanction",
    "fine_amount",
    "is_complex",
    "is_deliberate",
    "occurred_at",
    "discovered_at",
    *RECORD_DETAIL_FIELDS,
)


# Mã số doanh nghiệp: the 10-digit tax code, or 13 digits for a branch ("0101234567-001").
ENTERPRISE_CODE = re.compile(r"\d{10}(-\d{3})?")


def _validate_record_details(violation: Violation) -> None:
    """The parts of the form that must agree with each other; every error names its field."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    now = timezone.now() + timedelta(minutes=5)
    birth = violation.person_birth_date
    if birth and birth > today:
        errors["person_birth_date"] = _("The date of birth is in the future.")
    issued = violation.person_id_issued_on
    if issued and issued > today:
        errors["person_id_issued_on"] = _("The ID's date of issue is in the future.")
    elif issued and birth and issued < birth:
        errors["person_id_issued_on"] = _("The ID cannot be issued before the date of birth.")
    if (issued or violation.person_id_issued_by) and not violation.person_id_number:
        errors["person_id_number"] = _("Enter the ID number its date and place of issue belong to.")
    code = violation.org_enterprise_code
    if code and not ENTERPRISE_CODE.fullmatch(code):
        errors["org_enterprise_code"] = _(
            "An enterprise code is 10 digits, or 13 digits written 0101234567-001."
        )
    registered = violation.org_registration_issued_on
    if registered and registered > today:
        errors["org_registration_issued_on"] = _("The registration's date of issue is in the future.")
    if (registered or violation.org_registration_issued_by) and not violation.org_registration_number:
        errors["org_registration_number"] = _(
            "Enter the certificate or licence number its date and place of issue belong to."
        )
    if violation.violator_kind == ViolatorKind.INDIVIDUAL and any(
        getattr(violation, name)
        for name in (
            "org_head_office",
            "org_enterprise_code",
            "org_registration_number",
            "org_representative",
        )
    ):
        errors["violator_kind"] = _(
            "Head office, enterprise code and legal representative are those of an organisation: "
            "choose “Organisation” or leave them empty."
        )
    if violation.witness_name and not violation.witness_role:
        errors["witness_role"] = _(
            "Say whether they are a witness or a representative of the ward authority."
        )
    made = violation.made_at
    if made and made > now:
        errors["made_at"] = _("The record cannot be made in the future.")
    elif made and made < violation.discovered_at:
        errors["made_at"] = _("The record cannot be made before the violation was discovered.")
    if made and not violation.made_place:
        errors["made_place"] = _("Enter where the record was made.")
    if violation.finished_at and not made:
        errors["made_at"] = _("Enter when the record was made.")
    elif violation.finished_at and violation.finished_at < made:
        errors["finished_at"] = _("The record cannot be finished before it was started.")
    if violation.summons_at and made and violation.summons_at < made:
        errors["summons_at"] = _("The summons must be for a time after the record was made.")
    if violation.summons_at and not violation.summons_place:
        errors["summons_place"] = _("Enter where the violator must appear.")
    if violation.explanation_right == "applies" and not violation.explanation_to:
        errors["explanation_to"] = _("Enter who the violator sends a hearing request or an explanation to.")
    for name in ("pages", "copies"):
        value = getattr(violation, name)
        if value is not None and not 1 <= value <= 99:
            errors[name] = _("Enter a number between 1 and 99.")
    if errors:
        raise ValidationError(errors)


def _prepare(violation: Violation, types: Sequence[ViolationType], *, stage_given: bool) -> None:
    """Fill the derived fields (ward, place, repeat flag, suggestion, deadline) and validate."""
    if violation.business_id:
        business = violation.business
        violation.ward = business.ward
        violation.street = violation.street or business.street
        violation.residential_group = violation.residential_group or business.residential_group
        violation.place = violation.place or business.address
        if violation.violator_kind == ViolatorKind.ORGANISATION and not violation.org_registration_number:
            # The business's registration number, as the registry has it; the officer adds its date
            # and issuing authority from the certificate.
            violation.org_registration_number = business.registration_number
    if violation.discovered_at < violation.occurred_at:
        raise ValidationError({"discovered_at": _("A violation cannot be discovered before it happened.")})
    if violation.occurred_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"occurred_at": _("The time the violation happened is in the future.")})
    _validate_record_details(violation)
    for place_field in ("street", "residential_group"):
        place_value = getattr(violation, place_field)
        if place_value is not None and place_value.ward_id != violation.ward_id:
            raise ValidationError({place_field: _("Choose a place in the record's ward.")})
    occurred_on = timezone.localdate(violation.occurred_at)
    needs_record = rules.record_required(
        sanction=violation.sanction, fine_amount=violation.fine_amount, violator_kind=violation.violator_kind
    )
    aggravation, violation.suggested_stage = _assess_repeat(
        ward=violation.ward,
        business=violation.business,
        person_id_number=violation.person_id_number,
        occurred_on=occurred_on,
        types=types,
        deliberate=violation.is_deliberate,
        record_needed=needs_record,
        # An amendment does not repeat the record it replaces.
        exclude_pks=(violation.pk, violation.supersedes_id),
    )
    violation.is_repeat = aggravation.repeat_offence
    violation.is_multiple = aggravation.multiple
    if not stage_given:
        violation.stage = violation.suggested_stage
    _validate_sanction(
        types=types,
        stage=violation.stage,
        sanction=violation.sanction,
        fine_amount=violation.fine_amount,
        violator_kind=violation.violator_kind,
    )
    violation.due_date = record_due_date(
        discovered_at=violation.discovered_at, complex_case=violation.is_complex
    )
    violation.full_clean(exclude=["due_date", "created_by", "types"])


def violation_create_draft(
    *,
    business: Business | None = None,
    ward: Ward | None = None,
    types: Iterable[ViolationType | str],
    occurred_at: datetime,
    discovered_at: datetime | None = None,
    description: str,
    created_by: Any,
    violator_kind: str = ViolatorKind.INDIVIDUAL,
    person_name: str = "",
    person_id_number: str = "",
    person_address: str = "",
    place: str = "",
    street: Street | None = None,
    residential_group: ResidentialGroup | None = None,
    stage: str | None = None,
    sanction: str = Sanction.NONE,
    fine_amount: int | None = None,
    is_complex: bool = False,
    is_deliberate: bool = False,
    **details: Any,
) -> Violation:
    """A draft record (no number yet). Types are given as catalogue entries or codes and resolved
    to the version in force on the day the violation happened. Without `stage`, the ladder's
    suggestion is used (tái phạm and cố tình move it up)."""
    if business is None and ward is None:
        raise ValidationError(_("A violation belongs to a business or, for a person, to a ward."))
    unknown = set(details) - set(RECORD_DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"violation_create_draft got unexpected fields: {sorted(unknown)}")
    violation = Violation(
        business=business,
        ward=business.ward if business else ward,
        violator_kind=violator_kind,
        person_name=person_name,
        person_id_number=person_id_number,
        person_address=person_address,
        occurred_at=occurred_at,
        discovered_at=discovered_at or timezone.now(),
        place=place,
        street=street,
        residential_group=residential_group,
        description=description,
        stage=stage or Stage.REMINDER,
        sanction=sanction,
        fine_amount=fine_amount,
        is_complex=is_complex,
        is_deliberate=is_deliberate,
        created_by=created_by,
        **details,
    )
    resolved = _resolve_types(types, timezone.localdate(occurred_at))
    _prepare(violation, resolved, stage_given=stage is not None)
    with transaction.atomic(), audit_context(created_by):
        violation.save()
        ViolationItem.objects.bulk_create(
            ViolationItem(violation=violation, violation_type=t) for t in resolved
        )
        rollups.violation_touched(violation)  # the items' domains (bulk_create sends no signal)
    return violation


def violation_update_draft(
    *, violation: Violation, actor: Any, types: Iterable[ViolationType | str], **changes: Any
) -> Violation:
    """Change a draft. Signed records are never edited (the database refuses too): amend them."""
    unknown = set(changes) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"violation_update_draft got unexpected fields: {sorted(unknown)}")
    with transaction.atomic(), audit_context(actor):
        locked = Violation.objects.select_for_update().get(pk=violation.pk)
        if locked.status != Status.DRAFT:
            raise ValidationError(_("This record is signed and can no longer be edited; make an amendment."))
        # stage=None means "follow the ladder's suggestion"; without it the stage is kept.
        follow_ladder = "stage" in changes and changes["stage"] is None
        if follow_ladder:
            changes.pop("stage")
        for name, value in changes.items():
            setattr(locked, name, value)
        resolved = _resolve_types(types, timezone.localdate(locked.occurred_at))
        _prepare(locked, resolved, stage_given=not follow_ladder)
        locked.save()
        current = set(locked.items.values_list("violation_type_id", flat=True))
        wanted = {t.pk for t in resolved}
        locked.items.exclude(violation_type_id__in=wanted).delete()
        ViolationItem.objects.bulk_create(
            ViolationItem(violation=locked, violation_type_id=pk) for pk in wanted - current
        )
        rollups.violation_touched(locked)
    return locked


# --- signing and numbering ------------------------------------------------------------------
# Which register sequence each numbered stage draws from (documents.register).
STAGE_REGISTER_KINDS: dict[str, str] = {
    Stage.VIOLATION_RECORD: RegisterKind.MBB01,
    Stage.WORKING_RECORD: RegisterKind.MBB02,
    # #25.8: a signed reminder is a numbered notice (thông báo nhắc nhở, "Số: 01/TB-NN").
    Stage.REMINDER: RegisterKind.REMINDER_NOTICE,
}
REMINDER_NOTICE_TITLE = "Thông báo nhắc nhở"


def _legal_basis_snapshot(violation: Violation) -> str:
    items = violation.items.select_related("violation_type").order_by("violation_type__code")
    return legal_basis_text([item.violation_type for item in items])


def legal_basis_text(types: Iterable[ViolationType]) -> str:
    """The legal basis frozen into a record when it is signed: one line per cited type, by code."""
    lines = []
    for t in sorted(types, key=lambda t: t.code):
        lines.append(
            f"{t.title}: {t.legal_basis}; "
            + _("fine for an individual %(low)s–%(high)s, for an organisation %(olow)s–%(ohigh)s")
            % {
                "low": money(t.fine_individual_min),
                "high": money(t.fine_individual_max),
                "olow": money(t.organisation_fine_min),
                "ohigh": money(t.organisation_fine_max),
            }
        )
    return "\n".join(lines)


def violation_type_confirm(*, violation_type: ViolationType, user: Any, note: str = "") -> ViolationType:
    """An administrator confirms a catalogue entry against the official text: from now on it may
    be cited in a signed record. Who confirmed it and when are kept."""
    if not user.is_superuser and not user.has_perm("violations.change_violationtype"):
        raise PermissionDenied
    with transaction.atomic():
        locked = ViolationType.objects.select_for_update().get(pk=violation_type.pk)
        locked.needs_verification = False
        locked.verified_by = user
        locked.verified_at = timezone.now()
        if note:
            locked.verification_note = note[:255]
        locked.save(update_fields=["needs_verification", "verified_by", "verified_at", "verification_note"])
    return locked


def violation_type_flag(*, violation_type: ViolationType, user: Any) -> ViolationType:
    """Flag an entry "to be checked" again (e.g. the decree was amended): it can no longer be
    cited in a record being signed until it is confirmed again."""
    if not user.is_superuser and not user.has_perm("violations.change_violationtype"):
        raise PermissionDenied
    ViolationType.objects.filter(pk=violation_type.pk).update(
        needs_verification=True, verified_by=None, verified_at=None
    )
    refdata.bump(refdata.CATALOGUE)  # update() sends no post_save
    violation_type.refresh_from_db()
    return violation_type


# Stages whose signed record cites the legal basis of a sanction: only confirmed entries.
CONFIRMED_CATALOGUE_STAGES = frozenset({Stage.VIOLATION_RECORD, Stage.SANCTION})


def _assert_catalogue_confirmed(types: Sequence[ViolationType], stage: str) -> None:
    if stage not in CONFIRMED_CATALOGUE_STAGES:
        return
    unconfirmed = sorted({t.title for t in types if t.needs_verification})
    if unconfirmed:
        raise ValidationError(
            _(
                "This record cannot be signed: the catalogue entry %(entries)s is still marked "
                "“to be checked against the official text”. Ask an administrator to confirm it first."
            )
            % {"entries": "; ".join(f"“{title}”" for title in unconfirmed)}
        )


def _assert_made_on_site(violation: Violation) -> None:
    """MBB01 and MBB02 open with "Hôm nay, hồi … giờ … phút, ngày …, tại …": a record whose officer
    entered no time or place of making cannot be signed (the signing time is not that time)."""
    if violation.stage not in rules.RECORD_STAGES:
        return
    no_time, no_place = violation.made_at is None, not violation.made_place.strip()
    if no_time and no_place:
        missing = _("the time and the place the record was made")
    elif no_time:
        missing = _("the time the record was made")
    elif no_place:
        missing = _("the place the record was made")
    else:
        return
    raise ValidationError(
        _(
            "The record cannot be signed without %(missing)s on site (“Hôm nay, hồi … giờ … phút, "
            "ngày …, tại …”): edit the draft and enter it first."
        )
        % {"missing": missing}
    )


def violation_sign(
    *,
    violation: Violation,
    signed_by: Any,
    violator_signed: bool,
    refused_to_sign: bool = False,
    witness_name: str = "",
    witness_role: str = "",
    refusal_reason: str = "",
    violator_signature_png: bytes | None = None,
    witness_signature_png: bytes | None = None,
) -> Violation:
    """Sign a draft: it gets its number (records only), its legal basis is frozen, and from now on
    the database refuses any change but the allowed status moves. Signing an amendment marks the
    record it replaces as superseded, in the same transaction.

    A witness named here (whether or not the violator signed) is stored and printed; without one,
    the witness entered on the draft stays. The signer is the approving leader: the record-maker
    printed stays the officer who drafted the record (`created_by`)."""
    if not signed_by.has_perm(SIGN_PERMISSION):
        raise PermissionDenied
    witness_name = witness_name.strip()
    if violator_signed == refused_to_sign:
        raise ValidationError(_("Record either that the violator signed or that they refused to sign."))
    if refused_to_sign and violator_signature_png:
        raise ValidationError(
            {"violator_signature_data": _("The violator refused to sign: clear their drawn signature.")}
        )
    if witness_name and not witness_role:
        raise ValidationError(
            {"witness_role": _("Say whether they are a witness or a representative of the ward authority.")}
        )
    with transaction.atomic(), audit_context(signed_by):
        locked = Violation.objects.select_for_update(of=("self",)).select_related("ward").get(pk=violation.pk)
        if locked.status != Status.DRAFT:
            raise ValidationError(_("This record has already been signed."))
        if witness_name:
            if witness_name != locked.witness_name:
                # Another person than the draft's witness: the draft's details were not theirs.
                locked.witness_detail = locked.witness_address = locked.witness_statement = ""
            locked.witness_name, locked.witness_role = witness_name, witness_role
        if refused_to_sign and (not locked.witness_name or not locked.witness_role):
            raise ValidationError(
                {
                    "witness_name": _(
                        "The violator refused to sign: a witness or a representative of the ward authority "
                        "must sign instead. Enter their name and role."
                    )
                }
            )
        _assert_made_on_site(locked)
        types = [item.violation_type for item in locked.items.select_related("violation_type")]
        _assert_catalogue_confirmed(types, locked.stage)
        _validate_sanction(
            types=types,
            stage=locked.stage,
            sanction=locked.sanction,
            fine_amount=locked.fine_amount,
            violator_kind=locked.violator_kind,
        )
        now = timezone.now()
        # Records (MBB01, MBB02) and reminder notices are numbered here, from the register, in
        # this transaction; decisions have their own (decisions.py).
        form = RecordForm.objects.filter(stage=locked.stage, stage__in=rules.RECORD_STAGES).first()
        kind = STAGE_REGISTER_KINDS.get(locked.stage)
        entry = None
        if kind is not None and (form is not None or locked.stage == Stage.REMINDER):
            today = timezone.localdate(now)
            name = form.name if form is not None else REMINDER_NOTICE_TITLE
            entry = register_issue(
                ward=locked.ward,
                kind=kind,
                year=today.year,
                issued_on=today,
                title=f"{name}: {locked.violator_name}"[:255],
                signer=signed_by,
                obj=locked,
                symbol=form.symbol if form is not None else None,
            )
            locked.record_form = form
            locked.number_year = entry.year
            locked.number_symbol = entry.symbol
            locked.number = entry.number
        # A signed record is a Vietnamese document whatever the signer's interface language.
        with translation.override("vi"):
            locked.legal_basis_snapshot = _legal_basis_snapshot(locked)
        locked.violator_signed = violator_signed
        locked.refused_to_sign = refused_to_sign
        locked.refusal_reason = refusal_reason.strip() if refused_to_sign else ""
        if witness_signature_png and not locked.witness_name:
            raise ValidationError({"witness_name": _("Enter the name of the witness who signed.")})
        locked.status = Status.SIGNED
        locked.signed_at = now
        locked.signed_by = signed_by
        if locked.stage == Stage.VIOLATION_RECORD:
            # Điều 66: 7 working days from the record to decide (a month once extended).
            # Counted from the day the record was made on site, when the officer entered it.
            record_on = locked.record_made_on
            holidays = holiday_dates(record_on, rules.months_after(record_on, 2))
            locked.decision_due_date = rules.decision_due_date(record_on, extended=False, holidays=holidays)
        stored = []
        try:
            for field, png in (
                (locked.violator_signature, violator_signature_png),
                (locked.witness_signature, witness_signature_png),
            ):
                if png:
                    field.save("signature.png", ContentFile(png), save=False)
                    stored.append(field)
            locked.save()
        except Exception:
            # Nothing half-saved: a signing that fails leaves no signature file behind.
            for field in stored:
                field.delete(save=False)
            raise
        if locked.supersedes_id:
            replaced = Violation.objects.select_for_update().get(pk=locked.supersedes_id)
            if replaced.status == Status.SUPERSEDED:
                raise ValidationError(_("The record this amendment replaces has already been replaced."))
            replaced.status = Status.SUPERSEDED
            replaced.save(update_fields=["status", "updated_at"])
            if entry is not None:
                # #29: the replaced record's issued document says so and points here.
                register_supersede(old=replaced, new_entry=entry)
    return locked


# --- after signing: only the status moves ---------------------------------------------------
def violation_transfer(*, violation: Violation, actor: Any, transferred_to: str) -> Violation:
    """Hand a signed record to the person competent to decide the sanction."""
    if not actor.has_perm(TRANSFER_PERMISSION):
        raise PermissionDenied
    transferred_to = transferred_to.strip()
    if not transferred_to:
        raise ValidationError({"transferred_to": _("Enter who the record is transferred to.")})
    with transaction.atomic(), audit_context(actor):
        locked = Violation.objects.select_for_update().get(pk=violation.pk)
        if locked.status != Status.SIGNED:
            raise ValidationError(_("Only a signed record can be transferred."))
        locked.status = Status.TRANSFERRED
        locked.transferred_to = transferred_to
        locked.transferred_at = timezone.now()
        locked.save(update_fields=["status", "transferred_to", "transferred_at", "updated_at"])
    return locked


def violation_mark_remedied(*, violation: Violation, actor: Any) -> Violation:
    """The violator put things right (the commitment was kept, the sidewalk cleared…)."""
    if not actor.has_perm(TRANSFER_PERMISSION):
        raise PermissionDenied
    with transaction.atomic(), audit_context(actor):
        locked = Violation.objects.select_for_update().get(pk=violation.pk)
        if locked.status not in (Status.SIGNED, Status.TRANSFERRED):
            raise ValidationError(_("Only a signed or transferred record can be marked as remedied."))
        if locked.stage == Stage.VIOLATION_RECORD and locked.status == Status.SIGNED:
            # The law closes a violation record only by a decision (or a decision not to sanction).
            raise ValidationError(
                _(
                    "A signed administrative violation record is closed only by a sanction decision or a "
                    "decision not to sanction; draft the decision, or transfer the record to the competent "
                    "person."
                )
            )
        locked.status = Status.REMEDIED
        locked.remedied_at = timezone.now()
        locked.save(update_fields=["status", "remedied_at", "updated_at"])
    return locked


def violation_amend(*, violation: Violation, actor: Any, reason: str) -> Violation:
    """Start a correction of a signed record: a new draft that copies it and references it, with
    the reason and the author. The old record stays as it is until the amendment is signed; then
    it becomes "superseded". Both stay readable."""
    if not actor.has_perm(AMEND_PERMISSION):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the amendment.")})
    with transaction.atomic(), audit_context(actor):
        old = Violation.objects.select_for_update().get(pk=violation.pk)
        if old.status in (Status.DRAFT, Status.SUPERSEDED):
            raise ValidationError(_("Only a signed record that has not been replaced can be amended."))
        if old.status == Status.DECIDED:
            raise ValidationError(_("A decision was made on this record; it can no longer be amended."))
        if Violation.objects.filter(supersedes=old).exists():
            raise ValidationError(_("An amendment of this record already exists."))
        new = Violation(
            supersedes=old,
            amendment_reason=reason,
            created_by=actor,
            ward=old.ward,
            business=old.business,
            due_date=old.due_date,
            is_repeat=old.is_repeat,
            is_multiple=old.is_multiple,
            suggested_stage=old.suggested_stage,
            **{name: getattr(old, name) for name in DRAFT_FIELDS},
        )
        new.save()
        ViolationItem.objects.bulk_create(
            ViolationItem(violation=new, violation_type_id=item.violation_type_id) for item in old.items.all()
        )
        rollups.violation_touched(new)
    return new


def violation_delete_draft(*, violation: Violation, actor: Any) -> None:
    """Discard a draft (it never had a number, so no gap is left)."""
    with transaction.atomic(), audit_context(actor):
        locked = Violation.objects.select_for_update().get(pk=violation.pk)
        if locked.status != Status.DRAFT:
            raise ValidationError(_("A signed record cannot be deleted."))
        for evidence in locked.evidence.all():
            evidence.image.delete(save=False)
        locked.delete()


# --- evidence ----------------------------------------------------------------------------------
def evidence_add(
    *, violation: Violation, image: UploadedFile, caption: str, uploaded_by: Any
) -> ViolationEvidence:
    """Attach a photo to a draft: checked to be a real image, re-encoded as JPEG so EXIF (with
    the location) is dropped, stored under a generated name."""
    if violation.status != Status.DRAFT:
        raise ValidationError(_("Evidence can only be added to a draft."))
    if image.size > MAX_EVIDENCE_BYTES:
        raise ValidationError({"image": _("The photo is larger than 10 MB.")})
    try:
        with Image.open(image) as probe:
            probe.verify()
        image.seek(0)
        with Image.open(image) as opened:
            if opened.format not in ("JPEG", "PNG", "WEBP"):
                raise ValidationError({"image": _("Upload a JPEG, PNG or WebP photo.")})
            picture = ImageOps.exif_transpose(opened).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError({"image": _("The file is not a readable image.")}) from exc
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    with transaction.atomic(), audit_context(uploaded_by):
        evidence = ViolationEvidence(violation=violation, caption=caption.strip(), uploaded_by=uploaded_by)
        evidence.image.save("evidence.jpg", ContentFile(buffer.getvalue()), save=False)
        try:
            evidence.save()
        except Exception:
            evidence.image.delete(save=False)
            raise
    return evidence
