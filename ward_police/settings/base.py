"""Settings shared by every run mode.

Everything that differs between machines comes from the environment (see .env.example).
With nothing set, the project runs in the embedded default: SQLite under var/, Celery tasks
in-process, media under var/media.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    env.read_env(str(env_file))

DEBUG = env.bool("DEBUG", default=False)
# Only the embedded default and tests may run without a SECRET_KEY; production.py refuses.
SECRET_KEY = env.str("SECRET_KEY", default="dev-insecure-key-change-me-not-for-production-0123456789")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ward_police.third_party.AxesConfig",
    "django_otp",
    "ward_police.third_party.OtpTotpConfig",
    "ward_police.third_party.OtpStaticConfig",
    "csp",
    "django_htmx",
    "ward_police.third_party.CeleryResultsConfig",
    "pgtrigger",
    "pghistory",
    # project apps, in dependency order (each may import only those above it)
    "wards",
    "accounts",
    "documents",
    "businesses",
    "violations",
    "inspections",
    "campaigns",
    "criteria",
    "dashboards",
    "ward_police",
]

# Reads change no audited row: the audit context (one set_config prepended to every statement)
# is attached to writing requests only.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ward_police.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Audit context (user, URL) for django-pghistory; a no-op on SQLite.
    "violations.audit.HistoryMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.OTPStepMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # NUL refused, text normalised to NFC, before any view (or the CSRF check) reads the form.
    "ward_police.middleware.InputGuardMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # AxesMiddleware must be last: it turns a lockout signal into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ward_police.urls"
WSGI_APPLICATION = "ward_police.wsgi.application"

_CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.template.context_processors.i18n",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "csp.context_processors.nonce",
    "accounts.context_processors.navigation",
    "inspections.context_processors.offline",
]
# Site pages are Jinja2 templates in jinja2/ (ward_police/jinja_env.py, docs/rendering-and-caching.md);
# printed documents (templates/**/*_pdf.html) and the Django admin stay on Django templates. A name is
# looked up in jinja2/ first, then templates/.
JINJA2_STRICT = env.bool("JINJA2_STRICT", default=False)
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "ward_police.jinja_env.environment",
            "context_processors": _CONTEXT_PROCESSORS,
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": _CONTEXT_PROCESSORS},
    },
]

# --- database -------------------------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
# Keep connections open between requests: a new PostgreSQL connection per request cut
# throughput to 0.4x in measurements. Health checks drop connections that died meanwhile.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has no use for persistent connections across threads of the dev server.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # QuerySet.iterator(), which every model select reads its choices with, opens a server-side
    # cursor on PostgreSQL: DECLARE, FETCH, CLOSE and a WITH HOLD copy at commit, three round
    # trips for a ward's few hundred streets (1.5–2 ms of a list page's ~40 ms). Off, it is one
    # ordinary query whose rows the driver holds; the largest iterations (a ward's export, the
    # register's XLSX) hold a few MB that way.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.WardModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Brute-force lockout. Officers of one station share its public IP, so a lockout by IP alone
# would shut the whole station out; lock the (username, IP) pair instead.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=6)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0)

# Two-step verification (TOTP app + backup codes): optional for everyone; required for
# administrators when OTP_REQUIRED_FOR_ADMINS is on.
OTP_REQUIRED_FOR_ADMINS = env.bool("OTP_REQUIRED_FOR_ADMINS", default=False)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Công an phường")

# Idle timeout (a phone left on a café table) and absolute timeout (one working day).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_HOURS", default=12) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- language, time -------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# Widgets through Django's Jinja2 templates (ward_police/form_renderer.py).
FORM_RENDERER = "ward_police.form_renderer.SiteFormRenderer"
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# dd/mm/yyyy everywhere, whatever the active language says.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"]
FORMAT_MODULE_PATH = ["ward_police.formats"]

# --- static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# Without a broker (embedded default) tasks run in-process, synchronously.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# An unacknowledged message goes back to the queue after the visibility timeout, so every time
# limit below must be shorter: a task still running then would be delivered a second time.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_TASK_TIME_LIMIT = env.int(
    "CELERY_TASK_TIME_LIMIT", default=min(360, CELERY_VISIBILITY_TIMEOUT * 3 // 4)
)
CELERY_TASK_SOFT_TIME_LIMIT = env.int(
    "CELERY_TASK_SOFT_TIME_LIMIT", default=max(1, CELERY_TASK_TIME_LIMIT * 5 // 6)
)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Results and task states live in PostgreSQL (django-celery-results), so they survive a Redis restart.
CELERY_RESULT_EXPIRES = timedelta(days=7)
CELERY_TASK_TRACK_STARTED = True
CELERY_WORKER_SEND_TASK_EVENTS = False
# `make beat` runs these; the sweep re-enqueues document jobs whose message was lost (Redis down
# when asked, a worker killed mid-render, Redis restarted without persistence).
DOCUMENT_SWEEP_INTERVAL = env.int("DOCUMENT_SWEEP_INTERVAL", default=60)
CELERY_BEAT_SCHEDULE = {
    "documents-sweep": {
        "task": "documents.tasks.document_jobs_sweep_task",
        "schedule": DOCUMENT_SWEEP_INTERVAL,
        "options": {"expires": DOCUMENT_SWEEP_INTERVAL},
    },
    # Each officer's and leader's deadlines by e-mail, once a day (only when EMAIL_URL is set).
    "notifications-digest": {
        "task": "dashboards.tasks.notifications_digest_task",
        "schedule": crontab(hour=env.int("NOTIFICATIONS_DIGEST_HOUR", default=7), minute=0),
        "options": {"expires": 6 * 3600},
    },
}

# --- deadline notifications (dashboards/selectors_my.py) -------------------------------------
# Citizen feedback should get a first answer within this many days of arriving: the ward's own
# service target (no statute sets one for feedback sent from a business's public page).
FEEDBACK_RESPONSE_DAYS = env.int("FEEDBACK_RESPONSE_DAYS", default=7)
# E-mail (the daily digest) goes through Django's e-mail backend only when EMAIL_URL is set,
# e.g. smtp+tls://user:password@mail.example.gov.vn:587; without it the digest is not sent.
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
NOTIFICATIONS_EMAIL = bool(EMAIL_URL)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="no-reply@localhost")

# --- documents (PDF rendering) --------------------------------------------------------------
# Each delivery of a render that starts counts as an attempt; after this many the job fails.
DOCUMENT_MAX_ATTEMPTS = env.int("DOCUMENT_MAX_ATTEMPTS", default=3)
# A queued job older than this is put on the queue again by the sweep (duplicates are harmless).
DOCUMENT_REQUEUE_AFTER = env.int("DOCUMENT_REQUEUE_AFTER", default=300)
# A render's claim on its job lasts the hard time limit plus this margin (seconds); after that the
# sweep treats the worker as dead and queues the job again.
DOCUMENT_LEASE_MARGIN = env.int("DOCUMENT_LEASE_MARGIN", default=30)
# Long tables (the campaign report's list of businesses) are rendered in chunks side by side:
# at most this many processes per document (and never more than the cores available), each
# holding one chunk of DOCUMENT_CHUNK_ROWS rows in memory.
DOCUMENT_RENDER_PROCESSES = env.int("DOCUMENT_RENDER_PROCESSES", default=2)
DOCUMENT_CHUNK_ROWS = env.int("DOCUMENT_CHUNK_ROWS", default=125)

# --- offline inspections ---------------------------------------------------------------------
# A phone keeps sent inspections' summaries and the form pages it cached at most this many days
# (queued, unsent inspections are never dropped without the officer's say).
INSPECTIONS_OFFLINE_KEEP_DAYS = env.int("INSPECTIONS_OFFLINE_KEEP_DAYS", default=7)
# Opening an active campaign online keeps its board and the inspection forms of the officer's own
# targets not inspected yet, at most this many forms per campaign; a phone keeps at most
# INSPECTIONS_OFFLINE_MAX_PAGES pages in all (the oldest go first).
CAMPAIGNS_OFFLINE_MAX_TARGETS = env.int("CAMPAIGNS_OFFLINE_MAX_TARGETS", default=30)
INSPECTIONS_OFFLINE_MAX_PAGES = env.int("INSPECTIONS_OFFLINE_MAX_PAGES", default=100)

# --- security headers that hold in every mode -----------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "security": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Demo data (seed_demo)
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="DienBien@2021")

# --- public pages (QR posters) ----------------------------------------------------------------
# The address printed in posters' QR codes: the site as citizens reach it from the internet.
# Unless set, the address `make run` serves (SERVED_URL, from its HOST and PORT), so a poster printed
# from `make run PORT=8101` points to the running site.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default=env.str("SERVED_URL", default="http://127.0.0.1:8000"))
# Throttles of the public pages and their short-lived cache need one cache shared by every web
# process: CACHE_URL=redis://127.0.0.1:6379/1 in production (local memory by default).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# The staff site's address, for links in e-mails (the same site as the public pages by default).
SITE_BASE_URL = env.str("SITE_BASE_URL", default=PUBLIC_BASE_URL)

# --- digital signatures of official documents (#29, documents/signing.py) ------------------------
# A PKCS#12 file (key + certificate + CA chain) the ward police signs with, unless a certificate
# is uploaded for the ward in the admin. SIGNING_PKCS12_WARD: the code of the ward it belongs to
# (empty: every ward without its own uploaded certificate).
SIGNING_PKCS12_PATH = env.str("SIGNING_PKCS12_PATH", default="")
SIGNING_PKCS12_PASSWORD = env.str("SIGNING_PKCS12_PASSWORD", default="")
SIGNING_PKCS12_WARD = env.str("SIGNING_PKCS12_WARD", default="")
# A timestamp authority (RFC 3161): set, signatures are PAdES B-T; else B-B.
SIGNING_TSA_URL = env.str("SIGNING_TSA_URL", default="")
# A ward with no certificate at all gets a demo one (subject marked DEMO) when it first signs.
# On for `make run` and tests; production.py turns it off (an unsigned job fails with a message).
SIGNING_DEMO_CERTIFICATES = env.bool("SIGNING_DEMO_CERTIFICATES", default=True)
# Largest PDF the public verification page accepts.
VERIFY_MAX_UPLOAD_BYTES = env.int("VERIFY_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
