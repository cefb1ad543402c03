"""Writes for checklists and inspections: one function per state change."""

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from businesses.models import Business, InspectionResult
from documents.models import RegisterKind
from documents.register import register_issue
from violations.models import Stage
from violations.rules import stage_rank
from violations.services import (
    evidence_add,
    violation_create_draft,
    violation_type_in_force,
    violation_update_draft,
)
from ward_police import refdata

from . import hooks
from .images import ProcessedImage
from .models import (
    Answer,
    AnswerStatus,
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    ChecklistVersion,
    Commitment,
    Inspection,
    Photo,
    VersionStatus,
)
from .rules import AnswerFact, inspection_outcome
from .selectors import checklist_form_sections

logger = logging.getLogger(__name__)

# --- checklists -----------------------------------------------------------------------------


def ensure_version_editable(version: ChecklistVersion) -> None:
    if not version.is_editable:
        raise ValidationError(
            _("Version %(number)s is %(status)s and can no longer be changed; create a new version."),
            code="version_frozen",
            params={"number": version.number, "status": version.get_status_display().lower()},
        )


@transaction.atomic
def checklist_template_create(
    *, code: str, name: str, description: str = "", category_ids: Iterable[int] = ()
) -> ChecklistTemplate:
    template = ChecklistTemplate.objects.create(code=code, name=name, description=description)
    template.categories.set(list(category_ids))
    ChecklistVersion.objects.create(template=template, number=1)
    return template


def checklist_section_add(
    *, version: ChecklistVersion, domain: str, title: str = "", position: int | None = None
) -> ChecklistSection:
    ensure_version_editable(version)
    if position is None:
        position = (version.sections.aggregate(m=Max("position"))["m"] or 0) + 1
    return ChecklistSection.objects.create(version=version, domain=domain, title=title, position=position)


@transaction.atomic
def checklist_item_add(
    *,
    section: ChecklistSection,
    question: str,
    guidance: str = "",
    points: int = 1,
    is_critical: bool = False,
    category_ids: Iterable[int] = (),
    position: int | None = None,
) -> ChecklistItem:
    ensure_version_editable(section.version)
    if position is None:
        position = (section.items.aggregate(m=Max("position"))["m"] or 0) + 1
    item = ChecklistItem.objects.create(
        section=section,
        question=question,
        guidance=guidance,
        points=points,
        is_critical=is_critical,
        position=position,
    )
    item.categories.set(list(category_ids))
    return item


def checklist_item_update(*, item: ChecklistItem, **changes: object) -> ChecklistItem:
    ensure_version_editable(item.section.version)
    allowed = {"question", "guidance", "points", "is_critical", "position"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"cannot change {sorted(unknown)}")
    for name, value in changes.items():
        setattr(item, name, value)
    item.full_clean()
    item.save(update_fields=list(changes))
    return item


