"""Reads of businesses: list with search, filters and sort; lookups for forms and imports."""

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from wards.models import ResidentialGroup, Street
from wards.places import CATEGORY, GROUP, STREET
from wards.scoping import scope_to_user

from .models import Business, BusinessCategory, PersonalDataAccess
from .text import mask, search_tokens

EXPIRING_WITHIN_DAYS = 30

SORTS: dict[str, list[Any]] = {
    "name": ["name", "pk"],
    "-name": ["-name", "-pk"],
    "street": ["street__name", "house_number", "pk"],
    # Longest without inspection first; never inspected counts as the longest.
    "last_inspected": [F("last_inspected_at").asc(nulls_first=True), "pk"],
    "-last_inspected": [F("last_inspected_at").desc(nulls_last=True), "pk"],
    "certificate_expiry": [F("certificate_expiry").asc(nulls_last=True), "pk"],
    "-updated": ["-updated_at", "-pk"],
}
DEFAULT_SORT = "name"


def months_ago(moment: datetime, months: int) -> datetime:
    """The same day `months` calendar months earlier (clamped to the month's last day)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def search_filter(query: str) -> Q:
    """Every folded word of the query must appear in the folded search_text.

    `contains` is a case-sensitive LIKE '%word%': the pg_trgm GIN index serves it on PostgreSQL;
    SQLite scans the same folded column. Both sides are folded, so no per-row function is needed.
    """
    condition = Q()
    for token in search_tokens(query):
        condition &= Q(search_text__contains=token)
    return condition


# The columns the list's rows show (jinja2/businesses/macros.html), read as tuples: 50
# Business instances, even with their other columns deferred, took more time to build than the
# page's SQL; the category, street and group names come from the page's places.
ROW_COLUMNS = (
    "pk",
    "name",
    "category_id",
    "house_number",
    "street_id",
    "residential_group_id",
    "owner_name",
    "owner_phone",
    "status",
    "certificate_expiry",
    "is_conditional",
    "last_inspected_at",
    "last_inspection_result",
)


@dataclass(frozen=True, slots=True)
class BusinessRow:
    """One line of the business list."""

    pk: int
    name: str
    category_id: int
    house_number: str
    street_id: int | None
    residential_group_id: int | None
    owner_name: str
    owner_phone: str
    status: str
    certificate_expiry: date | None
    is_conditional: bool
    last_inspected_at: datetime | None
    last_inspection_result: str
    category_name: str = ""
    street_name: str = ""
    group_name: str = ""

    @property
    def address(self) -> str:  # as Business.address
        parts = [f"Số {self.house_number}" if self.house_number else "", self.street_name]
        return " ".join(p for p in parts if p)

    @property
    def owner_phone_masked(self) -> str:
        return mask(self.owner_phone)


def business_rows_of(values: Sequence[tuple], places: Any) -> list[BusinessRow]:
    """The rows of a page of ``business_list(...).values_list(*ROW_COLUMNS)``, named from the
    page's places (wards.places.PagePlaces; categories included)."""
    categories = places.names(CATEGORY, {row[2] for row in values})
    streets = places.names(STREET, {row[4] for row in values})
    groups = places.names(GROUP, {row[5] for row in values})
    return [
        BusinessRow(
            *row,
            category_name=categories.get(row[2], ""),
            street_name=streets.get(row[4], "") if row[4] else "",
            group_name=groups.get(row[5], ""),
        )
        for row in values
    ]


def business_list(*, user, filters: dict[str, Any] | None = None, today: date | None = None) -> QuerySet:
    filters = filters or {}
    today = today or timezone.localdate()
    qs = scope_to_user(Business.objects.all(), user).select_related("category", "street", "residential_group")
    if filters.get("q"):
        qs = qs.filter(search_filter(filters["q"]))
    for key, field in (("street", "street"), ("group", "residential_group"), ("category", "category")):
        if filters.get(key):
            qs = qs.filter(**{field: filters[key]})
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    certificate = filters.get("certificate")
    if certificate == "expired":
        qs = qs.filter(certificate_expiry__lt=today)
    elif certificate == "expiring":
        qs = qs.filter(
            certificate_expiry__gte=today,
            certificate_expiry__lte=today + timedelta(days=EXPIRING_WITHIN_DAYS),
        )
    elif certificate == "missing":
        qs = qs.filter(is_conditional=True, certificate_number="")
    result = filters.get("result")
    if result == "none":
        qs = qs.filter(last_inspected_at__isnull=True)
    elif result:
        qs = qs.filter(last_inspection_result=result)
    months = filters.get("not_inspected_months")
    if months:
        cutoff = months_ago(timezone.now(), months)
        qs = qs.filter(Q(last_inspected_at__isnull=True) | Q(last_inspected_at__lt=cutoff))
    return qs.order_by(*SORTS.get(filters.get("sort") or DEFAULT_SORT, SORTS[DEFAULT_SORT]))


def streets_for_user(user) -> QuerySet[Street]:
    return scope_to_user(Street.objects.all(), user).order_by("name")


def groups_for_user(user) -> QuerySet[ResidentialGroup]:
    return scope_to_user(ResidentialGroup.objects.all(), user).order_by("name")


def categories_active() -> QuerySet[BusinessCategory]:
    return BusinessCategory.objects.filter(is_active=True).order_by("name")


def personal_data_accesses_for_user(user) -> QuerySet[PersonalDataAccess]:
    return scope_to_user(PersonalDataAccess.objects.all(), user).select_related("user", "business")
