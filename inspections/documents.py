"""What a printed inspection record needs: plain data for the Documents app to render.

The Documents app (below this one) will register the "inspection" document kind with this
function and a template; it takes an id and re-fetches, so a Celery worker can call it.
"""

import base64
from typing import Any

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from businesses.documents import register_history_section
from documents.layout import place_date
from documents.models import RegisterKind
from documents.register import register_entry_for
from documents.registry import DocumentKind, fingerprint, register

from .hooks import inspection_basis
from .models import Commitment, Inspection
from .selectors import inspection_checklist


def inspection_document_context(inspection_id: int) -> dict[str, Any]:
    inspection = (
        Inspection.objects.select_related(
            "ward", "business__street", "business__category", "recorded_by", "checklist_version__template"
        )
        .prefetch_related("inspectors", "photos")
        .get(pk=inspection_id)
    )
    finished = timezone.localtime(inspection.finished_at)
    day = finished.date()
    return {
        "inspection": inspection,
        "issuing_unit": inspection.ward.document_unit_name,
        "place_and_date": place_date(inspection.ward, day),
        "document_date": day,
        "business": inspection.business,
        "checklist": inspection.checklist_version,
        "sections": inspection_checklist(inspection),
        "inspectors": list(inspection.inspectors.all()),
        "result_label": inspection.get_result_display(),
        "commitment": Commitment.objects.filter(inspection=inspection).first(),
        "started_at": timezone.localtime(inspection.started_at),
        "finished_at": finished,
    }


# --- the printed inspection report, registered with the documents printer (autodiscovered) ------

INSPECTION_REPORT = "inspection-report"


def _data_uri(name: str) -> str | None:
    """A stored photo inlined into the PDF: the printer reads nothing but static files and data:."""
    if not name or not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as fh:
        return "data:image/jpeg;base64," + base64.b64encode(fh.read()).decode("ascii")


def inspection_report_number(inspection: Inspection) -> str:
    """ "01/BB-KT": the number the record took from the register when it was recorded."""
    entry = register_entry_for(inspection, RegisterKind.INSPECTION_RECORD)
    return entry.number_text if entry else ""


def inspection_report_signers(inspection: Inspection, inspectors, commitment) -> list[dict[str, str]]:
    """One signature block per inspector (the one who recorded it first, as record-maker), then
    the person present; when they refused to sign, the witness who confirms the refusal signs
    instead, with the refusal stated (the witness never signs in the owner's place)."""
    ordered = sorted(inspectors, key=lambda u: (u.pk != inspection.recorded_by_id, u.pk))
    signers = [
        {
            "role": "Người lập biên bản" if u.pk == inspection.recorded_by_id else "Thành viên đoàn kiểm tra",
            "hint": "(Ký, ghi rõ chức vụ, họ và tên)",
            "name": " ".join(filter(None, [u.rank_title, u.get_full_name() or u.username])),
        }
        for u in ordered
    ]
    if commitment is not None and commitment.refused_to_sign:
        signers.append(
            {
                "role": "Người chứng kiến",
                "hint": "(Ký, ghi rõ họ và tên)",
                "name": commitment.witness_name,
                "note": f"Xác nhận đại diện cơ sở {inspection.person_present_name} từ chối ký",
            }
        )
    else:
        signers.append(
            {
                "role": "Đại diện cơ sở",
                "hint": "(Ký, ghi rõ họ và tên)",
                "name": inspection.person_present_name,
            }
        )
    return signers


def inspection_report_context(inspection_id: int) -> dict[str, Any]:
    context = inspection_document_context(inspection_id)
    inspection = context["inspection"]
    photo_uris = {p.pk: _data_uri(p.thumbnail.name or p.image.name) for p in inspection.photos.all()}
    sections = [
        {
            "title": s.section.title or s.section.get_domain_display(),
            "items": [
                {
                    "question": i.item.question,
                    "answer": i.answer.get_status_display() if i.answer else "Chưa ghi nhận",
                    "note": i.answer.note if i.answer else "",
                    "photos": [photo_uris[p.pk] for p in i.photos if photo_uris.get(p.pk)],
                }
                for i in s.items
            ],
        }
        for s in context["sections"]
    ]
    general = [
        photo_uris[p.pk] for p in inspection.photos.all() if p.item_id is None and photo_uris.get(p.pk)
    ]
    signers = inspection_report_signers(inspection, context["inspectors"], context["commitment"])
    return {
        **context,
        "number": inspection_report_number(inspection),
        "document_title": "Biên bản kiểm tra",
        "document_subtitle": f"Về việc kiểm tra cơ sở kinh doanh {inspection.business.name}",
        "print_sections": sections,
        "general_photos": general,
        "basis": inspection_basis(inspection),
        "signers": signers,
        # Two blocks a row: a team of four and a witness still fits a portrait page.
        "signer_rows": [signers[i : i + 2] for i in range(0, len(signers), 2)],
        "recipients": ["Chủ cơ sở", "Lưu: hồ sơ cơ sở"],
    }


def inspection_report_version(inspection_id: int) -> str:
    inspection = Inspection.objects.get(pk=inspection_id)
    commitment = Commitment.objects.filter(inspection_id=inspection_id).values("fulfilled_at", "text").first()
    return fingerprint(
        {
            "answers": list(inspection.answers.order_by("pk").values_list("item_id", "status", "note")),
            "photos": list(inspection.photos.order_by("pk").values_list("pk", flat=True)),
            "result": inspection.result,
            "remarks": inspection.remarks,
            "commitment": commitment,
            "refusal": list(
                Commitment.objects.filter(inspection_id=inspection_id).values_list("refusal_reason")
            ),
            "business": list(Inspection.objects.filter(pk=inspection_id).values_list("business__name")),
            "number": inspection_report_number(inspection),
            "basis": inspection_basis(inspection),
            "inspectors": sorted(inspection.inspectors.values_list("pk", flat=True)),
        }
    )


