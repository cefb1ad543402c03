"""Reports sent upward (#25.5): the station's head issues the ward's dashboard of a period as a
numbered report (Số: 01/BC-CAP), its number drawn from the register in the issuing transaction.

A printout of the dashboard (dashboards:pdf) stays a working copy without a number; only an
issued report is a document of the station, and its figures are frozen as issued."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation

from accounts.roles import Role
from documents.models import RegisterKind
from documents.register import register_issue
from wards.models import Ward

from .models import UpwardReport
from .periods import DashboardPeriod

REPORT_TITLE = "Báo cáo tình hình an ninh trật tự"


def can_issue(user: Any, ward: Ward) -> bool:
    """The station's leaders (head or deputy) of the ward issue its reports; not an administrator,
    not the chairman, not another ward's leader."""
    return bool(
        user.is_authenticated
        and user.has_role(Role.LEADER)
        and user.ward_id is not None
        and user.ward_id == ward.pk
    )


def _table(table: Any) -> dict:
    return {
        "caption": str(table.caption),
        "columns": [str(c) for c in table.columns],
        "rows": [[{"text": str(cell.text)} for cell in row] for row in table.rows],
        "empty": str(table.empty),
    }


def report_content(ward: Ward, period: DashboardPeriod, today) -> dict:
    """The dashboard's printed parts as plain data (what the report freezes)."""
    from . import panels
    from .svg import chart_svg

    with translation.override("vi"):
        built = panels.build_all(panels.DashboardContext(ward=ward, period=period, today=today))
        return {
            "period_label": str(period.label),
            "range_label": period.range_label,
            "figures": [
                {"label": str(f.label), "value": str(f.value), "hint": str(f.hint)}
                for panel in built
                for f in panel.result.figures
            ],
            "panels": [
                {
                    "title": str(panel.title),
                    "charts": [
                        {
                            "title": str(c.title),
                            "svg": str(chart_svg(c.kind, c.title, c.labels, c.datasets)),
                            "table": _table(c.table),
                        }
                        for c in panel.result.charts
                    ],
                    "tables": [_table(t) for t in panel.result.tables],
                }
                for panel in built
                if panel.result.charts or panel.result.tables
            ],
        }


def issue_upward_report(*, ward: Ward, period: DashboardPeriod, actor: Any) -> UpwardReport:
    """Freeze the period's dashboard and number it from the register, all in one transaction: a
    failure anywhere gives the number back (no gap)."""
    if not can_issue(actor, ward):
        raise PermissionDenied
    now = timezone.now()
    today = timezone.localdate(now)
    content = report_content(ward, period, today)
    with transaction.atomic():
        report = UpwardReport.objects.create(
            ward=ward,
            period_code=period.code,
            period_label=content["period_label"],
            content=content,
            issued_at=now,
            issued_by=actor,
        )
        entry = register_issue(
            ward=ward,
            kind=RegisterKind.UPWARD_REPORT,
            year=today.year,
            issued_on=today,
            title=f"{REPORT_TITLE}, {content['period_label'].lower()}, {ward.name}",
            signer=actor,
            obj=report,
        )
        report.number, report.number_year, report.number_symbol = entry.number, entry.year, entry.symbol
        report.save(update_fields=["number", "number_year", "number_symbol"])
    return report
