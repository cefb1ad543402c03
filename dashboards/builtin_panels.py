"""The panels whose sources exist: businesses, inspections, violations, commitments, criteria.

Campaigns and citizen feedback add theirs here (a build function + `register`) when they land.
Every figure links to the list page that shows the same records, with the list's own filters.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from businesses.models import BusinessStatus, InspectionResult

from . import selectors
from .panels import (
    Cell,
    Chart,
    DashboardContext,
    Figure,
    Panel,
    PanelResult,
    Table,
    list_url,
    number,
    percent,
    register,
)


def businesses_panel(ctx: DashboardContext) -> PanelResult:
    row = ctx.facts.business_figures()
    return PanelResult(
        figures=[
            Figure(
                "active_businesses",
                _("Active businesses"),
                number(row["active"]),
                list_url("businesses:list", status=BusinessStatus.ACTIVE),
                _("%(total)s in the registry") % {"total": number(row["total"])},
            )
        ]
    )


def inspections_panel(ctx: DashboardContext) -> PanelResult:
    row = ctx.facts.inspection_figures()
    ok = row["passed"] + row["reminded"]
    return PanelResult(
        figures=[
            Figure(
                "inspections",
                _("Inspections in the period"),
                number(row["count"]),
                list_url("inspections:list", **ctx.date_range),
                _("%(n)s businesses inspected") % {"n": number(row["businesses"])},
            ),
            Figure(
                "compliance",
                _("Compliance rate"),
                percent(selectors.rate(ok, row["count"])),
                list_url("inspections:list", result=InspectionResult.FAILED, **ctx.date_range),
                _("%(n)s inspections found violations") % {"n": number(row["failed"])},
            ),
        ]
    )


def violations_panel(ctx: DashboardContext) -> PanelResult:
    row = selectors.violation_figures(ctx.ward, ctx.period, ctx.today, ctx.facts)
    figures = [
        Figure(
            "violations",
            _("Violations in the period"),
            number(row["total"]),
            list_url("violations:list", **ctx.date_range),
        )
    ]
    figures += [
        Figure(
            f"stage_{stage}",
            str(label),
            number(count),
            list_url("violations:list", stage=stage, **ctx.date_range),
            _("stage of the escalation ladder"),
        )
        for stage, label, count in row["by_stage"]
    ]
    figures += [
        Figure(
            "repeat",
            _("Repeat offences (tái phạm)"),
            number(row["repeat"]),
            list_url("violations:list", repeat="on", **ctx.date_range),
            _("by %(n)s violators; an earlier sanction decision still counts")
            % {"n": number(row["repeat_businesses"])},
        ),
        Figure(
            "multiple",
            _("Violated several times (vi phạm nhiều lần)"),
            number(row["multiple"]),
            list_url("violations:list", multiple="on", **ctx.date_range),
            _("the same behaviour recorded before, with no decision yet"),
        ),
        Figure(
            "decision_overdue",
            _("Decisions overdue"),
            number(row["decision_overdue"]),
            list_url("violations:list", decision_overdue="on"),
            _("signed records past the deadline to decide (Article 66)"),
        ),
        Figure(
            "unpaid_fines",
            _("Unpaid fines"),
            number(row["unpaid"]),
            list_url("violations:list", unpaid="on"),
            _("served decisions past the 10 days to pay (Article 73)"),
        ),
        Figure(
            "overdue_records",
            _("Overdue records"),
            number(row["overdue"]),
            list_url("violations:list", overdue="on"),
            _("drafts past the legal deadline today"),
        ),
    ]
    return PanelResult(figures=figures)


def commitments_panel(ctx: DashboardContext) -> PanelResult:
    total, rows = selectors.overdue_commitments(ctx.ward, ctx.today)
    table = Table(
        caption=_("Overdue commitments"),
        columns=[_("Business"), _("Street"), _("Commitment"), _("Deadline")],
        rows=[
            [
                Cell(c.business.name, reverse("businesses:detail", args=[c.business_id])),
                Cell(c.business.street.name),
                Cell(c.text[:80], reverse("inspections:detail", args=[c.inspection_id])),
                Cell(f"{c.deadline:%d/%m/%Y}"),
            ]
            for c in rows
        ],
        empty=_("No commitment is overdue."),
    )
    hint = _("showing the %(n)s oldest") % {"n": len(rows)} if total > len(rows) else ""
    return PanelResult(
        figures=[
            Figure(
                "overdue_commitments",
                _("Overdue commitments"),
                number(total),
                list_url("dashboards:overdue_commitments", ward=ctx.ward.pk),
                hint,
            )
        ],
        tables=[table],
        more_url=list_url("dashboards:overdue_commitments", ward=ctx.ward.pk),
        more_label=_("All overdue commitments"),
    )


def criteria_panel(ctx: DashboardContext) -> PanelResult:
    assessment = selectors.criteria_standing(ctx.ward)
    if assessment is None:
        return PanelResult(
            figures=[
                Figure(
                    "criteria",
                    _("Criteria score"),
                    "—",
                    reverse("criteria:assessments"),
                    _("No assessment yet"),
                )
            ]
        )
    value = f"{number_decimal(assessment.total)}/{number_decimal(assessment.max_total)}"
    if assessment.target_total is not None:
        gap = assessment.target_total - assessment.total
        target = _("target “%(label)s” from %(points)s points") % {
            "label": assessment.target_label,
            "points": number_decimal(assessment.target_total),
        }
        if gap > 0:
            target += " · " + _("%(gap)s points short") % {"gap": number_decimal(gap)}
        else:
            target += " · " + _("reached")
    else:
        target = _("no target classification in the criteria set")
    hint = f"{assessment.period.label} · {assessment.classification or _('not classified yet')} · {target}"
    return PanelResult(
        figures=[
            Figure("criteria", _("Criteria score"), value, assessment.get_absolute_url(), hint),
        ]
    )


def number_decimal(value) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def trends_panel(ctx: DashboardContext) -> PanelResult:
    data = selectors.monthly_trends(ctx.ward, ctx.period, ctx.facts)
    labels = [f"{r['month']:%m/%Y}" for r in data["rows"]]
    table = Table(
        caption=_("Monthly trends (12 months)"),
        columns=[
            _("Month"),
            _("Number of inspections"),
            _("With violations found"),
            _("Compliance rate"),
            _("Number of violations"),
        ],
        rows=[
            [
                Cell(label),
                Cell(number(r["inspections"]), numeric=True),
                Cell(number(r["failed"]), numeric=True),
                Cell(percent(r["compliance"]), numeric=True),
                Cell(number(r["violations"]), numeric=True),
            ]
            for label, r in zip(labels, data["rows"], strict=True)
        ],
    )
    chart = Chart(
        key="trends",
        kind="line",
        title=_("Inspections and violations per month"),
        labels=labels,
        datasets=[
            (_("Number of inspections"), [r["inspections"] for r in data["rows"]]),
            (_("Number of violations"), [r["violations"] for r in data["rows"]]),
        ],
        table=table,
    )
    return PanelResult(charts=[chart])


def domains_panel(ctx: DashboardContext) -> PanelResult:
    rows = selectors.domain_breakdown(ctx.ward, ctx.period, ctx.facts)
    table = Table(
        caption=_("Violations by domain"),
        columns=[_("Domain"), _("Number of violations")],
        rows=[
            [
                Cell(str(r["label"])),
                Cell(
                    number(r["violations"]),
                    list_url("violations:list", domain=r["domain"], **ctx.date_range),
                    numeric=True,
                ),
            ]
            for r in rows
        ],
    )
    chart = Chart(
        key="domains",
        kind="bar",
        title=_("Violations by domain"),
        labels=[str(r["label"]) for r in rows],
        datasets=[(_("Number of violations"), [r["violations"] for r in rows])],
        table=table,
    )
    return PanelResult(charts=[chart])


def _place_columns() -> list[str]:
    return [
        _("Active businesses"),
        _("Number of inspections"),
        _("Coverage"),
        _("Compliance rate"),
        _("Number of violations"),
    ]


def streets_panel(ctx: DashboardContext) -> PanelResult:
    rows = ctx.facts.street_breakdown()
    table = Table(
        caption=_("By street"),
        columns=[_("Street"), *_place_columns()],
        rows=[
            [
                Cell(s.name),
                Cell(
                    number(s.n_businesses),
                    list_url("businesses:list", street=s.pk, status=BusinessStatus.ACTIVE),
                    numeric=True,
                ),
                Cell(
                    number(s.n_inspections),
                    list_url("inspections:list", street=s.pk, **ctx.date_range),
                    numeric=True,
                ),
                Cell(percent(s.coverage), numeric=True),
                Cell(percent(s.compliance), numeric=True),
                Cell(
                    number(s.n_violations),
                    list_url("violations:list", street=s.pk, **ctx.date_range),
                    numeric=True,
                ),
            ]
            for s in rows
        ],
        empty=_("The ward has no streets yet."),
    )
    return PanelResult(tables=[table])


def groups_panel(ctx: DashboardContext) -> PanelResult:
    rows = ctx.facts.group_ranking()
    table = Table(
        caption=_("Residential groups, ranked (fewest violations per business first)"),
        columns=[_("Rank"), _("Residential group"), *_place_columns()],
        rows=[
            [
                Cell(str(g.rank), numeric=True),
                Cell(g.name),
                Cell(
                    number(g.n_businesses),
                    list_url("businesses:list", group=g.pk, status=BusinessStatus.ACTIVE),
                    numeric=True,
                ),
                Cell(number(g.n_inspections), numeric=True),
                Cell(percent(g.coverage), numeric=True),
                Cell(percent(g.compliance), numeric=True),
                Cell(
                    number(g.n_violations),
                    list_url("violations:list", residential_group=g.pk, **ctx.date_range),
                    numeric=True,
                ),
            ]
            for g in rows
        ],
        empty=_("The ward has no residential groups yet."),
    )
    return PanelResult(tables=[table])


def repeat_panel(ctx: DashboardContext) -> PanelResult:
    rows = selectors.repeat_violators(ctx.ward, ctx.today)
    table = Table(
        caption=_("Repeat violators (last 12 months)"),
        columns=[
            _("Business"),
            _("Street"),
            _("Repeat offences (tái phạm)"),
            _("Violated several times (vi phạm nhiều lần)"),
            _("Number of violations"),
        ],
        rows=[
            [
                Cell(b.name, reverse("businesses:detail", args=[b.pk])),
                Cell(b.street.name),
                Cell(number(b.n_repeats or 0), numeric=True),
                Cell(number(b.n_multiple or 0), numeric=True),
                Cell(number(b.n_violations), numeric=True),
            ]
            for b in rows
        ],
        empty=_("No repeat violator in the last 12 months."),
    )
    return PanelResult(
        tables=[table], more_url=reverse("violations:repeat"), more_label=_("All repeat violators")
    )


register(Panel("businesses", gettext_lazy("Businesses"), businesses_panel, order=10))
register(Panel("inspections", gettext_lazy("Inspections"), inspections_panel, order=20))
register(Panel("violations", gettext_lazy("Violations"), violations_panel, order=30))
register(Panel("criteria", gettext_lazy("Model-ward criteria"), criteria_panel, order=40))
register(Panel("trends", gettext_lazy("Monthly trends"), trends_panel, order=50))
register(Panel("domains", gettext_lazy("By domain"), domains_panel, order=60))
register(Panel("streets", gettext_lazy("By street"), streets_panel, order=70))
register(Panel("groups", gettext_lazy("By residential group"), groups_panel, order=80))
register(Panel("repeat", gettext_lazy("Watch-list: repeat violators"), repeat_panel, order=90))
register(Panel("commitments", gettext_lazy("Watch-list: overdue commitments"), commitments_panel, order=95))
