"""Reference data read through Django's cache, versioned per ward and per user
(docs/rendering-and-caching.md).

Data that changes a few times a year (a user's roles, a ward's streets and groups, the business
categories, the published checklists, a ward's officers, the violation catalogue) is asked on
nearly every page. It is kept in the default cache (local memory in the embedded mode, Redis in
the full stack: CACHE_URL) as plain data (tuples, dicts, numbers, texts). Each entry depends on
*scopes*, each with a version stored in the cache:

    refver:ward:<id>       a ward's places and officers
    refver:user:<id>       a user's roles and page permissions
    refver:access          the role groups and their permissions
    refver:categories, refver:checklists, refver:catalogue    data shared by every ward
    refver:epoch           every entry (a bulk load, a restore)

Each entry is stored under `ref:<name>` together with the versions it was read at; a write
bumps the scopes it touches (``bump``), and the next read finds its entry read at other versions
and reads the database again. The entry and the versions come in one round trip (``get_many``).

Three rules keep a read from ever being stale:

- The bump happens when the writing transaction commits (``transaction.on_commit``; at once in
  autocommit). Bumped earlier, another process could read the old rows before the commit and store
  them under the new version, where they would stay.
- Inside a transaction that has written a scope and not yet committed, reads of that scope go to
  the database and store nothing: its rows are not yet everyone's, and may be rolled back.
- A version is a random token, not a counter: a version key that the cache evicted (local memory
  culls at MAX_ENTRIES) comes back as a new token and never matches an entry read at an old one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction

T = TypeVar("T")

# A day: an entry nobody reads any more expires.
TIMEOUT = 24 * 3600

# Scopes shared by every ward (their data has no ward).
ACCESS = "access"  # the role groups, their permissions, the permission names
CATEGORIES = "categories"  # the business categories
CHECKLISTS = "checklists"  # checklists, their versions, sections, items and what they link to
CATALOGUE = "catalogue"  # the violation catalogue (ViolationType)
EPOCH = "epoch"  # part of every key: bumped after a bulk load that wrote past the signals (seed_demo)


def ward_scope(ward_id: int | None) -> str:
    return f"ward:{ward_id}"


def user_scope(user_id: int | None) -> str:
    return f"user:{user_id}"


def _version_key(scope: str) -> str:
    return f"refver:{scope}"


def _new_token() -> str:
    return uuid.uuid4().hex[:16]


def versions(scopes: Iterable[str]) -> dict[str, str]:
    """The current version of each scope (one round trip; a scope seen for the first time, or
    evicted, gets a new one)."""
    keys = {_version_key(scope): scope for scope in scopes}
    found = cache.get_many(list(keys))
    result = {}
    for key, scope in keys.items():
        token = found.get(key)
        if token is None:
            token = _new_token()
            if not cache.add(key, token, None):  # another process got there first: use its token
                token = cache.get(key) or token
        result[scope] = token
    return result


class _Bump:
    """The on-commit callback of one write; while it waits, its scopes are pending (see module)."""

    def __init__(self, scopes: tuple[str, ...]) -> None:
        self.scopes = scopes
        self.done = False

    def __call__(self) -> None:
        self.done = True
        cache.set_many({_version_key(scope): _new_token() for scope in self.scopes}, None)


def bump(*scopes: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Give these scopes a new version when the current transaction commits (at once outside one)."""
    if scopes:
        transaction.on_commit(_Bump(tuple(dict.fromkeys(scopes))), using=using)


def forget_all() -> None:
    """A new EPOCH now, outside any transaction's timing: no entry stored so far is read again
    (the tests' start; other keys in the cache are left alone)."""
    _Bump((EPOCH,))()


