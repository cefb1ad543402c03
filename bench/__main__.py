"""`make bench`: seed city-scale data, serve it with gunicorn, load it with wrk, print one table.

Usage: python -m bench [--quick] [--runs N] [--duration S] [--only TEXT]
Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/ward_police_bench),
BENCH_WARDS / BENCH_BUSINESSES / BENCH_INSPECTIONS
(defaults 20 / 100000 / 1000000; with --quick 3 / 5000 / 20000).
Results: printed, and written to var/bench/latest.json (and a timestamped copy).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from . import runner


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""


def _scale(args: argparse.Namespace) -> dict[str, int]:
    quick = {"wards": 3, "businesses": 5000, "inspections": 20000}
    full = {"wards": 20, "businesses": 100000, "inspections": 1000000}
    base = quick if args.quick else full
    return {k: int(os.environ.get(f"BENCH_{k.upper()}", v)) for k, v in base.items()}


def _vacuum() -> None:
    """A live database is vacuumed and analysed by autovacuum within minutes of a bulk load; do it
    before measuring, so the figures measure the plans (index-only scans) a running system gets.
    On a reused database this also clears what the last run left: its import figure inserts
    30,000 businesses and rolls them back, and until a vacuum their dead rows sit in the search
    index (the searched page took 4.7 ms of SQL rather than 1.1 ms)."""
    from django.db import connections

    with connections["default"].cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _seed(env: dict[str, str], scale: dict[str, int]) -> Figure | None:
    import django

    django.setup()
    from businesses.models import Business

    have = Business.objects.count()
    if have >= scale["businesses"]:
        print(f"Scale data present ({have} businesses); not re-seeding.", flush=True)
        _vacuum()
        return None
    from django.db import connections

    connections.close_all()
    seconds = runner.manage(
        "seed_demo",
        "--force",
        f"--wards={scale['wards']}",
        f"--businesses={scale['businesses']}",
        f"--inspections={scale['inspections']}",
        env=env,
    )
    _vacuum()
    target = 600.0
    command = " ".join(f"--{k} {v}" for k, v in scale.items())
    return Figure(
        f"seed_demo {command}",
        round(seconds, 1),
        "s",
        target=f"< {target:.0f} s",
        met=seconds < target,
    )


def _session_cookie() -> tuple[str, object, object]:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User

    user = User.objects.select_related("ward").get(username="officer1")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.WardModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}", user, user.ward


def paired_ratio(case: list[float], bare: list[float]) -> float:
    """The median of each run's ratio to the bare run just before it. On a shared machine the
    bare view's own rate moved by a third between cases of one run; a ratio of medians taken
    minutes apart carried that drift, each pair's ratio (seconds apart) mostly cancels it."""
    ratios = [c / b for c, b in zip(case, bare, strict=True) if b]
    return statistics.median(ratios) if ratios else 0.0


def _http_figures(server: runner.Server, cookie: str, ctx, args: argparse.Namespace) -> list[Figure]:
    from .cases import HTTP_CASES

    figures: list[Figure] = []
    bare_url = f"{server.base_url}/bench/bare/"
    runner.run_wrk(bare_url, cookie=cookie, duration=2)  # warm up every worker
    for case in HTTP_CASES:
        if args.only and args.only.lower() not in case.name.lower():
            continue
        path = case.path(ctx)
        if not path:
            figures.append(Figure(case.name, 0, "req/s", note="not available in this build"))
            continue
        url = server.base_url + path
        runner.run_wrk(url, cookie=cookie, duration=2)
        bare_runs, case_runs = [], []
        for _ in range(args.runs):  # interleaved so drift affects both alike
            bare_runs.append(runner.run_wrk(bare_url, cookie=cookie, duration=args.duration))
            case_runs.append(runner.run_wrk(url, cookie=cookie, duration=args.duration))
        bare_rps = statistics.median(r.rps for r in bare_runs)
        rps = statistics.median(r.rps for r in case_runs)
        p99 = statistics.median(r.p99_ms for r in case_runs)
        ratio = paired_ratio([r.rps for r in case_runs], [r.rps for r in bare_runs])
        met = ratio >= case.min_ratio and (case.max_p99_ms is None or p99 <= case.max_p99_ms)
        errors = sum(r.non_2xx + r.errors for r in case_runs)
        figures.append(
            Figure(
                case.name,
                round(rps, 1),
                "req/s",
                baseline=round(bare_rps, 1),
                baseline_name="bare 50-row view",
                ratio=round(ratio, 2),
                target=f"≥ {case.min_ratio}× bare",
                met=met and errors == 0,
                note=f"p99 {p99:.0f} ms (bare {statistics.median(r.p99_ms for r in bare_runs):.0f} ms)"
                + (f"; {errors} errors" if errors else ""),
            )
        )
        print(f"  {figures[-1].name}: {rps:.0f} req/s vs bare {bare_rps:.0f} -> {ratio:.2f}", flush=True)
    return figures


