"""A Vietnamese full name is one field, shown as written; the migration keeps existing names."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from accounts.demo import DEMO_USERS
from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_header_shows_the_name_as_written(client):
    officer = UserFactory(full_name="Nguyễn Văn Minh")
    client.force_login(officer)
    html = client.get(reverse("businesses:list")).content.decode()
    assert "Nguyễn Văn Minh" in html
    assert officer.get_short_name() == "Minh"


def test_the_demo_administrator_is_quan_tri_vien():
    admin_row = next(row for row in DEMO_USERS if row[0] == "admin")
    assert admin_row[3] == "Quản trị viên"


@pytest.mark.django_db(transaction=True)
def test_the_migration_joins_first_and_last_name_and_splits_them_back():
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0002_user_otp_changed_at")])
    old = executor.loader.project_state([("accounts", "0002_user_otp_changed_at")]).apps
    OldUser = old.get_model("accounts", "User")
    OldUser.objects.create(username="admin", first_name="Quản trị", last_name="viên")
    OldUser.objects.create(username="minh", first_name="Minh", last_name="Nguyễn Văn")

    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0003_ui26_full_name")])
    new = executor.loader.project_state([("accounts", "0003_ui26_full_name")]).apps
    names = dict(new.get_model("accounts", "User").objects.values_list("username", "full_name"))
    assert names == {"admin": "Quản trị viên", "minh": "Nguyễn Văn Minh"}

    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0002_user_otp_changed_at")])
    back = executor.loader.project_state([("accounts", "0002_user_otp_changed_at")]).apps
    row = back.get_model("accounts", "User").objects.get(username="minh")
    assert (row.last_name, row.first_name) == ("Nguyễn Văn", "Minh")

    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
    assert User.objects.count() == 2
