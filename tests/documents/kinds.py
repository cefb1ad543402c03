"""Test-only document kinds, over wards (the one record every test database has).

`BEHAVIOUR` steers them in-process; a worker subprocess reads DOCUMENT_TEST_SLEEP instead.
"""

import os
import time

from documents.errors import DocumentError, TransientDocumentError
from documents.registry import DocumentKind, fingerprint, register, unregister
from wards.models import Ward

SHEET = "test-ward-sheet"
BEHAVIOUR = {"transient_failures": 0, "permanent": None, "calls": 0}


def reset() -> None:
    BEHAVIOUR.update({"transient_failures": 0, "permanent": None, "calls": 0})


def _context(pk: int) -> dict:
    BEHAVIOUR["calls"] += 1
    if BEHAVIOUR["transient_failures"] > 0:
        BEHAVIOUR["transient_failures"] -= 1
        raise TransientDocumentError("storage briefly unavailable")
    if BEHAVIOUR["permanent"]:
        raise DocumentError(BEHAVIOUR["permanent"])
    delay = float(os.environ.get("DOCUMENT_TEST_SLEEP", "0"))
    if delay:
        time.sleep(delay)  # a long render, to be killed in the middle of
    ward = Ward.objects.get(pk=pk)
    return {
        "number": f"{pk}/PT-TEST",
        "document_title": "Phiếu thử nghiệm tài liệu",
        "document_subtitle": f"Về việc thử nghiệm tại {ward.name}",
        "recipients": ["Lưu: hồ sơ thử"],
        "signers": [{"role": "Người lập", "hint": "(Ký, ghi rõ họ tên)", "name": "Trần Văn Đức"}],
    }


def register_test_kinds() -> None:
    unregister(SHEET)
    register(
        DocumentKind(
            kind=SHEET,
            title="Phiếu thử nghiệm",
            template="documents/official_base.html",
            build_context=_context,
            version=lambda pk: fingerprint(list(Ward.objects.filter(pk=pk).values_list("name", "code"))),
            ward_id=lambda pk: Ward.objects.values_list("pk", flat=True).get(pk=pk),
            filename=lambda pk: f"Phiếu thử {pk}",
        )
    )
