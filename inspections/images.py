"""Signature checks for the inspection form; photo checks are shared (ward_police/images.py) and
re-exported here for the inspection code that uses them."""

import base64
import binascii
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ward_police.images import (  # noqa: F401 - the inspections app's photo API
    EXTENSIONS,
    MAX_PHOTO_BYTES,
    MAX_PHOTO_PIXELS,
    STORED_MAX_SIDE,
    THUMB_SIDE,
    ProcessedImage,
    open_checked,
    process_photo,
)

MAX_SIGNATURE_BYTES = 512 * 1024
MAX_SIGNATURE_SIDE = 2000
SIGNATURE_PREFIX = "data:image/png;base64,"


def process_signature(data_url: str) -> bytes:
    """The PNG drawn on the form's canvas, as a data: URL -> a clean, re-encoded PNG."""
    refused = ValidationError(_("The signature could not be read; please sign again."), code="bad_signature")
    if not data_url.startswith(SIGNATURE_PREFIX):
        raise refused
    try:
        raw = base64.b64decode(data_url[len(SIGNATURE_PREFIX) :], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise refused from exc
    if len(raw) > MAX_SIGNATURE_BYTES:
        raise refused
    try:
        image = open_checked(io.BytesIO(raw), expected={"PNG"}, name="chữ ký")
    except ValidationError as exc:
        raise refused from exc
    if image.width > MAX_SIGNATURE_SIDE or image.height > MAX_SIGNATURE_SIDE:
        raise refused
    image = image.convert("RGBA")
    if image.getchannel("A").getbbox() is None:
        raise ValidationError(_("The signature is empty; ask the person to sign."), code="empty_signature")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
