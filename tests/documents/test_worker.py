"""The pipeline with a real Celery worker on a real Redis: crashes and outages lose nothing.

Each test starts its own throwaway redis-server (it is stopped in one test; the shared Redis is
never touched) and `celery -A tests.documents.worker_app worker -B` subprocesses that use the
test database. SQLite's test database lives in memory, out of a worker's reach: these tests run
on PostgreSQL (CI does)."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from documents.models import DocumentJob, DocumentStatus

from . import kinds

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="a worker subprocess cannot reach SQLite's in-memory test database; run with DATABASE_URL=postgres://…",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.dir = tmp_path
        self.process = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        exe = shutil.which("redis-server")
        self.process = subprocess.Popen(
            [
                exe,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing; .ci/run installs it")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def worker_env(redis_server, media_root, tmp_path):
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DJANGO_SETTINGS_MODULE="ward_police.settings.test",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        CELERY_BROKER_URL=redis_server.url,
        DOCUMENT_TEST_MEDIA_ROOT=str(media_root),
        # Short limits so a lost message comes back within seconds (they keep their order:
        # soft < hard < visibility timeout).
        CELERY_VISIBILITY_TIMEOUT="12",
        CELERY_TASK_TIME_LIMIT="8",
        CELERY_TASK_SOFT_TIME_LIMIT="6",
        DOCUMENT_LEASE_MARGIN="1",
        DOCUMENT_SWEEP_INTERVAL="1",
        DOCUMENT_REQUEUE_AFTER="5",
        DOCUMENT_TEST_SLEEP="0",
        PYTHONPATH=str(ROOT),
    )
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


class Worker:
    def __init__(self, env: dict, tmp_path: Path, name: str):
        self.env = env
        self.log = tmp_path / f"{name}.log"
        self.schedule = tmp_path / f"{name}-beat"
        self.name = name
        self.process = None

    def start(self) -> "Worker":
        self.process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "tests.documents.worker_app",
                "worker",
                "-B",
                "-s",
                str(self.schedule),
                "--loglevel=INFO",
                "--concurrency=1",
                "--pool=prefork",
                "-n",
                f"{self.name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: SIGKILL reaches the pool children too
        )
        return self

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@pytest.fixture
def start_worker(worker_env, tmp_path):
    started = []

    def start(name="w1", **env):
        worker = Worker({**worker_env, **env}, tmp_path, f"{name}-{len(started)}").start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@contextmanager
def publishing_to(url: str):
    """Make this test process send tasks to `url` instead of running them in-process."""
    from ward_police.celery import app

    def reset():
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.__dict__.get("amqp") and setattr(app.amqp, "_producer_pool", None)

    saved = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager, app.conf.broker_url = False, url
    reset()
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.broker_url = saved
        reset()


def wait_for(predicate, *, timeout: float, what: str, worker: Worker | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout}s waiting for {what}\n" + (worker.output() if worker else ""))


def job_files(media_root: Path, job: DocumentJob) -> list[Path]:
    return [p for p in (media_root / "documents").rglob("*") if p.is_file() and p.parent.name == str(job.pk)]


@pytest.fixture
def request_sheet(alice, redis_server):
    """Ask for the test kind as a feature app's POST endpoint does (alice, committed, to Redis)."""
    from django.test import RequestFactory

    from documents.views import request_document

    def request_sheet(ward):
        request = RequestFactory().post("/")
        request.user = alice
        with publishing_to(redis_server.url):
            return request_document(request, kind=kinds.SHEET, object_id=ward.pk)

    return request_sheet


def test_the_same_request_twice_makes_one_job_and_one_file(
    request_sheet, start_worker, ward_a, alice, media_root, client
):
    worker = start_worker()
    first = request_sheet(ward_a)
    second = request_sheet(ward_a)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    job = wait_for(
        lambda: DocumentJob.objects.filter(status=DocumentStatus.DONE).first(),
        timeout=60,
        what="the document",
        worker=worker,
    )
    assert DocumentJob.objects.count() == 1 and job.attempts == 1
    assert len(job_files(media_root, job)) == 1
    client.force_login(alice)
    response = client.get(reverse("documents:detail", args=[job.pk]), HTTP_ACCEPT="application/json")
    assert response.json()["status"] == "done"


