"""Two-step verification: an authenticator app (TOTP) and backup codes, on django-otp.

The codes are computed here from the secret shown on the enrolment page, with RFC 6238 written
out in full, as a phone app would compute them.
"""

import base64
import hashlib
import hmac
import re
import struct
import time

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import otp
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
HOME = "/dashboard/"
SETUP = "/accounts/security/authenticator/"
VERIFY = "/accounts/verify/"


def totp(secret_b32: str, at: float | None = None) -> str:
    """RFC 6238: HMAC-SHA1 over the 30-second counter, dynamically truncated to 6 digits."""
    key = base64.b32decode(secret_b32.replace(" ", ""))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def next_code(secret: str) -> str:
    # The code of the next 30-second step: accepted (one step of tolerance) and never the one
    # already used at enrolment.
    return totp(secret, time.time() + 30)


def enrol(client) -> tuple[str, list[str]]:
    """Turn two-step verification on through the pages; returns the secret and backup codes."""
    page = client.get(SETUP).content.decode()
    secret = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', page).group(1)
    response = client.post(SETUP, {"code": totp(secret)}, follow=True)
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    return secret, codes


def password_login(client, username: str, next_url: str = HOME):
    return client.post(f"{LOGIN}?next={next_url}", {"username": username, "password": TEST_PASSWORD})


def test_enrolment_page_shows_a_qr_code_and_the_key_in_vietnamese(client, lena):
    client.force_login(lena)
    body = client.get(SETUP).content.decode()
    assert "Thiết lập xác thực hai bước" in body
    assert '<img class="otp-qr" src="data:image/png;base64,' in body
    assert "Mã QR để quét bằng ứng dụng xác thực" in body
    assert re.search(r'id="otp-secret">[A-Z2-7]{4}( [A-Z2-7]{4}){7}<', body)


def test_leader_turns_on_two_step_verification_and_gets_ten_backup_codes(client, lena):
    client.force_login(lena)
    _secret, codes = enrol(client)
    assert len(codes) == len(set(codes)) == 10
    device = TOTPDevice.objects.get(user=lena)
    assert device.confirmed
    assert set(StaticToken.objects.filter(device__user=lena).values_list("token", flat=True)) == set(codes)
    body = client.get(reverse("accounts:security")).content.decode()
    assert "Đang bật" in body
    assert "Còn 10 mã dự phòng chưa dùng" in body


def test_a_wrong_code_at_enrolment_turns_nothing_on(client, lena):
    client.force_login(lena)
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000"})
    assert "Mã không khớp" in response.content.decode()
    assert not TOTPDevice.objects.exists()
    response = client.post(SETUP, {"code": "12ab"})
    assert "Hãy nhập 6 chữ số" in response.content.decode()


def test_after_the_password_the_app_code_is_asked_before_anything_else(client, lena):
    client.force_login(lena)
    secret, _codes = enrol(client)
    client.post(reverse("accounts:logout"))

    response = password_login(client, "lena")
    assert response.status_code == 302
    # The password alone opens nothing: every page sends the user to the code step.
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    page = client.get(response["Location"]).content.decode()
    assert "Xác thực hai bước" in page and "mã dự phòng" in page

    response = client.post(VERIFY, {"code": next_code(secret), "next": HOME})
    assert response.status_code == 302 and response["Location"] == HOME
    assert client.get(HOME).status_code == 200


def test_the_code_used_at_enrolment_cannot_be_replayed_to_log_in(client, lena):
    client.force_login(lena)
    page = client.get(SETUP).content.decode()
    secret = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', page).group(1)
    used = totp(secret)
    client.post(SETUP, {"code": used})
    client.post(reverse("accounts:logout"))
    password_login(client, "lena")
    response = client.post(VERIFY, {"code": used})
    assert response.status_code == 200
    assert "Mã không đúng hoặc đã hết hạn" in response.content.decode()
    assert client.get(HOME).status_code == 302


def test_a_backup_code_works_once_when_the_phone_is_lost(client, lena):
    client.force_login(lena)
    _secret, codes = enrol(client)
    client.post(reverse("accounts:logout"))

    password_login(client, "lena")
    response = client.post(VERIFY, {"code": codes[0].upper()[:4] + " " + codes[0][4:]}, follow=True)
    assert response.redirect_chain[-1][0] == "/my/leader/"  # a leader lands on their desk
    assert "còn 9 mã" in response.content.decode()
    client.post(reverse("accounts:logout"))

    password_login(client, "lena")
    response = client.post(VERIFY, {"code": codes[0]})
    assert "Mã không đúng hoặc đã hết hạn" in response.content.decode()
    assert StaticToken.objects.filter(device__user=lena).count() == 9


