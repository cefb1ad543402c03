"""Settings of the journeys' gunicorn and Celery worker: the embedded settings (ward_police.settings.dev,
DEBUG off from the environment), told about the fast hasher that the test process's factories
use for passwords (ward_police.settings.test), so the people they make can log in."""

from django.conf import global_settings

from ward_police.settings.dev import *  # noqa: F403

PASSWORD_HASHERS = [*global_settings.PASSWORD_HASHERS, "django.contrib.auth.hashers.MD5PasswordHasher"]
