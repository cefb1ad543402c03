"""Spreadsheet files out: the filtered list, and the empty import template.

Every text cell passes through escape_formula, so a business named "=HYPERLINK(...)" is shown
as text by Excel instead of being run. Owners' ID numbers and phones are masked, as in lists.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from wards.models import Ward

from .columns import EXPORT_EXTRA_HEADERS, IMPORT_HEADERS, NO, YES
from .models import Business, BusinessCategory, BusinessStatus
from .text import escape_formula

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_HEADERS = [*IMPORT_HEADERS, *EXPORT_EXTRA_HEADERS]


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def business_row(b: Business) -> list[Any]:
    """One business in the order of EXPORT_HEADERS (the import reads the same columns back)."""
    last_inspected = b.last_inspected_at
    return [
        b.registration_number,
        b.name,
        b.category.name,
        b.house_number,
        b.street.name,
        b.residential_group.name if b.residential_group_id else "",
        b.owner_name,
        b.owner_id_number_masked,
        b.owner_phone_masked,
        YES if b.is_conditional else NO,
        b.certificate_number,
        _date(b.certificate_expiry),
        str(BusinessStatus(b.status).label),
        float(b.latitude) if b.latitude is not None else "",
        float(b.longitude) if b.longitude is not None else "",
        _date(last_inspected.date()) if last_inspected else "",
        b.get_last_inspection_result_display() if b.last_inspection_result else "",
    ]


def _rows(queryset: QuerySet[Business]) -> Iterator[list[Any]]:
    for business in queryset.iterator(chunk_size=2000):
        yield [escape_formula(cell) for cell in business_row(business)]


def to_csv(queryset: QuerySet[Business]) -> bytes:
    buffer = io.StringIO(newline="")
    # BOM: Excel opens UTF-8 CSV with Vietnamese letters intact only when it is there.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_HEADERS)
    writer.writerows(_rows(queryset))
    return buffer.getvalue().encode("utf-8")


def _xlsx(sheets: Iterable[tuple[str, list[str], Iterable[list[Any]]]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_xlsx(queryset: QuerySet[Business]) -> bytes:
    return _xlsx([("Cơ sở kinh doanh", EXPORT_HEADERS, _rows(queryset))])


def import_template(ward: Ward | None) -> bytes:
    """An empty sheet with the import headers, and a sheet listing the accepted values."""
    streets = [s.name for s in ward.streets.order_by("name")] if ward else []
    groups = [g.name for g in ward.residential_groups.order_by("name")] if ward else []
    categories = list(BusinessCategory.objects.filter(is_active=True).values_list("name", flat=True))
    statuses = [str(label) for _value, label in BusinessStatus.choices]
    length = max(len(streets), len(groups), len(categories), len(statuses), 1)

    def col(values: list[str], i: int) -> str:
        return escape_formula(values[i]) if i < len(values) else ""

    lists = [[col(streets, i), col(groups, i), col(categories, i), col(statuses, i)] for i in range(length)]
    guide = [
        [_("One business per row, from row 2. Columns marked * are required.")],
        [_("Street, residential group, category and status must be written as in the “Danh mục” sheet.")],
        [_("Dates as dd/mm/yyyy. CCCD: 12 digits. Phone: 10-digit mobile or 11-digit landline.")],
        [
            _(
                "A business already in the system (same registration number, else same name and address) "
                "is updated, not duplicated."
            )
        ],
        [
            _(
                "Example: 0101234567 | Cà phê Giảng | Cà phê, giải khát | 39 | Nguyễn Thái Học | "
                "Tổ dân phố số 3 | Nguyễn Văn An | 001085012345 | 0912345678 | Không | | | Đang hoạt động"
            )
        ],
    ]
    required = {"Tên cơ sở", "Loại hình", "Đường/phố", "Họ tên chủ cơ sở"}
    header = [f"{h}*" if h in required else h for h in IMPORT_HEADERS]
    return _xlsx(
        [
            ("Cơ sở kinh doanh", header, []),
            ("Danh mục", ["Đường/phố", "Tổ dân phố", "Loại hình", "Trạng thái"], lists),
            ("Hướng dẫn", [_("How to fill in this file")], guide),
        ]
    )
