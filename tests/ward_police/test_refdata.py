"""Reference data read through the cache (ward_police/refdata.py): for each kind, a read, a write
through the normal path (the admin, a service, the demo's bulk load), and the new value read at
once; another ward's data never shows. The tests commit for real (transactional), as the site
does: the versions are bumped when the writing transaction commits."""

from __future__ import annotations

import html
import os
import re
import uuid
from datetime import date

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_create, user_set_role
from businesses.models import BusinessCategory
from inspections.selectors import ward_inspector_rows
from inspections.structure import catalogue_in_force
from tests.factories import ResidentialGroupFactory, StreetFactory
from tests.inspections.factories import BusinessFactory, published_checklist
from tests.violations.factories import ViolationTypeFactory
from violations.forms import type_choices
from violations.services import violation_type_flag
from ward_police import refdata
from wards import demo as wards_demo
from wards.models import Street
from wards.places import STREET, PagePlaces

pytestmark = pytest.mark.django_db(transaction=True)


def _queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return result, len(ctx.captured_queries)


def fresh(user: User) -> User:
    """The user as the next request loads it (no roles remembered on the instance)."""
    return User.objects.select_related("ward").get(pk=user.pk)


def select_options(page: str, name: str) -> list[str]:
    """The labels of a page's <select name=…> options."""
    found = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert found, f"no select {name}"
    return [
        html.unescape(label).strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", found[1], re.S)
    ]


def street_names(user: User) -> list[str]:
    return [name for _pk, name in PagePlaces(fresh(user)).choices(STREET)]


# --- the cache backends the site runs on ------------------------------------------------------


