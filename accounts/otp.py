"""Second factor (TOTP with an authenticator app, plus one-time backup codes) on django-otp.

Optional for everyone; required for administrators when OTP_REQUIRED_FOR_ADMINS is on. After a
password login, a user who has a device is held at the verification step (accounts.middleware.
OTPStepMiddleware) until a code from the app or a backup code is entered; an administrator who
must have one and has none is held at the enrolment page.
"""

from __future__ import annotations

import base64
import io
import logging
import re
import time
from binascii import unhexlify

import qrcode
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import user_has_device
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from .models import User
from .roles import Role

logger = logging.getLogger("security")

# Session key: what the user still has to do before the rest of the site opens.
OTP_STEP = "_otp_step"
STEP_VERIFY = "verify"
STEP_ENROLL = "enroll"
BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Ứng dụng xác thực"
BACKUP_DEVICE_NAME = "Mã dự phòng"


def otp_required_for(user: User) -> bool:
    return bool(settings.OTP_REQUIRED_FOR_ADMINS) and user.has_role(Role.ADMIN)


def otp_step_for(user: User) -> str | None:
    if user_has_device(user):
        return STEP_VERIFY
    if otp_required_for(user):
        return STEP_ENROLL
    return None


def has_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- enrolment -----------------------------------------------------------------------------


def totp_new_key() -> str:
    return random_hex(20)


def totp_config_url(*, user: User, key: str) -> str:
    return TOTPDevice(user=user, key=key).config_url


def totp_secret_for_display(key: str) -> str:
    """The base32 secret in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(unhexlify(key)).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(text: str) -> str:
    """A PNG QR code as a data: URI (the CSP allows data: images; no file is written)."""
    image = qrcode.make(text, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _otp_changed(user: User) -> None:
    # Ends the user's other sessions (see User._get_session_auth_hash); the view keeps the
    # current one with update_session_auth_hash.
    user.otp_changed_at = timezone.now()
    user.save(update_fields=["otp_changed_at"])


@transaction.atomic
def totp_device_confirm(*, user: User, key: str, token: str) -> TOTPDevice:
    """Save the authenticator once the user proves the app shows the right codes.
    Replaces an earlier authenticator of the same user."""
    totp = TOTP(unhexlify(key), step=30, t0=0, digits=6)
    totp.time = time.time()
    if not re.fullmatch(r"\d{6}", token) or not totp.verify(int(token), tolerance=1):
        raise ValidationError(
            _("The code does not match. Check the phone's clock and type the code the app shows now.")
        )
    TOTPDevice.objects.filter(user=user).delete()
    _otp_changed(user)
    # last_t: the code just used cannot be used again to log in.
    device = TOTPDevice.objects.create(
        user=user, key=key, name=TOTP_DEVICE_NAME, confirmed=True, last_t=totp.t(), drift=totp.drift
    )
    logger.info("otp enrolled user=%s", user.get_username())
    return device


@transaction.atomic
def backup_codes_generate(*, user: User) -> list[str]:
    """New backup codes (the old ones stop working). Shown to the user once."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = []
    while len(codes) < BACKUP_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    logger.info("otp backup codes generated user=%s", user.get_username())
    return codes


@transaction.atomic
def otp_disable(*, user: User) -> None:
    if otp_required_for(user):
        raise ValidationError(
            _("Two-step verification is required for administrators and cannot be turned off.")
        )
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _otp_changed(user)
    logger.info("otp disabled user=%s", user.get_username())


# --- verification --------------------------------------------------------------------------


def normalize_code(raw: str) -> str:
    return re.sub(r"[\s-]", "", raw or "").lower()


def otp_verify(*, user: User, code: str) -> Device | None:
    """The device that accepts `code` (an app code or an unused backup code), or None.
    A backup code is used up; wrong codes slow further tries down (django-otp throttling)."""
    code = normalize_code(code)
    model = TOTPDevice if re.fullmatch(r"\d{6}", code) else StaticDevice
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(code):
                logger.info("otp ok user=%s device=%s", user.get_username(), model.__name__)
                return device
    logger.warning("otp failed user=%s", user.get_username())
    return None
