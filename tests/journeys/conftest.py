"""The journeys' stack: gunicorn and a Celery worker, real processes on PostgreSQL and Redis.

One gunicorn (bound to 127.0.0.1 on a free port) and one Celery worker are started once per
session against pytest-django's test database, and stopped before that database is dropped.
Each journey is a transactional test: what its factories write is committed, so the web and
worker processes see it, and the database is emptied after it. Without PostgreSQL and Redis
(DATABASE_URL, CELERY_BROKER_URL / REDIS_URL, as .ci/run sets them) the journeys are skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import environ
import pytest

from tests import htmlcheck
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.faults.processes import BIN, ROOT, Browser, free_port

OFFICER_PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def _broker_url() -> str:
    return os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL", "")


def _missing() -> str | None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return "journeys run gunicorn and a Celery worker on PostgreSQL: set DATABASE_URL=postgres://…"
    if not _broker_url().startswith("redis"):
        return "journeys run a Celery worker on Redis: set CELERY_BROKER_URL (or REDIS_URL)=redis://…"
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        return f"Chromium not installed at {CHROMIUM}"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    if reason is None:
        return
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here:
            if os.environ.get("CI"):
                raise pytest.UsageError(f"journeys cannot run in CI: {reason}")
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


class Stack:
    def __init__(self, base_url: str, media_root: Path, env: dict[str, str], logs: Path):
        self.base_url = base_url
        self.media_root = media_root
        self.env = env
        self.logs = logs
        self.processes: list[subprocess.Popen] = []

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def output(self) -> str:
        return "\n".join(
            f"== {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in self.logs.glob("*.log")
        )

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, 15)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, 9)
                    process.wait()


def _clear_cache(url: str) -> None:
    """Empties the stack's cache (published checklists, roles…): what a journey's factories
    wrote straight to the database must not meet an earlier journey's cached rows."""
    import redis

    client = redis.Redis.from_url(url)
    # Django's keys are "<prefix>:<version>:<key>" with an empty prefix; Celery's keys never
    # start with a colon, so a queued task survives.
    keys = list(client.scan_iter(":*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(scope="session")
def stack(django_db_setup, django_db_blocker, tmp_path_factory):
    reason = _missing()
    if reason:
        pytest.skip(reason)
    from django.db import connection

    with django_db_blocker.unblock():
        db = connection.settings_dict
        database_url = (
            f"postgres://{db['USER']}{':' + db['PASSWORD'] if db.get('PASSWORD') else ''}"
            f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    broker = _broker_url()
    cache_url = broker
    _clear_cache(cache_url)
    logs = tmp_path_factory.mktemp("journey-logs")
    pages = tmp_path_factory.mktemp("journey-pages")
    media_root = tmp_path_factory.mktemp("journey-media")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("PYTEST") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tests.journeys.settings",
        DEBUG="false",
        SECRET_KEY="journeys-only-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=broker,
        CACHE_URL=cache_url,
        MEDIA_ROOT=str(media_root),
        PUBLIC_BASE_URL=base_url,
        SITE_BASE_URL=base_url,
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
        # Every page gunicorn serves is kept for the Nu Html Checker (tests/htmlcheck.py).
        HTML_CHECK_DIR=str(pages),
        JINJA2_STRICT="true",
    )
    server = Stack(base_url, media_root, env, logs)
    server.processes.append(
        subprocess.Popen(
            [str(BIN / "gunicorn"), "ward_police.wsgi:application", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "2", "--threads", "2", "--timeout", "60", "--log-level", "warning"],
            cwd=ROOT,
            env=env,
            stdout=(logs / "gunicorn.log").open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    )
    server.processes.append(
        subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "tests.journeys.worker_app",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
            ]
            + ["--pool=prefork", "-n", f"journeys-{port}@%h", "--without-gossip", "--without-mingle"],
            cwd=ROOT,
            env=env,
            stdout=(logs / "worker.log").open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if any(p.poll() is not None for p in server.processes):
                raise RuntimeError(f"the journey stack exited:\n{server.output()}")
            try:
                if Browser(base_url, timeout=2).get("/healthz/").status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer /healthz/ within 60 s:\n{server.output()}")
            time.sleep(0.3)
        yield server
    finally:
        # Before pytest-django drops the test database: it refuses while connections are open.
        server.stop()


@pytest.fixture
def journey(stack, transactional_db, settings, request, html_checker):
    """A journey's server, with its data committed where gunicorn and the worker see it. Every
    page it served is then checked by the Nu Html Checker."""
    _clear_cache(stack.env["CACHE_URL"])
    # What the journey's factories write bumps the versions of the reference data that gunicorn
    # keeps in the stack's Redis (ward_police/refdata.py): this process uses that cache too.
    settings.CACHES = {"default": environ.Env.cache_url_config(stack.env["CACHE_URL"])}
    settings.MEDIA_ROOT = stack.media_root
    settings.PUBLIC_BASE_URL = stack.base_url
    pages_dir = Path(stack.env["HTML_CHECK_DIR"])
    htmlcheck.pages_in(pages_dir)  # forget what an earlier journey left
    yield stack
    if getattr(request.node, "journey_failed", False):
        print(stack.output())
    pages = htmlcheck.pages_in(pages_dir)
    if html_checker is not None:
        assert pages, "the journey opened no page for the Nu Html Checker"
        errors = html_checker.report(pages)
        if errors:
            pytest.fail("The Nu Html Checker found errors:\n" + "\n".join(errors), pytrace=False)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.journey_failed = report.failed
    return report


@pytest.fixture
def new_page(browser, request, tmp_path):
    """new_page(**context_args): a page in a fresh browser context (its own cookies). When the
    journey fails, each page's last screen is kept next to the test's files."""
    contexts = []

    def make(**args):
        context = browser.new_context(**args)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for n, context in enumerate(contexts):
        if getattr(request.node, "journey_failed", False):
            for m, page in enumerate(context.pages):
                page.screenshot(path=tmp_path / f"failed-{n}-{m}.png", full_page=True)
                (tmp_path / f"failed-{n}-{m}.html").write_text(page.content())
                print(f"journey screen kept: {tmp_path}/failed-{n}-{m}.png ({page.url})")
        context.close()
