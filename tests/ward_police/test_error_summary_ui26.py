"""Every site form sent with errors opens on one error summary (base.html, partials/error_summary.html),
whatever the form is called in the page, and each of its links points at a field on the page."""

import re

import pytest
from django.urls import reverse

from campaigns.models import Campaign

pytestmark = pytest.mark.django_db


def summary_of(html: str) -> str:
    found = re.findall(r'<div class="error-summary" role="alert".*?</div>', html, re.S)
    assert len(found) == 1, "exactly one error summary"
    return found[0]


def assert_links_point_at_fields(html: str, summary: str) -> list[str]:
    targets = re.findall(r'<a href="#([^"]+)">', summary)
    for target in targets:
        assert f'id="{target}"' in html, target
    return targets


def test_the_login_form_lists_its_error_in_the_summary_once(client):
    html = client.post(
        reverse("accounts:login"), {"username": "nobody", "password": "wrong"}
    ).content.decode()
    summary = summary_of(html)
    assert "Có lỗi cần sửa" in summary
    assert "autofocus" in summary
    assert html.count("Sai tên đăng nhập hoặc mật khẩu.") == 1  # in the summary, not again beside the form


def test_the_campaign_form_links_every_field_in_error_including_a_group_of_boxes(client, lena):
    client.force_login(lena)
    response = client.post(reverse("campaigns:create"), {"name": "", "starts_on": "31/02/2027"})
    html = response.content.decode()
    summary = summary_of(html)
    targets = assert_links_point_at_fields(html, summary)
    assert {"id_name", "id_starts_on", "id_ends_on", "id_domains_0"} <= set(targets)
    assert "Ngày bắt đầu: Nhập một ngày hợp lệ." in summary
    assert not Campaign.objects.exists()


def test_a_filter_form_under_another_name_gets_the_summary_too(client, alice):
    client.force_login(alice)
    html = client.get(reverse("violations:list"), {"date_from": "99/99/2026"}).content.decode()
    summary = summary_of(html)
    assert assert_links_point_at_fields(html, summary) == ["id_date_from"]


def test_a_page_without_errors_has_no_summary(client, alice):
    client.force_login(alice)
    assert "error-summary" not in client.get(reverse("violations:list")).content.decode()
