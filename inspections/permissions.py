"""Who may see and write inspections. Every fetch goes through wards.scoping (404 elsewhere)."""

from django.db.models import QuerySet

from accounts.models import User
from wards.scoping import get_for_user, scope_to_user

from .models import Inspection, Photo


def inspections_visible_to(user: User) -> QuerySet[Inspection]:
    return scope_to_user(Inspection.objects.all(), user)


def get_inspection_for_user(user: User, pk: int, queryset: QuerySet[Inspection] | None = None) -> Inspection:
    return get_for_user(queryset if queryset is not None else Inspection.objects.all(), user, pk=pk)


def get_photo_for_user(user: User, pk: int) -> Photo:
    return get_for_user(
        Photo.objects.select_related("inspection"), user, ward_field="inspection__ward", pk=pk
    )


def can_record_inspection(user: User) -> bool:
    return user.is_authenticated and user.can_write
