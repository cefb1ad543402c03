"""One guard for all input: NUL characters are refused with a clear page, text is stored NFC,
passwords are compared exactly as typed."""

import logging
import unicodedata

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import UserFactory
from wards.models import Street

pytestmark = pytest.mark.django_db


def test_a_nul_byte_in_the_query_string_gets_a_clear_400_page_and_is_logged(client, alice, caplog):
    caplog.set_level(logging.WARNING, logger="security")
    client.force_login(alice)
    response = client.get("/wards/", {"q": "Hoàng\x00Diệu"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Không thể tiếp nhận dữ liệu đã gửi" in body
    assert "ký tự NUL" in body
    assert "refused 400 GET /wards/: NUL character" in caplog.text


def test_a_nul_byte_in_a_form_saves_nothing(client, lena, ward_a):
    client.force_login(lena)
    response = client.post(reverse("wards:street_new", args=[ward_a.pk]), {"name": "Lê\x00Trực"})
    assert response.status_code == 400
    assert not Street.objects.exists()


def test_decomposed_vietnamese_is_stored_composed(client, lena, ward_a):
    client.force_login(lena)
    typed = unicodedata.normalize("NFD", "Nguyễn Thái Học")
    client.post(reverse("wards:street_new", args=[ward_a.pk]), {"name": typed})
    assert Street.objects.get().name == "Nguyễn Thái Học"


def test_a_password_is_compared_exactly_as_typed(client, ward_a):
    password = unicodedata.normalize("NFD", "Mật-khẩu-Điện-Biên-2026")
    user = UserFactory(username="hai", ward=ward_a, role=Role.OFFICER)
    user.set_password(password)
    user.save()
    response = client.post(reverse("accounts:login"), {"username": "hai", "password": password})
    assert response.status_code == 302


def test_a_malformed_request_gets_the_vietnamese_400_page(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    response = client.post(reverse("accounts:login"), {f"f{i}": "x" for i in range(20)})
    assert response.status_code == 400
    assert "Yêu cầu gửi lên không đúng định dạng" in response.content.decode()
