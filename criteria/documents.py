"""(e) Báo cáo kết quả tự đánh giá: the assessment PDF, registered with the documents printer
(autodiscovered by documents.apps: this module only has to exist)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from documents.registry import DocumentKind, fingerprint, register

from .models import Assessment
from .selectors import assessment_printable_context

ASSESSMENT_REPORT = "criteria-assessment"


def _assessment(pk: int) -> Assessment:
    return Assessment.objects.select_related("ward", "criteria_set", "submitted_by", "approved_by").get(pk=pk)


def assessment_report_number(assessment: Assessment) -> str:
    return f"{assessment.pk}/BC-TC"


def assessment_report_context(pk: int) -> dict[str, Any]:
    assessment = _assessment(pk)
    context = assessment_printable_context(assessment)
    return {
        **context,
        "unit_name": context["unit_name"].upper(),
        "number": assessment_report_number(assessment),
        "document_title": "Báo cáo kết quả tự đánh giá theo bộ tiêu chí",
        "document_subtitle": f"{context['period_label']} — {context['ward_name']}",
        "recipients": ["Công an cấp trên", "Ủy ban nhân dân phường", "Lưu: hồ sơ tiêu chí"],
    }


def assessment_report_version(pk: int) -> str:
    # Everything printed: a refresh, a new score, submission or approval gives a new document.
    return fingerprint(assessment_printable_context(_assessment(pk)))


register(
    DocumentKind(
        kind=ASSESSMENT_REPORT,
        title=_("Criteria assessment"),
        template="criteria/assessment_pdf.html",
        build_context=assessment_report_context,
        version=assessment_report_version,
        ward_id=lambda pk: Assessment.objects.values_list("ward_id", flat=True).get(pk=pk),
        filename=lambda pk: f"Báo cáo đánh giá tiêu chí {pk}",
    )
)
