"""Reading and checking an import spreadsheet. Nothing here writes to the database.

`check_import` turns the uploaded bytes into one ImportRow per data row, each with the values to
store and the row's errors in the active language (Vietnamese), and says for each row whether it
adds a business or updates an existing one (matched by registration number, else by name and
address), so the preview shows exactly what the confirmation will do.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from wards.models import Ward

from .columns import COLUMNS, NO, YES
from .models import Business, BusinessCategory, BusinessStatus
from .text import fold, is_masked, normalize_id_number, normalize_phone

MAX_ROWS = 20_000
MAX_BYTES = 5 * 1024 * 1024


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, encoding, missing columns)."""


@dataclass
class ImportRow:
    number: int  # the spreadsheet row number, header = 1
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    keep: set[str] = field(default_factory=set)  # masked personal fields: keep the stored value
    match_pk: int | None = None
    label: str = ""


@dataclass
class ImportCheck:
    rows: list[ImportRow]
    ignored_headers: list[str]

    @property
    def error_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if r.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.error_rows

    @property
    def create_count(self) -> int:
        return sum(1 for r in self.rows if r.match_pk is None)

    @property
    def update_count(self) -> int:
        return sum(1 for r in self.rows if r.match_pk is not None)


# --- reading -------------------------------------------------------------------------------


def read_table(content: bytes, file_name: str) -> list[tuple[int, list[Any]]]:
    """(row number, cells) for every row of the first sheet, header included."""
    if len(content) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 5 MB. Split it into smaller files."))
    name = file_name.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(content)
    if name.endswith(".csv") or name.endswith(".txt"):
        return _read_csv(content)
    raise ImportFileError(_("Only .xlsx and .csv files can be imported."))


def _read_xlsx(content: bytes) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(_("This is not a readable Excel (.xlsx) file.")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, list(cells)))
            if number > MAX_ROWS + 1:
                raise ImportFileError(_("The file has more than 20,000 rows. Split it into smaller files."))
        return rows
    finally:
        workbook.close()


def _read_csv(content: bytes) -> list[tuple[int, list[Any]]]:
    try:
        text = content.decode("utf-8-sig")  # strips the BOM Excel writes for "CSV UTF-8"
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("The CSV file is not UTF-8. In Excel choose “Save as” → “CSV UTF-8 (comma delimited)”.")
        ) from exc
    first_line = text.split("\n", 1)[0]
    # Excel in Vietnamese locales separates CSV fields with semicolons.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    for number, cells in enumerate(reader, start=1):
        rows.append((number, cells))
        if number > MAX_ROWS + 1:
            raise ImportFileError(_("The file has more than 20,000 rows. Split it into smaller files."))
    return rows


def _map_headers(header: list[Any]) -> tuple[dict[int, str], list[str]]:
    lookup = {}
    for column in COLUMNS:
        for name in (column.header, *column.aliases):
            lookup[fold(name)] = column.key
    mapping: dict[int, str] = {}
    ignored: list[str] = []
    for index, cell in enumerate(header):
        label = fold(cell).rstrip("*").strip()
        if not label:
            continue
        key = lookup.get(label)
        if key and key not in mapping.values():
            mapping[index] = key
        else:
            ignored.append(str(cell))
    missing = [c.header for c in COLUMNS if c.required and c.key not in mapping.values()]
    if missing:
        raise ImportFileError(
            _("The file lacks the required columns: %(columns)s. Use the template file.")
            % {"columns": ", ".join(missing)}
        )
    return mapping, ignored


# --- checking -------------------------------------------------------------------------------


