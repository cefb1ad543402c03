import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ward_police.settings.dev")

app = Celery("ward_police")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
