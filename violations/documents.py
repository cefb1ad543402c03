"""The printable context of a record, for the Documents app to register as a document kind
(template + a function that builds the context from a record id; documents never imports us)."""

import base64
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from businesses.documents import register_history_section
from documents.layout import document_number, place_date, vietnamese_date
from documents.registry import DocumentKind, fingerprint, register

from .models import RecordForm, Stage, Status, Violation, ViolationItem
from .services import money

BLANK = "……"


def when_text(moment: Any) -> str:
    """ "hồi 09 giờ 30 phút, ngày 05 tháng 12 năm 2026", the way forms MBB01/MBB02 write a time;
    blanks to fill by hand when the officer entered none."""
    if moment is None:
        return f"hồi {BLANK} giờ {BLANK} phút, ngày {BLANK} tháng {BLANK} năm {BLANK}"
    local = timezone.localtime(moment)
    return f"hồi {local:%H} giờ {local:%M} phút, {vietnamese_date(local.date())}"


def citation(t: Any) -> str:
    """ "điểm a khoản 1 Điều 8 Nghị định số 282/2025/NĐ-CP", in the order the form writes it."""
    parts = [f"điểm {t.point}" if t.point else "", f"khoản {t.clause}" if t.clause else ""]
    parts += [f"Điều {t.article}", f"Nghị định số {t.decree}"]
    return " ".join(p for p in parts if p)


