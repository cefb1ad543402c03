"""The sanction decision (#25.3): one service per state change, from a signed MBB01 to payment.

draft → signed → served → paid / enforced / appealed (appealed → paid / enforced). Signing a
decision, or a decision not to sanction with its ground, is what closes the record (status
"decided"). The database refuses any other change of a signed decision (immutability.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import RegisterKind
from documents.register import register_issue

from . import rules
from .audit import audit_context
from .competence import DECISION_FORM
from .models import (
    CompetenceLimit,
    DecisionKind,
    DecisionStatus,
    NoSanctionGround,
    RecordForm,
    Sanction,
    SanctionDecision,
    SignerTitle,
    Stage,
    Status,
    Violation,
    ViolationType,
)
from .selectors import aggravation_history
from .services import _fine_range, holiday_dates, money

DRAFT_PERMISSION = "violations.add_sanctiondecision"
SIGN_PERMISSION = "violations.sign_sanctiondecision"
EXECUTE_PERMISSION = "violations.change_sanctiondecision"
TRANSFER_HINT = "chuyển người có thẩm quyền"


# --- deadlines --------------------------------------------------------------------------------
def decision_due_date(*, record_on: date, extended: bool) -> date:
    holidays = holiday_dates(record_on, rules.months_after(record_on, 2))
    return rules.decision_due_date(record_on, extended=extended, holidays=holidays)


def violation_extend_decision_deadline(*, violation: Violation, actor: Any) -> Violation:
    """The violator asked to explain (Điều 61), or facts must be verified: one month to decide."""
    if not actor.has_perm(DRAFT_PERMISSION):
        raise PermissionDenied
    with transaction.atomic(), audit_context(actor):
        locked = Violation.objects.select_for_update().get(pk=violation.pk)
        if locked.status != Status.SIGNED or locked.stage != Stage.VIOLATION_RECORD:
            raise ValidationError(
                _("Only a signed violation record waiting for its decision has a deadline.")
            )
        if locked.decision_deadline_extended:
            raise ValidationError(_("The deadline to decide is already one month."))
        locked.decision_deadline_extended = True
        locked.decision_due_date = decision_due_date(record_on=locked.record_made_on, extended=True)
        locked.save(update_fields=["decision_deadline_extended", "decision_due_date", "updated_at"])
    return locked


# --- aggravating circumstances ------------------------------------------------------------------
def assess_aggravation(
    violation: Violation, types: Sequence[ViolationType], *, exclude_pks: Sequence[int | None] = ()
) -> rules.Aggravation:
    decisions, records = aggravation_history(
        ward=violation.ward,
        business=violation.business,
        person_id_number=violation.person_id_number,
        exclude_pks=(violation.pk, *exclude_pks),
    )
    return rules.aggravating_circumstances(
        decisions=decisions,
        records=records,
        occurred_on=timezone.localdate(violation.occurred_at),
        type_codes={t.code for t in types},
    )


# --- drafting ---------------------------------------------------------------------------------
def _types(violation: Violation) -> list[ViolationType]:
    return [item.violation_type for item in violation.items.select_related("violation_type")]


def _validate_content(
    *,
    kind: str,
    types: Sequence[ViolationType],
    violator_kind: str,
    sanction: str,
    fine_amount: int | None,
    no_sanction_ground: str,
) -> None:
    errors: dict[str, str] = {}
    if kind == DecisionKind.NO_SANCTION:
        if no_sanction_ground not in NoSanctionGround.values:
            errors["no_sanction_ground"] = _("Choose the legal ground for not sanctioning (Article 65).")
        if sanction or fine_amount:
            errors["sanction"] = _("A decision not to sanction carries no sanction.")
    elif sanction == Sanction.FINE:
        low, high = _fine_range(types, violator_kind)
        if fine_amount is None:
            errors["fine_amount"] = _("Enter the fine.")
        elif not low <= fine_amount <= high:
            errors["fine_amount"] = _(
                "The fine must be between %(low)s and %(high)s for these violations."
            ) % {
                "low": money(low),
                "high": money(high),
            }
    elif sanction == Sanction.WARNING:
        if fine_amount:
            errors["fine_amount"] = _("A fine amount is only given when the sanction is a fine.")
        if not all(t.warning_allowed for t in types):
            errors["sanction"] = _("A warning is not a sanction the decree allows for every cited violation.")
    else:
        errors["sanction"] = _("Choose the main sanction: a warning or a fine.")
    if errors:
        raise ValidationError(errors)


def decision_create_draft(
    *,
    violation: Violation,
    actor: Any,
    kind: str = DecisionKind.SANCTION,
    sanction: str = "",
    fine_amount: int | None = None,
    remedial_measures: str = "",
    extenuating: str = "",
    no_sanction_ground: str = "",
    no_sanction_reason: str = "",
) -> SanctionDecision:
    """Draft the decision on a signed MBB01 (no number yet)."""
    if not actor.has_perm(DRAFT_PERMISSION):
        raise PermissionDenied
    with transaction.atomic(), audit_context(actor):
        record = (
            Violation.objects.select_for_update(of=("self",))
            .select_related("ward", "business")
            .get(pk=violation.pk)
        )
        if record.stage != Stage.VIOLATION_RECORD or record.status != Status.SIGNED:
            raise ValidationError(
                _("A decision is drafted on a signed administrative violation record (MBB01).")
            )
        if SanctionDecision.objects.filter(violation=record).exists():
            raise ValidationError(_("This record already has a decision."))
        types = _types(record)
        if kind == DecisionKind.NO_SANCTION:
            sanction, fine_amount = "", None
        _validate_content(
            kind=kind,
            types=types,
            violator_kind=record.violator_kind,
            sanction=sanction,
            fine_amount=fine_amount,
            no_sanction_ground=no_sanction_ground,
        )
        aggravation = assess_aggravation(record, types, exclude_pks=(record.supersedes_id,))
        decision = SanctionDecision(
            ward=record.ward,
            violation=record,
            kind=kind,
            sanction=sanction,
            fine_amount=fine_amount,
            remedial_measures=remedial_measures.strip(),
            extenuating=extenuating.strip(),
            no_sanction_ground=no_sanction_ground if kind == DecisionKind.NO_SANCTION else "",
            no_sanction_reason=no_sanction_reason.strip(),
            is_repeat_offence=aggravation.repeat_offence,
            is_multiple=aggravation.multiple,
            created_by=actor,
        )
        decision.full_clean(exclude=["created_by", "violation"])
        decision.save()
    return decision


def decision_delete_draft(*, decision: SanctionDecision, actor: Any) -> None:
    if not actor.has_perm(DRAFT_PERMISSION):
        raise PermissionDenied
    with transaction.atomic(), audit_context(actor):
        locked = SanctionDecision.objects.select_for_update().get(pk=decision.pk)
        if locked.status != DecisionStatus.DRAFT:
            raise ValidationError(_("A signed decision cannot be deleted."))
        locked.delete()


# --- competence -------------------------------------------------------------------------------
def competence_limits(*, title: str, domains: set[str], on: date) -> dict[str, CompetenceLimit | None]:
    """The limit in force on `on` for each domain (None where no limit is recorded)."""
    found: dict[str, CompetenceLimit | None] = dict.fromkeys(domains)
    rows = CompetenceLimit.objects.filter(title=title, domain__in=domains, valid_from__lte=on).order_by(
        "valid_from"
    )
    for row in rows:
        if row.is_in_force(on):
            found[row.domain] = row
    return found


def check_competence(
    *,
    title: str,
    types: Sequence[ViolationType],
    violator_kind: str,
    sanction: str,
    fine_amount: int | None,
    on: date,
) -> CompetenceLimit | None:
    """Refuse a sanction beyond the signer's competence (Điều 52: judged on each behaviour's
    bracket maximum; the fine itself never above the limit either). Returns the strictest limit."""
    if title not in SignerTitle.values:
        raise ValidationError({"signer_title": _("Choose the title you sign with.")})
    limits = competence_limits(title=title, domains={t.domain for t in types}, on=on)
    title_label = SignerTitle(title).label
    missing = [domain for domain, row in limits.items() if row is None]
    if missing:
        raise ValidationError(
            {
                "signer_title": _(
                    "No competence limit of the %(title)s is recorded for this domain on %(day)s: "
                    "transfer the record to the competent person (%(hint)s), or ask an administrator "
                    "to record the limit."
                )
                % {"title": title_label, "day": on.strftime("%d/%m/%Y"), "hint": TRANSFER_HINT}
            }
        )
    if sanction == Sanction.WARNING and not all(row.warning_allowed for row in limits.values()):
        raise ValidationError({"signer_title": _("This title may not impose a warning in this domain.")})
    for t in types:
        row = limits[t.domain]
        limit = rules.competence_limit_for(
            limit_individual=row.fine_limit_individual, violator_kind=violator_kind
        )
        bracket_max = (
            t.organisation_fine_max if violator_kind == rules.ORGANISATION else t.fine_individual_max
        )
        over_fine = sanction == Sanction.FINE and (fine_amount or 0) > limit
        if over_fine or (sanction == Sanction.FINE and bracket_max > limit):
            raise ValidationError(
                {
                    "signer_title": _(
                        "The fine is beyond the competence of the %(title)s (up to %(limit)s in this domain, "
                        "%(source)s; the bracket of “%(behaviour)s” goes up to %(max)s): transfer the record "
                        "to the competent person (%(hint)s)."
                    )
                    % {
                        "title": title_label,
                        "limit": money(limit),
                        "source": row.legal_source,
                        "behaviour": t.title,
                        "max": money(bracket_max),
                        "hint": TRANSFER_HINT,
                    }
                }
            )
    return min(limits.values(), key=lambda row: row.fine_limit_individual, default=None)


# --- signing ----------------------------------------------------------------------------------
def _decision_form() -> RecordForm:
    code, name, symbol, stage = DECISION_FORM
    form, _created = RecordForm.objects.get_or_create(
        code=code, defaults={"name": name, "symbol": symbol, "stage": stage}
    )
    return form


def decision_sign(*, decision: SanctionDecision, signed_by: Any, signer_title: str) -> SanctionDecision:
    """Sign: competence checked, aggravating circumstances assessed again, a number from the
    decisions' counter, the record closed ("decided"), all in one transaction."""
    if not signed_by.has_perm(SIGN_PERMISSION):
        raise PermissionDenied
    with transaction.atomic(), audit_context(signed_by):
        locked = SanctionDecision.objects.select_for_update(of=("self",)).get(pk=decision.pk)
        if locked.status != DecisionStatus.DRAFT:
            raise ValidationError(_("This decision has already been signed."))
        record = (
            Violation.objects.select_for_update(of=("self",))
            .select_related("ward", "business")
            .get(pk=locked.violation_id)
        )
        if record.status != Status.SIGNED:
            raise ValidationError(_("The record is no longer waiting for a decision."))
        types = _types(record)
        now = timezone.now()
        today = timezone.localdate(now)
        limit = None
        if locked.kind == DecisionKind.SANCTION:
            _validate_content(
                kind=locked.kind,
                types=types,
                violator_kind=record.violator_kind,
                sanction=locked.sanction,
                fine_amount=locked.fine_amount,
                no_sanction_ground=locked.no_sanction_ground,
            )
            limit = check_competence(
                title=signer_title,
                types=types,
                violator_kind=record.violator_kind,
                sanction=locked.sanction,
                fine_amount=locked.fine_amount,
                on=today,
            )
        elif signer_title not in SignerTitle.values:
            raise ValidationError({"signer_title": _("Choose the title you sign with.")})
        aggravation = assess_aggravation(record, types, exclude_pks=(record.supersedes_id,))
        form = _decision_form()
        locked.is_repeat_offence = aggravation.repeat_offence
        locked.is_multiple = aggravation.multiple
        locked.signer_title = signer_title
        locked.competence_limit = limit
        # The decision's number comes from the register of documents, in this transaction.
        entry = register_issue(
            ward=record.ward_id,
            kind=RegisterKind.SANCTION_DECISION,
            year=today.year,
            issued_on=today,
            title=f"{form.name}: {record.violator_name}"[:255],
            signer=signed_by,
            obj=locked,
            symbol=form.symbol,
        )
        locked.number_year = entry.year
        locked.number_symbol = entry.symbol
        locked.number = entry.number
        locked.legal_basis_snapshot = record.legal_basis_snapshot
        locked.status = DecisionStatus.SIGNED
        locked.signed_at = now
        locked.signed_by = signed_by
        locked.save()
        record.status = Status.DECIDED
        record.save(update_fields=["status", "updated_at"])
    return locked


