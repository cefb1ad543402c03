"""In-process figures: each timed against its own baseline in the same run."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from django.db import transaction


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


def _seconds(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


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
    cases = [
        ("Ward dashboard, a year (server time)", ctx.user, "/dashboard/?period=year", 150, 15),
        ("Ward dashboard, this month (server time)", ctx.user, "/dashboard/", 150, 15),
        (
            "City view, every ward (server time)",
            User.objects.filter(is_superuser=True).first(),
            "/dashboard/city/",
            500,
            None,
        ),
    ]
    for name, user, url, limit_ms, max_queries in cases:
        client = Client()
        client.force_login(user)
        client.get(url)  # warm the connection and the caches a real process would have
        with CaptureQueriesContext(connection) as captured:
            status = client.get(url).status_code
        sql = [q["sql"] for q in captured.captured_queries]
        page_runs, raw_runs = [], []
        for _ in range(runs):  # interleaved: drift affects both alike
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
