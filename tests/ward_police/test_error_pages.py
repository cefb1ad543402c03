"""The error pages (jinja2/400.html … 500.html) through the site's handlers (ward_police/urls.py)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from tests.businesses.factories import BusinessFactory
from ward_police import views

pytestmark = pytest.mark.django_db


def test_the_500_page_renders_without_a_request_context_and_without_the_database(
    django_assert_num_queries,
):
    # The database may be why we are here: no context processor, no query.
    with django_assert_num_queries(0):
        response = views.error_500(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Hệ thống gặp lỗi</h1>" in html
    assert 'href="/static/css/app.css"' in html
    assert 'href="/"' in html


def test_an_unknown_address_gets_the_vietnamese_404_page_in_the_site_layout(client, alice):
    client.force_login(alice)
    response = client.get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Không tìm thấy trang</h1>" in html
    assert "Trang không tồn tại hoặc bạn không có quyền truy cập." in html
    assert f'<a class="btn" href="{reverse("home")}">Về trang tổng quan</a>' in html
    assert 'class="site-header"' in html  # base.html, with the user's header


def test_another_wards_business_is_the_same_404_page(client, bob, ward_a):
    business = BusinessFactory(ward=ward_a, name="Cà phê Giảng")
    client.force_login(bob)
    response = client.get(reverse("businesses:detail", args=[business.pk]))
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Không tìm thấy trang</h1>" in html
    assert "Cà phê Giảng" not in html


def test_an_anonymous_visitor_gets_the_404_page_too(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "<h1>Không tìm thấy trang</h1>" in response.content.decode()


def test_an_action_outside_the_role_gets_the_vietnamese_403_page(client, charlie):
    client.force_login(charlie)  # the chairman reads, he does not add businesses
    response = client.get(reverse("businesses:create"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Bạn không có quyền thực hiện thao tác này</h1>" in html


def test_a_malformed_request_gets_the_general_400_text_not_the_nul_one(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 2
    response = client.post(reverse("accounts:login"), {f"f{i}": "x" for i in range(5)})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Yêu cầu gửi lên không đúng định dạng" in html
    assert "NUL" not in html