# --- after signing: service, payment, enforcement, appeal ---------------------------------------
def _locked_signed(
    decision: SanctionDecision, actor: Any, allowed: tuple[str, ...], message: str
) -> SanctionDecision:
    if not actor.has_perm(EXECUTE_PERMISSION):
        raise PermissionDenied
    locked = SanctionDecision.objects.select_for_update().get(pk=decision.pk)
    if locked.status not in allowed:
        raise ValidationError(message)
    return locked


def _not_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date is in the future.")})


def decision_serve(*, decision: SanctionDecision, actor: Any, served_on: date) -> SanctionDecision:
    """The decision was handed to the violator: the 10 days to pay a fine run from that day."""
    with transaction.atomic(), audit_context(actor):
        locked = _locked_signed(
            decision,
            actor,
            (DecisionStatus.SIGNED,),
            _("Only a signed decision that was not served yet can be served."),
        )
        _not_future(served_on, "served_on")
        if served_on < timezone.localdate(locked.signed_at):
            raise ValidationError({"served_on": _("A decision cannot be served before it was signed.")})
        locked.status = DecisionStatus.SERVED
        locked.served_on = served_on
        locked.payment_due_date = rules.payment_due_date(served_on) if locked.is_fine else None
        locked.save(update_fields=["status", "served_on", "payment_due_date", "updated_at"])
    return locked


