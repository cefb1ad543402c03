"""The printable context of a record, for the Documents app to register as a document kind
(template + a function that builds the context from a record id; documents never imports us)."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from businesses.documents import register_history_section
from documents.registry import DocumentKind, fingerprint, register

from .models import RecordForm, Status, Violation, ViolationItem
from .services import money


def violation_print_context(violation_id: int) -> dict[str, Any]:
    """Everything a Decree 30/2020 layout of the record needs, as plain values."""
    v = (
        Violation.objects.select_related(
            "ward", "business", "business__street", "signed_by", "record_form", "supersedes"
        )
        .prefetch_related("items__violation_type")
        .get(pk=violation_id)
    )
    items: list[ViolationItem] = list(v.items.all())
    signed_on = timezone.localdate(v.signed_at) if v.signed_at else None
    return {
        "issuing_unit": v.ward.document_unit_name,
        "ward_name": v.ward.name,
        "number": v.number_display,
        "form_code": v.record_form.code if v.record_form else "",
        "form_name": v.record_form.name if v.record_form else v.get_stage_display(),
        "place_and_date": (
            f"{v.ward.name.removeprefix('Phường ').removeprefix('phường ')}, ngày {signed_on:%d} tháng "
            f"{signed_on:%m} năm {signed_on:%Y}"
            if signed_on
            else ""
        ),
        "stage": v.get_stage_display(),
        "status": v.get_status_display(),
        "business_name": v.business.name if v.business else "",
        "violator_name": v.violator_name,
        "violator_kind": v.get_violator_kind_display(),
        "person_id_number": v.person_id_number,
        "person_address": v.person_address or (v.business.address if v.business else ""),
        "occurred_at": timezone.localtime(v.occurred_at),
        "discovered_at": timezone.localtime(v.discovered_at),
        "place": v.place,
        "description": v.description,
        "violations": [
            {"title": i.violation_type.title, "legal_basis": i.violation_type.legal_basis} for i in items
        ],
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


def violation_record_context(violation_id: int) -> dict[str, Any]:
    """The print context plus what the Decree 30/2020 frame of the documents app reads."""
    context = violation_print_context(violation_id)
    v = Violation.objects.select_related("record_form", "business", "signed_by").get(pk=violation_id)
    is_draft = v.status == Status.DRAFT
    items = list(v.items.select_related("violation_type").order_by("violation_type__code"))
    legal_lines = (
        v.legal_basis_snapshot.splitlines()
        if v.legal_basis_snapshot
        else [f"{i.violation_type.title}: {i.violation_type.legal_basis}" for i in items]
    )
    title = _title(v)
    return {
        **context,
        "violation": v,
        "number": "" if v.number is None else f"{v.number}/{v.number_symbol}",
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


def _filename(violation_id: int) -> str:
    v = Violation.objects.select_related("record_form").get(pk=violation_id)
    if v.number is None:
        return f"Biên bản nháp {v.pk}"
    return f"Biên bản {v.number}/{v.number_symbol} {v.number_year}"


register(
    DocumentKind(
        kind=VIOLATION_RECORD,
        title=_("Administrative violation record"),
        template="violations/violation_record_pdf.html",
        build_context=violation_record_context,
        version=violation_record_version,
        ward_id=lambda pk: Violation.objects.values_list("ward_id", flat=True).get(pk=pk),
        filename=_filename,
    )
)


# --- the violations section of a business's history (businesses/documents.py) --------------------


def business_violations_section(business) -> dict[str, Any]:
    rows = [
        [
            timezone.localtime(v.occurred_at).strftime("%d/%m/%Y"),
            f"{v.number}/{v.number_symbol}" if v.number is not None else "—",
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
    record_on = timezone.localdate(v.signed_at) if v.signed_at else None
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
        "deputy": d.signer_title == "police_deputy",
        # Running text in sentence case (Decree 30/2020: capitals only where the layout puts them).
        "unit": f"Công an {v.ward.name[:1].lower()}{v.ward.name[1:]}",
        "is_organisation": is_organisation,
        "addressee": "tổ chức" if is_organisation else "ông (bà)",
        "addressee_cap": "Tổ chức" if is_organisation else "Ông (bà)",
        "violator_name": v.business.name if is_organisation and v.business else v.violator_name,
        "person_id_number": v.person_id_number,
        "address": v.person_address or (v.business.address if is_organisation and v.business else ""),
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
    )
)
