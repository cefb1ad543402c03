"""QR posters (A4, A5) registered with the documents printer: one business, or every business
of a street or a residential group in one PDF, one page each.

A batch is one HTML document per chunk of pages (page breaks between posters) rather than one
render per poster; chunks are joined with pypdf and report progress as they finish.
"""

from django.utils.translation import gettext_lazy as _

from documents.registry import DocumentKind, fingerprint, register
from documents.rendering import render_pdf_chunked
from wards.models import ResidentialGroup, Street

from .models import Business, BusinessStatus
from .public import code_entry_url, public_url, qr_svg_data_uri, short_code

SIZES = ("a4", "a5")
POSTER = "business-poster-{size}"
STREET_POSTERS = "street-posters-{size}"
GROUP_POSTERS = "group-posters-{size}"
TEMPLATE = "businesses/business_poster_pdf.html"
BATCH_CHUNK = 100
POSTER_TITLES = {"a4": _("QR poster, A4"), "a5": _("QR poster, A5")}
BATCH_TITLES = {"a4": _("QR posters of an area, A4"), "a5": _("QR posters of an area, A5")}


def _businesses():
    return Business.objects.select_related("ward", "category", "street").order_by(
        "street__name", "house_number", "name", "pk"
    )


def _poster(business: Business) -> dict:
    url = public_url(business.public_token)
    return {
        "name": business.name,
        "address": business.address,
        "category": business.category.name,
        "code": short_code(business.public_token),
        "url": url,
        "qr": qr_svg_data_uri(url),
    }


def _version_data(businesses, size: str) -> list:
    # What the poster prints: a rename, a move or a new token gives a new document.
    return [
        size,
        [
            (b.pk, b.name, b.address, b.category.name, b.public_token, b.ward.document_unit_name)
            for b in businesses
        ],
    ]


def _context(businesses: list[Business], *, size: str, title: str, subtitle: str) -> dict:
    return {
        "size": size,
        "posters": [_poster(b) for b in businesses],
        "document_title": title,
        "document_subtitle": subtitle,
        "number": "",
        "code_entry_url": code_entry_url(),
    }


def _register_sizes() -> None:
    for size in SIZES:
        label = size.upper()

        # --- one business ------------------------------------------------------------------
        def poster_context(pk: int, size: str = size) -> dict:
            business = _businesses().get(pk=pk)
            return _context(
                [business], size=size, title="Cơ sở kinh doanh đã đăng ký", subtitle=business.name
            )

        def poster_version(pk: int, size: str = size) -> str:
            return fingerprint(_version_data([_businesses().get(pk=pk)], size))

        register(
            DocumentKind(
                kind=POSTER.format(size=size),
                title=POSTER_TITLES[size],
                template=TEMPLATE,
                build_context=poster_context,
                version=poster_version,
                ward_id=lambda pk: Business.objects.values_list("ward_id", flat=True).get(pk=pk),
                filename=lambda pk, label=label: (
                    f"ap-phich-qr-{label}-{Business.objects.values_list('name', flat=True).get(pk=pk)}"
                ),
            )
        )

        # --- every operating business of a street or a residential group ---------------------
        for kind_name, model, field in (
            (STREET_POSTERS, Street, "street_id"),
            (GROUP_POSTERS, ResidentialGroup, "residential_group_id"),
        ):

            def members(pk: int, model=model, field=field) -> tuple:
                area = model.objects.get(pk=pk)
                rows = list(
                    _businesses()
                    .filter(**{field: pk, "ward_id": area.ward_id})
                    .exclude(status=BusinessStatus.CLOSED)
                )
                return area, rows

            def batch_context(pk: int, size: str = size, members=members) -> dict:
                area, rows = members(pk)
                return _context(rows, size=size, title="Áp phích mã QR", subtitle=area.name)

            def batch_version(pk: int, size: str = size, members=members) -> str:
                area, rows = members(pk)
                return fingerprint([area.name, _version_data(rows, size)])

            register(
                DocumentKind(
                    kind=kind_name.format(size=size),
                    title=BATCH_TITLES[size],
                    template=TEMPLATE,
                    build_context=batch_context,
                    version=batch_version,
                    ward_id=lambda pk, model=model: model.objects.values_list("ward_id", flat=True).get(
                        pk=pk
                    ),
                    filename=lambda pk, model=model, label=label: (
                        f"ap-phich-qr-{label}-{model.objects.values_list('name', flat=True).get(pk=pk)}"
                    ),
                    renderer=render_posters,
                )
            )


def render_posters(template: str, context: dict, *, progress=None) -> bytes:
    return render_pdf_chunked(
        template, context, rows_key="posters", chunk_size=BATCH_CHUNK, progress=progress
    )


_register_sizes()
