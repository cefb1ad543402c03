"""The pipeline in-process (tasks run eagerly, as in the embedded default): one job per document
version, retries for transient errors only, readable failures, and the sweep that re-queues."""

import hashlib
from datetime import timedelta
from unittest import mock

import pytest
from django.http import Http404
from django.utils import timezone

from documents import services
from documents.models import DocumentJob, DocumentStatus
from documents.tasks import document_render_task

from . import kinds
from .factories import BusinessFactory
from .helpers import pdftotext

pytestmark = pytest.mark.django_db


def test_asking_twice_for_an_unchanged_record_gives_one_job_and_one_file(alice, ward_a, ask):
    first = ask(alice, ward_a.pk)
    second = ask(alice, ward_a.pk)
    assert first.pk == second.pk
    assert DocumentJob.objects.count() == 1
    job = DocumentJob.objects.get()
    assert job.status == DocumentStatus.DONE and job.progress == 100 and job.attempts == 1
    assert kinds.BEHAVIOUR["calls"] == 1, "the second request must not render again"
    with job.file.open("rb") as fh:
        data = fh.read()
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == job.checksum
    assert job.size == len(data)


def test_a_changed_record_gets_a_new_job(alice, ward_a, ask, tmp_path):
    first = ask(alice, ward_a.pk)
    ward_a.name = "Phường Điện Biên Phủ"
    ward_a.save()
    second = ask(alice, ward_a.pk)
    assert first.pk != second.pk
    # Both versions are kept: the earlier file still says what the record said then.
    first, second = DocumentJob.objects.get(pk=first.pk), DocumentJob.objects.get(pk=second.pk)
    assert (first.status, second.status) == (DocumentStatus.DONE, DocumentStatus.DONE)
    assert kinds.BEHAVIOUR["calls"] == 2
    assert "Phường Điện Biên Phủ" not in pdftotext(first.file.open("rb").read(), tmp_path)
    assert "Về việc thử nghiệm tại Phường Điện Biên Phủ" in pdftotext(second.file.open("rb").read(), tmp_path)


def test_a_user_may_not_ask_for_another_wards_record(bob, ward_a, ask):
    with pytest.raises(Http404):
        ask(bob, ward_a.pk)
    assert not DocumentJob.objects.exists()


def test_unknown_kinds_and_missing_records_are_404(alice, ask):
    with pytest.raises(Http404):
        ask(alice, 1, kind="no-such-kind")
    with pytest.raises(Http404):
        ask(alice, 987654)


def test_a_transient_failure_is_retried_and_the_document_completes(alice, ward_a, ask):
    kinds.BEHAVIOUR["transient_failures"] = 1
    ask(alice, ward_a.pk)
    job = DocumentJob.objects.get()
    assert job.status == DocumentStatus.DONE
    assert job.attempts == 2
    assert job.error == ""
    assert kinds.BEHAVIOUR["calls"] == 2


def test_transient_failures_stop_after_the_attempt_cap_with_a_readable_message(alice, ward_a, ask, settings):
    settings.DOCUMENT_MAX_ATTEMPTS = 3
    kinds.BEHAVIOUR["transient_failures"] = 10
    ask(alice, ward_a.pk)
    job = DocumentJob.objects.get()
    assert job.status == DocumentStatus.FAILED
    assert job.attempts == 3
    assert kinds.BEHAVIOUR["calls"] == 3
    assert job.error == "Không tạo được tài liệu sau 3 lần thử. Vui lòng yêu cầu lại sau."
    assert not job.file


def test_a_permanent_failure_is_not_retried_and_keeps_its_message(alice, ward_a, ask):
    kinds.BEHAVIOUR["permanent"] = "Biên bản chưa được ký, không thể in."
    ask(alice, ward_a.pk)
    job = DocumentJob.objects.get()
    assert job.status == DocumentStatus.FAILED
    assert job.attempts == 1 and kinds.BEHAVIOUR["calls"] == 1
    assert job.error == "Biên bản chưa được ký, không thể in."


def test_an_unexpected_error_fails_with_a_message_that_leaks_no_internals(alice, ward_a, ask):
    with mock.patch("documents.services.render_pdf", side_effect=KeyError("secret_column")):
        ask(alice, ward_a.pk)
    job = DocumentJob.objects.get()
    assert job.status == DocumentStatus.FAILED
    assert "secret_column" not in job.error and job.error


def test_asking_again_after_a_failure_retries_the_same_job(alice, ward_a, ask):
    kinds.BEHAVIOUR["permanent"] = "Thiếu dữ liệu."
    first = ask(alice, ward_a.pk)
    kinds.BEHAVIOUR["permanent"] = None
    second = ask(alice, ward_a.pk)
    assert first.pk == second.pk
    job = DocumentJob.objects.get()
    assert job.status == DocumentStatus.DONE and job.error == "" and job.attempts == 1


def test_when_the_broker_is_down_the_job_waits_and_the_sweep_queues_it_later(alice, ward_a, ask):
    with mock.patch.object(document_render_task, "apply_async", side_effect=OSError("Connection refused")):
        job = ask(alice, ward_a.pk)
    job.refresh_from_db()
    assert job.status == DocumentStatus.QUEUED and job.enqueued_at is None
    assert services.document_jobs_sweep() == 1
    job.refresh_from_db()
    assert job.status == DocumentStatus.DONE


