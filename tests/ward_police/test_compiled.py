"""A CompiledQuery sends the SQL the ORM wrote for its queryset, with each call's values."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.roles import Role
from tests.factories import StreetFactory, UserFactory
from ward_police.compiled import CompiledQuery
from wards.models import Street

pytestmark = pytest.mark.django_db


def _streets(ward_id: int, min_pk: int):
    return Street.objects.filter(ward_id=ward_id, pk__gte=min_pk).order_by("name").values_list("pk", "name")


def test_rows_are_the_querysets_rows_for_each_calls_values(ward_a, ward_b):
    for ward, names in ((ward_a, ["Phố Hàng Bạc", "Đường Láng", "Phố Huế"]), (ward_b, ["Phố Cửa Bắc"])):
        for name in names:
            Street.objects.create(ward=ward, name=name)
    query = CompiledQuery(_streets)
    first_pk = Street.objects.filter(ward=ward_a).order_by("pk").first().pk
    for ward_id, min_pk in ((ward_a.pk, 0), (ward_b.pk, 0), (ward_a.pk, first_pk + 1), (999_999, 0)):
        assert query.rows(ward_id=ward_id, min_pk=min_pk) == list(_streets(ward_id, min_pk))
    assert query.rows(ward_id=ward_b.pk, min_pk=0)[0][1] == "Phố Cửa Bắc"


def test_the_sql_is_built_once_and_each_call_is_one_query(ward_a):
    built = []

    def build(ward_id: int):
        built.append(ward_id)
        return _streets(ward_id, 0)

    query = CompiledQuery(build)
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(3):
            query.rows(ward_id=ward_a.pk)
    assert len(built) == 1
    assert len(ctx.captured_queries) == 3


def test_an_argument_the_sql_does_not_carry_is_refused(ward_a):
    query = CompiledQuery(lambda ward_id, unused: _streets(ward_id, 0))
    with pytest.raises(ValueError, match="unused"):
        query.rows(ward_id=ward_a.pk, unused=1)


def test_a_users_roles_and_page_permissions_follow_the_database(ward_a, alice, lena, root):
    assert alice.roles == {Role.OFFICER}
    assert not alice.has_page_permission("dashboards.view_city_dashboard")
    assert User.objects.get(pk=lena.pk).roles == {Role.LEADER}
    # Granted directly, and through a group: a fresh read of the user sees both.
    city = Permission.objects.get(content_type__app_label="dashboards", codename="view_city_dashboard")
    alice.user_permissions.add(city)
    fresh = User.objects.get(pk=alice.pk)
    assert fresh.has_page_permission("dashboards.view_city_dashboard")
    assert fresh.roles == {Role.OFFICER}
    viewers = Group.objects.create(name="city viewers")
    viewers.permissions.add(city)
    other = UserFactory(username="dung", ward=ward_a, role=Role.CHAIRMAN)
    assert not User.objects.get(pk=other.pk).has_page_permission("dashboards.view_city_dashboard")
    other.groups.add(viewers)
    again = User.objects.get(pk=other.pk)
    assert again.has_page_permission("dashboards.view_city_dashboard")
    assert again.roles == {Role.CHAIRMAN}  # a group that is not a role is not a role
    assert root.has_page_permission("violations.add_violation") and root.roles == {Role.ADMIN}
    assert User(username="new").roles == frozenset()


def test_an_in_list_is_compiled_once_for_up_to_its_size_and_longer_lists_are_refused(ward_a):
    from ward_police.compiled import CompiledQuery

    streets = [StreetFactory(ward=ward_a, name=f"Phố {n}") for n in range(4)]
    query = CompiledQuery(
        lambda ids: Street.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "name"),
        lists={"ids": 3},
    )
    assert query.rows(ids=[streets[2].pk]) == [(streets[2].pk, "Phố 2")]
    with CaptureQueriesContext(connection) as queries:
        two = query.rows(ids=[streets[3].pk, streets[0].pk])
        three = query.rows(ids=[s.pk for s in streets[:3]])
    assert two == [(streets[0].pk, "Phố 0"), (streets[3].pk, "Phố 3")]
    assert three == [(s.pk, s.name) for s in streets[:3]]
    assert len(queries) == 2
    with pytest.raises(ValueError):
        query.rows(ids=[s.pk for s in streets])
    with pytest.raises(ValueError):
        query.rows(ids=[])