def test_a_worker_killed_mid_render_leaves_exactly_one_document_after_restart(
    request_sheet, start_worker, ward_a, media_root
):
    import hashlib

    first = start_worker("doomed", DOCUMENT_TEST_SLEEP="4")
    request_sheet(ward_a)
    job = wait_for(
        lambda: DocumentJob.objects.filter(status=DocumentStatus.RENDERING).first(),
        timeout=60,
        what="the render to start",
        worker=first,
    )
    first.kill()  # SIGKILL to the whole worker, pool child included: no chance to clean up
    job.refresh_from_db()
    assert job.status == DocumentStatus.RENDERING and not job_files(media_root, job)

    second = start_worker("restarted", DOCUMENT_TEST_SLEEP="1")
    done = wait_for(
        lambda: DocumentJob.objects.filter(pk=job.pk, status=DocumentStatus.DONE).first(),
        timeout=90,
        what="the document after the restart",
        worker=second,
    )
    files = job_files(media_root, done)
    assert len(files) == 1
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == done.checksum
    assert done.attempts == 2 and DocumentJob.objects.count() == 1
    # Give a late duplicate delivery (the restored message or the sweep's) time to run: still one file.
    time.sleep(3)
    assert len(job_files(media_root, done)) == 1
    assert DocumentJob.objects.get(pk=job.pk).checksum == done.checksum


def test_a_pool_process_killed_mid_render_is_redelivered_at_once(
    request_sheet, start_worker, ward_a, media_root
):
    worker = start_worker("pool", DOCUMENT_TEST_SLEEP="3")
    request_sheet(ward_a)
    job = wait_for(
        lambda: DocumentJob.objects.filter(status=DocumentStatus.RENDERING).exclude(worker="").first(),
        timeout=60,
        what="the render to start",
        worker=worker,
    )
    child_pid = int(job.worker.rsplit(" ", 1)[1])
    os.kill(child_pid, signal.SIGKILL)
    done = wait_for(
        lambda: DocumentJob.objects.filter(pk=job.pk, status=DocumentStatus.DONE).first(),
        timeout=60,
        what="the redelivered render",
        worker=worker,
    )
    assert done.attempts == 2 and len(job_files(media_root, done)) == 1


def test_when_redis_is_down_the_page_works_and_the_job_completes_once_redis_is_back(
    client, alice, redis_server, start_worker, ward_a, media_root
):
    from tests.documents.factories import BusinessFactory

    worker = start_worker()
    business = BusinessFactory(ward=ward_a)
    redis_server.stop()
    client.force_login(alice)
    started = time.monotonic()
    with publishing_to(redis_server.url):
        response = client.post(reverse("business_documents:history_pdf", args=[business.pk]))
    assert response.status_code == 302
    assert time.monotonic() - started < 10, "a broker outage must not keep the person waiting"
    job = DocumentJob.objects.get()
    assert job.status == DocumentStatus.QUEUED and job.enqueued_at is None
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Đang chờ" in page.content.decode()

    redis_server.start()
    done = wait_for(
        lambda: DocumentJob.objects.filter(pk=job.pk, status=DocumentStatus.DONE).first(),
        timeout=120,
        what="the document once Redis is back",
        worker=worker,
    )
    assert len(job_files(media_root, done)) == 1
    assert "Tải tệp PDF" in client.get(response["Location"]).content.decode()


def test_a_long_campaign_report_renders_its_chunks_side_by_side_in_a_prefork_worker(
    client, lena, ward_a, redis_server, start_worker, media_root
):
    """A prefork pool process is daemonic: the report's own render processes must start there."""
    import re

    from campaigns.documents import CAMPAIGN_REPORT
    from tests.businesses.factories import BusinessFactory
    from tests.campaigns.factories import active_campaign
    from tests.factories import StreetFactory

    from .helpers import pdftotext

    street = StreetFactory(ward=ward_a, name="Lê Trực")
    names = [f"Cửa hàng số {n:02d}" for n in range(1, 14)]
    campaign = active_campaign(
        leader=lena, targets=[BusinessFactory(ward=ward_a, street=street, name=name) for name in names]
    )
    worker = start_worker(
        "report",
        DOCUMENT_CHUNK_ROWS="4",  # the report and 4 chunks of its list
        CELERY_VISIBILITY_TIMEOUT="120",
        CELERY_TASK_TIME_LIMIT="90",
        CELERY_TASK_SOFT_TIME_LIMIT="80",
    )
    client.force_login(lena)
    with publishing_to(redis_server.url):
        assert client.post(reverse("campaigns:report", args=[campaign.pk])).status_code == 302
    job = wait_for(
        lambda: DocumentJob.objects.filter(kind=CAMPAIGN_REPORT, status=DocumentStatus.DONE).first(),
        timeout=120,
        what="the campaign report",
        worker=worker,
    )
    assert job.attempts == 1 and "daemonic" not in worker.output()
    (path,) = job_files(media_root, job)
    text = pdftotext(path)
    assert re.findall(r"Cửa hàng số \d\d", text) == names
    # The campaign is still under way: its report is a draft, without a number (#25.5).
    assert "DỰ THẢO" in text and "/BC-" not in text and "CÔNG AN PHƯỜNG ĐIỆN BIÊN" in text
