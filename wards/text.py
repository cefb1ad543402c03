"""Text hygiene for everything users type or upload, used by every app.

It lives in `wards` because that is the bottom of the dependency order (every app may import it).
Two rules, applied in one place (ward_police.middleware.InputGuardMiddleware for form and query
data; `reject_nul_in` for data read from uploaded files such as JSON or spreadsheet imports):

- NUL (U+0000) is refused: PostgreSQL text columns cannot store it (the driver raises, which
  would be a 500), and no keyboard produces it, so it only comes from broken files or probes.
- Text is stored in Unicode NFC: a phone keyboard may send “Nguyễn” decomposed (NFD), which
  looks the same but would defeat uniqueness checks and searches.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NUL = "\x00"


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def has_nul(value: Any) -> bool:
    """True when `value`, or any string nested in it (dict keys included), contains NUL."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_nul(v) for v in value)
    return False


def reject_nul_in(value: Any) -> None:
    if has_nul(value):
        raise ValidationError(
            _("The data contains a NUL character (code 0), which is not allowed. Check the file or text.")
        )


def nfc_in(value: Any) -> Any:
    """`value` with every nested string normalised to NFC."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, dict):
        return {nfc_in(k): nfc_in(v) for k, v in value.items()}
    if isinstance(value, list):
        return [nfc_in(v) for v in value]
    return value


def printable_file_name(name: str, *, limit: int = 255) -> str:
    """A file name safe to store and to send back in a Content-Disposition header."""
    cleaned = "".join(ch for ch in nfc(name) if ch.isprintable()).strip()
    return cleaned[-limit:] if len(cleaned) > limit else cleaned
