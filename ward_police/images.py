"""Photo checks shared by every upload of a picture (inspection photos, citizens' feedback), and the
check of a signature drawn on a phone's screen (commitments, violation records): a file
is accepted only if Pillow decodes it as what its name claims, and it is re-encoded as JPEG with its
orientation applied and its metadata (EXIF, GPS) dropped. Nothing here touches storage or the
database, so a refused file leaves no trace. A leaf module: it imports no project app.
"""

import base64
import binascii
import io
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 10 * 1024 * 1024
# Header dimensions are checked before decoding: a 40 KB PNG can claim 80 megapixels.
MAX_PHOTO_PIXELS = 50_000_000
STORED_MAX_SIDE = 2560
THUMB_SIDE = 320
EXTENSIONS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}


@dataclass(frozen=True)
class ProcessedImage:
    content: bytes
    thumbnail: bytes
    width: int
    height: int


def open_checked(data: io.BytesIO | UploadedFile, *, expected: set[str], name: str) -> Image.Image:
    refused = ValidationError(
        _("“%(name)s” is not a JPEG, PNG or WebP image (or the file is damaged)."),
        code="not_an_image",
        params={"name": name},
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(data)
            if image.format not in expected:
                raise refused
            if image.width * image.height > MAX_PHOTO_PIXELS:
                raise ValidationError(
                    _("“%(name)s” is too large in pixels (%(w)s × %(h)s)."),
                    code="too_many_pixels",
                    params={"name": name, "w": image.width, "h": image.height},
                )
            image.load()
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise refused from exc
    return image


def _jpeg(image: Image.Image, *, side: int, quality: int) -> tuple[bytes, int, int]:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif= argument: the metadata of the original (GPS, camera) is not carried over.
    copy.save(out, format="JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue(), copy.width, copy.height


def process_photo(
    upload: UploadedFile,
    *,
    max_bytes: int = MAX_PHOTO_BYTES,
    max_side: int = STORED_MAX_SIDE,
    thumbnail: bool = True,
) -> ProcessedImage:
    name = PurePath(upload.name or "").name or "ảnh"
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s MB, the limit for a photo."),
            code="too_big",
            params={"name": name, "limit": max_bytes // (1024 * 1024)},
        )
    claimed = EXTENSIONS.get(PurePath(name).suffix.lower())
    if claimed is None:
        raise ValidationError(
            _("“%(name)s” is not a JPEG, PNG or WebP image (or the file is damaged)."),
            code="bad_extension",
            params={"name": name},
        )
    upload.seek(0)
    image = open_checked(upload, expected={claimed}, name=name)
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    content, width, height = _jpeg(image, side=max_side, quality=85)
    thumb = _jpeg(image, side=THUMB_SIDE, quality=75)[0] if thumbnail else b""
    return ProcessedImage(content=content, thumbnail=thumb, width=width, height=height)


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
