"""Role checks for views. Ward checks live in wards.scoping."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .roles import MANAGER_ROLES, WRITER_ROLES


def role_required(*roles: str) -> Callable:
    """Logged-in users only (others go to login); users without one of `roles` get 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# The chairman reads everything of the ward and writes nothing operational.
writer_required = role_required(*WRITER_ROLES)
manager_required = role_required(*MANAGER_ROLES)
