"""Settings of the journeys' gunicorn and Celery worker: the embedded settings (ward_police.settings.dev,
DEBUG off from the environment), told about the fast hasher that the test process's factories
use for passwords (ward_police.settings.test), so the people they make can log in, and
forgetting cached content types before each request (tests/journeys/middleware.py)."""

from django.conf import global_settings

from ward_police.settings.dev import *  # noqa: F403
from ward_police.settings.dev import MIDDLEWARE

PASSWORD_HASHERS = [*global_settings.PASSWORD_HASHERS, "django.contrib.auth.hashers.MD5PasswordHasher"]

# Between journeys the database is emptied and its content types made again with new ids.
MIDDLEWARE = ["tests.journeys.middleware.ForgetContentTypesMiddleware", *MIDDLEWARE]
# Each page served is kept for the Nu Html Checker (tests/htmlcheck.py; HTML_CHECK_DIR set by the stack).
MIDDLEWARE = ["tests.htmlcheck.RecordPagesMiddleware", *MIDDLEWARE]