def _day(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def signature_uri(field: Any) -> str:
    """A drawn signature inlined into the PDF: the printer reads nothing but static files and data:."""
    if not field:
        return ""
    with field.open("rb") as fh:
        return "data:image/png;base64," + base64.b64encode(fh.read()).decode("ascii")


def violation_print_context(violation_id: int) -> dict[str, Any]:
    """Everything a Decree 30/2020 layout of the record needs, as plain values."""
    v = (
        Violation.objects.select_related(
            "ward", "business", "business__street", "signed_by", "created_by", "record_form", "supersedes"
        )
        .prefetch_related("items__violation_type")
        .get(pk=violation_id)
    )
    items: list[ViolationItem] = list(v.items.all())
    signed_on = timezone.localdate(v.signed_at) if v.signed_at else None
    # The record is dated the day it was made on site; the signing (approval) comes later.
    made_on = timezone.localdate(v.made_at) if v.made_at else signed_on
    is_org = v.violator_kind == "organisation"
    domains = []
    for i in items:
        label = i.violation_type.get_domain_display()
        if label not in domains:
            domains.append(label)
    return {
        "issuing_unit": v.ward.document_unit_name,
        "ward_name": v.ward.name,
        "number": v.number_display,
        "form_code": v.record_form.code if v.record_form else "",
        "form_name": v.record_form.name if v.record_form else v.get_stage_display(),
        # Decree 30/2020 date line: the day the record was made, under the ward's names in force then.
        "place_and_date": place_date(v.ward, made_on) if made_on else "",
        "document_date": made_on or signed_on,
        "stage": v.get_stage_display(),
        "status": v.get_status_display(),
        "business_name": v.business.name if v.business else "",
        "violator_name": v.violator_name,
        "violator_kind": v.get_violator_kind_display(),
        "person_id_number": v.person_id_number,
        # The violator's residence as entered: a business's address is not where its owner lives.
        "person_address": v.person_address,
        "occurred_at": timezone.localtime(v.occurred_at),
        "discovered_at": timezone.localtime(v.discovered_at),
        "place": v.place,
        "description": v.description,
        "violations": [
            {
                "title": i.violation_type.title,
                "legal_basis": i.violation_type.legal_basis,
                "citation": citation(i.violation_type),
            }
            for i in items
        ],
        "domains": ", ".join(str(d).lower() for d in domains),
        "is_organisation": is_org,
        "organisation_name": (v.business.name if v.business else v.person_name) if is_org else "",
        "person_sex": v.get_person_sex_display() if v.person_sex else "",
        "person_birth_date": _day(v.person_birth_date),
        "person_nationality": v.person_nationality,
        "person_occupation": v.person_occupation,
        "person_id_issued_on": _day(v.person_id_issued_on),
        "person_id_issued_by": v.person_id_issued_by,
        "org_head_office": v.org_head_office,
        "org_enterprise_code": v.org_enterprise_code,
        "org_registration_number": v.org_registration_number,
        "org_registration_issued_on": _day(v.org_registration_issued_on),
        "org_registration_issued_by": v.org_registration_issued_by,
        "org_representative": v.org_representative,
        "org_representative_sex": (
            v.get_org_representative_sex_display() if v.org_representative_sex else ""
        ),
        "org_representative_title": v.org_representative_title,
        "witness_detail": v.witness_detail,
        "witness_address": v.witness_address,
        "is_ward_representative": v.witness_role == "ward_representative",
        "translator_name": v.translator_name,
        "translator_occupation": v.translator_occupation,
        "translator_address": v.translator_address,
        "injured_party": v.injured_party,
        "violator_statement": v.violator_statement,
        "witness_statement": v.witness_statement,
        "injured_statement": v.injured_statement,
        "measures_taken": v.measures_taken,
        "items_held": v.items_held,
        "explanation_right": v.explanation_right,
        "explanation_to": v.explanation_to,
        "summons_when": when_text(v.summons_at) if v.summons_at else "",
        "summons_place": v.summons_place,
        "made_when": when_text(v.made_at),
        "made_place": v.made_place,
        "made_place_reason": v.made_place_reason,
        "finished_when": when_text(v.finished_at),
        "pages": f"{v.pages:02d}" if v.pages else BLANK,
        "copies": f"{v.copies:02d}" if v.copies else BLANK,
        "refusal_reason": v.refusal_reason,
        "signature_files": [v.violator_signature.name, v.witness_signature.name],
        "witness_refusal_reason": v.witness_refusal_reason,
        "present_persons": [line.strip() for line in v.present_persons.splitlines() if line.strip()],
        "conclusions": v.conclusions,
        "scene": v.scene,
        "damage": v.damage,
        "related_documents": v.related_documents,
        # The record-maker is the officer who made it on site; the leader who signed approves it.
        "maker_name": v.created_by.get_full_name() or v.created_by.username,
        "maker_position": v.created_by.rank_title,
        "approver_name": v.signed_by.get_full_name() if v.signed_by else "",
        "approver_position": v.signed_by.rank_title if v.signed_by else "",
        "legal_basis": v.legal_basis_snapshot,
        "sanction": v.get_sanction_display(),
        "fine_amount": v.fine_amount,
        "violator_signed": v.violator_signed,
        "refused_to_sign": v.refused_to_sign,
        "witness_name": v.witness_name,
        "witness_role": v.get_witness_role_display() if v.witness_role else "",
        "signed_by": v.signed_by.get_full_name() if v.signed_by else "",
        "signed_by_title": v.signed_by.rank_title if v.signed_by else "",
        "replaces": v.supersedes.number_display if v.supersedes else "",
        "amendment_reason": v.amendment_reason,
    }


# --- the printed record, registered with the documents printer (autodiscovered) -----------------

VIOLATION_RECORD = "violation-record"
DRAFT_MARK = "BẢN NHÁP — chưa có số"


def _title(v: Violation) -> str:
    if v.record_form_id:
        return v.record_form.name
    form = RecordForm.objects.filter(stage=v.stage).first()
    return form.name if form else "Biên bản vi phạm hành chính"


# Each form is its own template; the registered one extends the form of the record's stage.
VIOLATION_RECORD_TEMPLATE = "violations/violation_record_pdf.html"
WORKING_RECORD_TEMPLATE = "violations/working_record_pdf.html"
REMINDER_NOTICE_TEMPLATE = "violations/reminder_notice_pdf.html"
STAGE_TEMPLATES = {
    Stage.WORKING_RECORD: WORKING_RECORD_TEMPLATE,
    # #25.8: a signed reminder prints as a notice, never as a violation record.
    Stage.REMINDER: REMINDER_NOTICE_TEMPLATE,
}


def violation_record_context(violation_id: int) -> dict[str, Any]:
    """The print context plus what the Decree 30/2020 frame of the documents app reads."""
    context = violation_print_context(violation_id)
    v = Violation.objects.select_related("record_form", "business", "signed_by").get(pk=violation_id)
    # A working record (MBB02) is its own form, never the violation record's with another title.
    context["record_template"] = STAGE_TEMPLATES.get(v.stage, VIOLATION_RECORD_TEMPLATE)
    is_draft = v.status == Status.DRAFT
    items = list(v.items.select_related("violation_type").order_by("violation_type__code"))
    legal_lines = (
        v.legal_basis_snapshot.splitlines()
        if v.legal_basis_snapshot
        else [f"{i.violation_type.title}: {i.violation_type.legal_basis}" for i in items]
    )
    title = "Thông báo nhắc nhở" if v.stage == Stage.REMINDER else _title(v)
    decrees: list[str] = []
    for i in items:
        if i.violation_type.decree not in decrees:
            decrees.append(i.violation_type.decree)
    if v.stage == Stage.WORKING_RECORD:
        subtitle = "Ghi nhận sự việc liên quan đến vi phạm hành chính"
        subtitle += f" về {context['domains']}" if context["domains"] else ""
    elif v.stage == Stage.REMINDER:
        subtitle = "Về việc chấp hành quy định của pháp luật"
        subtitle += f" về {context['domains']}" if context["domains"] else ""
    else:
        subtitle = f"Về {context['domains']}" if context["domains"] else ""
    return {
        **context,
        "violator_signature": signature_uri(v.violator_signature),
        "witness_signature": signature_uri(v.witness_signature),
        "decrees": decrees,
        "document_subtitle": subtitle,
        "violation": v,
        "number": document_number(v.number, v.number_symbol),
        "business_address": v.business.address if v.business else "",
        # Running text in sentence case (Decree 30/2020: capitals only where the layout puts them).
        "unit_sentence": f"Công an {v.ward.name[:1].lower()}{v.ward.name[1:]}",
        "document_title": f"{title} ({DRAFT_MARK})" if is_draft else title,
        "record_title": title,
        "is_draft": is_draft,
        "draft_mark": DRAFT_MARK,
        "legal_lines": legal_lines,
        "fine_display": money(v.fine_amount) if v.fine_amount else "",
        "recipients": ["Người vi phạm", "Lưu: hồ sơ vụ việc"],
        # #25.4: tái phạm / vi phạm nhiều lần as the law defines them (Điều 10 khoản 1).
        "aggravating": v.aggravation.labels(),
        **({"place_date": context["place_and_date"]} if context["place_and_date"] else {}),
    }


def violation_record_version(violation_id: int) -> str:
    # Signing, amending (superseded), transfer or any draft change alters the printed content.
    v = Violation.objects.values("updated_at", "status", "number", "signed_at").get(pk=violation_id)
    return fingerprint({"row": v, "context": violation_print_context(violation_id)})


def _record_entry(violation_id: int):
    """The register line of a signed record or reminder notice (#29: then it is issued)."""
    from documents.register import register_entry_for

    from .services import STAGE_REGISTER_KINDS

    v = Violation.objects.only("pk", "stage", "number").get(pk=violation_id)
    kind = STAGE_REGISTER_KINDS.get(v.stage)
    return register_entry_for(v, kind) if kind and v.number is not None else None


def _decision_entry(violation_id: int):
    from documents.models import RegisterKind
    from documents.register import register_entry_for

    from .decision_models import SanctionDecision

    d = SanctionDecision.objects.only("pk", "number").get(violation_id=violation_id)
    return register_entry_for(d, RegisterKind.SANCTION_DECISION) if d.number is not None else None


def _filename(violation_id: int) -> str:
    v = Violation.objects.select_related("record_form").get(pk=violation_id)
    name = "Thông báo nhắc nhở" if v.stage == Stage.REMINDER else "Biên bản"
    if v.number is None:
        return f"{name} nháp {v.pk}"
    return f"{name} {document_number(v.number, v.number_symbol)} {v.number_year}"


register(
    DocumentKind(
        kind=VIOLATION_RECORD,
        title=_("Administrative violation record"),
        template="violations/record_pdf.html",
        build_context=violation_record_context,
        version=violation_record_version,
        ward_id=lambda pk: Violation.objects.values_list("ward_id", flat=True).get(pk=pk),
        filename=_filename,
        issued_entry=lambda pk: _record_entry(pk),
    )
)


# --- the violations section of a business's history (businesses/documents.py) --------------------


def business_violations_section(business) -> dict[str, Any]:
    rows = [
        [
            timezone.localtime(v.occurred_at).strftime("%d/%m/%Y"),
            document_number(v.number, v.number_symbol) if v.number is not None else "—",
            str(v.get_stage_display()),
            str(v.get_status_display()),
            v.description[:200],
        ]
        for v in Violation.objects.filter(business=business).order_by("occurred_at", "pk")
    ]
    return {
        "title": "Vi phạm và biên bản",
        "columns": ["Ngày vi phạm", "Số biên bản", "Hình thức xử lý", "Tình trạng", "Nội dung"],
        "rows": rows,
    }


register_history_section(business_violations_section)


# --- the sanction decision (#25.3), keyed by its record's id (one decision per record) -----------

SANCTION_DECISION = "sanction-decision"
DECISION_DRAFT_MARK = "DỰ THẢO"


def decision_print_context(violation_id: int) -> dict[str, Any]:
    """The decision's printable parts, in the form's order (templates/violations/decision_pdf.html)."""
    from .decision_models import (
        SIGNER_TITLE_VI,
        DecisionKind,
        DecisionStatus,
        SanctionDecision,
        no_sanction_ground_vi,
    )
    from .rules import amount_in_words

    d = SanctionDecision.objects.select_related(
        "violation__ward", "violation__business", "violation__record_form", "signed_by"
    ).get(violation_id=violation_id)
    v = d.violation
    items = list(v.items.select_related("violation_type").order_by("violation_type__code"))
    legal_lines = (
        v.legal_basis_snapshot.splitlines()
        if v.legal_basis_snapshot
        else [f"{i.violation_type.title}: {i.violation_type.legal_basis}" for i in items]
    )
    decrees = sorted({i.violation_type.decree for i in items})
    is_draft = d.status == DecisionStatus.DRAFT
    is_organisation = v.violator_kind == "organisation"
    record_on = v.record_made_on
    signed_on = timezone.localdate(d.signed_at) if d.signed_at else None
    no_sanction = d.kind == DecisionKind.NO_SANCTION
    return {
        "decision": d,
        "is_draft": is_draft,
        "draft_mark": DECISION_DRAFT_MARK,
        "number": "" if d.number is None else f"{d.number:02d}/{d.number_symbol}",
        "document_title": "QUYẾT ĐỊNH",
        "document_subtitle": (
            "Về việc không ra quyết định xử phạt vi phạm hành chính"
            if no_sanction
            else "Xử phạt vi phạm hành chính"
        ),
        "no_sanction": no_sanction,
        "ground": no_sanction_ground_vi(d.no_sanction_ground) if d.no_sanction_ground else "",
        "no_sanction_reason": d.no_sanction_reason.rstrip(" ."),
        "decrees": decrees,
        "record_number": f"{v.number:02d}/{v.number_symbol}" if v.number is not None else "",
        "record_date": record_on.strftime("%d/%m/%Y") if record_on else "",
        "signer_name": d.signed_by.get_full_name() if d.signed_by else "",
        "signer_title": SIGNER_TITLE_VI.get(d.signer_title, ""),
        # MQĐ02's issuing authority under the title: the head's title even when a deputy signs.
        "authority": (
            f"CHỦ TỊCH ỦY BAN NHÂN DÂN {v.ward.name.upper()}"
            if d.signer_title == "chairman"
            else f"TRƯỞNG CÔNG AN {v.ward.name.upper()}"
        ),
        "deputy": d.signer_title == "police_deputy",
        # Running text in sentence case (Decree 30/2020: capitals only where the layout puts them).
        "unit": f"Công an {v.ward.name[:1].lower()}{v.ward.name[1:]}",
        "is_organisation": is_organisation,
        "addressee": "tổ chức" if is_organisation else "ông (bà)",
        "addressee_cap": "Tổ chức" if is_organisation else "Ông (bà)",
        "violator_name": v.business.name if is_organisation and v.business else v.violator_name,
        # The violator's details as the record carries them (Mẫu MQĐ02, Điều 1): never a business's
        # address in place of where a person lives or an organisation has its head office.
        "person_sex": v.get_person_sex_display() if v.person_sex else "",
        "person_birth_date": _day(v.person_birth_date),
        "person_nationality": v.person_nationality,
        "person_occupation": v.person_occupation,
        "person_address": v.person_address,
        "person_id_number": v.person_id_number,
        "person_id_issued_on": _day(v.person_id_issued_on),
        "person_id_issued_by": v.person_id_issued_by,
        "org_head_office": v.org_head_office,
        "org_enterprise_code": v.org_enterprise_code,
        "org_registration_number": v.org_registration_number,
        "org_registration_issued_on": _day(v.org_registration_issued_on),
        "org_registration_issued_by": v.org_registration_issued_by,
        "org_representative": v.org_representative,
        "org_representative_sex": (
            v.get_org_representative_sex_display() if v.org_representative_sex else ""
        ),
        "org_representative_title": v.org_representative_title,
        "description": v.description,
        "behaviours": [i.violation_type.title for i in items],
        "legal_lines": legal_lines,
        "aggravating": d.aggravation.labels(),
        "extenuating": d.extenuating.rstrip(" ."),
        "sanction_label": {"fine": "Phạt tiền", "warning": "Cảnh cáo"}.get(d.sanction, ""),
        "is_fine": d.is_fine,
        "fine_display": money(d.fine_amount) if d.fine_amount else "",
        "fine_words": amount_in_words(d.fine_amount) if d.fine_amount else "",
        "remedial_measures": d.remedial_measures.rstrip(" ."),
        **({"place_date": _place_date(v.ward, signed_on)} if signed_on else {"place_date": ""}),
    }


def _place_date(ward, day) -> str:
    from documents.layout import place_date

    return place_date(ward, day)


def decision_version(violation_id: int) -> str:
    from .decision_models import SanctionDecision

    d = SanctionDecision.objects.values("updated_at", "status", "number", "signed_at").get(
        violation_id=violation_id
    )
    return fingerprint(
        {
            "row": d,
            "context": {k: v for k, v in decision_print_context(violation_id).items() if k != "decision"},
        }
    )


def _decision_filename(violation_id: int) -> str:
    from .decision_models import SanctionDecision

    d = SanctionDecision.objects.get(violation_id=violation_id)
    if d.number is None:
        return f"Dự thảo quyết định {d.pk}"
    return f"Quyết định {d.number:02d}/{d.number_symbol} {d.number_year}"


register(
    DocumentKind(
        kind=SANCTION_DECISION,
        title=_("Sanction decision"),
        template="violations/decision_pdf.html",
        build_context=decision_print_context,
        version=decision_version,
        ward_id=lambda pk: Violation.objects.values_list("ward_id", flat=True).get(pk=pk),
        filename=_decision_filename,
        issued_entry=_decision_entry,
    )
)
