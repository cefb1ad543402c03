"""Documents of the businesses app, registered with the documents printer (autodiscovered by
documents.apps: this module only has to exist).

(d) Hồ sơ cơ sở kinh doanh: a business's record and history. Apps above businesses (inspections,
violations) add their rows with `register_history_section`, so the history grows as they land
without the businesses app importing them.
"""

import datetime
from collections.abc import Callable

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from documents.registry import DocumentKind, fingerprint, register

from .models import Business

BUSINESS_HISTORY = "business-history"

# Each section: callable(business) -> {"title": str, "columns": [str], "rows": [[str, ...]]} or None.
HistorySection = Callable[[Business], dict | None]
_history_sections: list[HistorySection] = []


def register_history_section(section: HistorySection) -> HistorySection:
    if section not in _history_sections:
        _history_sections.append(section)
    return section


def _business(pk: int) -> Business:
    return Business.objects.select_related("ward", "category", "street", "residential_group").get(pk=pk)


def _date(value: datetime.date | datetime.datetime | None) -> str:
    if not value:
        return "—"
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return formats.date_format(value, "d/m/Y")


def _facts(business: Business, *, full: bool = False) -> list[tuple[str, str]]:
    """The business's facts. Decree 13/2023: a PDF travels (printed, forwarded), so the owner's
    CCCD and phone print masked as in lists, unless `full` (a copy its requester revealed)."""
    b = business
    id_number = b.owner_id_number if full else b.owner_id_number_masked
    phone = b.owner_phone if full else b.owner_phone_masked
    certificate = "—"
    if b.certificate_number:
        certificate = f"{b.certificate_number} (hết hạn {_date(b.certificate_expiry)})"
    return [
        ("Tên cơ sở", b.name),
        ("Loại hình kinh doanh", b.category.name),
        ("Ngành nghề kinh doanh có điều kiện về ANTT", "Có" if b.is_conditional else "Không"),
        ("Giấy chứng nhận đủ điều kiện về ANTT", certificate),
        ("Số đăng ký kinh doanh", b.registration_number or "—"),
        ("Chủ cơ sở", b.owner_name),
        ("Số CCCD của chủ cơ sở", id_number or "—"),
        ("Số điện thoại", phone or "—"),
        ("Địa chỉ", b.address or "—"),
        ("Tổ dân phố", b.residential_group.name if b.residential_group_id else "—"),
        ("Địa bàn", b.ward.name),
        ("Tình trạng hoạt động", str(b.get_status_display())),
        ("Lần kiểm tra gần nhất", _date(b.last_inspected_at)),
        ("Kết quả kiểm tra gần nhất", str(b.get_last_inspection_result_display()) or "—"),
        ("Ngày đưa vào sổ quản lý", _date(b.created_at)),
    ]


def _sections(business: Business) -> list[dict]:
    return [s for s in (section(business) for section in _history_sections) if s]


def business_history_number(business: Business) -> str:
    return f"{business.pk}/HS-CSKD"


def business_history_context(pk: int, *, full: bool = False) -> dict:
    business = _business(pk)
    return {
        "business": business,
        "number": business_history_number(business),
        "document_title": "Hồ sơ cơ sở kinh doanh",
        "document_subtitle": business.name,
        "facts": _facts(business, full=full),
        "sections": _sections(business),
        "recipients": ["Lưu: hồ sơ cơ sở"],
    }


def business_history_version(pk: int, *, full: bool = False) -> str:
    business = _business(pk)
    # Whatever the document prints, nothing else: an unchanged business gives the same job.
    return fingerprint({"facts": _facts(business, full=full), "sections": _sections(business)})


register(
    DocumentKind(
        kind=BUSINESS_HISTORY,
        title=_("Business history"),
        template="businesses/business_history_pdf.html",
        build_context=business_history_context,
        version=business_history_version,
        ward_id=lambda pk: Business.objects.values_list("ward_id", flat=True).get(pk=pk),
        filename=lambda pk: f"ho-so-co-so-{pk}-{Business.objects.values_list('name', flat=True).get(pk=pk)}",
    )
)

# The same history with the owner's CCCD and phone in full: asked for only by an officer or
# leader of the ward who revealed them (each request logged, as on screen); private to them.
BUSINESS_HISTORY_FULL = "business-history-full"

register(
    DocumentKind(
        kind=BUSINESS_HISTORY_FULL,
        title=_("Business history (personal data in full)"),
        template="businesses/business_history_pdf.html",
        build_context=lambda pk: business_history_context(pk, full=True),
        version=lambda pk: business_history_version(pk, full=True),
        ward_id=lambda pk: Business.objects.values_list("ward_id", flat=True).get(pk=pk),
        filename=lambda pk: f"ho-so-co-so-{pk}-{Business.objects.values_list('name', flat=True).get(pk=pk)}",
        private=True,
    )
)

# QR posters (A4, A5; one business or a whole street or residential group).
from . import posters  # noqa: E402, F401
