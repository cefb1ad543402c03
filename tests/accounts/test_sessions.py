import logging
import time

import pytest
from django.urls import reverse

from accounts.middleware import LAST_SEEN, STARTED
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

HOME = "/dashboard/"


def _age_session(client, **shifts):
    session = client.session
    for key, seconds in shifts.items():
        session[key] = int(time.time()) - seconds
    session.save()


def test_session_key_changes_at_login(client, alice):
    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key
    client.post("/accounts/login/", {"username": "alice", "password": TEST_PASSWORD})
    assert client.session.session_key != before


def test_idle_session_is_logged_out_with_a_message(client, alice):
    client.force_login(alice)
    assert client.get(HOME).status_code == 200
    _age_session(client, **{LAST_SEEN: 31 * 60})
    response = client.get(HOME, follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("accounts:login"))
    assert "không có thao tác" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_active_session_ends_after_the_absolute_timeout(client, alice):
    client.force_login(alice)
    client.get(HOME)
    _age_session(client, **{STARTED: 13 * 3600, LAST_SEEN: 10})
    response = client.get(HOME)
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_deactivated_users_open_session_stops_at_the_next_request(client, alice):
    client.force_login(alice)
    assert client.get(HOME).status_code == 200
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_logins_and_refusals_are_logged(client, alice, bob, ward_a, caplog):
    caplog.set_level(logging.INFO, logger="security")
    client.post("/accounts/login/", {"username": "alice", "password": "sai"})
    client.post("/accounts/login/", {"username": "alice", "password": TEST_PASSWORD})
    client.force_login(bob)
    client.get(reverse("wards:detail", args=[ward_a.pk]))
    text = caplog.text
    assert "login failed user=alice" in text
    assert "login ok user=alice" in text
    assert f"refused 404 GET /wards/{ward_a.pk}/ user={bob.pk}" in text
