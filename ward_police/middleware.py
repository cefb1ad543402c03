import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers

from wards.text import NUL, nfc

security_logger = logging.getLogger("security")


class LanguageMiddleware:
    """Vietnamese unless the user chose another language (the set_language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many phones and
    office PCs in Vietnam run an English-language browser: the ward's UI must still be Vietnamese.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class InputGuardMiddleware:
    """Refuses NUL characters and normalises text to NFC in every query string and form post.

    One place for every app, present and future: a form field, a search box or a hidden input
    cannot bring a NUL byte to PostgreSQL (a 500), and decomposed Vietnamese (NFD, as some phone
    keyboards send it) is stored composed. Password fields are left as typed: a password must
    compare equal to what was hashed, byte for byte.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path:
            return self._refuse(request)
        query = self._cleaned(request.GET)
        if query is None:
            return self._refuse(request)
        request.GET = query
        if request.method == "POST":
            post = self._cleaned(request.POST)
            if post is None:
                return self._refuse(request)
            request.POST = post
            for upload in request.FILES.values():
                upload.name = nfc(upload.name)
        return self.get_response(request)

    @staticmethod
    def _cleaned(data: QueryDict) -> QueryDict | None:
        """A normalised copy of `data`, or None when it holds a NUL."""
        cleaned = QueryDict(mutable=True, encoding=data.encoding)
        for key, values in data.lists():
            if NUL in key or any(NUL in v for v in values):
                return None
            keep = "password" in key.lower()
            cleaned.setlist(nfc(key), values if keep else [nfc(v) for v in values])
        cleaned._mutable = False
        return cleaned

    @staticmethod
    def _refuse(request: HttpRequest) -> HttpResponse:
        security_logger.warning(
            "refused 400 %s %s: NUL character in input ip=%s",
            request.method,
            request.path.replace(NUL, "\\x00"),
            request.META.get("REMOTE_ADDR", "?"),
        )
        return render(request, "400.html", {"reason": "nul"}, status=400)