def _redis_url() -> str:
    for name in ("CACHE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
        if os.environ.get(name, "").startswith("redis://"):
            return os.environ[name]
    return ""


@pytest.fixture(params=["locmem", "redis"])
def backend(request, settings):
    """Local memory (the embedded mode) and Redis (the full stack; CI sets REDIS_URL). On Redis the
    keys get a prefix of their own and are deleted afterwards: the database may be shared."""
    if request.param == "locmem":
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        yield request.param
        return
    url = _redis_url()
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI runs the cache tests on Redis too: set REDIS_URL=redis://…")
        pytest.skip("no Redis: set REDIS_URL=redis://127.0.0.1:6379/<db> to run the Redis variant")
    prefix = f"test-refdata-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    yield request.param
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


# --- the mechanism ----------------------------------------------------------------------------


def test_a_value_is_read_once_and_again_after_its_scope_is_bumped(backend):
    calls = []

    def compute():
        calls.append(1)
        return ("Hàng Bông", len(calls))

    assert refdata.cached("demo:ward:1", (refdata.ward_scope(1),), compute) == ("Hàng Bông", 1)
    assert refdata.cached("demo:ward:1", (refdata.ward_scope(1),), compute) == ("Hàng Bông", 1)
    refdata.bump(refdata.ward_scope(2))  # another ward's write
    assert refdata.cached("demo:ward:1", (refdata.ward_scope(1),), compute) == ("Hàng Bông", 1)
    refdata.bump(refdata.ward_scope(1))
    assert refdata.cached("demo:ward:1", (refdata.ward_scope(1),), compute) == ("Hàng Bông", 2)
    # An evicted version key comes back as a new version, never as an old one.
    cache.delete("refver:ward:1")
    assert refdata.cached("demo:ward:1", (refdata.ward_scope(1),), compute) == ("Hàng Bông", 3)
    refdata.forget_all()
    assert refdata.cached("demo:ward:1", (refdata.ward_scope(1),), compute) == ("Hàng Bông", 4)


def test_a_rolled_back_write_leaves_nothing_in_the_cache(backend, alice, ward_a):
    StreetFactory(ward=ward_a, name="Hàng Bông")
    assert street_names(alice) == ["Hàng Bông"]
    with pytest.raises(RuntimeError), transaction.atomic():
        StreetFactory(ward=ward_a, name="Phố Huế")
        # Inside the writing transaction the page sees its own write, from the database.
        assert street_names(alice) == ["Hàng Bông", "Phố Huế"]
        raise RuntimeError("rolled back")
    assert street_names(alice) == ["Hàng Bông"]
    _names, n = _queries(lambda: street_names(alice))
    assert n == 1  # the user; the places come from the cache


def test_the_version_is_bumped_at_commit_not_before(alice, ward_a):
    """Bumped before the commit, another process could store the old rows under the new version."""
    StreetFactory(ward=ward_a, name="Hàng Bông")
    version = refdata.versions([refdata.ward_scope(ward_a.pk)])
    with transaction.atomic():
        StreetFactory(ward=ward_a, name="Phố Huế")
        assert refdata.versions([refdata.ward_scope(ward_a.pk)]) == version
    assert refdata.versions([refdata.ward_scope(ward_a.pk)]) != version


# --- each kind of reference data: read, write the normal way, read the new value ----------------


def test_roles_and_page_permissions_follow_the_role_service_and_the_group_admin(client, alice, root):
    assert fresh(alice).roles == {Role.OFFICER}
    roles, n = _queries(lambda: fresh(alice).roles)
    assert n == 1 and roles == {Role.OFFICER}  # the user's row; roles from the cache
    user_set_role(user=alice, role=Role.LEADER)
    assert fresh(alice).roles == {Role.LEADER}

    # The administrator gives the leaders the city dashboard in the group admin.
    leaders = Group.objects.get(name=Role.LEADER)
    city = Permission.objects.get(codename="view_city_dashboard")
    assert not fresh(alice).has_page_permission("dashboards.view_city_dashboard")
    client.force_login(root)
    response = client.post(
        reverse("admin:auth_group_change", args=[leaders.pk]),
        {"name": leaders.name, "permissions": [*leaders.permissions.values_list("pk", flat=True), city.pk]},
    )
    assert response.status_code == 302
    assert fresh(alice).has_page_permission("dashboards.view_city_dashboard")
    client.force_login(alice)
    assert client.get(reverse("dashboards:city")).status_code == 200

    # From the group's side: the chairmen's group takes alice in.
    Group.objects.get(name=Role.CHAIRMAN).user_set.add(alice)
    assert fresh(alice).roles == {Role.LEADER, Role.CHAIRMAN}
    Group.objects.get(name=Role.CHAIRMAN).user_set.clear()
    assert fresh(alice).roles == {Role.LEADER}


def test_a_wards_streets_and_groups_follow_the_admin(client, alice, root, ward_a):
    StreetFactory(ward=ward_a, name="Hàng Bông")
    ResidentialGroupFactory(ward=ward_a, name="Tổ dân phố số 1")
    client.force_login(alice)
    page = client.get(reverse("businesses:list")).content.decode()
    assert "Hàng Bông" in page and "Tổ dân phố số 1" in page and "Phố Huế" not in page

    client.force_login(root)
    added = client.post(reverse("admin:wards_street_add"), {"ward": ward_a.pk, "name": "Phố Huế"})
    assert added.status_code == 302
    group = client.post(
        reverse("admin:wards_residentialgroup_add"),
        {"ward": ward_a.pk, "name": "Tổ dân phố số 2", "leader_name": ""},
    )
    assert group.status_code == 302
    client.force_login(alice)
    page = client.get(reverse("businesses:list")).content.decode()
    assert "Phố Huế" in page and "Tổ dân phố số 2" in page

    street = Street.objects.get(name="Hàng Bông")
    client.force_login(root)
    renamed = client.post(
        reverse("admin:wards_street_change", args=[street.pk]), {"ward": ward_a.pk, "name": "Hàng Bông Nhuộm"}
    )
    assert renamed.status_code == 302
    assert street_names(alice) == ["Hàng Bông Nhuộm", "Phố Huế"]
    deleted = client.post(reverse("admin:wards_street_delete", args=[street.pk]), {"post": "yes"})
    assert deleted.status_code == 302
    assert street_names(alice) == ["Phố Huế"]


def test_a_street_moved_to_another_ward_leaves_the_first_wards_list(alice, bob, ward_a, ward_b):
    street = StreetFactory(ward=ward_a, name="Hàng Bông")
    assert street_names(alice) == ["Hàng Bông"] and street_names(bob) == []
    street.ward = ward_b
    street.save()
    assert street_names(alice) == [] and street_names(bob) == ["Hàng Bông"]


def test_another_wards_places_never_appear(client, alice, bob, ward_a, ward_b):
    StreetFactory(ward=ward_a, name="Hàng Bông")
    StreetFactory(ward=ward_b, name="Quán Thánh")
    for _round in range(2):  # cold, then both from the cache at once
        assert street_names(alice) == ["Hàng Bông"]
        assert street_names(bob) == ["Quán Thánh"]
    client.force_login(alice)
    page = client.get(reverse("businesses:list")).content.decode()
    assert "Hàng Bông" in page and "Quán Thánh" not in page
    StreetFactory(ward=ward_b, name="Phan Đình Phùng")
    assert street_names(alice) == ["Hàng Bông"]
    assert street_names(bob) == ["Phan Đình Phùng", "Quán Thánh"]


def test_business_categories_follow_the_admin(client, alice, root, ward_a):
    BusinessCategory.objects.create(code="karaoke", name="Karaoke")
    client.force_login(alice)
    assert "Karaoke" in select_options(client.get(reverse("businesses:list")).content.decode(), "category")
    client.force_login(root)
    added = client.post(
        reverse("admin:businesses_businesscategory_add"),
        {"code": "cam-do", "name": "Cầm đồ", "requires_security_certificate": "on", "is_active": "on"},
    )
    assert added.status_code == 302
    karaoke = BusinessCategory.objects.get(code="karaoke")
    retired = client.post(
        reverse("admin:businesses_businesscategory_change", args=[karaoke.pk]),
        {"code": "karaoke", "name": "Karaoke"},  # "in use" unticked
    )
    assert retired.status_code == 302
    client.force_login(alice)
    page = client.get(reverse("businesses:list")).content.decode()
    assert "Cầm đồ" in select_options(page, "category")
    assert "Karaoke" not in select_options(page, "category")


def test_a_wards_officers_follow_the_user_services_and_saves(client, alice, lena, bob, ward_a, ward_b):
    names = lambda ward: [u.full_name for u in ward_inspector_rows(ward.pk)]  # noqa: E731
    alice.full_name, lena.full_name, bob.full_name = "Lê Văn An", "Phạm Thị Lan", "Trần Văn Bảo"
    for user in (alice, lena, bob):
        user.save()
    assert names(ward_a) == ["Lê Văn An", "Phạm Thị Lan"] and names(ward_b) == ["Trần Văn Bảo"]
    _rows, n = _queries(lambda: names(ward_a))
    assert n == 0
    user_create(username="minh", password=None, role=Role.OFFICER, ward=ward_a, full_name="Đỗ Văn Minh")
    assert names(ward_a) == ["Lê Văn An", "Phạm Thị Lan", "Đỗ Văn Minh"]
    minh = User.objects.get(username="minh")
    minh.is_active = False
    minh.save()
    assert "Đỗ Văn Minh" not in names(ward_a)
    # Moved to ward B: gone from A's list, in B's.
    alice.ward = ward_b
    alice.save()
    assert names(ward_a) == ["Phạm Thị Lan"] and names(ward_b) == ["Lê Văn An", "Trần Văn Bảo"]
    # A login writes last_login only: nothing is bumped.
    version = refdata.versions([refdata.ward_scope(ward_a.pk)])
    client.force_login(lena)
    assert refdata.versions([refdata.ward_scope(ward_a.pk)]) == version

    # What the officer sees: the inspection form's officers.
    cafe = BusinessFactory(ward=ward_a)
    published_checklist()
    page = client.get(reverse("inspections:new") + f"?business={cafe.pk}").content.decode()
    assert "Phạm Thị Lan" in page and "Lê Văn An" not in page and "Trần Văn Bảo" not in page


def test_violation_type_titles_follow_the_catalogue(client, alice, root):
    entry = ViolationTypeFactory(code="lan-chiem-via-he", title="Lấn chiếm vỉa hè")
    client.force_login(alice)
    assert "Lấn chiếm vỉa hè" in client.get(reverse("violations:list")).content.decode()
    assert ("lan-chiem-via-he", "Lấn chiếm vỉa hè") in type_choices()
    today = date(2026, 1, 5)
    assert [code for code, _t, _d in catalogue_in_force(today)] == ["lan-chiem-via-he"]

    entry.title = "Lấn chiếm vỉa hè để kinh doanh"
    entry.save()
    assert "Lấn chiếm vỉa hè để kinh doanh" in client.get(reverse("violations:list")).content.decode()
    assert catalogue_in_force(today)[0][1] == "Lấn chiếm vỉa hè để kinh doanh"
    version = refdata.versions([refdata.CATALOGUE])
    violation_type_flag(violation_type=entry, user=root)  # an update(): bumped by the service
    assert refdata.versions([refdata.CATALOGUE]) != version
    entry.delete()
    assert type_choices() == [] and catalogue_in_force(today) == ()


def test_the_demo_seeds_bulk_created_streets_are_read_at_once(alice, ward_a):
    """bulk_create sends no signal: the demo's seed bumps the ward itself."""
    StreetFactory(ward=ward_a, name="Hàng Bông")
    assert street_names(alice) == ["Hàng Bông"]
    wards_demo._ward(
        code=ward_a.code,
        name=ward_a.name,
        province=ward_a.province,
        former_names=[],
        streets=["Phố Huế"],
        groups=0,
    )
    assert street_names(alice) == ["Hàng Bông", "Phố Huế"]
