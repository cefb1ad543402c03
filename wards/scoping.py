"""Ward scoping: the one place that decides which wards' records a user may see.

Every app limits its querysets with `scope_to_user` and fetches single objects with
`get_for_user`, so another ward's record is a 404, never a 403 that confirms it exists.
The user only needs `visible_ward_ids()` (None means every ward), so this module does not
import accounts.
"""

from typing import Any, Protocol, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

M = TypeVar("M", bound=Model)


class WardScopedUser(Protocol):
    is_authenticated: bool

    def visible_ward_ids(self) -> list[int] | None: ...


def scope_to_user(queryset: QuerySet[M], user: WardScopedUser, *, ward_field: str = "ward") -> QuerySet[M]:
    """Limit `queryset` to the wards `user` may see; `ward_field` is the lookup path to the Ward
    ("self" when the queryset is of wards)."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    ward_ids = user.visible_ward_ids()
    if ward_ids is None:
        return queryset
    if not ward_ids:
        return queryset.none()
    field = "pk" if ward_field == "self" else ward_field
    return queryset.filter(**{f"{field}__in": ward_ids})


def get_for_user(
    queryset: QuerySet[M], user: WardScopedUser, *, ward_field: str = "ward", **lookup: Any
) -> M:
    """One object of `queryset` the user may see, or Http404 (also for another ward's object)."""
    if not lookup:
        raise TypeError("get_for_user needs a lookup, e.g. pk=...")
    try:
        return get_object_or_404(scope_to_user(queryset, user, ward_field=ward_field), **lookup)
    except (ValueError, TypeError) as exc:  # a malformed pk in the URL is a 404, not a 500
        raise Http404 from exc