register(
    DocumentKind(
        kind=INSPECTION_REPORT,
        title=_("Inspection report"),
        template="inspections/inspection_report_pdf.html",
        build_context=inspection_report_context,
        version=inspection_report_version,
        ward_id=lambda pk: Inspection.objects.values_list("ward_id", flat=True).get(pk=pk),
        filename=lambda pk: f"Biên bản kiểm tra {pk}",
        issued_entry=lambda pk: register_entry_for(Inspection(pk=pk), RegisterKind.INSPECTION_RECORD),
    )
)


# --- the commitment (bản cam kết, #25.8), keyed by its inspection's id (one per inspection) ------

COMMITMENT_DOCUMENT = "commitment"


def commitment_number(commitment: Commitment) -> str:
    """ "01/CK": the number the commitment took from the register when it was recorded."""
    entry = register_entry_for(commitment, RegisterKind.COMMITMENT)
    return entry.number_text if entry else ""


def commitment_document_context(inspection_id: int) -> dict[str, Any]:
    """The parts of the printed commitment (templates/inspections/commitment_pdf.html)."""
    commitment = Commitment.objects.select_related(
        "inspection__ward", "inspection__recorded_by", "business__street", "inspection__checklist_version"
    ).get(inspection_id=inspection_id)
    inspection = commitment.inspection
    business = commitment.business
    finished = timezone.localtime(inspection.finished_at)
    day = finished.date()
    number = commitment_number(commitment)
    officer = inspection.recorded_by
    inspection_entry = register_entry_for(inspection, RegisterKind.INSPECTION_RECORD)
    return {
        "commitment": commitment,
        "inspection": inspection,
        "business": business,
        "business_address": business.address,
        "issuing_unit": inspection.ward.document_unit_name,
        "place_and_date": place_date(inspection.ward, day),
        "place_date": place_date(inspection.ward, day),
        "document_date": day,
        # A commitment is recorded with its inspection: it has its number from then on. One
        # without a register line (made before the register knew commitments) prints as a draft.
        "number": number,
        "is_draft": not number,
        "document_title": "Bản cam kết",
        "document_subtitle": f"Về việc khắc phục tồn tại tại cơ sở {business.name}",
        # Running text in sentence case (Decree 30/2020: capitals only where the layout puts them).
        "unit_sentence": f"Công an {inspection.ward.name[:1].lower()}{inspection.ward.name[1:]}",
        "committer_name": inspection.person_present_name,
        "committer_role": inspection.get_person_present_role_display(),
        "owner_name": business.owner_name,
        "finished_at": finished,
        "inspection_number": inspection_entry.number_text if inspection_entry else "",
        "signature_uri": _png_uri(commitment.signature.name) if not commitment.refused_to_sign else "",
        "officer_name": officer.get_full_name() or officer.username,
        "officer_position": officer.rank_title,
        "end_mark": False,
    }


def _png_uri(name: str) -> str:
    if not name or not default_storage.exists(name):
        return ""
    with default_storage.open(name, "rb") as fh:
        return "data:image/png;base64," + base64.b64encode(fh.read()).decode("ascii")


def commitment_document_version(inspection_id: int) -> str:
    row = Commitment.objects.values(
        "text", "deadline", "signature", "refused_to_sign", "refusal_reason", "witness_name"
    ).get(inspection_id=inspection_id)
    context = commitment_document_context(inspection_id)
    return fingerprint({"row": row, "number": context["number"], "business": context["business"].name})


def _commitment_filename(inspection_id: int) -> str:
    commitment = Commitment.objects.get(inspection_id=inspection_id)
    number = commitment_number(commitment)
    return f"Bản cam kết {number}" if number else f"Bản cam kết nháp {commitment.pk}"


register(
    DocumentKind(
        kind=COMMITMENT_DOCUMENT,
        title=_("Commitment document"),
        template="inspections/commitment_pdf.html",
        build_context=commitment_document_context,
        version=commitment_document_version,
        # An inspection without a commitment has no such document: a 404, as for another ward.
        ward_id=lambda pk: Commitment.objects.values_list("ward_id", flat=True).get(inspection_id=pk),
        filename=_commitment_filename,
        issued_entry=lambda pk: register_entry_for(
            Commitment.objects.only("pk").get(inspection_id=pk), RegisterKind.COMMITMENT
        ),
    )
)


# --- the inspections section of a business's history (businesses/documents.py) -------------------


def business_inspections_section(business) -> dict[str, Any]:
    rows = []
    inspections = Inspection.objects.filter(business=business).select_related("commitment")
    for inspection in inspections.order_by("finished_at", "pk"):
        commitment = getattr(inspection, "commitment", None)
        promise = "—"
        if commitment is not None:
            deadline = f" (hạn {commitment.deadline:%d/%m/%Y})" if commitment.deadline else ""
            state = "đã thực hiện" if commitment.fulfilled_at else "chưa thực hiện"
            promise = f"{commitment.text[:150]}{deadline}; {state}"
        rows.append(
            [
                timezone.localtime(inspection.finished_at).strftime("%d/%m/%Y"),
                str(inspection.get_result_display()),
                str(inspection.failed_count),
                promise,
            ]
        )
    return {
        "title": "Các lần kiểm tra và cam kết",
        "columns": ["Ngày kiểm tra", "Kết quả", "Số nội dung không đạt", "Cam kết"],
        "rows": rows,
    }


register_history_section(business_inspections_section)
