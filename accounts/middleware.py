"""Session lifetime: an idle timeout and an absolute timeout for logged-in users."""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
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
