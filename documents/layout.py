"""Pieces of the Decree 30/2020 layout every official document shares, and safe file names."""

import datetime
import re
import unicodedata

from wards.models import Ward
from wards.names import current_superior_unit, unit_names_on

_UNIT_PREFIXES = ("phường ", "xã ", "thị trấn ", "đặc khu ")


def place_name(ward: Ward | str) -> str:
    """ "Phường Điện Biên" -> "Điện Biên": the place written before the date."""
    name = (ward if isinstance(ward, str) else ward.name).strip()
    lowered = name.lower()
    for prefix in _UNIT_PREFIXES:
        if lowered.startswith(prefix):
            return name[len(prefix) :].strip()
    return name


def vietnamese_date(day: datetime.date) -> str:
    # Decree 30/2020, appendix I: days below 10 and months 1 and 2 take a leading zero.
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date(ward: Ward, day: datetime.date) -> str:
    """ "Điện Biên, ngày 01 tháng 11 năm 2021", under the ward's name on that day."""
    return f"{place_name(unit_names_on(ward, day).ward_name)}, {vietnamese_date(day)}"


def superior_unit(ward: Ward, day: datetime.date | None = None) -> str:
    if day is None:
        return current_superior_unit(ward)
    return unit_names_on(ward, day).superior_unit


def official_context(ward: Ward, *, day: datetime.date, number: str, title: str) -> dict:
    """The heading of a document dated `day`: the unit names in force that day (wards.names)."""
    names = unit_names_on(ward, day)
    return {
        "ward": ward,
        "superior_unit": names.superior_unit,
        "unit_name": names.unit_name,
        "number": number,
        "document_title": title,
        "place_date": f"{place_name(names.ward_name)}, {vietnamese_date(day)}",
        "issued_on": day,
    }


ARCHIVE_PREFIX = "Lưu"


def recipients_lines(recipients: list[str]) -> list[str]:
    """ "Nơi nhận" as Decree 30/2020 (appendix I) lays it out: the addressees, then last
    "Lưu: VT, …" (the clerical office, then the file the kind names). A kind lists its archive
    as "Lưu: hồ sơ cơ sở"; it becomes "Lưu: VT, hồ sơ cơ sở"."""
    addressees, archives = [], []
    for line in recipients:
        text = str(line).strip().rstrip(".;")
        if text.startswith(ARCHIVE_PREFIX):
            rest = text[len(ARCHIVE_PREFIX) :].lstrip(" :")
            archives += [part.strip() for part in rest.split(",") if part.strip() and part.strip() != "VT"]
        elif text:
            addressees.append(text)
    return [*addressees, ", ".join([f"{ARCHIVE_PREFIX}: VT", *archives])]


STATION_HEAD = "TRƯỞNG CÔNG AN PHƯỜNG"
STATION_DEPUTY = "PHÓ TRƯỞNG CÔNG AN PHƯỜNG"
_DEPUTY = re.compile(r"\bphó\b", re.IGNORECASE)


def is_deputy_title(rank_title: str) -> bool:
    """ "Trung tá, Phó Trưởng Công an phường" names a deputy (phó); "Trưởng Công an phường" the head."""
    return bool(_DEPUTY.search(unicodedata.normalize("NFC", rank_title or "")))


def station_head_signer(user, *, hint: str = "(Ký, ghi rõ chức vụ, họ và tên)") -> dict:
    """The signature block of a document the ward police station signs (Decree 30/2020, appendix I):
    its head, or a deputy signing for the head, "KT. TRƯỞNG CÔNG AN PHƯỜNG" over "PHÓ TRƯỞNG CÔNG AN
    PHƯỜNG". Without a signer yet (a draft), the head's block with no name."""
    deputy = user is not None and is_deputy_title(user.rank_title)
    return {
        "role": f"KT. {STATION_HEAD}" if deputy else STATION_HEAD,
        "sub_role": STATION_DEPUTY if deputy else "",
        "hint": hint,
        "name": (user.get_full_name() or user.username) if user is not None else "",
    }


def document_number(number: int | None, symbol: str) -> str:
    """ "01/BB-VPHC": numbers print with at least two digits (01, 02 ... 10 ... 100)."""
    if number is None:
        return ""
    return f"{number:02d}/{symbol}" if symbol else f"{number:02d}"


def ascii_filename(name: str, *, extension: str = ".pdf", max_length: int = 120) -> str:
    """ "Biên bản 12/BB-VPHC 2026" -> "bien-ban-12-BB-VPHC-2026.pdf": safe in every browser and
    in a Content-Disposition header without encoding tricks."""
    text = name.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    if text.lower().endswith(extension):
        text = text[: -len(extension)]
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")
    # Lower-case the words, keep the symbols of a record number (BB-VPHC) as they are written.
    words = [w if (w.isupper() and len(w) > 1) else w.lower() for w in text.split("-")]
    stem = "-".join(words)[: max_length - len(extension)].strip("-") or "document"
    return stem + extension
