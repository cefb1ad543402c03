"""Test-only: the journeys' gunicorn forgets cached content types before each request.

Between journeys pytest-django empties the database, and the content types are made again with
new ids; the long-lived web and worker processes must not keep the old ones (in production the
rows never change, so the site caches them for its whole life)."""

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse


class ForgetContentTypesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ContentType.objects.clear_cache()
        return self.get_response(request)
