from django.db.models import Count, QuerySet

from .models import Ward
from .scoping import scope_to_user


def wards_for_user(user) -> QuerySet[Ward]:
    return scope_to_user(Ward.objects.all(), user, ward_field="self").annotate(
        street_count=Count("streets", distinct=True),
        group_count=Count("residential_groups", distinct=True),
    )