def decision_record_payment(
    *, decision: SanctionDecision, actor: Any, receipt_number: str, paid_on: date, amount: int
) -> SanctionDecision:
    receipt_number = receipt_number.strip()
    with transaction.atomic(), audit_context(actor):
        locked = _locked_signed(
            decision,
            actor,
            (DecisionStatus.SERVED, DecisionStatus.APPEALED),
            _("A payment is recorded on a served decision that was not paid or enforced yet."),
        )
        if not locked.is_fine:
            raise ValidationError(_("This decision imposes no fine."))
        errors = {}
        if not receipt_number:
            errors["receipt_number"] = _("Enter the receipt number.")
        if amount < (locked.fine_amount or 0):
            errors["amount"] = _("The amount paid is less than the fine (%(fine)s).") % {
                "fine": money(locked.fine_amount or 0)
            }
        if paid_on > timezone.localdate() or paid_on < locked.served_on:
            errors["paid_on"] = _("The payment date must be between the day of service and today.")
        if errors:
            raise ValidationError(errors)
        locked.status = DecisionStatus.PAID
        locked.receipt_number = receipt_number
        locked.paid_on = paid_on
        locked.paid_amount = amount
        locked.save(update_fields=["status", "receipt_number", "paid_on", "paid_amount", "updated_at"])
    return locked


