"""Reads for campaigns: target selection, the live progress board and the closing summary."""

import datetime
from collections import defaultdict

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from accounts.roles import Role
from businesses.models import Business, BusinessStatus, InspectionResult
from inspections.models import Answer, AnswerStatus, Inspection
from violations.domains import Domain
from violations.models import Violation

from .models import Campaign, CampaignChange, CampaignStatus, CampaignTarget

COUNTERS = ("targets", "inspected", "passed", "reminded", "failed", "records", "commitments")


def campaign_list(queryset: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """The list page: one query whatever the number of campaigns."""
    return queryset.select_related("leader").annotate(
        target_count=Count("targets", distinct=True),
        inspected_count=Count("targets", filter=Q(targets__inspection__isnull=False), distinct=True),
    )


def months_ago(moment: datetime.datetime, months: int) -> datetime.datetime:
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    # The 31st of a shorter month becomes its last day.
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError(moment)


def target_candidates(
    *,
    campaign: Campaign,
    street_ids: list[int] = (),
    group_ids: list[int] = (),
    category_ids: list[int] = (),
    not_inspected_months: int | None = None,
    business_ids: list[int] = (),
) -> QuerySet[Business]:
    """Businesses of the campaign's ward matching every criterion given (each criterion: any of
    its values), plus the businesses picked one by one. Closed businesses are never targets."""
    base = Business.objects.filter(ward_id=campaign.ward_id).exclude(status=BusinessStatus.CLOSED)
    by_criteria = None
    if street_ids or group_ids or category_ids or not_inspected_months:
        by_criteria = Q()
        if street_ids:
            by_criteria &= Q(street_id__in=street_ids)
        if group_ids:
            by_criteria &= Q(residential_group_id__in=group_ids)
        if category_ids:
            by_criteria &= Q(category_id__in=category_ids)
        if not_inspected_months:
            cutoff = months_ago(timezone.now(), not_inspected_months)
            by_criteria &= Q(last_inspected_at__isnull=True) | Q(last_inspected_at__lt=cutoff)
    picked = Q(pk__in=list(business_ids)) if business_ids else None
    if by_criteria is None and picked is None:
        return base.none()
    if by_criteria is not None and picked is not None:
        return base.filter(by_criteria | picked)
    return base.filter(by_criteria if by_criteria is not None else picked)


def campaign_officer_choices(campaign: Campaign) -> QuerySet[User]:
    """Officers a target may be assigned to: the campaign's officers, else the ward's writers."""
    officers = campaign.officers.filter(is_active=True)
    if officers.exists():
        return officers.order_by("full_name", "username")
    return (
        User.objects.filter(
            ward_id=campaign.ward_id, is_active=True, groups__name__in=[Role.OFFICER, Role.LEADER]
        )
        .distinct()
        .order_by("full_name", "username")
    )


def board_targets(campaign: Campaign) -> QuerySet[CampaignTarget]:
    return campaign.targets.select_related(
        "assigned_to", "inspection", "inspection__proposed_violation"
    ).order_by("street_name", "business_name", "pk")


def campaign_changes(campaign: Campaign) -> QuerySet[CampaignChange]:
    """The campaign's change log, newest first, with who made each change."""
    return campaign.changes.select_related("changed_by").order_by("-changed_at", "-pk")


def target_progress(campaign: Campaign) -> dict[str, int]:
    """How many targets the campaign has and how many are still not inspected (one query)."""
    counts = campaign.targets.aggregate(
        total=Count("pk"), left=Count("pk", filter=Q(inspection__isnull=True))
    )
    return {"total": counts["total"] or 0, "left": counts["left"] or 0}


def offline_targets(campaign: Campaign, user: User) -> QuerySet[CampaignTarget]:
    """The officer's own targets not inspected yet, in the board's order: the inspection forms a
    phone keeps for the campaign (the caller caps how many)."""
    return campaign.targets.filter(assigned_to=user, inspection__isnull=True).order_by(
        "street_name", "business_name", "pk"
    )


def _empty() -> dict[str, int]:
    return dict.fromkeys(COUNTERS, 0)


def _count_into(row: dict[str, int], result: str | None, record: bool, signed: bool) -> None:
    row["targets"] += 1
    if result is None:
        return
    row["inspected"] += 1
    row["passed"] += result == InspectionResult.PASSED
    row["reminded"] += result == InspectionResult.REMINDED
    row["failed"] += result == InspectionResult.FAILED
    row["records"] += record
    row["commitments"] += signed


def _rows(groups: dict[str, dict[str, int]], none_label: str) -> list[dict]:
    return [{"name": name or none_label, **counts} for name, counts in sorted(groups.items())]


def campaign_results(campaign: Campaign) -> dict:
    """Everything the board and the summary show, as plain JSON-ready data (a fixed number of
    queries whatever the number of targets)."""
    totals = _empty()
    streets: dict[str, dict[str, int]] = defaultdict(_empty)
    groups: dict[str, dict[str, int]] = defaultdict(_empty)
    inspection_ids = []
    rows = campaign.targets.values_list(
        "street_name",
        "residential_group_name",
        "inspection_id",
        "inspection__result",
        "inspection__proposed_violation_id",
        "inspection__commitment__signed_at",
    )
    for street, group, inspection_id, result, violation_id, signed_at in rows:
        record, signed = violation_id is not None, signed_at is not None
        for row in (totals, streets[street], groups[group]):
            _count_into(row, result, record, signed)
        if inspection_id:
            inspection_ids.append(inspection_id)

    labels = dict(Domain.choices)
    failed_by_domain = dict(
        Answer.objects.filter(inspection_id__in=inspection_ids, status=AnswerStatus.FAIL)
        .values_list("item__section__domain")
        .annotate(n=Count("inspection", distinct=True))
        .values_list("item__section__domain", "n")
    )
    domains = [
        {"code": code, "name": str(labels.get(code, code)), "failed": failed_by_domain.get(code, 0)}
        for code in [*campaign.domains, *sorted(set(failed_by_domain) - set(campaign.domains))]
    ]
    violations = [
        {
            "number": v.number_display,
            "business": v.business.name if v.business_id else v.violator_name,
            "stage": str(v.get_stage_display()),
            "status": str(v.get_status_display()),
            "description": v.description,
        }
        for v in Violation.objects.filter(
            pk__in=campaign.targets.filter(inspection__proposed_violation__isnull=False).values(
                "inspection__proposed_violation"
            )
        )
        .select_related("business")
        .order_by("pk")
    ]
    forces = [
        {"type": str(f.get_force_type_display()), "head_count": f.head_count, "contact": f.contact_person}
        for f in campaign.forces.all()
    ]
    return {
        "totals": totals,
        "streets": _rows(streets, "—"),
        "groups": _rows(groups, "—"),
        "domains": domains,
        "forces": forces,
        "people": sum(f["head_count"] for f in forces),
        "officers": [
            u.get_full_name() or u.username for u in campaign.officers.order_by("full_name", "username")
        ],
        "violations": violations,
        "computed_at": timezone.now().isoformat(),
    }


def campaign_target_rows(campaign: Campaign) -> list[dict]:
    """Every target in the board's order with what its inspection found, as plain data (codes,
    not labels): the report's list of businesses. Two queries whatever the number of targets."""
    rows = campaign.targets.order_by("street_name", "business_name", "pk").values_list(
        "business_name",
        "address",
        "inspection_id",
        "inspection__finished_at",
        "inspection__result",
        "inspection__proposed_violation_id",
        "inspection__proposed_violation__number",
        "inspection__proposed_violation__number_symbol",
        "inspection__commitment__signed_at",
        "inspection__commitment__refused_to_sign",
    )
    inspectors: dict[int, list[str]] = defaultdict(list)
    through = Inspection.inspectors.through
    for inspection_id, full_name, username in (
        through.objects.filter(inspection_id__in=campaign.targets.values("inspection_id"))
        .order_by("inspection_id", "pk")
        .values_list("inspection_id", "user__full_name", "user__username")
    ):
        inspectors[inspection_id].append(full_name or username)
    out = []
    for (
        name,
        address,
        inspection_id,
        finished_at,
        result,
        violation_id,
        number,
        symbol,
        signed_at,
        refused,
    ) in rows:
        out.append(
            {
                "business": name,
                "address": address,
                "finished_at": finished_at,
                "inspectors": inspectors.get(inspection_id, []),
                "result": result or "",
                "record": (f"{number}/{symbol}" if number else "draft") if violation_id else "",
                "commitment": "signed" if signed_at else ("refused" if refused else ""),
            }
        )
    return out


def campaign_board(campaign: Campaign) -> dict:
    """The frozen snapshot once closed, live numbers before."""
    if campaign.status == CampaignStatus.CLOSED and campaign.summary:
        return campaign.summary
    return campaign_results(campaign)


def violation_findings(results: dict) -> dict:
    """What section IV says, agreeing with the report's own figures: an inspection that found
    violations, or a record proposed, is a violation found, whether or not its record is listed
    (a frozen summary may predate the list; a draft record may since have been deleted)."""
    totals = results.get("totals", {})
    listed = len(results.get("violations") or [])
    records = max(totals.get("records", 0), listed)
    found = max(totals.get("failed", 0), records)
    return {"found": found, "records": records, "listed": listed}


BAR_HEIGHT = 22
BAR_GAP = 10
LABEL_WIDTH = 170
CHART_WIDTH = 520


def bar_chart(results: dict) -> dict:
    """Coordinates of a horizontal bar chart of the totals, drawn as SVG by the template (the
    web page and the PDF share it; no JavaScript)."""
    totals = results["totals"]
    bars = [
        (gettext("Inspected"), totals["inspected"], "inspected"),
        (gettext("Passed"), totals["passed"], "passed"),
        (gettext("Reminders"), totals["reminded"], "reminded"),
        (gettext("Violations found"), totals["failed"], "failed"),
        (gettext("Records proposed"), totals["records"], "records"),
        (gettext("Commitments signed"), totals["commitments"], "commitments"),
    ]
    scale_max = max([totals["targets"], *(b[1] for b in bars)]) or 1
    span = CHART_WIDTH - LABEL_WIDTH - 50
    out = []
    for index, (label, value, css) in enumerate(bars):
        y = index * (BAR_HEIGHT + BAR_GAP)
        width = round(span * value / scale_max)
        out.append(
            {
                "label": label,
                "value": value,
                "css": css,
                "y": y,
                "text_y": y + BAR_HEIGHT - 6,
                "x": LABEL_WIDTH,
                "width": width,
                "value_x": LABEL_WIDTH + width + 6,
            }
        )
    return {
        "bars": out,
        "width": CHART_WIDTH,
        "height": len(bars) * (BAR_HEIGHT + BAR_GAP),
        "bar_height": BAR_HEIGHT,
        "label_x": LABEL_WIDTH - 8,
        "of": totals["targets"],
    }


def campaign_inspection_basis(inspection: Inspection) -> str | None:
    """Inspection basis hook (#25.8): the printed record cites the campaign and its written plan.

    Fixed Vietnamese: a signed record's text does not follow the reader's interface language."""
    source = inspection.source or ""
    if not source.startswith("campaign:"):
        return None
    campaign = (
        Campaign.objects.filter(pk=int(source.removeprefix("campaign:")), ward_id=inspection.ward_id)
        .only("name", "plan_reference")
        .first()
    )
    if campaign is None:
        return None
    if campaign.plan_reference:
        return f"Thực hiện {campaign.plan_reference} về đợt ra quân “{campaign.name}”"
    return f"Thực hiện đợt ra quân “{campaign.name}” của Công an phường"
