"""Evidence file validation: the type is read from the file's first bytes, not trusted from its
name or the browser, and must agree with the extension."""

from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_UPLOAD = 10

# extension -> content type; the signature check below decides which one a file really is.
ALLOWED_EXTENSIONS = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}


def sniff_content_type(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def validate_evidence_file(upload: UploadedFile) -> str:
    """The file's real content type, or a ValidationError saying what is wrong, in words."""
    name = upload.name or ""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("“%(name)s”: only PDF, JPEG, PNG or WebP files are accepted as evidence.") % {"name": name}
        )
    if upload.size is None or upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s.")
            % {"name": name, "limit": filesizeformat(MAX_EVIDENCE_BYTES)}
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    detected = sniff_content_type(head)
    if detected is None or detected != ALLOWED_EXTENSIONS[suffix]:
        raise ValidationError(
            _("“%(name)s” is not really a %(type)s file.")
            % {"name": name, "type": suffix.lstrip(".").upper()}
        )
    return detected
