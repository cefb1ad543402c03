"""What `make bench` measures. Each feature adds its cases here as it lands.

HTTP cases are loaded with wrk (concurrency 8) through gunicorn and compared with the bare
50-row table view measured in the same run; in-process cases time a function and its own
baseline (e.g. a bare WeasyPrint render of the same HTML).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class BenchContext:
    user: Any
    ward: Any
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class HttpCase:
    name: str
    path: Callable[[BenchContext], str | None]  # None: not available (yet) on this build
    min_ratio: float = 0.7  # requests/s at least this share of the bare view's
    max_p99_ms: float | None = None


def _reverse(name: str, *args: Any, query: str = "") -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args) + query
    except NoReverseMatch:
        return None


def _first_business_pk(ctx: BenchContext) -> int | None:
    from businesses.models import Business

    return Business.objects.filter(ward=ctx.ward).order_by("pk").values_list("pk", flat=True).first()


HTTP_CASES: list[HttpCase] = [
    HttpCase("Overview page (/dashboard/)", lambda ctx: _reverse("dashboards:home")),
    HttpCase(
        "Business list, search “nguyen thai hoc”",
        lambda ctx: _reverse("businesses:list", query="?q=nguyen+thai+hoc"),
    ),
    HttpCase(
        "Inspection form page",
        lambda ctx: (pk := _first_business_pk(ctx)) and _reverse("inspections:new", query=f"?business={pk}"),
    ),
    HttpCase("Violation list", lambda ctx: _reverse("violations:list")),
]

# In-process cases: name -> function(ctx) returning a list of Figure rows (see __main__.Figure).
INPROC_CASES: list[Callable[[BenchContext], list]] = []


def _poster_batch_case(ctx: BenchContext) -> list:
    """500 QR posters in one batch PDF (issue 8: under 30 s on the 2-core machine): the same
    path as the worker takes for a street's posters (QR per page, chunked render, pypdf join)."""
    import time

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
        return []
    started = time.perf_counter()
    context = {
        **official_context(ctx.ward, day=timezone.localdate(), number="", title="Áp phích mã QR"),
        **_context(businesses, size="a4", title="Áp phích mã QR", subtitle="bench"),
    }
    pdf = render_posters(TEMPLATE, context)
    seconds = time.perf_counter() - started
    return [
        Figure(
            name="500 QR posters, one batch PDF",
            value=round(seconds, 1),
            unit="s",
            target="< 30 s",
            met=seconds < 30,
            note=f"{len(pdf) // 1024} KB",
        )
    ]


INPROC_CASES.append(_poster_batch_case)
