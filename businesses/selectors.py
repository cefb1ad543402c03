"""Reads of businesses: list with search, filters and sort; lookups for forms and imports."""

import calendar
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from wards.models import ResidentialGroup, Street
from wards.scoping import scope_to_user

from .models import Business, BusinessCategory, PersonalDataAccess
from .text import search_tokens

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


# The columns the list's rows show (templatetags/business_tags.business_rows): a business has some
# 30 columns, and building them all for 50 rows took a third of the query's time.
LIST_FIELDS = (
    "ward_id",
    "name",
    "house_number",
    "owner_name",
    "owner_phone",
    "status",
    "certificate_expiry",
    "is_conditional",
    "last_inspected_at",
    "last_inspection_result",
    "category_id",
    "street_id",
    "residential_group_id",
)


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
