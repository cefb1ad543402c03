"""(e) Báo cáo kết quả tự đánh giá: the assessment PDF, registered with the documents printer
(autodiscovered by documents.apps: this module only has to exist)."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from documents.layout import station_head_signer
from documents.models import RegisterKind
from documents.register import register_entry_for
from documents.registry import DocumentKind, fingerprint, register

from .models import Assessment, AssessmentStatus
from .selectors import assessment_printable_context

ASSESSMENT_REPORT = "criteria-assessment"


def _assessment(pk: int) -> Assessment:
    return Assessment.objects.select_related("ward", "criteria_set", "submitted_by", "approved_by").get(pk=pk)


def assessment_report_number(assessment: Assessment) -> str:
    """The number the report took from the register when it was approved; a draft has none."""
    entry = register_entry_for(assessment, RegisterKind.CRITERIA_ASSESSMENT)
    return entry.number_text if entry else ""


def assessment_report_context(pk: int) -> dict[str, Any]:
    assessment = _assessment(pk)
    context = assessment_printable_context(assessment)
    context.pop("unit_name", None)  # the heading's unit name is the one in force on the date
    return {
        **context,
        "number": assessment_report_number(assessment),
        "is_draft": assessment.status != AssessmentStatus.APPROVED,
        # The heading's names and date: those of the day it was approved (a draft: the day printed).
        "document_date": timezone.localdate(assessment.approved_at) if assessment.approved_at else None,
        "document_title": "Báo cáo kết quả tự đánh giá theo bộ tiêu chí",
        "document_subtitle": f"{context['period_label']}, {context['ward_name']}",
        "recipients": ["Công an cấp trên", "Ủy ban nhân dân phường", "Lưu: hồ sơ tiêu chí"],
        # The station's head approves and signs the ward's report (or a deputy, "KT."); until then
        # the head's block stands without a name.
        "signers": [station_head_signer(report_approver(assessment))],
    }


def report_approver(assessment: Assessment):
    """Who signs the printed report: the leader of the ward who approved it. An approval recorded
    by anyone else (an administrator, before only leaders could approve) signs nothing."""
    user = assessment.approved_by if assessment.status == AssessmentStatus.APPROVED else None
    if user is None or not user.has_role(Role.LEADER) or user.ward_id != assessment.ward_id:
        return None
    return user


def assessment_report_version(pk: int) -> str:
    # Everything printed: a refresh, a new score, submission or approval gives a new document.
    assessment = _assessment(pk)
    return fingerprint(
        {**assessment_printable_context(assessment), "number": assessment_report_number(assessment)}
    )


register(
    DocumentKind(
        kind=ASSESSMENT_REPORT,
        title=_("Criteria assessment"),
        template="criteria/assessment_pdf.html",
        build_context=assessment_report_context,
        version=assessment_report_version,
        ward_id=lambda pk: Assessment.objects.values_list("ward_id", flat=True).get(pk=pk),
        filename=lambda pk: f"Báo cáo đánh giá tiêu chí {pk}",
        issued_entry=lambda pk: register_entry_for(Assessment(pk=pk), RegisterKind.CRITERIA_ASSESSMENT),
    )
)
