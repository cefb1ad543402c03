"""Writes to users and roles: the one path for each change."""

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wards.models import Ward

from .models import User
from .roles import ROLE_PERMISSIONS, Role


def _permissions_for(codes: list[str]) -> list[Permission]:
    by_app: dict[str, list[str]] = {}
    for code in codes:
        app_label, codename = code.split(".", 1)
        by_app.setdefault(app_label, []).append(codename)
    perms: list[Permission] = []
    for app_label, codenames in by_app.items():
        perms.extend(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
    return perms


@transaction.atomic
def roles_sync() -> dict[str, Group]:
    """Create the role groups and give each exactly the permissions ROLE_PERMISSIONS lists."""
    groups = {}
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        group.permissions.set(_permissions_for(ROLE_PERMISSIONS.get(role, [])))
        groups[role.value] = group
    return groups


def roles_sync_on_migrate(*, app_config: Any = None, **kwargs: Any) -> None:
    # post_migrate is sent once per app, in INSTALLED_APPS order, and each app's permissions are
    # created by its own signal: sync after the last app, when every permission exists.
    from django.apps import apps

    # (Only apps with a models module get the signal.)
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if app_config is None or app_config is with_models[-1]:
        roles_sync()


@transaction.atomic
def user_set_role(*, user: User, role: Role | str) -> User:
    role = Role(role)
    group, _created = Group.objects.get_or_create(name=role.value)
    if not group.permissions.exists() and ROLE_PERMISSIONS.get(role):
        group.permissions.set(_permissions_for(ROLE_PERMISSIONS[role]))
    user.groups.remove(*Group.objects.filter(name__in=Role.values).exclude(pk=group.pk))
    user.groups.add(group)
    user.is_staff = role == Role.ADMIN or user.is_superuser
    user.save(update_fields=["is_staff"])
    user.__dict__.pop("roles", None)  # drop the cached role set
    user.__dict__.pop("_access", None)
    return user


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    role: Role | str,
    ward: Ward | None,
    full_name: str = "",
    rank_title: str = "",
    is_superuser: bool = False,
) -> User:
    user = User(
        username=username,
        full_name=full_name,
        rank_title=rank_title,
        ward=ward,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    if ward is None and not is_superuser and Role(role) != Role.ADMIN:
        raise ValidationError({"ward": _("Every user except administrators belongs to a ward.")})
    user.full_clean(exclude=["password"])
    user.save()
    return user_set_role(user=user, role=role)
