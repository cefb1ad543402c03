from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def test_login_page_is_vietnamese(client):
    response = client.get(LOGIN)
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert '<html lang="vi">' in body
    assert "Đăng nhập" in body
    assert "Tên đăng nhập" in body and "Mật khẩu" in body


def test_officer_logs_in_and_lands_on_their_day(client, alice):
    response = client.post(LOGIN, {"username": "alice", "password": TEST_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("my:day")
    assert "Việc của tôi" in response.content.decode()


def test_wrong_password_says_so_in_vietnamese(client, alice):
    response = client.post(LOGIN, {"username": "alice", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_six_wrong_passwords_lock_the_account_until_the_cool_off(client, alice, settings):
    for _ in range(6):
        client.post(LOGIN, {"username": "alice", "password": "sai-mat-khau"})
    response = client.post(LOGIN, {"username": "alice", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "tạm khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session

    # After the cool-off the right password works again.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    response = client.post(LOGIN, {"username": "alice", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_lockout_is_per_username_so_colleagues_at_the_same_station_still_log_in(client, alice, lena):
    for _ in range(6):
        client.post(LOGIN, {"username": "alice", "password": "sai-mat-khau"})
    response = client.post(LOGIN, {"username": "lena", "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_logout_needs_post_and_ends_the_session(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_pages_stay_vietnamese_for_an_english_browser_until_the_user_chooses_english(client):
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Đăng nhập" in response.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": LOGIN})
    response = client.get(LOGIN)
    assert '<html lang="en">' in response.content.decode()
    assert "Log in" in response.content.decode()
