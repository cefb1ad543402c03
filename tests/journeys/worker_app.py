"""The journeys' Celery worker: `celery -A tests.journeys.worker_app worker`, the project's app,
forgetting cached content types before each task (see tests/journeys/middleware.py)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.journeys.settings")

import django  # noqa: E402

django.setup()

from celery.signals import task_prerun  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402

from ward_police.celery import app  # noqa: E402


@task_prerun.connect
def forget_content_types(**kwargs) -> None:
    ContentType.objects.clear_cache()


__all__ = ["app"]
