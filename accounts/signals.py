"""Security log: every login, failed login and logout is written to the `security` logger."""

import logging
import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("security")


def _ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "?") if request is not None else "?"


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs) -> None:
    logger.info("login ok user=%s ip=%s", user.get_username(), _ip(request))
    if request is not None and hasattr(request, "session"):
        # Start the session clocks at login so the timeout middleware need not write on the
        # first request.
        from .middleware import LAST_SEEN, STARTED

        now = int(time.time())
        request.session[STARTED] = now
        request.session[LAST_SEEN] = now
        # A password is one factor: a user with an authenticator (or an administrator who must
        # have one) is held at the second step until it is done.
        from .otp import OTP_STEP, otp_step_for

        step = otp_step_for(user)
        if step:
            request.session[OTP_STEP] = step


@receiver(user_login_failed)
def log_login_failed(sender, credentials, request=None, **kwargs) -> None:
    logger.warning("login failed user=%s ip=%s", credentials.get("username", "?"), _ip(request))


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs) -> None:
    logger.info("logout user=%s ip=%s", user.get_username() if user else "?", _ip(request))
