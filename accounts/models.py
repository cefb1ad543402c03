from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ward_police import refdata

from .roles import MANAGER_ROLES, WRITER_ROLES, Role


class User(AbstractUser):
    """A person who logs in. Every non-admin user belongs to exactly one ward."""

    ward = models.ForeignKey(
        "wards.Ward",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("ward"),
    )
    # A Vietnamese name is one text in the order people write it ("Nguyễn Văn Minh"); split in
    # two (first/last) it came out backwards ("viên Quản trị").
    first_name = None
    last_name = None
    full_name = models.CharField(
        _("full name"), max_length=150, blank=True, help_text=_("As written, e.g. “Nguyễn Văn Minh”.")
    )
    rank_title = models.CharField(
        _("rank and title"),
        max_length=120,
        blank=True,
        help_text=_("e.g. “Trung tá, Phó Trưởng Công an phường”."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # An area police officer (cảnh sát khu vực) answers for some streets of the ward: the
    # commitments of the businesses there show on their day page (/my/) and in their notifications.
    streets = models.ManyToManyField(
        "wards.Street",
        blank=True,
        related_name="officers",
        verbose_name=_("streets in charge"),
        help_text=_("Streets of the user's ward this officer answers for (area police)."),
    )
    # When two-step verification was last turned on, moved or off: part of the session hash, so
    # such a change ends the user's other open sessions (as a password change does).
    otp_changed_at = models.DateTimeField(_("two-step verification changed at"), null=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        if self.otp_changed_at is None:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "accounts.User.get_session_auth_hash",
            f"{self.password}|{self.otp_changed_at.isoformat()}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_full_name(self) -> str:
        return self.full_name.strip()

    def get_short_name(self) -> str:
        # The given name, which Vietnamese write last and address people by.
        return self.full_name.split()[-1] if self.full_name.strip() else ""

    # Permissions that pages ask about on every request, read in the same query as the roles.
    PAGE_PERMISSIONS = ("dashboards.view_city_dashboard", "violations.add_violation")

    @cached_property
    def _access(self) -> frozenset[str]:
        """Group names and the PAGE_PERMISSIONS this user holds (directly or through a group):
        every page needs them, and they change a few times a year, so they are read through the
        cache (ward_police/refdata.py; bumped by accounts/signals.py)."""
        if self.pk is None:
            return frozenset()
        return frozenset(
            refdata.cached(
                f"access:ward:{self.ward_id}:user:{self.pk}",
                (refdata.user_scope(self.pk), refdata.ACCESS),
                lambda: tuple(_access_queryset(self.pk)),
            )
        )

    @cached_property
    def roles(self) -> frozenset[str]:
        if self.is_superuser:
            return frozenset({Role.ADMIN})
        valid = set(Role.values)
        return frozenset(name for name in self._access if name in valid)

    def has_page_permission(self, code: str) -> bool:
        """One of PAGE_PERMISSIONS, without a query of its own (superusers hold them all)."""
        return self.is_active and (self.is_superuser or f"perm:{code}" in self._access)

    @property
    def role(self) -> str | None:
        """The user's main role (a user normally has one)."""
        for role in (Role.ADMIN, Role.LEADER, Role.OFFICER, Role.CHAIRMAN):
            if role in self.roles:
                return role
        return None

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def can_write(self) -> bool:
        return self.has_role(*WRITER_ROLES)

    @property
    def can_manage(self) -> bool:
        return self.has_role(*MANAGER_ROLES)

    def visible_ward_ids(self) -> list[int] | None:
        """Wards whose records this user may see; None means every ward (superusers)."""
        if self.is_superuser:
            return None
        return [self.ward_id] if self.ward_id else []


def _access_queryset(user_id: int):
    """User._access's query: the user's group names, and "perm:<app>.<codename>" for each of
    User.PAGE_PERMISSIONS held directly or through a group."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import CharField, Q, Value
    from django.db.models.functions import Concat

    groups = Group.objects.filter(user__id=user_id).order_by().values_list("name", flat=True)
    wanted = Q()
    for code in User.PAGE_PERMISSIONS:
        app_label, codename = code.split(".", 1)
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    perms = (
        Permission.objects.filter(wanted)
        .filter(Q(user__id=user_id) | Q(group__user__id=user_id))
        .order_by()  # a UNION member may not be ordered (SQLite)
        .annotate(
            code=Concat(
                Value("perm:"),
                "content_type__app_label",
                Value("."),
                "codename",
                output_field=CharField(),
            )
        )
        .values_list("code", flat=True)
    )
    return groups.union(perms)
