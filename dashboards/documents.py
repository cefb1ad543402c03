"""The ward dashboard as a PDF (autodiscovered by documents.apps).

A document kind names its record by one integer, so the ward and the period are packed into it:
ward id × 10⁷ + the period's code (kind, year, month). Its version is a fingerprint of every
printed number: asking again while nothing changed returns the same job.
"""

from __future__ import annotations

from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from documents.registry import DocumentKind, fingerprint, register
from wards.models import Ward

from .periods import DashboardPeriod

WARD_DASHBOARD = "ward-dashboard"
_SCALE = 10_000_000


def dashboard_object_id(ward_id: int, period: DashboardPeriod) -> int:
    return ward_id * _SCALE + period.code


def _unpack(object_id: int) -> tuple[Ward, DashboardPeriod]:
    ward_id, code = divmod(int(object_id), _SCALE)
    try:
        period = DashboardPeriod.from_code(code)
    except (KeyError, ValueError) as exc:
        raise ValueError("not a dashboard document id") from exc
    return Ward.objects.get(pk=ward_id), period


def _built(object_id: int) -> tuple[Ward, DashboardPeriod, list]:
    from . import panels

    ward, period = _unpack(object_id)
    with translation.override("vi"):
        built = panels.build_all(
            panels.DashboardContext(ward=ward, period=period, today=timezone.localdate())
        )
    return ward, period, built


def _printable(built: list) -> list[dict]:
    """Plain data of the panels (no URLs): what the PDF shows and what its version hashes."""
    from .svg import chart_svg

    out = []
    for panel in built:
        r = panel.result
        out.append(
            {
                "title": panel.title,
                "figures": [(f.label, f.value, f.hint) for f in r.figures],
                "charts": [
                    {
                        "title": c.title,
                        "svg": chart_svg(c.kind, c.title, c.labels, c.datasets),
                        "table": c.table,
                    }
                    for c in r.charts
                ],
                "tables": r.tables,
            }
        )
    return out


def dashboard_context(object_id: int) -> dict:
    ward, period, built = _built(object_id)
    return {
        "ward": ward,
        "unit_name": ward.document_unit_name,
        "document_title": "Báo cáo tình hình an ninh trật tự",
        "document_subtitle": f"{ward.name} · {period.range_label}",
        "place_date": formats.date_format(timezone.localdate(), "d/m/Y"),
        "figures": [f for panel in built for f in panel.result.figures],
        "panels": [p for p in _printable(built) if p["charts"] or p["tables"]],
        "recipients": ["Chủ tịch UBND phường", "Lưu"],
    }


def dashboard_version(object_id: int) -> str:
    _ward, _period, built = _built(object_id)
    data = [
        (
            p.title,
            [(f.label, f.value, f.hint) for f in p.result.figures],
            [(c.labels, c.datasets) for c in p.result.charts],
            [[[cell.text for cell in row] for row in t.rows] for t in p.result.tables],
        )
        for p in built
    ]
    return fingerprint({"date": timezone.localdate(), "panels": data})


def _ward_id(object_id: int) -> int:
    ward, _period = _unpack(object_id)
    return ward.pk


def _filename(object_id: int) -> str:
    ward, period = _unpack(object_id)
    return f"bao-cao-{ward.name}-{period.start:%Y-%m}-{period.kind}"


register(
    DocumentKind(
        kind=WARD_DASHBOARD,
        title=_("Ward dashboard report"),
        template="dashboards/dashboard_pdf.html",
        build_context=dashboard_context,
        version=dashboard_version,
        ward_id=_ward_id,
        filename=_filename,
    )
)


# --- the report sent upward (#25.5): numbered, frozen, signed by the station's head -------------
UPWARD_REPORT = "upward-report"


def _report(pk: int):
    from .models import UpwardReport

    return UpwardReport.objects.select_related("ward", "issued_by").get(pk=pk)


def upward_report_context(pk: int) -> dict:
    from django.utils.safestring import mark_safe

    from documents.layout import station_head_signer

    report = _report(pk)
    content = report.content
    issued_on = timezone.localdate(report.issued_at)
    panels = [
        {
            **panel,
            # Our own SVG, generated when the report was issued.
            "charts": [{**chart, "svg": mark_safe(chart["svg"])} for chart in panel["charts"]],  # noqa: S308
        }
        for panel in content.get("panels", [])
    ]
    return {
        "number": report.number_text,
        "document_date": issued_on,
        "document_title": "Báo cáo tình hình an ninh trật tự",
        "document_subtitle": (
            f"{content.get('period_label', report.period_label)} ({content.get('range_label', '')})"
        ),
        "figures": content.get("figures", []),
        "panels": panels,
        "recipients": [
            "Công an cấp trên (để báo cáo)",
            "Chủ tịch Ủy ban nhân dân phường",
            "Lưu: hồ sơ báo cáo",
        ],
        "signers": [station_head_signer(report.issued_by)],
    }


def _report_entry(pk: int):
    from documents.models import RegisterKind
    from documents.register import register_entry_for

    from .models import UpwardReport

    return register_entry_for(UpwardReport(pk=pk), RegisterKind.UPWARD_REPORT)


def upward_report_version(pk: int) -> str:
    report = _report(pk)
    return fingerprint({"number": report.number_text, "content": report.content})


register(
    DocumentKind(
        kind=UPWARD_REPORT,
        title=_("Report sent upward"),
        template="dashboards/dashboard_pdf.html",
        build_context=upward_report_context,
        version=upward_report_version,
        ward_id=lambda pk: _report(pk).ward_id,
        filename=lambda pk: f"bao-cao-{_report(pk).number_text}",
        # Issued once, signed (#29): its register line names the stored, signed file.
        issued_entry=_report_entry,
    )
)
