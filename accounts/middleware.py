"""Session lifetime: an idle timeout and an absolute timeout for logged-in users."""

import logging
import time
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

logger = logging.getLogger("security")

LAST_SEEN = "_last_seen"
STARTED = "_auth_started"
# Writing the session on every request costs a database write; a minute of slack is harmless.
TOUCH_EVERY = 60


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.get(STARTED, now)
            last_seen = session.get(LAST_SEEN, now)
            reason = None
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                reason = _(
                    "You were logged out after %(minutes)d minutes without activity. Please log in again."
                ) % {"minutes": settings.SESSION_IDLE_TIMEOUT // 60}
            elif now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                reason = _("Your session has ended (%(hours)d hours after login). Please log in again.") % {
                    "hours": settings.SESSION_ABSOLUTE_TIMEOUT // 3600
                }
            if reason:
                logger.info(
                    "session expired for user %s (%s)",
                    user.pk,
                    "idle" if "activity" in reason else "absolute",
                )
                logout(request)
                messages.info(request, reason)
                return redirect_to_login(request.get_full_path())
            if now - last_seen >= TOUCH_EVERY or STARTED not in session:
                session[LAST_SEEN] = now
                session.setdefault(STARTED, now)
        return self.get_response(request)


class OTPStepMiddleware:
    """Holds a user between password and second factor: a user with an authenticator sees only
    the verification page (and may log out) until a code is entered; an administrator who must
    enrol sees only the enrolment page. The Django admin additionally checks the devices
    themselves on every request, so an older session cannot reach it unverified."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from .otp import OTP_STEP, STEP_ENROLL, STEP_VERIFY

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(settings.STATIC_URL):
            return self.get_response(request)
        step = request.session.get(OTP_STEP)
        if not step and request.path.startswith(_admin_prefix()) and not user.is_verified():
            from django_otp import user_has_device

            if user_has_device(user):
                step = STEP_VERIFY
        if step and request.path not in _open_paths(step):
            if request.headers.get("HX-Request") == "true":
                # A fragment fetched by htmx (the header's notification count) must not follow the
                # redirect: htmx would swap the whole verification page into the header, whose own
                # count would fetch again, nesting pages without end. htmx leaves a 204 alone.
                return HttpResponse(status=204)
            target = reverse("accounts:otp_verify" if step == STEP_VERIFY else "accounts:otp_setup")
            if step == STEP_ENROLL:
                messages.info(request, _("Administrators must set up two-step verification before going on."))
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


@lru_cache(maxsize=1)
def _admin_prefix() -> str:
    return reverse("admin:index")


def _open_paths(step: str) -> frozenset[str]:
    from .otp import STEP_VERIFY

    common = {reverse("accounts:logout"), reverse("set_language"), reverse("healthz")}
    if step == STEP_VERIFY:
        return frozenset({*common, reverse("accounts:otp_verify")})
    return frozenset({*common, reverse("accounts:otp_setup"), reverse("accounts:otp_backup_codes")})