def decision_record_enforcement(
    *, decision: SanctionDecision, actor: Any, enforced_on: date, note: str
) -> SanctionDecision:
    """The fine was not paid in time: enforcement (cưỡng chế, Điều 86) was decided."""
    note = note.strip()
    with transaction.atomic(), audit_context(actor):
        locked = _locked_signed(
            decision,
            actor,
            (DecisionStatus.SERVED, DecisionStatus.APPEALED),
            _("Enforcement is recorded on a served decision that was not paid or enforced yet."),
        )
        if not locked.is_fine:
            raise ValidationError(_("This decision imposes no fine."))
        _not_future(enforced_on, "enforced_on")
        if enforced_on <= locked.payment_due_date:
            raise ValidationError(
                {
                    "enforced_on": _("The violator has until %(day)s to pay; enforcement comes after that.")
                    % {"day": locked.payment_due_date.strftime("%d/%m/%Y")}
                }
            )
        if not note:
            raise ValidationError({"note": _("Enter the enforcement decision (number, date, measure).")})
        locked.status = DecisionStatus.ENFORCED
        locked.enforced_on = enforced_on
        locked.enforcement_note = note
        locked.save(update_fields=["status", "enforced_on", "enforcement_note", "updated_at"])
    return locked


def decision_record_appeal(
    *, decision: SanctionDecision, actor: Any, appealed_on: date, note: str
) -> SanctionDecision:
    """A complaint or a lawsuit against the decision; it stays to be paid or enforced."""
    note = note.strip()
    with transaction.atomic(), audit_context(actor):
        locked = _locked_signed(
            decision, actor, (DecisionStatus.SERVED,), _("An appeal is recorded on a served decision.")
        )
        _not_future(appealed_on, "appealed_on")
        if appealed_on < locked.served_on:
            raise ValidationError({"appealed_on": _("An appeal cannot come before the decision was served.")})
        if not note:
            raise ValidationError({"note": _("Enter who appealed, to whom, and the reference.")})
        locked.status = DecisionStatus.APPEALED
        locked.appealed_on = appealed_on
        locked.appeal_note = note
        locked.save(update_fields=["status", "appealed_on", "appeal_note", "updated_at"])
    return locked
