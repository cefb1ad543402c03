"""Who may see and run campaigns. Every fetch goes through wards.scoping (404 for another ward).

Leaders and administrators plan campaigns and move their status; officers inspect their targets;
the chairman reads.
"""

from django.db.models import QuerySet

from accounts.models import User
from accounts.roles import MANAGER_ROLES
from wards.scoping import get_for_user, scope_to_user

from .models import Campaign


def campaigns_visible_to(user: User) -> QuerySet[Campaign]:
    return scope_to_user(Campaign.objects.all(), user)


def get_campaign_for_user(user: User, pk: int, queryset: QuerySet[Campaign] | None = None) -> Campaign:
    return get_for_user(queryset if queryset is not None else Campaign.objects.all(), user, pk=pk)


def can_manage_campaigns(user: User) -> bool:
    return user.is_authenticated and user.has_role(*MANAGER_ROLES)


def can_inspect(user: User) -> bool:
    return user.is_authenticated and user.can_write