class _Lookups:
    """The ward's streets, groups, categories and existing businesses, loaded once per file."""

    def __init__(self, ward: Ward) -> None:
        self.streets = {fold(s.name): s for s in ward.streets.all()}
        self.groups = {fold(g.name): g for g in ward.residential_groups.all()}
        self.categories: dict[str, BusinessCategory] = {}
        for category in BusinessCategory.objects.filter(is_active=True):
            self.categories[fold(category.name)] = category
            self.categories[fold(category.code)] = category
        self.statuses = {fold(label): value for value, label in BusinessStatus.choices}
        for value, _label in BusinessStatus.choices:
            self.statuses[value] = value
        for value, vi in (
            ("active", "Đang hoạt động"),
            ("active", "Hoạt động"),
            ("suspended", "Tạm ngừng"),
            ("closed", "Đã đóng cửa"),
            ("closed", "Đóng cửa"),
        ):
            self.statuses[fold(vi)] = value
        self.by_registration: dict[str, int] = {}
        self.by_address: dict[tuple[str, str], tuple[int, str]] = {}
        existing = Business.objects.filter(ward=ward).values_list(
            "pk", "registration_number", "name", "house_number", "street__name"
        )
        for pk, registration, name, house, street in existing.iterator(chunk_size=5000):
            if registration:
                self.by_registration[registration] = pk
            self.by_address[address_key(name, house, street)] = (pk, registration)

    def group(self, value: str):
        key = fold(value)
        if key in self.groups:
            return self.groups[key]
        if key.isdigit():  # "5" for "Tổ dân phố số 5"
            for name, group in self.groups.items():
                if name.split(" ")[-1] == key:
                    return group
        return None