@transaction.atomic
def checklist_version_create_draft(
    *, template: ChecklistTemplate, copy_items: bool = True
) -> ChecklistVersion:
    """The draft to edit: the existing one, or a copy of the latest version (items included;
    with `copy_items=False` an empty edition, e.g. a checklist rewritten for new rules)."""
    template = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    draft = template.versions.filter(status=VersionStatus.DRAFT).first()
    if draft:
        return draft
    source = (
        template.versions.filter(status=VersionStatus.PUBLISHED).first()
        or template.versions.order_by("-number").first()
    )
    number = (template.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    draft = ChecklistVersion.objects.create(template=template, number=number, based_on=source)
    if source is None or not copy_items:
        return draft
    sections = source.sections.prefetch_related("items__categories")
    for section in sections:
        new_section = ChecklistSection.objects.create(
            version=draft, domain=section.domain, title=section.title, position=section.position
        )
        for item in section.items.all():
            new_item = ChecklistItem.objects.create(
                section=new_section,
                position=item.position,
                question=item.question,
                guidance=item.guidance,
                points=item.points,
                is_critical=item.is_critical,
            )
            new_item.categories.set(item.categories.all())
            _copy_extra_item_relations(item, new_item)
    return draft


def _copy_extra_item_relations(source: ChecklistItem, target: ChecklistItem) -> None:
    """Copy every other many-to-many of an item (e.g. proposed violation types) to its clone."""
    for m2m in ChecklistItem._meta.many_to_many:
        if m2m.name != "categories":
            getattr(target, m2m.name).set(getattr(source, m2m.name).all())


@transaction.atomic
def checklist_version_publish(*, version: ChecklistVersion, user: User | None) -> ChecklistVersion:
    """Publish a draft: it becomes the version new inspections use, and the previous one retires."""
    version = ChecklistVersion.objects.select_for_update().get(pk=version.pk)
    ensure_version_editable(version)
    if not ChecklistItem.objects.filter(section__version=version).exists():
        raise ValidationError(_("A checklist version needs at least one item before it is published."))
    now = timezone.now()
    ChecklistVersion.objects.filter(template_id=version.template_id, status=VersionStatus.PUBLISHED).update(
        status=VersionStatus.RETIRED, retired_at=now
    )
    refdata.bump(refdata.CHECKLISTS)  # update() sends no post_save (the save below would, too)
    version.status = VersionStatus.PUBLISHED
    version.published_at = now
    version.published_by = user
    version.save(update_fields=["status", "published_at", "published_by"])
    return version


# --- inspections ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerInput:
    item_id: int
    status: str
    note: str = ""
    # The violation the officer chose for a failed item that cites none in force (#26.4).
    violation_type: str = ""


@dataclass(frozen=True)
class PhotoInput:
    image: ProcessedImage
    item_id: int | None = None


@dataclass(frozen=True)
class CommitmentInput:
    text: str
    deadline: date | None = None
    signature_png: bytes | None = None
    refused_to_sign: bool = False
    witness_name: str = ""
    refusal_reason: str = ""


@dataclass
class _SavedFiles:
    names: list[str] = field(default_factory=list)

    def save(self, path: str, content: bytes) -> str:
        name = default_storage.save(path, ContentFile(content))
        self.names.append(name)
        return name

    def delete_all(self) -> None:
        for name in self.names:
            default_storage.delete(name)
        self.names.clear()


def applicable_items(version: ChecklistVersion, category_id: int) -> list[ChecklistItem]:
    """The version's items that apply to the category, in order (the form's sections, flattened)."""
    return [item for _section, items in checklist_form_sections(version, category_id) for item in items]


def _file_stem(inspection: Inspection) -> str:
    when = timezone.localtime(inspection.finished_at)
    return f"inspections/{inspection.ward_id}/{when:%Y/%m}/{uuid.uuid4().hex}"


def inspection_record(
    *,
    submission_id: uuid.UUID,
    business: Business,
    version: ChecklistVersion,
    recorded_by: User,
    inspectors: Sequence[User],
    person_present_name: str,
    person_present_role: str,
    started_at: datetime,
    answers: Sequence[AnswerInput],
    finished_at: datetime | None = None,
    partner_forces: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    gps_accuracy_m: int | None = None,
    photos: Sequence[PhotoInput] = (),
    commitment: CommitmentInput | None = None,
    remarks: str = "",
    source: str = "",
    violation_types: Sequence[str] = (),
) -> tuple[Inspection, bool]:
    """Store one inspection with its answers, photos and commitment, all or nothing.

    Returns (inspection, created). A submission id seen before returns the stored inspection
    and creates nothing, also when two requests race (the unique index decides).
    """
    existing = Inspection.objects.filter(submission_id=submission_id).first()
    if existing:
        return existing, False

    if version.status == VersionStatus.DRAFT:
        raise ValidationError(_("This checklist version is not published yet."))
    # .all(): the template's categories prefetched by the form's view, else one query.
    categories = {c.pk for c in version.template.categories.all()}
    if categories and business.category_id not in categories:
        raise ValidationError(_("This checklist is not meant for this kind of business."))
    items = {item.pk: item for item in applicable_items(version, business.category_id)}
    given = {a.item_id for a in answers}
    if given != set(items) or len(given) != len(answers):
        raise ValidationError(_("Every item of the checklist needs exactly one answer."))
    if any(a.status not in AnswerStatus.values for a in answers):
        raise ValidationError(_("An answer must be: meets, does not meet, or not applicable."))
    if any(p.item_id is not None and p.item_id not in items for p in photos):
        raise ValidationError(_("A photo refers to an item that is not on this checklist."))
    if not inspectors:
        raise ValidationError(_("Choose at least one inspecting officer."))
    if any(u.ward_id != business.ward_id for u in inspectors):
        raise ValidationError(_("Inspecting officers must belong to the business's ward."))
    finished_at = finished_at or timezone.now()
    if started_at > finished_at:
        raise ValidationError(_("The start time is after the finish time."))
    if commitment is not None:
        _commitment_validate(commitment)

    outcome = inspection_outcome(
        AnswerFact(status=a.status, points=items[a.item_id].points, critical=items[a.item_id].is_critical)
        for a in answers
    )
    proposed_codes: list[str] = []
    if outcome.result == InspectionResult.FAILED:
        proposed_codes = proposed_violation_codes(
            items=items, answers=answers, extra=violation_types, on=timezone.localdate(finished_at)
        )
        if not proposed_codes:
            # "Phát hiện vi phạm" always has a proposed record behind it (#26.4).
            raise ValidationError(
                _(
                    "Items not met call for a violation record, but none of them cites a violation in "
                    "force: choose the violation found."
                ),
                code="violation_type_needed",
            )
    files = _SavedFiles()
    try:
        with transaction.atomic():
            inspection = Inspection.objects.create(
                ward_id=business.ward_id,
                business=business,
                checklist_version=version,
                submission_id=submission_id,
                source=hooks.clean_source(source),
                recorded_by=recorded_by,
                partner_forces=partner_forces,
                person_present_name=person_present_name,
                person_present_role=person_present_role,
                started_at=started_at,
                finished_at=finished_at,
                latitude=latitude,
                longitude=longitude,
                gps_accuracy_m=gps_accuracy_m,
                score=outcome.score,
                result=outcome.result,
                failed_count=outcome.failed,
                critical_failed_count=outcome.critical_failed,
                remarks=remarks,
            )
            inspection.inspectors.set(inspectors)
            Answer.objects.bulk_create(
                Answer(inspection=inspection, item_id=a.item_id, status=a.status, note=a.note)
                for a in answers
            )
            stored_photos = []
            for photo in photos:
                stem = _file_stem(inspection)
                stored_photos.append(
                    Photo(
                        inspection=inspection,
                        item_id=photo.item_id,
                        image=files.save(f"{stem}.jpg", photo.image.content),
                        thumbnail=files.save(f"{stem}_thumb.jpg", photo.image.thumbnail),
                        width=photo.image.width,
                        height=photo.image.height,
                        size_bytes=len(photo.image.content),
                    )
                )
            Photo.objects.bulk_create(stored_photos)
            recorded_commitment = None
            if commitment is not None:
                recorded_commitment = _commitment_create(inspection=inspection, data=commitment, files=files)
            # A late sync of an older inspection must not overwrite a newer result.
            Business.objects.filter(pk=business.pk).filter(
                Q(last_inspected_at__isnull=True) | Q(last_inspected_at__lte=finished_at)
            ).update(last_inspected_at=finished_at, last_inspection_result=outcome.result)
            if outcome.result == InspectionResult.FAILED:
                _propose_violation(
                    inspection=inspection,
                    items=items,
                    answers=answers,
                    codes=proposed_codes,
                    photos=photos,
                    commitment=commitment,
                    files=files,
                )
            hooks.run_recorded_handlers(inspection)
            # Last, so the ward's counter row stays locked only until the commit just after.
            finished_on = timezone.localdate(finished_at)
            register_issue(
                ward=inspection.ward_id,
                kind=RegisterKind.INSPECTION_RECORD,
                year=finished_on.year,
                issued_on=finished_on,
                title=f"Biên bản kiểm tra cơ sở {business.name}",
                signer=recorded_by,
                obj=inspection,
            )
            if recorded_commitment is not None:
                # #25.8: the commitment is its own numbered document ("Số: 01/CK"), recorded in
                # the same transaction as the inspection it was made during.
                register_issue(
                    ward=inspection.ward_id,
                    kind=RegisterKind.COMMITMENT,
                    year=finished_on.year,
                    issued_on=finished_on,
                    title=f"Bản cam kết của cơ sở {business.name}",
                    signer=recorded_by,
                    obj=recorded_commitment,
                )
    except IntegrityError:
        files.delete_all()
        existing = Inspection.objects.filter(submission_id=submission_id).first()
        if existing:
            return existing, False
        raise
    except BaseException:
        files.delete_all()
        raise
    return inspection, True


def proposed_violation_codes(
    *,
    items: dict[int, ChecklistItem],
    answers: Sequence[AnswerInput],
    extra: Sequence[str] = (),
    on: date,
) -> list[str]:
    """The violation codes a failed inspection proposes, in force on `on`: those the failed items
    cite, the ones the officer chose for a failed item, then any other the officer added."""
    codes: list[str] = []
    candidates: list[str] = []
    for answer in answers:
        if answer.status != AnswerStatus.FAIL:
            continue
        candidates.extend(t.code for t in items[answer.item_id].violation_types.all())
        if answer.violation_type:
            candidates.append(answer.violation_type)
    candidates.extend(extra)
    for code in candidates:
        if code and code not in codes and violation_type_in_force(code=code, on=on):
            codes.append(code)
    return codes


def _propose_violation(
    *,
    inspection: Inspection,
    items: dict[int, ChecklistItem],
    answers: Sequence[AnswerInput],
    codes: Sequence[str],
    photos: Sequence[PhotoInput],
    commitment: CommitmentInput | None,
    files: _SavedFiles,
) -> None:
    """A draft violation record citing what the failed items propose, in force on the day, with
    the failed items' notes in its description and their photos as its evidence; the record page
    links back to the inspection (origins.py). A commitment the owner signed puts the draft at
    least at that stage of the ladder (#26.9).

    The officer completes and signs it on the violations side. A draft the violations service
    refuses undoes the whole inspection (the form shows why): a "Phát hiện vi phạm" result
    never stands without its proposed record.
    """
    day = timezone.localdate(inspection.finished_at)
    failed = [(items[a.item_id], a.note) for a in answers if a.status == AnswerStatus.FAIL]
    described = "; ".join(f"{item.question} ({note})" if note else item.question for item, note in failed)
    description = _("Found at the inspection of %(day)s, items not met: %(items)s.") % {
        "day": day.strftime("%d/%m/%Y"),
        "items": described,
    }
    signed = commitment is not None and not commitment.refused_to_sign
    if signed:
        description += " " + _("The owner signed a commitment: %(text)s") % {"text": commitment.text.strip()}
        if commitment.deadline:
            description += " " + _("(to be fixed by %(date)s)") % {
                "date": commitment.deadline.strftime("%d/%m/%Y")
            }
    violation = violation_create_draft(
        business=inspection.business,
        types=list(codes),
        occurred_at=inspection.finished_at,
        discovered_at=inspection.finished_at,
        description=description,
        created_by=inspection.recorded_by,
    )
    if signed and stage_rank(violation.stage) < stage_rank(Stage.COMMITMENT):
        violation = violation_update_draft(
            violation=violation, actor=inspection.recorded_by, types=list(codes), stage=Stage.COMMITMENT
        )
    failed_ids = {item.pk: item for item, _note in failed}
    for photo in photos:
        if photo.item_id not in failed_ids:
            continue
        evidence = evidence_add(
            violation=violation,
            image=SimpleUploadedFile("evidence.jpg", photo.image.content, content_type="image/jpeg"),
            caption=failed_ids[photo.item_id].question[:200],
            uploaded_by=inspection.recorded_by,
        )
        files.names.append(evidence.image.name)  # removed with the others if the inspection fails
    inspection.proposed_violation = violation
    inspection.save(update_fields=["proposed_violation"])


def _commitment_validate(data: CommitmentInput) -> None:
    if not data.text.strip():
        raise ValidationError(_("Write what the owner commits to."))
    if data.refused_to_sign and not data.witness_name.strip():
        raise ValidationError(_("When the person refuses to sign, name a witness."))
    if not data.refused_to_sign and not data.signature_png:
        raise ValidationError(_("Ask the person to sign, or mark that they refused to sign."))


def _commitment_create(*, inspection: Inspection, data: CommitmentInput, files: _SavedFiles) -> Commitment:
    signature = ""
    if not data.refused_to_sign:
        signature = files.save(f"{_file_stem(inspection)}_signature.png", data.signature_png or b"")
    return Commitment.objects.create(
        inspection=inspection,
        business_id=inspection.business_id,
        ward_id=inspection.ward_id,
        text=data.text.strip(),
        deadline=data.deadline,
        signature=signature,
        refused_to_sign=data.refused_to_sign,
        witness_name=data.witness_name.strip() if data.refused_to_sign else "",
        refusal_reason=data.refusal_reason.strip() if data.refused_to_sign else "",
        signed_at=None if data.refused_to_sign else inspection.finished_at,
    )


@transaction.atomic
def commitment_mark_fulfilled(*, commitment: Commitment, user: User) -> Commitment:
    if commitment.fulfilled_at is None:
        commitment.fulfilled_at = timezone.now()
        commitment.save(update_fields=["fulfilled_at"])
    return commitment
