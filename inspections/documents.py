"""What a printed inspection record needs: plain data for the Documents app to render.

The Documents app (below this one) will register the "inspection" document kind with this
function and a template; it takes an id and re-fetches, so a Celery worker can call it.
"""

from typing import Any

from django.utils import timezone

from .models import Commitment, Inspection
from .selectors import inspection_checklist


def _place_name(ward_name: str) -> str:
    for prefix in ("Phường ", "Xã ", "Thị trấn ", "Đặc khu "):
        if ward_name.startswith(prefix):
            return ward_name[len(prefix) :]
    return ward_name


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
        "place_and_date": f"{_place_name(inspection.ward.name)}, ngày {day:%d} tháng {day:%m} năm {day:%Y}",
        "business": inspection.business,
        "checklist": inspection.checklist_version,
        "sections": inspection_checklist(inspection),
        "inspectors": list(inspection.inspectors.all()),
        "result_label": inspection.get_result_display(),
        "commitment": Commitment.objects.filter(inspection=inspection).first(),
        "started_at": timezone.localtime(inspection.started_at),
        "finished_at": finished,
    }