def test_asking_again_while_the_broker_was_down_tries_to_queue_again(alice, ward_a, ask):
    with mock.patch.object(document_render_task, "apply_async", side_effect=OSError("Connection refused")):
        ask(alice, ward_a.pk)
    ask(alice, ward_a.pk)
    assert DocumentJob.objects.get().status == DocumentStatus.DONE


def test_the_sweep_requeues_a_render_whose_worker_died_and_leaves_fresh_jobs_alone(alice, ward_a, settings):
    dead = DocumentJob.objects.create(
        kind=kinds.SHEET,
        object_id=ward_a.pk,
        ward=ward_a,
        version="old",
        title="t",
        filename="a.pdf",
        status=DocumentStatus.RENDERING,
        attempts=1,
        task_id="lost",
        lease_expires_at=timezone.now() - timedelta(seconds=1),
        enqueued_at=timezone.now() - timedelta(hours=1),
    )
    fresh = DocumentJob.objects.create(
        kind=kinds.SHEET,
        object_id=ward_a.pk,
        ward=ward_a,
        version="new",
        title="t",
        filename="b.pdf",
        enqueued_at=timezone.now(),
    )
    with mock.patch.object(document_render_task, "apply_async") as publish:
        assert services.document_jobs_sweep() == 1
    publish.assert_called_once()
    assert publish.call_args.kwargs["args"] == [dead.pk]
    dead.refresh_from_db()
    fresh.refresh_from_db()
    assert dead.status == DocumentStatus.QUEUED and fresh.status == DocumentStatus.QUEUED


def _rendering_job(ward, *, task_id, lease_seconds):
    return DocumentJob.objects.create(
        kind=kinds.SHEET,
        object_id=ward.pk,
        ward=ward,
        version="v",
        title="t",
        filename="a.pdf",
        status=DocumentStatus.RENDERING,
        attempts=1,
        task_id=task_id,
        lease_expires_at=timezone.now() + timedelta(seconds=lease_seconds),
    )


def test_a_duplicate_message_leaves_a_live_render_alone(ward_a):
    job = _rendering_job(ward_a, task_id="first", lease_seconds=300)
    assert services.document_job_render(job_id=job.pk, task_id="duplicate") is None
    job.refresh_from_db()
    assert job.status == DocumentStatus.RENDERING and job.task_id == "first"


def test_the_redelivered_message_of_a_killed_worker_takes_over_and_stores_one_file(ward_a, media_root):
    job = _rendering_job(ward_a, task_id="same-message", lease_seconds=300)
    done = services.document_job_render(job_id=job.pk, task_id="same-message")
    assert done.status == DocumentStatus.DONE and done.attempts == 2
    again = services.document_job_render(job_id=job.pk, task_id="same-message")
    assert again is None, "a finished job is never rendered again"
    files = [p for p in media_root.rglob("*") if p.is_file()]
    assert len(files) == 1 and files[0].name == "a.pdf"


def test_a_rerender_overwrites_the_file_instead_of_adding_a_second_one(ward_a, media_root):
    job = _rendering_job(ward_a, task_id="one", lease_seconds=-1)
    (media_root / "documents" / str(ward_a.pk) / str(job.pk)).mkdir(parents=True)
    (media_root / "documents" / str(ward_a.pk) / str(job.pk) / "a.pdf").write_bytes(b"half-written")
    done = services.document_job_render(job_id=job.pk, task_id="two")
    assert done.file.name == f"documents/{ward_a.pk}/{job.pk}/a.pdf"
    files = [p for p in media_root.rglob("*") if p.is_file()]
    assert len(files) == 1 and files[0].read_bytes().startswith(b"%PDF")


def test_business_history_is_requested_scoped_and_rendered(alice, ward_a, ask):
    business = BusinessFactory(ward=ward_a, name="Nhà nghỉ Hùng Vương")
    job = ask(alice, business.pk, kind="business-history")
    job.refresh_from_db()
    assert job.status == DocumentStatus.DONE
    assert job.filename == f"ho-so-co-so-{business.pk}-nha-nghi-hung-vuong.pdf"
    assert job.ward == ward_a and job.title == "Hồ sơ cơ sở kinh doanh"
    assert ask(alice, business.pk, kind="business-history").pk == job.pk
    business.owner_phone = "0987654321"
    business.save()
    assert ask(alice, business.pk, kind="business-history").pk != job.pk


def test_time_limits_are_below_the_visibility_timeout(settings):
    from django.core.checks import run_checks

    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > settings.CELERY_TASK_TIME_LIMIT
    assert not [e for e in run_checks() if e.id == "documents.E001"]
    settings.CELERY_TASK_TIME_LIMIT = 4000
    assert [e for e in run_checks() if e.id == "documents.E001"]


def test_the_render_task_acknowledges_late_and_the_sweep_is_scheduled(settings):
    from ward_police.celery import app

    assert document_render_task.acks_late and document_render_task.reject_on_worker_lost
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.result_backend == "django-db"
    schedule = app.conf.beat_schedule["documents-sweep"]
    assert schedule["task"] == "documents.tasks.document_jobs_sweep_task"