def pending(scopes: Iterable[str], using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether this connection's open transaction wrote one of these scopes (not yet committed)."""
    connection = connections[using]
    waiting = connection.run_on_commit
    if not waiting:
        return False
    wanted = set(scopes)
    return any(isinstance(f, _Bump) and not f.done and wanted.intersection(f.scopes) for _s, f, _r in waiting)


def cached(name: str, scopes: tuple[str, ...], compute: Callable[[], T], timeout: int = TIMEOUT) -> T:
    """`compute()`'s plain data, kept under `name` with the versions of `scopes` it was read at.

    `name` must tell apart everything `compute` depends on besides the scopes' data (the ward id,
    the user id, a category id…); the scopes must cover every table it reads, and whatever writes
    those tables must bump them (see connect()). One round trip to the cache: the entry and the
    scopes' versions are read together, and an entry read at other versions is read afresh."""
    scopes = (*scopes, EPOCH)
    if pending(scopes):
        return compute()
    key = f"ref:{name}"
    version_keys = [_version_key(scope) for scope in scopes]
    found = cache.get_many([key, *version_keys])
    current = []
    for version_key in version_keys:
        token = found.get(version_key)
        if token is None:  # first use, or evicted: a new version
            token = _new_token()
            if not cache.add(version_key, token, None):  # another process got there first
                token = cache.get(version_key) or token
        current.append(token)
    entry = found.get(key)
    if entry is not None and entry[0] == current:
        return entry[1]
    value = compute()
    # Stored with the versions read before the database was: if a write committed meanwhile,
    # its bump makes the next read compute afresh.
    cache.set(key, (current, value), timeout)
    return value


# --- who bumps: the signals of every model the cached data reads ------------------------------
#
# Admin forms, services, factories and loaddata all save through the models, so their signals
# cover them. Writes that bypass the signals (QuerySet.update(), bulk_create(), COPY) call bump()
# themselves: wards.demo, businesses.demo, inspections.demo, checklist_version_publish,
# violation_type_flag, and ward_police.demo.seed_all (EPOCH, after everything).

# User fields the cached data reads: a save that names none of them (last_login at each login)
# bumps nothing.
_USER_FIELDS = frozenset({"ward", "is_active", "full_name", "username", "is_superuser"})


def _ward_of(instance: Any) -> list[str]:
    scopes = [ward_scope(instance.ward_id)]
    old = getattr(instance, "_refdata_old_ward_id", None)
    if old is not None and old != instance.ward_id:  # moved to another ward: both wards change
        scopes.append(ward_scope(old))
    return scopes


def _remember_ward(
    sender: Any, instance: Any, raw: bool = False, update_fields: Any = None, **_kw: Any
) -> None:
    """pre_save of a ward's record: note the ward it is leaving, if the save may move it."""
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and "ward" not in update_fields and "ward_id" not in update_fields:
        return
    instance._refdata_old_ward_id = (
        sender._base_manager.filter(pk=instance.pk).values_list("ward_id", flat=True).first()
    )


def _place_written(sender: Any, instance: Any, using: str = DEFAULT_DB_ALIAS, **_kw: Any) -> None:
    bump(*_ward_of(instance), using=using)


def _user_written(
    sender: Any, instance: Any, using: str = DEFAULT_DB_ALIAS, update_fields: Any = None, **_kw: Any
) -> None:
    if update_fields is not None and not _USER_FIELDS.intersection(update_fields):
        return
    bump(user_scope(instance.pk), *_ward_of(instance), using=using)


def _users_changed(user_ids: Iterable[int], using: str) -> None:
    from django.contrib.auth import get_user_model

    rows = get_user_model()._base_manager.using(using).filter(pk__in=list(user_ids))
    scopes = []
    for pk, ward_id in rows.values_list("pk", "ward_id"):
        scopes += [user_scope(pk), ward_scope(ward_id)]
    bump(*scopes, using=using)


def _user_links_changed(
    sender: Any,
    instance: Any,
    action: str,
    reverse: bool,
    pk_set: Any,
    using: str = DEFAULT_DB_ALIAS,
    **_kw: Any,
) -> None:
    """m2m_changed of User.groups and User.user_permissions, from either side."""
    if not action.startswith("post_"):
        return
    if not reverse:  # user.groups.add(…): this user
        bump(user_scope(instance.pk), ward_scope(instance.ward_id), using=using)
    elif pk_set:  # group.user_set.add(users…): those users
        _users_changed(pk_set, using)
    else:  # group.user_set.clear(): whoever was in it, so every user
        bump(ACCESS, using=using)


def _scope_receiver(*scopes: str) -> Callable[..., None]:
    def receiver(sender: Any, using: str = DEFAULT_DB_ALIAS, action: str = "post_", **_kw: Any) -> None:
        if action.startswith("post_"):
            bump(*scopes, using=using)

    return receiver


def _ward_written(sender: Any, instance: Any, using: str = DEFAULT_DB_ALIAS, **_kw: Any) -> None:
    bump(ward_scope(instance.pk), using=using)


_ACCESS_WRITTEN = _scope_receiver(ACCESS)
_CATEGORIES_WRITTEN = _scope_receiver(CATEGORIES)
_CHECKLISTS_WRITTEN = _scope_receiver(CHECKLISTS)
_CATALOGUE_WRITTEN = _scope_receiver(CATALOGUE)


def connect() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

    from businesses.models import BusinessCategory
    from inspections.models import ChecklistItem, ChecklistSection, ChecklistTemplate, ChecklistVersion
    from violations.models import ViolationType
    from wards.models import ResidentialGroup, Street, Ward

    def on_write(receiver: Callable[..., None], *models: Any) -> None:
        for model in models:
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(receiver, sender=model, dispatch_uid=f"refdata-{name}-{model._meta.label}")

    User = get_user_model()
    for model in (User, Street, ResidentialGroup):
        pre_save.connect(_remember_ward, sender=model, dispatch_uid=f"refdata-ward-{model._meta.label}")
    on_write(_user_written, User)
    on_write(_place_written, Street, ResidentialGroup)
    on_write(_ward_written, Ward)  # a ward made again under an id a deleted one had (restore, tests)
    on_write(_ACCESS_WRITTEN, Group, Permission)
    on_write(_CATEGORIES_WRITTEN, BusinessCategory)
    on_write(_CHECKLISTS_WRITTEN, ChecklistTemplate, ChecklistVersion, ChecklistSection, ChecklistItem)
    on_write(_CATALOGUE_WRITTEN, ViolationType)
    links = [
        (User.groups.through, _user_links_changed),
        (User.user_permissions.through, _user_links_changed),
        (Group.permissions.through, _ACCESS_WRITTEN),
        (ChecklistTemplate.categories.through, _CHECKLISTS_WRITTEN),
        (ChecklistItem.categories.through, _CHECKLISTS_WRITTEN),
        (ChecklistItem.violation_types.through, _CHECKLISTS_WRITTEN),
    ]
    for through, receiver in links:
        m2m_changed.connect(receiver, sender=through, dispatch_uid=f"refdata-m2m-{through._meta.label}")
