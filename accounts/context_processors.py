"""Navigation by role. Items whose URL does not exist yet are left out, so a feature app's
menu entry appears when its urls land, without touching the shell."""

from dataclasses import dataclass
from functools import lru_cache

from django.http import HttpRequest
from django.urls import NoReverseMatch, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from .roles import Role

ALL_ROLES = tuple(Role.values)


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    roles: tuple[str, ...]


NAV_ITEMS = [
    NavItem("my:day", _("My day"), (Role.OFFICER, Role.LEADER)),
    NavItem("my:leader", _("Leader's desk"), (Role.LEADER,)),
    NavItem("dashboards:home", _("Overview"), ALL_ROLES),
    NavItem("businesses:list", _("Businesses"), ALL_ROLES),
    NavItem("feedback:list", _("Citizen feedback"), ALL_ROLES),
    NavItem("campaigns:list", _("Campaigns"), ALL_ROLES),
    NavItem("inspections:list", _("Inspections"), ALL_ROLES),
    NavItem("inspections:new", _("Inspect a business"), (Role.OFFICER, Role.LEADER)),
    NavItem("violations:list", _("Violations"), ALL_ROLES),
    NavItem("criteria:assessments", _("Model-ward criteria"), ALL_ROLES),
    NavItem("wards:mine", _("Ward area"), ALL_ROLES),
    NavItem("register:list", _("Register of documents"), (Role.LEADER, Role.ADMIN)),
    NavItem("admin:index", _("Administration"), (Role.ADMIN,)),
]


@lru_cache(maxsize=256)
def _url(url_name: str, urlconf: str | None) -> str | None:
    # Resolved once per process: a NoReverseMatch per menu item per request is not free.
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    current = request.path
    for item in NAV_ITEMS:
        if not user.has_role(*item.roles):
            continue
        url = _url(item.url_name, getattr(request, "urlconf", None) or get_urlconf())
        if url is None:
            continue
        active = current == url or (url != "/" and current.startswith(url) and item.url_name != "admin:index")
        items.append({"url": url, "label": item.label, "active": active})
    # One current page: of nested entries (/inspections/ and /inspections/new/) the longest wins.
    active_items = [i for i in items if i["active"]]
    if len(active_items) > 1:
        for item in active_items:
            item["active"] = False
        max(active_items, key=lambda i: len(i["url"]))["active"] = True
    return {"nav_items": items}
