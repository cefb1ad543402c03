from django import template

from violations.services import money as format_money

register = template.Library()


@register.filter
def money(amount: int | None) -> str:
    """2500000 -> "2.500.000đ" (dot thousands separators, the đồng sign after)."""
    if amount in (None, ""):
        return ""
    return format_money(int(amount))
