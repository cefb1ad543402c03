"""Who may do what with a business. Ward checks go through wards.scoping (another ward -> 404)."""

from accounts.roles import Role
from wards.scoping import get_for_user

from .models import Business

# Officers and leaders work with owners directly; the chairman and IT administrators do not
# need owners' ID numbers or phones (Decree 13/2023/NĐ-CP: only those who need them).
PERSONAL_DATA_ROLES = (Role.OFFICER, Role.LEADER)


def get_business_for_user(user, pk: object) -> Business:
    queryset = Business.objects.select_related(
        "ward", "category", "street", "residential_group", "created_by", "updated_by"
    )
    return get_for_user(queryset, user, pk=pk)


def can_edit_business(user, business: Business) -> bool:
    """`business` was fetched through get_business_for_user, so it is of a ward the user sees."""
    return user.can_write


def can_reveal_personal_data(user, business: Business) -> bool:
    """Officers and leaders of the business's own ward, on an explicit (logged) action."""
    return user.has_role(*PERSONAL_DATA_ROLES) and user.ward_id == business.ward_id


def can_inspect_business(user, business: Business) -> bool:
    """Officers and leaders of the business's own ward start inspections of it (#26.2)."""
    return user.has_role(*PERSONAL_DATA_ROLES) and user.ward_id == business.ward_id


def can_view_access_log(user) -> bool:
    return user.can_manage