def test_wrong_codes_slow_further_tries_down(client, lena):
    client.force_login(lena)
    secret, _codes = enrol(client)
    client.post(reverse("accounts:logout"))
    password_login(client, "lena")
    device = TOTPDevice.objects.get(user=lena)
    for _ in range(2):
        response = client.post(VERIFY, {"code": "999999"})
        assert response.status_code == 200
        assert "Mã không đúng hoặc đã hết hạn" in response.content.decode()
        assert "_auth_user_id" in client.session and not client.session.get(DEVICE_ID_SESSION_KEY)
    device.refresh_from_db()
    # The first wrong code is stored; the second may come within the pause it started (refused
    # without being counted) or just after it.
    failures = device.throttling_failure_count
    assert failures in (1, 2) and device.throttling_failure_timestamp is not None
    # Even the right code is refused during the pause that follows wrong ones.
    response = client.post(VERIFY, {"code": next_code(secret)})
    assert response.status_code == 200
    assert "Mã không đúng hoặc đã hết hạn" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == failures  # not reset: the right code was not accepted
    assert not client.session.get(DEVICE_ID_SESSION_KEY)
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


def test_new_backup_codes_replace_the_old_ones(client, lena):
    client.force_login(lena)
    _secret, old = enrol(client)
    response = client.post(reverse("accounts:otp_backup_codes"), follow=True)
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert "các mã cũ không còn dùng được" in response.content.decode()


def test_turning_it_on_ends_the_users_other_sessions_but_not_this_one(client, lena):
    from django.test import Client

    other = Client()
    other.force_login(lena)  # e.g. a phone left logged in
    assert other.get(HOME).status_code == 200
    client.force_login(lena)
    enrol(client)
    response = other.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert client.get(HOME).status_code == 200


def test_the_backup_codes_page_shows_the_codes_only_once(client, lena):
    client.force_login(lena)
    enrol(client)
    response = client.get(reverse("accounts:otp_backup_codes"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:security")


def test_a_leader_may_turn_it_off_again(client, lena):
    client.force_login(lena)
    enrol(client)
    response = client.post(reverse("accounts:otp_disable"), follow=True)
    assert "Đã tắt xác thực hai bước" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=lena).exists()
    assert not StaticToken.objects.filter(device__user=lena).exists()


def test_the_verification_step_ignores_a_next_url_to_another_site(client, lena):
    client.force_login(lena)
    secret, _codes = enrol(client)
    client.post(reverse("accounts:logout"))
    password_login(client, "lena")
    response = client.post(VERIFY, {"code": next_code(secret), "next": "https://evil.example/"})
    assert response["Location"] == "/"


# --- administrators and the Django admin --------------------------------------------------------


def test_by_default_an_administrator_without_a_device_reaches_the_admin_with_a_password(client, root):
    password_login(client, "root", "/admin/")
    assert client.get("/admin/").status_code == 200


def test_the_django_admin_asks_for_the_code_when_the_administrator_has_a_device(client, root):
    client.force_login(root)
    secret, _codes = enrol(client)
    client.post(reverse("accounts:logout"))
    password_login(client, "root", "/admin/")
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": next_code(secret)})
    assert client.get("/admin/").status_code == 200


def test_an_older_session_without_the_code_cannot_open_the_admin(client, root):
    client.force_login(root)  # logged in before the authenticator existed
    TOTPDevice.objects.create(user=root, name="app", confirmed=True)
    session = client.session
    session.pop(otp.OTP_STEP, None)
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


def test_when_required_an_administrator_must_enrol_before_anything_else(client, root, settings):
    settings.OTP_REQUIRED_FOR_ADMINS = True
    password_login(client, "root")
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[0][0].startswith(SETUP)
    assert "Quản trị viên phải thiết lập xác thực hai bước" in response.content.decode()
    assert client.get(HOME)["Location"].startswith(SETUP)

    enrol(client)
    assert client.get("/admin/").status_code == 200
    # and it cannot be turned off
    response = client.post(reverse("accounts:otp_disable"), follow=True)
    assert "bắt buộc đối với quản trị viên" in response.content.decode()
    assert TOTPDevice.objects.filter(user=root).exists()


def test_when_required_for_administrators_a_leader_still_chooses(client, lena, settings):
    settings.OTP_REQUIRED_FOR_ADMINS = True
    password_login(client, "lena")
    assert client.get(HOME).status_code == 200