def address_key(name: str, house_number: str, street_name: str) -> tuple[str, str]:
    return fold(name), fold(f"{house_number} {street_name}")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _digits_from_number_cell(value: Any, length: int) -> str:
    """Excel turns 001234567890 into the number 1234567890: put the lost leading zeros back."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = str(int(value))
        if len(digits) < length:
            return digits.zfill(length)
        return digits
    return _text(value)


def _parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _parse_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    key = fold(value)
    if key in ("", fold(NO), "khong co", "no", "false", "0", "x0"):
        return False if key else None
    if key in (fold(YES), "yes", "true", "1", "x"):
        return True
    raise ValueError(key)


def _parse_coordinate(value: Any, limit: int) -> Decimal | None:
    text = _text(value).replace(",", ".")
    if not text:
        return None
    number = Decimal(text).quantize(Decimal("0.000001"))
    if abs(number) > limit:
        raise InvalidOperation
    return number


def _check_row(row: ImportRow, raw: dict[str, Any], lookups: _Lookups) -> None:
    errors = row.errors
    values = row.values

    def required(key: str, label: str) -> str:
        text = _text(raw.get(key))
        if not text:
            errors.append(_("“%(column)s” is empty.") % {"column": label})
        return text

    values["name"] = required("name", "Tên cơ sở")[:200]
    values["owner_name"] = required("owner_name", "Họ tên chủ cơ sở")[:120]
    values["house_number"] = _text(raw.get("house_number"))[:40]
    values["registration_number"] = _text(raw.get("registration_number"))[:40]
    values["certificate_number"] = _text(raw.get("certificate_number"))[:60]
    row.label = values["name"]

    category_name = required("category", "Loại hình")
    if category_name:
        category = lookups.categories.get(fold(category_name))
        if category is None:
            errors.append(_("Unknown category “%(value)s”.") % {"value": category_name})
        values["category"] = category

    street_name = required("street", "Đường/phố")
    if street_name:
        street = lookups.streets.get(fold(street_name))
        if street is None:
            errors.append(_("The street “%(value)s” is not in this ward's list.") % {"value": street_name})
        values["street"] = street

    group_name = _text(raw.get("residential_group"))
    values["residential_group"] = None
    if group_name:
        group = lookups.group(group_name)
        if group is None:
            errors.append(
                _("The residential group “%(value)s” is not in this ward's list.") % {"value": group_name}
            )
        values["residential_group"] = group

    id_number = _digits_from_number_cell(raw.get("owner_id_number"), 12)
    if is_masked(id_number):
        row.keep.add("owner_id_number")
    elif id_number:
        values["owner_id_number"] = normalize_id_number(id_number)
        if values["owner_id_number"] is None:
            errors.append(_("The CCCD number “%(value)s” must be exactly 12 digits.") % {"value": id_number})
    else:
        values["owner_id_number"] = ""

    phone = _digits_from_number_cell(raw.get("owner_phone"), 10)
    if is_masked(phone):
        row.keep.add("owner_phone")
    elif phone:
        values["owner_phone"] = normalize_phone(phone)
        if values["owner_phone"] is None:
            errors.append(_("“%(value)s” is not a Vietnamese phone number.") % {"value": phone})
    else:
        values["owner_phone"] = ""

    try:
        conditional = _parse_bool(raw.get("is_conditional"))
    except ValueError:
        errors.append(
            _("“Kinh doanh có điều kiện ANTT” must be “Có” or “Không”, not “%(value)s”.")
            % {"value": _text(raw.get("is_conditional"))}
        )
        conditional = None
    category = values.get("category")
    values["is_conditional"] = bool(conditional) or bool(category and category.requires_security_certificate)

    values["certificate_expiry"] = None
    if _text(raw.get("certificate_expiry")):
        try:
            values["certificate_expiry"] = _parse_date(raw.get("certificate_expiry"))
        except ValueError:
            errors.append(
                _("The expiry date “%(value)s” is not a date in the form dd/mm/yyyy.")
                % {"value": _text(raw.get("certificate_expiry"))}
            )
        if not values["certificate_number"]:
            errors.append(_("A certificate expiry date is given without the certificate number."))

    status_text = _text(raw.get("status"))
    values["status"] = BusinessStatus.ACTIVE
    if status_text:
        status = lookups.statuses.get(fold(status_text))
        if status is None:
            errors.append(
                _("Unknown status “%(value)s” (use “Đang hoạt động”, “Tạm ngừng” or “Đã đóng cửa”).")
                % {"value": status_text}
            )
        else:
            values["status"] = status

    for key, label, limit in (("latitude", "Vĩ độ", 90), ("longitude", "Kinh độ", 180)):
        try:
            values[key] = _parse_coordinate(raw.get(key), limit)
        except (InvalidOperation, ValueError):
            errors.append(_("“%(column)s” must be a number (e.g. 21.0333).") % {"column": label})


def check_import(*, content: bytes, file_name: str, ward: Ward) -> ImportCheck:
    table = read_table(content, file_name)
    while table and not any(_text(c) for c in table[0][1]):
        table.pop(0)  # blank lines above the header
    if not table:
        raise ImportFileError(_("The file is empty."))
    (_header_number, header), *body = table
    mapping, ignored = _map_headers(header)
    lookups = _Lookups(ward)
    rows: list[ImportRow] = []
    seen_registration: dict[str, int] = {}
    seen_address: dict[tuple[str, str], int] = {}
    seen_match: dict[int, int] = {}
    for number, cells in body:
        raw = {key: cells[index] if index < len(cells) else None for index, key in mapping.items()}
        if not any(_text(v) for v in raw.values()):
            continue
        row = ImportRow(number=number)
        _check_row(row, raw, lookups)
        values = row.values
        street = values.get("street")
        key = address_key(values["name"], values["house_number"], street.name if street else "")
        registration = values["registration_number"]
        if registration:
            if registration in seen_registration:
                row.errors.append(
                    _("The registration number %(number)s is also on row %(row)s.")
                    % {"number": registration, "row": seen_registration[registration]}
                )
            seen_registration.setdefault(registration, number)
            row.match_pk = lookups.by_registration.get(registration)
        if row.match_pk is None and street is not None:
            if key in seen_address:
                row.errors.append(
                    _("The same business (name and address) is also on row %(row)s.")
                    % {"row": seen_address[key]}
                )
            seen_address.setdefault(key, number)
            found = lookups.by_address.get(key)
            # An address match with a different registration number is another business.
            if found and (not registration or not found[1]):
                row.match_pk = found[0]
        if row.match_pk is not None:
            if row.match_pk in seen_match:
                row.errors.append(
                    _("This row and row %(row)s update the same existing business.")
                    % {"row": seen_match[row.match_pk]}
                )
            seen_match.setdefault(row.match_pk, number)
        if row.match_pk is None and row.keep:
            row.errors.append(_("A masked CCCD or phone (with *) can only be kept for an existing business."))
        rows.append(row)
    if not rows:
        raise ImportFileError(_("The file has a header but no data rows."))
    return ImportCheck(rows=rows, ignored_headers=ignored)
