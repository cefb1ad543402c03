"""The installable app: web manifest and the service worker, both served from the site root.

The service worker must be served by Django (not /static/) so that it may control the whole
site (scope /: the inspection pages, and the boards of apps above that lead to them, such as a
campaign's targets): its response carries `Service-Worker-Allowed: /` and is never cached, so a
deploy reaches phones on their next visit. Its cache name carries a hash of the files it
caches, so a changed CSS or JS file replaces the phone's cached copy.
"""

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

SW_SOURCE = "js/sw.js"
# The app shell: what an officer needs to fill the form without a connection.
SHELL_ASSETS = [
    "css/app.css",
    "js/app.js",
    "js/inspections.js",
    "js/outbox.js",
    "js/offline.js",
    "vendor/htmx-2.0.11.min.js",
    "img/favicon.svg",
    "img/icon-192.png",
    "img/icon-512.png",
]
APP_NAME = "Công an phường — Kiểm tra"
SHORT_NAME = "Kiểm tra"
THEME_COLOR = "#0a2a6b"
BACKGROUND_COLOR = "#ffffff"


def _read_static(name: str) -> bytes:
    path = finders.find(name)
    if path:
        return Path(path).read_bytes()
    if staticfiles_storage.exists(name):
        with staticfiles_storage.open(name) as handle:
            return handle.read()
    raise Http404(name)


# Pages of apps above inspections (a campaign's board) that a phone keeps together with the
# inspection forms they lead to: URL name of the page (one pk) -> URL name of a JSON list
# {"active": bool, "pages": [form URLs], "total": int} the service worker asks for (sw.js).
_boards: dict[str, str] = {}


def register_offline_board(page: str, listing: str) -> None:
    """Called from an AppConfig.ready(): inspections never import the apps above them."""
    _boards[page] = listing
    _service_worker.cache_clear()


def _pattern(name: str) -> str:
    """A URL with one pk, as the pattern the service worker matches: /campaigns/{pk}/."""
    marker = 987654321
    return reverse(name, args=[marker]).replace(str(marker), "{pk}")


@lru_cache(maxsize=1)
def _service_worker() -> bytes:
    source = _read_static(SW_SOURCE)
    digest = hashlib.sha256(source)
    for name in SHELL_ASSETS:
        digest.update(_read_static(name))
    replacements = {
        b"__CACHE_VERSION__": digest.hexdigest()[:12].encode(),
        b'"__SHELL_ASSETS__"': json.dumps([static(n) for n in SHELL_ASSETS]).encode(),
        b"__OUTBOX_SCRIPT__": static("js/outbox.js").encode(),
        b"__OUTBOX_URL__": reverse("inspections:outbox").encode(),
        b'"__KEEP_DAYS__"': str(int(settings.INSPECTIONS_OFFLINE_KEEP_DAYS)).encode(),
        b'"__MAX_PAGES__"': str(int(settings.INSPECTIONS_OFFLINE_MAX_PAGES)).encode(),
        b"__FORM_URL__": reverse("inspections:new").encode(),
        b"__LOGIN_URL__": reverse("accounts:login").encode(),
        b"__LOGOUT_URL__": reverse("accounts:logout").encode(),
        b'"__BOARDS__"': json.dumps(
            [{"page": _pattern(page), "list": _pattern(listing)} for page, listing in _boards.items()]
        ).encode(),
    }
    for marker, value in replacements.items():
        source = source.replace(marker, value)
    return source


@require_GET
@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    if settings.DEBUG:  # edited static files show up without a restart
        _service_worker.cache_clear()
    response = HttpResponse(_service_worker(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    data = {
        "name": APP_NAME,
        "short_name": SHORT_NAME,
        "description": "Kiểm tra cơ sở kinh doanh, kể cả khi không có mạng.",
        "lang": "vi",
        "dir": "ltr",
        "id": reverse("inspections:list"),
        "start_url": reverse("inspections:list"),
        # The whole site: an officer goes from a campaign's board to its inspection forms.
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {
                "src": static("img/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/manifest+json; charset=utf-8",
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response
