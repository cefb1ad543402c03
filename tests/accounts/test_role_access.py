"""Each role's access to a page of each kind: read page, scoped detail, write page, admin."""

import pytest
from django.urls import reverse

from wards.models import Street

pytestmark = pytest.mark.django_db

ROLES = ["officer", "leader", "chairman", "admin"]


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_overview_of_its_ward(client, users, role):
    response = get(client, users[role], reverse("dashboards:home"))
    assert response.status_code == 200
    assert "Phường Điện Biên" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_its_ward_detail(client, users, ward_a, role):
    response = get(client, users[role], reverse("wards:detail", args=[ward_a.pk]))
    assert response.status_code == 200
    assert "Tổ dân phố" in response.content.decode()


def test_officer_of_other_ward_gets_404_for_ward_detail(client, bob, ward_a):
    response = get(client, bob, reverse("wards:detail", args=[ward_a.pk]))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"), [("officer", 403), ("chairman", 403), ("leader", 200), ("admin", 200)]
)
def test_write_page_is_for_leaders_and_admins_only(client, users, ward_a, role, status):
    response = get(client, users[role], reverse("wards:street_new", args=[ward_a.pk]))
    assert response.status_code == status
    if status == 403:
        assert "Bạn không có quyền" in response.content.decode()


def test_chairman_post_is_refused_and_nothing_is_stored(client, charlie, ward_a):
    client.force_login(charlie)
    response = client.post(reverse("wards:street_new", args=[ward_a.pk]), {"name": "Phố Mới"})
    assert response.status_code == 403
    assert not Street.objects.filter(name="Phố Mới").exists()


def test_leader_adds_a_street_and_sees_it(client, lena, ward_a):
    client.force_login(lena)
    response = client.post(
        reverse("wards:street_new", args=[ward_a.pk]), {"name": "  Phố   Lê Trực "}, follow=True
    )
    assert Street.objects.get(ward=ward_a).name == "Phố Lê Trực"
    body = response.content.decode()
    assert "Đã thêm phố “Phố Lê Trực”" in body


def test_duplicate_street_gets_a_clear_error_and_keeps_the_input(client, lena, ward_a):
    client.force_login(lena)
    url = reverse("wards:street_new", args=[ward_a.pk])
    client.post(url, {"name": "Hoàng Diệu"})
    response = client.post(url, {"name": "Hoàng Diệu"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "đã có phố" in body
    assert 'value="Hoàng Diệu"' in body
    assert Street.objects.filter(ward=ward_a).count() == 1


def test_leader_of_other_ward_cannot_add_a_street_to_ward_a(client, ward_a, ward_b):
    from accounts.roles import Role
    from tests.factories import UserFactory

    other_leader = UserFactory(ward=ward_b, role=Role.LEADER)
    client.force_login(other_leader)
    response = client.post(reverse("wards:street_new", args=[ward_a.pk]), {"name": "Phố Lạ"})
    assert response.status_code == 404
    assert not Street.objects.exists()


@pytest.mark.parametrize("url_name", ["dashboards:home", "wards:mine"])
def test_anonymous_user_is_sent_to_login(client, url_name):
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize(
    ("role", "status"), [("officer", 302), ("chairman", 302), ("leader", 302), ("admin", 200)]
)
def test_django_admin_is_for_admins_only(client, users, role, status):
    response = get(client, users[role], "/admin/")
    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "expected", "absent"),
    [
        ("officer", ["Tổng quan", "Địa bàn"], ["Quản trị hệ thống"]),
        ("chairman", ["Tổng quan", "Địa bàn"], ["Quản trị hệ thống"]),
        ("admin", ["Tổng quan", "Quản trị hệ thống"], []),
    ],
)
def test_navigation_depends_on_role(client, users, role, expected, absent):
    body = get(client, users[role], reverse("dashboards:home")).content.decode()
    nav = body[body.index('id="main-nav"') : body.index("</nav>")]
    for label in expected:
        assert label in nav
    for label in absent:
        assert label not in nav


def test_migrate_gives_every_role_the_permissions_of_every_app():
    """An upgrade that adds an app must reach existing role groups (they are synced after the last
    app's post_migrate), so a leader can sign violation records without a manual step."""
    from django.contrib.auth.models import Group, Permission
    from django.core.management import call_command

    from accounts.roles import Role

    leader_group = Group.objects.get(name=Role.LEADER)
    leader_group.permissions.clear()  # as if the group predates the violations app
    call_command("migrate", verbosity=0)
    sign = Permission.objects.get(codename="sign_violation")
    assert leader_group.permissions.filter(pk=sign.pk).exists()