def _submission_figure(server: runner.Server, cookie: str, ctx, args: argparse.Namespace) -> Figure:
    """Inspection submissions per second (8 officers' phones at once) and their p99 latency."""
    from django.urls import reverse

    from businesses.models import Business

    from . import submit

    pks = list(
        Business.objects.filter(ward=ctx.ward, status="active")
        .order_by("pk")
        .values_list("pk", flat=True)[:8]
    )
    paths = [reverse("inspections:new") + f"?business={pk}" for pk in pks]
    submit.run(server.base_url, cookie, paths, seconds=2)  # warm up
    runs = [submit.run(server.base_url, cookie, paths, seconds=args.duration) for _ in range(args.runs)]
    rate = statistics.median(r.rate for r in runs)
    p99 = statistics.median(r.p99_ms for r in runs)
    errors = sum(r.errors for r in runs)
    note = f"p99 {p99:.0f} ms, median {statistics.median(r.median_ms for r in runs):.0f} ms"
    if errors:
        note += f"; {errors} errors ({next(r.first_error for r in runs if r.first_error)})"
    figure = Figure(
        "Inspection submission (CSRF + session, 8 at once)",
        round(rate, 1),
        "/s",
        target="≥ 30/s, p99 < 300 ms",
        met=rate >= 30 and p99 < 300 and not errors,
        note=note,
    )
    print(f"  {figure.name}: {rate:.1f}/s, {note}", flush=True)
    return figure


def _memory_figure(server: runner.Server, cookie: str, ctx, requests: int) -> Figure:
    """Every page of the HTTP cases in turn (dashboard, lists, form), as a ward's day mixes them:
    the dashboard alone served ~15 a second and made this the bench's longest step."""
    from .cases import HTTP_CASES

    paths = [p for c in HTTP_CASES if (p := c.path(ctx))] or ["/dashboard/"]
    url = server.base_url + paths[0]
    runner.run_wrk(url, cookie=cookie, duration=3, rotate=paths)
    before = max(runner.rss_mb(pid) for pid in server.worker_pids())
    served = 0
    while served < requests:
        result = runner.run_wrk(url, cookie=cookie, duration=5, rotate=paths)
        served += int(result.rps * 5)
    after = max(runner.rss_mb(pid) for pid in server.worker_pids())
    growth = after - before
    return Figure(
        f"Web worker RSS after {served:,} requests, {len(paths)} pages in turn".replace(",", "."),
        round(after, 1),
        "MB",
        baseline=round(before, 1),
        baseline_name="after warm-up",
        ratio=round(after / before, 2) if before else None,
        target="< 150 MB, growth < 10 MB",
        met=after < 150 and growth < 10,
        note=f"growth {growth:+.1f} MB",
    )


def _print_table(figures: list[Figure]) -> None:
    headers = ["figure", "median", "baseline", "ratio", "target", "met", "note"]
    rows = []
    for f in figures:
        rows.append(
            [
                f.name,
                f"{f.value:g} {f.unit}",
                f"{f.baseline:g} ({f.baseline_name})" if f.baseline is not None else "",
                f"{f.ratio:.2f}" if f.ratio is not None else "",
                f.target,
                {True: "yes", False: "NO", None: "–"}[f.met],
                f.note,
            ]
        )
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=False)]
    line = " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=False))
    print("\n" + line + "\n" + "-" * len(line))
    for row in rows:
        print(" | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=False)))


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="small scale, short runs (a smoke test)")
    parser.add_argument("--runs", type=int, default=None, help="runs per HTTP figure (median taken)")
    parser.add_argument("--duration", type=int, default=None, help="seconds per wrk run")
    parser.add_argument("--only", default="", help="only figures whose name contains this text")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    args = parser.parse_args()
    args.runs = args.runs or (1 if args.quick else 5)
    args.duration = args.duration or (3 if args.quick else 10)

    env = runner.env_for_bench()
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")})
    started = time.time()
    runner.ensure_database(env["DATABASE_URL"])
    runner.manage("migrate", "--noinput", "-v", "0", env=env)
    runner.manage("collectstatic", "--noinput", "-v", "0", env=env)
    figures: list[Figure] = []
    if seeded := _seed(env, _scale(args)):
        figures.append(seeded)

    from .cases import INPROC_CASES, BenchContext

    cookie, user, ward = _session_cookie()
    ctx = BenchContext(user=user, ward=ward)
    from django.db import connections

    connections.close_all()
    server = runner.start_gunicorn(env, workers=args.workers)
    try:
        figures += _http_figures(server, cookie, ctx, args)
        if not args.only or "submission" in args.only.lower():
            figures.append(_submission_figure(server, cookie, ctx, args))
        if not args.only or "memory" in args.only.lower():
            figures.append(_memory_figure(server, cookie, ctx, requests=2000 if args.quick else 10000))
    finally:
        server.stop()
    for case in INPROC_CASES:
        if args.only and args.only.lower() not in case.__name__.replace("_", " "):
            continue
        figures += case(ctx)

    _print_table(figures)
    out_dir = runner.ROOT / "var" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = {
        "started": datetime.fromtimestamp(started, UTC).isoformat(),
        "seconds": round(time.time() - started, 1),
        "args": vars(args),
        "figures": [asdict(f) for f in figures],
    }
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for name in ("latest.json", f"bench-{stamp}.json"):
        (out_dir / name).write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nWritten to var/bench/latest.json ({payload['seconds']} s).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
