"""The Celery app as a test worker runs it: `celery -A tests.documents.worker_app worker`.

The project's app, pointed by the environment at the test database and a throwaway Redis, with
the test-only document kinds registered and tasks really sent to the broker (test settings
otherwise run them in-process)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ward_police.settings.test")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

if os.environ.get("DOCUMENT_TEST_MEDIA_ROOT"):
    settings.MEDIA_ROOT = os.environ["DOCUMENT_TEST_MEDIA_ROOT"]
django.setup()

from tests.documents import kinds  # noqa: E402
from ward_police.celery import app  # noqa: E402

app.conf.task_always_eager = False
kinds.register_test_kinds()

__all__ = ["app"]
