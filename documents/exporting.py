"""The register as a spreadsheet (openpyxl, write-only: rows stream, memory stays flat)."""

import io
from collections.abc import Iterable

from .models import RegisterEntry

HEADERS = [
    "Số, ký hiệu",
    "Loại văn bản",
    "Năm",
    "Ngày ban hành",
    "Trích yếu",
    "Người ký",
    "Đơn vị",
    # #29: the issued (signed) file of the line, its verification code and its status.
    "Mã tra cứu",
    "SHA-256 của tệp đã ký",
    "Tình trạng",
]
STATUS_LABELS = {"valid": "Còn hiệu lực", "superseded": "Đã được thay thế", "withdrawn": "Đã thu hồi"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    # A title typed by a user must not run as a formula in Excel or LibreOffice.
    return "'" + value if value.startswith(_FORMULA_START) else value


def register_xlsx(entries: Iterable[RegisterEntry]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Sổ đăng ký văn bản")
    sheet.append(HEADERS)
    for entry in entries:
        signer = entry.signer.get_full_name() or entry.signer.username if entry.signer else ""
        issued = getattr(entry, "issued", None)
        sheet.append(
            [
                entry.number_text,
                str(entry.get_kind_display()),
                entry.year,
                entry.issued_on.strftime("%d/%m/%Y"),
                _text(entry.title),
                _text(signer),
                entry.ward.name,
                issued.code if issued else "",
                issued.sha256 if issued else "",
                STATUS_LABELS[entry.status],
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
