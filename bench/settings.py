"""Settings for the benchmark server: production-like (DEBUG off, persistent connections),
plain HTTP on loopback, plus the bare baseline view."""

from ward_police.settings.base import *  # noqa: F403
from ward_police.settings.base import env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", default="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]  # testserver: in-process figures
ROOT_URLCONF = "bench.urls"
DATABASES["default"]["CONN_MAX_AGE"] = 600  # noqa: F405
STATIC_ROOT = VAR_DIR / "bench-static"  # noqa: F405
STORAGES = {  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
