"""Production settings: refuse to start without a real SECRET_KEY and ALLOWED_HOSTS."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env


def _required(name: str) -> str:
    value = env.str(name, default="").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set. Production settings need {name} in the environment "
            f"(see .env.example); refusing to start."
        )
    return value


DEBUG = False
SECRET_KEY = _required("SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters; refusing to start.")
ALLOWED_HOSTS = [h.strip() for h in _required("ALLOWED_HOSTS").split(",") if h.strip()]
# No demo certificates in production: a ward signs with the certificate installed for it (#29).
SIGNING_DEMO_CERTIFICATES = env.bool("SIGNING_DEMO_CERTIFICATES", default=False)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Reference data (roles, a ward's places, checklists) is kept in the cache and invalidated by the
# process that writes it (ward_police/refdata.py): with a Celery worker beside the web processes,
# a cache in each process's memory would let one serve what another changed. Unless CACHE_URL
# names one, the broker's Redis is the shared cache (Django's keys start with ":", Celery's never).
if not env.str("CACHE_URL", default="") and CELERY_BROKER_URL.startswith(("redis://", "rediss://")):  # noqa: F405
    CACHES = {"default": env.cache_url_config(CELERY_BROKER_URL)}  # noqa: F405
