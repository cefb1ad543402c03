"""The campaign report (báo cáo kết quả đợt ra quân), printed by the documents app."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from businesses.models import InspectionResult
from documents.layout import station_head_signer
from documents.models import RegisterKind
from documents.register import register_entry_for
from documents.registry import DocumentKind, fingerprint, register
from documents.rendering import render_pdf_chunked, render_processes

from .models import Campaign
from .selectors import bar_chart, campaign_board, campaign_target_rows, violation_findings

CAMPAIGN_REPORT = "campaign-report"


def _campaign(pk: int) -> Campaign:
    return Campaign.objects.select_related("ward", "leader", "closed_by").get(pk=pk)


def _results(campaign: Campaign) -> dict:
    results = dict(campaign_board(campaign))
    results.pop("computed_at", None)  # the moment of computing is not content
    return results


def _facts(campaign: Campaign) -> list[tuple[str, str]]:
    dates = formats.date_format(campaign.starts_on, "d/m/Y")
    if campaign.ends_on != campaign.starts_on:
        dates += f" - {formats.date_format(campaign.ends_on, 'd/m/Y')}"
    return [
        ("Tên đợt ra quân", campaign.name),
        ("Căn cứ", campaign.plan_reference or "—"),
        ("Thời gian", dates),
        ("Địa bàn", campaign.ward.name),
        ("Nội dung kiểm tra", ", ".join(campaign.domain_labels()) or "—"),
        ("Chỉ huy", campaign.leader.get_full_name() or campaign.leader.username),
        ("Tình trạng", str(campaign.get_status_display())),
    ]


def _outcome(row: dict) -> str:
    if not row["result"]:
        return "Chưa kiểm tra"
    parts = [str(InspectionResult(row["result"]).label)]
    if row["record"] == "draft":
        parts.append("đề xuất lập biên bản")
    elif row["record"]:
        parts.append(f"biên bản số {row['record']}")
    if row["commitment"] == "signed":
        parts.append("ký cam kết")
    elif row["commitment"] == "refused":
        parts.append("từ chối ký cam kết")
    return "; ".join(parts)


def _target_rows(campaign: Campaign) -> list[dict]:
    """The appendix's rows as the template prints them (runs under the Vietnamese locale). A cell
    of two lines holds them as one text with a newline (printed with white-space: pre-line)."""
    out = []
    for n, row in enumerate(campaign_target_rows(campaign), 1):
        visit = "—"
        if row["finished_at"]:
            when = formats.date_format(timezone.localtime(row["finished_at"]), "d/m/Y H:i")
            visit = f"{when}\n{', '.join(row['inspectors']) or '—'}"
        out.append(
            {
                "n": n,
                "business": "\n".join(part for part in (row["business"], row["address"]) if part),
                "visit": visit,
                "outcome": _outcome(row),
            }
        )
    return out


def report_signer(campaign: Campaign):
    """The station's head (or a deputy for the head) signs the report: the leader of the ward who
    closed the campaign. A draft, or a campaign closed by an administrator, has no signer yet."""
    user = campaign.closed_by if campaign.is_closed else None
    if user is None or not user.has_role(Role.LEADER) or user.ward_id != campaign.ward_id:
        return None
    return user


def campaign_report_number(campaign: Campaign) -> str:
    entry = register_entry_for(campaign, RegisterKind.CAMPAIGN_REPORT)
    return entry.number_text if entry else ""


def campaign_report_context(pk: int) -> dict:
    campaign = _campaign(pk)
    results = _results(campaign)
    return {
        "campaign": campaign,
        # Numbered from the register when the campaign is closed; until then a draft.
        "number": campaign_report_number(campaign),
        "is_draft": not campaign.is_closed,
        # Dated the day it was closed (its names as they were then); a draft, the day printed.
        "document_date": timezone.localdate(campaign.closed_at) if campaign.closed_at else None,
        "document_title": "Báo cáo kết quả đợt ra quân",
        "document_subtitle": campaign.name,
        "facts": _facts(campaign),
        "objectives": campaign.objectives,
        "results": results,
        # The page's chart (a Jinja2 partial), drawn in the document's language.
        "chart_svg": _chart_svg(bar_chart(results)),
        "is_final": campaign.is_closed,
        "target_rows": _target_rows(campaign),
        "recipients": ["Công an Thành phố (để báo cáo)", "UBND phường (để biết)", "Lưu: hồ sơ đợt ra quân"],
        "findings": violation_findings(results),
        # Signed by the station's head, never by the campaign's commander (Decree 30/2020).
        "signers": [station_head_signer(report_signer(campaign))],
    }


def campaign_report_version(pk: int) -> str:
    campaign = _campaign(pk)
    return fingerprint(
        {
            "facts": _facts(campaign),
            "objectives": campaign.objectives,
            "results": _results(campaign),
            "targets": campaign_target_rows(campaign),
            "number": campaign_report_number(campaign),
        }
    )


# Characters of 11 pt text a line of the list's columns holds, about (widths in official.css,
# col.list-*): to foresee which rows take three lines, so that the list's chunks end at a page's
# end (an estimate: the renderer keeps some room for rows it underestimates).
LINE_CHARACTERS = {"business": 38, "visit": 20, "outcome": 20}


def list_row_lines(row: dict) -> int:
    """How many lines a row of the list takes: its tallest cell's."""
    return max(
        sum(max(1, -(-len(line) // width)) for line in row[cell].split("\n"))
        for cell, width in LINE_CHARACTERS.items()
    )


def render_campaign_report(template: str, context: dict, *, progress=None) -> bytes:
    """A campaign of a thousand businesses has a list of a thousand rows: the report and shares of
    the list are rendered side by side (documents.rendering.render_pdf_chunked) and joined, the
    pages numbered once joined."""
    return render_pdf_chunked(
        template,
        context,
        rows_key="target_rows",
        chunk_size=settings.DOCUMENT_CHUNK_ROWS,
        processes=render_processes(),
        number_pages=True,
        lead_chunk=True,
        row_weight=list_row_lines,
        progress=progress,
    )


register(
    DocumentKind(
        kind=CAMPAIGN_REPORT,
        title=_("Campaign report"),
        template="campaigns/campaign_report_pdf.html",
        build_context=campaign_report_context,
        version=campaign_report_version,
        ward_id=lambda pk: Campaign.objects.values_list("ward_id", flat=True).get(pk=pk),
        filename=lambda pk: f"bao-cao-dot-ra-quan-{pk}",
        renderer=render_campaign_report,
        issued_entry=lambda pk: register_entry_for(Campaign(pk=pk), RegisterKind.CAMPAIGN_REPORT),
    )
)


# --- QR posters for every target of a campaign (the poster layout is the businesses app's) ----
CAMPAIGN_POSTERS = "campaign-posters-{size}"


def _register_campaign_posters() -> None:
    from businesses import posters
    from businesses.models import Business, BusinessStatus

    def members(pk: int) -> tuple[Campaign, list[Business]]:
        campaign = Campaign.objects.get(pk=pk)
        rows = list(
            posters._businesses()
            .filter(pk__in=campaign.targets.values("business_id"), ward_id=campaign.ward_id)
            .exclude(status=BusinessStatus.CLOSED)
        )
        return campaign, rows

    for size in posters.SIZES:
        label = size.upper()

        def context(pk: int, size: str = size) -> dict:
            campaign, rows = members(pk)
            return posters._context(rows, size=size, title="Áp phích mã QR", subtitle=campaign.name)

        def version(pk: int, size: str = size) -> str:
            campaign, rows = members(pk)
            return fingerprint([campaign.name, posters._version_data(rows, size)])

        register(
            DocumentKind(
                kind=CAMPAIGN_POSTERS.format(size=size),
                title=posters.BATCH_TITLES[size],
                template=posters.TEMPLATE,
                build_context=context,
                version=version,
                ward_id=lambda pk: Campaign.objects.values_list("ward_id", flat=True).get(pk=pk),
                filename=lambda pk, label=label: f"ap-phich-qr-{label}-dot-ra-quan-{pk}",
                renderer=posters.render_posters,
            )
        )


_register_campaign_posters()


def _chart_svg(chart) -> str:
    with translation.override("vi"):
        return render_to_string("campaigns/partials/campaign_chart.html", {"chart": chart})
