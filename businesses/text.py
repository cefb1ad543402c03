"""Pure text helpers for Vietnamese data: search folding, phone and ID numbers, masking.

No database access here, so everything is unit-tested without Django's test database.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: object) -> str:
    """Accent- and case-folded form used for search: "Nguyễn Thái Học" -> "nguyen thai hoc".

    NFC and NFD input give the same result (both are decomposed first), đ/Đ become d, every run
    of whitespace becomes one space. Applied to both the stored search_text and the query.
    """
    if text is None:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text))
    # đ/Đ are letters of their own, not d + a combining mark, so NFD leaves them alone.
    decomposed = decomposed.replace("đ", "d").replace("Đ", "D")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def search_tokens(query: str, *, limit: int = 8) -> list[str]:
    """The distinct folded words of a search query, in order (at most `limit`)."""
    seen: list[str] = []
    for token in fold(query).split(" "):
        if token and token not in seen:
            seen.append(token)
    return seen[:limit]


# Vietnamese numbers after normalisation: mobiles are 10 digits (03x, 05x, 07x, 08x, 09x),
# landlines 11 digits (02x area codes, e.g. 024 for Hà Nội).
_MOBILE = re.compile(r"^0[35789]\d{8}$")
_LANDLINE = re.compile(r"^02\d{9}$")
_PHONE_PUNCTUATION = re.compile(r"[\s.\-()/]")


def normalize_phone(raw: str) -> str | None:
    """Return the phone number as digits starting with 0, or None if it is not a Vietnamese number.

    Accepts spaces, dots, dashes and brackets, and the international forms +84 / 84 / 0084.
    """
    value = _PHONE_PUNCTUATION.sub("", str(raw or ""))
    if value.startswith("+84"):
        value = "0" + value[3:]
    elif value.startswith("0084"):
        value = "0" + value[4:]
    elif value.startswith("84") and len(value) in (11, 12):
        value = "0" + value[2:]
    if not value.isdigit():
        return None
    if _MOBILE.match(value) or _LANDLINE.match(value):
        return value
    return None


_CCCD = re.compile(r"^\d{12}$")


def normalize_id_number(raw: str) -> str | None:
    """A CCCD number is exactly 12 digits; spaces and dots between groups are tolerated."""
    value = _PHONE_PUNCTUATION.sub("", str(raw or ""))
    return value if _CCCD.match(value) else None


def mask(value: str, *, keep_start: int = 1, keep_end: int = 2) -> str:
    """Hide the middle of a personal number: "0912345689" -> "0*******89"."""
    value = value or ""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def is_masked(value: str) -> bool:
    """True for a value that came out of `mask` (an exported file sent back unchanged)."""
    return "*" in (value or "")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: object) -> object:
    """Neutralise spreadsheet formula injection: text cells starting with = + - @ tab or CR get a
    leading apostrophe, so Excel and LibreOffice show them as text instead of evaluating them."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
