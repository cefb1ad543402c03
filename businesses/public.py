"""The public side of a business: its QR code, the short code a person can type instead, and
what the page behind the QR shows to anyone (never the owner's personal data).

The short code is derived from the public token: the token's first 8 characters are 48 random
bits, written as 10 base32 characters in two groups ("K3ZQ7-MP2XA"). A typed code resolves
through an index on those 8 characters, so rotating the token changes the code too.
"""

import base64
import binascii
import datetime
import hashlib
import io
import re
from dataclasses import dataclass

import qrcode
from django.conf import settings
from django.core.cache import cache
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import formats, timezone

from .models import Business, BusinessStatus, WithdrawnPublicToken

TOKEN_PREFIX_LENGTH = 8
SHORT_CODE_LENGTH = 10
# Letters people confuse with digits that base32 does not use.
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})
_PUBLIC_CACHE_SECONDS = 300


# --- codes and URLs ------------------------------------------------------------------------
def short_code(token: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(token[:TOKEN_PREFIX_LENGTH])
    except (binascii.Error, ValueError):
        raw = hashlib.sha256(token.encode()).digest()[:6]
    code = base64.b32encode(raw).decode("ascii")[:SHORT_CODE_LENGTH]
    return f"{code[:5]}-{code[5:]}"


def token_prefix_for_code(code: str) -> str | None:
    """The token prefix a typed short code stands for, or None when it cannot be one."""
    cleaned = re.sub(r"[\s\-–.·_]", "", (code or "").upper()).translate(_LOOKALIKES)
    if not re.fullmatch(rf"[A-Z2-7]{{{SHORT_CODE_LENGTH}}}", cleaned):
        return None
    try:
        raw = base64.b32decode(cleaned + "======")
    except (binascii.Error, ValueError):
        return None
    return base64.urlsafe_b64encode(raw[:6]).decode("ascii")


def _base() -> str:
    return getattr(settings, "PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def public_url(token: str) -> str:
    """The absolute URL printed in the QR code (PUBLIC_BASE_URL: the site's public address)."""
    return _base() + reverse("public:business", kwargs={"token": token})


def code_entry_url() -> str:
    return _base() + reverse("public:code")


def _qr_matrix(url: str) -> list[list[bool]]:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(url)
    qr.make(fit=True)
    return qr.get_matrix()


def qr_svg(url: str) -> str:
    """A vector QR code sized by the CSS of whatever embeds it.

    Each row's run of dark modules is one horizontal stroke ("M x y.5 h n"): two points per
    run instead of five per module (qrcode's SvgPathImage), which is what makes WeasyPrint
    draw a 500-poster batch several times faster."""
    matrix = _qr_matrix(url)
    size = len(matrix)
    runs: list[str] = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                runs.append(f"M{start} {y}.5h{x - start}")
            else:
                x += 1
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{size}" height="{size}" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path d="{"".join(runs)}" stroke="#000" stroke-width="1" fill="none"/></svg>'
    )


def qr_svg_data_uri(url: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(url).encode("utf-8")).decode("ascii")


def qr_png(url: str, *, caption: str = "", box_size: int = 12) -> bytes:
    """The QR code as a PNG (for chat apps and printers of the shop's own), the short code
    printed under it so a person can type it when the camera fails."""
    from PIL import Image, ImageDraw, ImageFont

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=4)
    qr.add_data(url)
    qr.make(fit=True)
    code_image = qr.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    if caption:
        font = ImageFont.load_default(size=box_size * 3)
        band = box_size * 5
        canvas = Image.new("RGB", (code_image.width, code_image.height + band), "white")
        canvas.paste(code_image, (0, 0))
        draw = ImageDraw.Draw(canvas)
        draw.text(
            (canvas.width // 2, code_image.height + band // 2 - box_size),
            caption,
            fill="black",
            font=font,
            anchor="mm",
        )
        code_image = canvas
    out = io.BytesIO()
    code_image.save(out, format="PNG", optimize=True)
    return out.getvalue()


# --- finding a business from a token or a code --------------------------------------------
@dataclass(frozen=True)
class PublicLookup:
    business: Business | None
    withdrawn: bool = False


def _public_queryset():
    return Business.objects.select_related("ward", "category", "street")


def lookup_token(token: str) -> PublicLookup:
    business = _public_queryset().filter(public_token=token).first()
    if business is not None:
        return PublicLookup(business)
    if WithdrawnPublicToken.objects.filter(token=token).exists():
        return PublicLookup(None, withdrawn=True)
    return PublicLookup(None)


def lookup_short_code(code: str) -> PublicLookup:
    prefix = token_prefix_for_code(code)
    if prefix is None:
        return PublicLookup(None)
    # Exact comparison on the indexed expression (case-sensitive on every database).
    business = (
        _public_queryset()
        .annotate(token_prefix=Substr("public_token", 1, TOKEN_PREFIX_LENGTH))
        .filter(token_prefix=prefix)
        .first()
    )
    if business is not None:
        return PublicLookup(business)
    if WithdrawnPublicToken.objects.filter(code_prefix=prefix).exists():
        return PublicLookup(None, withdrawn=True)
    return PublicLookup(None)


# --- what the public page shows ------------------------------------------------------------
def _date(value: datetime.date | datetime.datetime | None) -> str:
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return formats.date_format(value, "d/m/Y")


def public_facts(business: Business) -> dict:
    """Only what anyone may know about a business: no owner, ID number, phone, internal id or
    violation detail. Plain strings, so the dict can be cached as it is."""
    today = timezone.localdate()
    needs_certificate = business.is_conditional or business.category.requires_security_certificate
    certificate_state = ""
    if needs_certificate:
        if not business.certificate_number or not business.certificate_expiry:
            certificate_state = "missing"
        elif business.certificate_expiry < today:
            certificate_state = "expired"
        else:
            certificate_state = "valid"
    return {
        "name": business.name,
        "category": business.category.name,
        "address": business.address,
        "ward_name": business.ward.name,
        "province": business.ward.province,
        "status": business.status,
        "status_label": str(business.get_status_display()),
        "is_operating": business.status == BusinessStatus.ACTIVE,
        "last_inspected_on": _date(business.last_inspected_at),
        "last_inspection_result": business.last_inspection_result,
        "last_inspection_result_label": str(business.get_last_inspection_result_display())
        if business.last_inspection_result
        else "",
        "needs_certificate": needs_certificate,
        "certificate_state": certificate_state,
        "certificate_expiry": _date(business.certificate_expiry),
    }


def _cache_key(token: str) -> str:
    return "public-page:" + hashlib.sha256(token.encode()).hexdigest()


def cached_public_page(token: str) -> dict:
    """{"state": "ok"|"withdrawn"|"missing", "facts": {...}, "code": "..."}, cached a few minutes:
    a popular shop's QR is scanned often and the page must stay fast."""
    key = _cache_key(token)
    page = cache.get(key)
    if page is None:
        found = lookup_token(token)
        if found.business is not None:
            page = {"state": "ok", "facts": public_facts(found.business), "code": short_code(token)}
        else:
            page = {"state": "withdrawn" if found.withdrawn else "missing", "facts": None, "code": ""}
        cache.set(key, page, _PUBLIC_CACHE_SECONDS)
    return page


def forget_public_page(token: str) -> None:
    cache.delete(_cache_key(token))
