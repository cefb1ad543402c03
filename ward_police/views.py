"""Project-level views: health check and error pages."""

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)
security_logger = logging.getLogger("security")


def _database_state() -> str:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means "not answering" to a load balancer
        logger.exception("healthz: database check failed")
        return "error"
    return "ok"


def _broker_state() -> str:
    url = settings.CELERY_BROKER_URL
    if not url:
        return "not configured (tasks run in-process)"
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=2, transport_options={"max_retries": 0}) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        logger.warning("healthz: broker check failed", exc_info=True)
        return "error"
    return "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database = _database_state()
    broker = _broker_state()
    # Only the database decides readiness: without a broker, pages still work and documents wait.
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "error", "database": database, "broker": broker}, status=status
    )


def _refused(request: HttpRequest, status: int) -> None:
    user = getattr(request, "user", None)
    security_logger.warning(
        "refused %s %s %s user=%s ip=%s",
        status,
        request.method,
        request.path,
        user.pk if user is not None and user.is_authenticated else "anonymous",
        request.META.get("REMOTE_ADDR", "?"),
    )


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    _refused(request, 403)
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    _refused(request, 404)
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the database may be why we are here.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    _refused(request, 400)
    # reason: "nul" when ward_police.middleware refused a NUL character; here, any other malformed request.
    return render(request, "400.html", {"reason": ""}, status=400)
