"""In-process figures: each timed against its own baseline in the same run."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone


class _Rollback(Exception):
    pass


def _timed(fn: Callable[[], Any], runs: int) -> float:
    """Median seconds of `fn` over `runs`, each inside a transaction that is rolled back."""
    seconds = []
    for _ in range(runs):
        try:
            with transaction.atomic():
                start = time.perf_counter()
                fn()
                seconds.append(time.perf_counter() - start)
                raise _Rollback
        except _Rollback:
            pass
    return statistics.median(seconds)


def business_import(ctx, runs: int = 3) -> list:
    """Import 5,000 new businesses from an XLSX file (check, preview, apply), against a bare
    bulk_create of the same 5,000 rows."""
    from businesses import exporting
    from businesses.models import Business
    from businesses.services import business_import_apply, business_import_upload

    from .__main__ import Figure

    ward, user = ctx.ward, ctx.user
    pool = list(
        Business.objects.filter(ward=ward).select_related("category", "street", "residential_group")[:5000]
    )
    if not pool:
        return [Figure("Business import, 5.000 rows", 0, "s", note="no businesses to copy")]
    sources = [pool[n % len(pool)] for n in range(5000)]  # the ward's own streets, groups, categories
    rows = []
    for n, business in enumerate(sources):
        row = exporting.business_row(business)[: len(exporting.IMPORT_HEADERS)]
        row[0] = f"BENCH{n:06d}"  # a new registration number: every row is created
        row[1] = f"{business.name} (nhập thử {n})"
        row[7] = ""  # masked personal data is not a valid CCCD / phone in a new row
        row[8] = ""
        rows.append(row)
    content = exporting._xlsx([("Cơ sở kinh doanh", exporting.IMPORT_HEADERS, rows)])

    def run_import() -> None:
        batch = business_import_upload(user=user, ward=ward, file_name="bench.xlsx", content=content)
        done = business_import_apply(batch=batch, user=user)
        if done.status != done.Status.APPLIED:
            raise RuntimeError(f"bench import did not apply: {done.status}")

    def bare_insert() -> None:
        copies = []
        for n, original in enumerate(sources):
            business = Business(
                **{f.attname: getattr(original, f.attname) for f in Business._meta.concrete_fields}
            )
            business.pk = None
            business.registration_number = f"BARE{n:06d}"
            business.public_token = f"bench-{n}-{time.perf_counter_ns()}"
            copies.append(business)
        Business.objects.bulk_create(copies, batch_size=1000)

    seconds = _timed(run_import, runs)
    baseline = _timed(bare_insert, runs)
    return [
        Figure(
            "Business import, 5.000 rows (XLSX, all-or-nothing)",
            round(seconds, 2),
            "s",
            baseline=round(baseline, 2),
            baseline_name="bare bulk_create",
            ratio=round(seconds / baseline, 1),
            target="< 30 s",
            met=seconds < 30,
        )
    ]


def one_page_pdf(ctx, runs: int = 5) -> list:
    """A one-page record through the documents pipeline, against a bare WeasyPrint render of the
    same HTML (no URL fetcher, no context building)."""
    import weasyprint

    from businesses.documents import BUSINESS_HISTORY
    from businesses.models import Business
    from documents import registry, rendering
    from documents.models import DocumentJob
    from documents.services import build_document

    from .__main__ import Figure

    business = Business.objects.filter(ward=ctx.ward).order_by("pk").first()
    kind = registry.get(BUSINESS_HISTORY)
    job = DocumentJob(kind=BUSINESS_HISTORY, object_id=business.pk, ward_id=ctx.ward.pk, version="bench")
    captured: dict[str, str] = {}
    original = rendering.render_html

    def capture(template: str, context: dict) -> str:
        captured["html"] = original(template, context)
        return captured["html"]

    rendering.render_html = capture
    try:
        build_document(job)
    finally:
        rendering.render_html = original
    html = captured.get("html")
    pipeline = statistics.median(_seconds(lambda: build_document(job)) for _ in range(runs))
    if html is None:
        return [
            Figure(f"One-page PDF ({kind.title})", round(pipeline * 1000), "ms", note="HTML not captured")
        ]
    # The same HTML, fonts and fetcher: WeasyPrint's own cost, without our context and templates.
    bare = statistics.median(
        _seconds(
            lambda: weasyprint.HTML(
                string=html, base_url=rendering.BASE_URL, url_fetcher=rendering.StaticOnlyURLFetcher()
            ).write_pdf()
        )
        for _ in range(runs)
    )
    return [
        Figure(
            "One-page PDF (business history), whole pipeline",
            round(pipeline * 1000),
            "ms",
            baseline=round(bare * 1000),
            baseline_name="bare WeasyPrint, same HTML",
            ratio=round(pipeline / bare, 2),
            target="≤ 2× bare",
            met=pipeline <= 2 * bare,
        )
    ]


def signing_cost(ctx, runs: int = 7) -> list:
    """#29: what signing adds to an issued one-page document: the verification block (QR code)
    and the PAdES signature (pyHanko, the ward's certificate), against the unsigned render of the
    same document through the same pipeline."""
    from businesses.documents import BUSINESS_HISTORY
    from businesses.models import Business
    from documents import issuing, signing
    from documents.models import DocumentJob
    from documents.services import build_document

    from .__main__ import Figure

    business = Business.objects.filter(ward=ctx.ward).order_by("pk").first()
    if business is None:
        return [Figure("Signing an issued one-page PDF, added", 0, "ms", note="no business to print")]
    job = DocumentJob(kind=BUSINESS_HISTORY, object_id=business.pk, ward_id=ctx.ward.pk, version="bench")
    _row, data, password = issuing.signing_credentials(ctx.ward)
    text = signing.SignatureText(ctx.ward.document_unit_name, "Nguyễn Văn Bench", "Trưởng Công an phường")
    code = "AC3D4E6F7G"

    def signed() -> bytes:
        url = issuing.verification_url(code)
        verification = {"code": issuing.display_code(code), "url": url, "qr_uri": issuing.qr_data_uri(url)}
        pdf = build_document(job, verification=verification)
        return signing.sign_pdf(pdf, pkcs12_data=data, password=password, text=text)[0]

    build_document(job)  # warm: fonts, templates, pyHanko's imports
    signed()
    # Interleaved, so that a noisy neighbour slows both alike.
    plain, full = [], []
    for _ in range(runs):
        plain.append(_seconds(lambda: build_document(job)))
        full.append(_seconds(signed))
    unsigned_ms = statistics.median(plain) * 1000
    signed_ms = statistics.median(full) * 1000
    added = signed_ms - unsigned_ms
    return [
        Figure(
            "One-page PDF signed (PAdES B-B + verification QR), added to the render",
            round(added),
            "ms",
            baseline=round(unsigned_ms),
            baseline_name="unsigned render of the same document",
            ratio=round(signed_ms / unsigned_ms, 2),
            target="≤ 100 ms added",
            met=added <= 100,
            note=f"signed {round(signed_ms)} ms",
        )
    ]


def _seconds(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


REPORT_PLAN = "Kế hoạch đo thử số 1000/KH-BENCH"


def _report_campaign(ward, size: int):
    """A campaign of `ward` whose `size` targets all have an inspection, made once and kept.

    Targets are the ward's businesses with their latest inspection; when the ward has too few
    (a small bench database), businesses and inspections are copied from existing ones first."""
    import uuid

    from accounts.models import User
    from accounts.roles import Role
    from businesses.models import Business, BusinessStatus
    from campaigns import services
    from campaigns.models import Campaign, CampaignTarget
    from inspections.models import Inspection

    campaign = Campaign.objects.filter(ward=ward, plan_reference=REPORT_PLAN).first()
    if campaign is not None and campaign.targets.filter(inspection__isnull=False).count() >= size:
        return campaign
    with transaction.atomic():
        if campaign is not None:
            campaign.targets.all().delete()
            campaign.delete()
        open_businesses = Business.objects.filter(ward=ward).exclude(status=BusinessStatus.CLOSED)
        have = open_businesses.count()
        if have < size:
            pool = list(open_businesses.order_by("pk")[:500])
            copies = []
            for n in range(size - have):
                business = Business(
                    **{
                        f.attname: getattr(pool[n % len(pool)], f.attname)
                        for f in Business._meta.concrete_fields
                    }
                )
                business.pk = None
                business.name = f"{business.name} (cơ sở đo thử {n + 1})"
                business.registration_number = f"BENCHRPT{ward.pk:03d}{n:06d}"
                business.public_token = uuid.uuid4().hex
                copies.append(business)
            Business.objects.bulk_create(copies, batch_size=1000)
        businesses = list(
            open_businesses.select_related("street", "residential_group", "category").order_by("pk")[:size]
        )
        latest = dict(
            Inspection.objects.filter(business__in=[b.pk for b in businesses])
            .order_by("business_id", "-finished_at", "-pk")
            .distinct("business_id")
            .values_list("business_id", "pk")
        )
        missing = [b for b in businesses if b.pk not in latest]
        if missing:
            model = Inspection.objects.filter(ward=ward).order_by("-pk").first()
            fields = [
                f.attname for f in Inspection._meta.concrete_fields if f.attname not in ("id", "business_id")
            ]
            made = []
            for business in missing:
                copy = Inspection(**{name: getattr(model, name) for name in fields}, business_id=business.pk)
                copy.submission_id = uuid.uuid4()
                copy.proposed_violation_id = None
                made.append(copy)
            Inspection.objects.bulk_create(made, batch_size=1000)
            through = Inspection.inspectors.through
            through.objects.bulk_create(
                [through(inspection_id=i.pk, user_id=model.recorded_by_id) for i in made], batch_size=1000
            )
            latest.update({i.business_id: i.pk for i in made})
        leader = User.objects.filter(ward=ward, groups__name=Role.LEADER, is_active=True).first()
        campaign = services.campaign_create(
            ward=ward,
            name=f"Ra quân kiểm tra {size} cơ sở kinh doanh (đo thử)",
            plan_reference=REPORT_PLAN,
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
            domains=["security_order"],
            objectives="Đo thời gian in báo cáo của một đợt ra quân lớn.",
            leader=leader,
            created_by=leader,
        )
        CampaignTarget.objects.bulk_create(
            [
                CampaignTarget(
                    campaign=campaign, business=b, inspection_id=latest[b.pk], **services._snapshot(b)
                )
                for b in businesses
            ],
            batch_size=1000,
        )
        services.campaign_start(campaign=campaign, user=leader)
    return campaign


def _naive_table(html: str) -> str:
    """The report as a naive template would print its list: the project's ordinary data-table
    style (12 pt, a full grid of separate borders) and a <br> between a cell's two lines."""
    import re

    start = html.index('<table class="list">')
    end = html.index("</table>", start)
    table = html[start:end].replace('<table class="list">', '<table class="data">', 1)
    table = re.sub(r"<td>([^<]*)</td>", lambda m: "<td>" + m[1].replace("\n", "<br>") + "</td>", table)
    return html[:start] + table + html[end:]


def campaign_report(ctx, runs: int = 3) -> list:
    """The campaign report of 1,000 inspections through the worker's pipeline (context, list of
    1,000 rows in chunks rendered side by side, join, page numbers), against a naive render: the
    same report HTML in one WeasyPrint call, its list styled as every other data table. Timed
    interleaved (drift affects both alike); peak memory measured in a fresh process."""
    import io
    import json
    import subprocess

    import weasyprint
    from django.conf import settings
    from django.utils import translation
    from pypdf import PdfReader

    from campaigns.documents import CAMPAIGN_REPORT
    from documents import registry, rendering
    from documents.models import DocumentJob
    from documents.services import build_document, document_context

    from . import runner
    from .__main__ import Figure

    size = 1000
    name = "Campaign report, 1.000 inspections"
    campaign = _report_campaign(ctx.ward, size)
    job = DocumentJob(kind=CAMPAIGN_REPORT, object_id=campaign.pk, ward_id=ctx.ward.pk, version="bench")
    with translation.override("vi"):
        html = rendering.render_html(registry.get(CAMPAIGN_REPORT).template, document_context(job))
    if html.count('<table class="list">') != 1:
        return [Figure(name, 0, "s", note="the report's list table was not found in its HTML")]
    naive_html = _naive_table(html)

    def naive() -> bytes:
        document = weasyprint.HTML(
            string=naive_html, base_url=rendering.BASE_URL, url_fetcher=rendering.StaticOnlyURLFetcher()
        )
        return document.write_pdf()

    timings: dict[str, list[float]] = {"naive": [], "new": []}
    pdf = b""
    for run in range(runs):  # interleaved, alternating which goes first
        order = ["naive", "new"] if run % 2 == 0 else ["new", "naive"]
        for which in order:
            start = time.perf_counter()
            out = naive() if which == "naive" else build_document(job)
            timings[which].append(time.perf_counter() - start)
            if which == "new":
                pdf = out
        print(
            f"  {name}: run {run + 1}: naive {timings['naive'][-1]:.1f} s, new {timings['new'][-1]:.1f} s",
            flush=True,
        )
    naive_s, new_s = statistics.median(timings["naive"]), statistics.median(timings["new"])
    ratio = new_s / naive_s
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    processes = rendering.render_processes()
    # Cut by row count (the pipeline cuts by estimated row heights, so whole pages): about as many.
    chunks = len(rendering.chunk_bounds(0, size, settings.DOCUMENT_CHUNK_ROWS, processes))
    runs_text = ", ".join(f"{a:.1f}/{b:.1f}" for a, b in zip(timings["naive"], timings["new"], strict=True))
    figures = [
        Figure(
            f"{name} (PDF, whole pipeline)",
            round(new_s, 2),
            "s",
            baseline=round(naive_s, 2),
            baseline_name="naive: same HTML, one WeasyPrint render, data-table CSS",
            ratio=round(ratio, 2),
            target="≤ 0.5×",
            met=ratio <= 0.5,
            note=f"{pages} pages; the report + about {chunks} chunks of ≤ {settings.DOCUMENT_CHUNK_ROWS} rows"
            f" on {processes} processes; naive/new per run: {runs_text} s",
        )
    ]

    # Memory: a fresh process, as a worker's pool process is, renders the report once.
    result = subprocess.run(
        [str(runner.BIN / "python"), "-m", "bench.report_memory", str(job.object_id), str(job.ward_id)],
        cwd=runner.ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        figures.append(Figure(f"{name}: worker peak memory", 0, "MB", note=result.stderr[-300:]))
        return figures
    memory = json.loads(result.stdout.strip().splitlines()[-1])
    peak = memory["bound_mb"]
    figures.append(
        Figure(
            f"{name}: worker peak memory",
            round(peak),
            "MB",
            target="< 400 MB",
            met=peak < 400,
            note=f"bound: task process peak {memory['self_mb']:.0f} MB + {memory['processes']} render "
            f"processes × {memory['child_mb']:.0f} MB (their largest peak, RSS, shared pages counted "
            f"in each); sampled peak of the whole tree {memory['sampled_mb']:.0f} MB",
        )
    )
    return figures


def poster_batch(ctx, runs: int = 1) -> list:
    """500 QR posters in one batch PDF, the path the worker takes for a street's posters (QR per
    page, chunked render, pypdf join); the baseline is bare QR generation (qrcode + Pillow PNG)
    of the same 500 codes."""
    import io

    import qrcode
    from django.conf import settings
    from django.utils import timezone

    from businesses.models import Business
    from businesses.posters import TEMPLATE, _context, render_posters
    from documents.layout import official_context

    from .__main__ import Figure

    businesses = list(
        Business.objects.filter(ward=ctx.ward)
        .select_related("ward", "category", "street")
        .order_by("pk")[:500]
    )
    if len(businesses) < 500:
        return [Figure("500 QR posters, one batch PDF", 0, "s", note=f"only {len(businesses)} businesses")]

    def render() -> bytes:
        context = {
            **official_context(ctx.ward, day=timezone.localdate(), number="", title="Áp phích mã QR"),
            **_context(businesses, size="a4", title="Áp phích mã QR", subtitle="bench"),
        }
        return render_posters(TEMPLATE, context)

    def bare_qr() -> None:
        for business in businesses:
            out = io.BytesIO()
            qrcode.make(f"{settings.PUBLIC_BASE_URL}/p/{business.public_token}/").save(out, format="PNG")

    seconds = statistics.median(_seconds(render) for _ in range(runs))
    baseline = statistics.median(_seconds(bare_qr) for _ in range(runs))
    return [
        Figure(
            "500 QR posters, one batch PDF",
            round(seconds, 1),
            "s",
            baseline=round(baseline, 2),
            baseline_name="bare QR generation, 500 PNG",
            ratio=round(seconds / baseline, 1) if baseline else None,
            target="< 30 s",
            met=seconds < 30,
        )
    ]


LARGE_TABLES = (
    "inspections_inspection",
    "inspections_answer",
    "businesses_business",
    "violations_violation",
    "businesses_feedback",
)


def _raw_sql_seconds(queries: list[str]) -> float:
    """The page's own SQL, sent straight through a cursor: what the database alone costs."""
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in queries:
            cursor.execute(sql)
            if cursor.description:
                cursor.fetchall()
    return time.perf_counter() - start


def _explain(name: str, queries: list[str]) -> tuple[list[str], str]:
    """EXPLAIN every SELECT of the page; returns the sequential scans of large tables found and
    the plans as text (written beside the results)."""
    from django.db import connection

    seq_scans: list[str] = []
    text = [f"==== {name}: {len(queries)} queries"]
    with connection.cursor() as cursor:
        for n, sql in enumerate(queries, 1):
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute("EXPLAIN " + sql)
            plan = [row[0] for row in cursor.fetchall()]
            text += [f"-- query {n}: {sql[:300]}", *plan, ""]
            for line in plan:
                if "Seq Scan on " in line:
                    table = line.split("Seq Scan on ", 1)[1].split()[0]
                    if table in LARGE_TABLES:
                        seq_scans.append(f"q{n}:{table}")
    return seq_scans, "\n".join(text)


def dashboards(ctx, runs: int = 7) -> list:
    """Median server time of the ward dashboard (a year) and of the city view, through Django's
    test client (no network), with the number of queries each makes; the baseline is the same
    SQL sent raw through a cursor, and every SELECT is EXPLAINed (plans in var/bench/explain.txt)."""
    from pathlib import Path

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    from .__main__ import Figure

    figures, plans = [], []
    from django.core.cache import cache

    # #28: the ward page's panels are cached; these figures clear the cache before each request,
    # so they time (and EXPLAIN) the panels' own queries. bench/rollups.py times the cached page.
    cases = [
        ("Ward dashboard, a year, panels computed (server time)", ctx.user, "/dashboard/?period=year", 50, 8),
        ("Ward dashboard, this month, panels computed (server time)", ctx.user, "/dashboard/", 50, 8),
        (
            "City view, every ward (server time)",
            User.objects.filter(is_superuser=True).first(),
            "/dashboard/city/",
            100,
            None,
        ),
    ]

    for name, user, url, limit_ms, max_queries in cases:
        client = Client()
        client.force_login(user)
        client.get(url)  # warm the connection and the caches a real process would have
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            status = client.get(url).status_code
        sql = [q["sql"] for q in captured.captured_queries]
        page_runs, raw_runs = [], []
        for _ in range(runs):  # interleaved: drift affects both alike
            cache.clear()  # outside the timing
            page_runs.append(_seconds(lambda c=client, u=url: c.get(u)))
            raw_runs.append(_raw_sql_seconds(sql))
        ms, raw_ms = 1000 * statistics.median(page_runs), 1000 * statistics.median(raw_runs)
        seq_scans, plan_text = _explain(name, sql)
        plans.append(plan_text)
        queries = len(sql)
        met = status == 200 and ms < limit_ms and (max_queries is None or queries <= max_queries)
        note = f"{queries} queries, HTTP {status}; EXPLAIN: " + (
            "no sequential scan of a large table" if not seq_scans else "seq scan " + ", ".join(seq_scans)
        )
        figures.append(
            Figure(
                name,
                round(ms),
                "ms",
                baseline=round(raw_ms),
                baseline_name="raw SQL of its aggregates",
                ratio=round(ms / raw_ms, 2) if raw_ms else None,
                target=f"< {limit_ms} ms" + (f", ≤ {max_queries} queries" if max_queries else ""),
                met=met,
                note=note,
            )
        )
        print(f"  {name}: {ms:.0f} ms (raw SQL {raw_ms:.0f} ms), {note}", flush=True)
    out = Path(settings.BASE_DIR) / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "explain.txt").write_text("\n\n".join(plans), encoding="utf-8")
    return figures
