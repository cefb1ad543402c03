"""Owners' ID numbers and phones: masked by default, shown in full only on a logged action."""

import pytest
from django.urls import reverse

from businesses.models import PersonalDataAccess

from .factories import BusinessFactory

pytestmark = pytest.mark.django_db

FULL_ID, MASKED_ID = "001085012389", "0*********89"
FULL_PHONE, MASKED_PHONE = "0912345689", "0*******89"


@pytest.fixture
def cafe(ward_a):
    return BusinessFactory(ward=ward_a, name="Cà phê Giảng", owner_id_number=FULL_ID, owner_phone=FULL_PHONE)


@pytest.mark.parametrize("role", ["officer", "leader", "chairman", "admin"])
def test_detail_and_list_show_masked_personal_data_to_every_role(client, users, cafe, role):
    client.force_login(users[role])
    detail = client.get(reverse("businesses:detail", args=[cafe.pk])).content.decode()
    listing = client.get(reverse("businesses:list")).content.decode()
    assert MASKED_ID in detail and MASKED_PHONE in detail
    assert FULL_ID not in detail and FULL_PHONE not in detail
    assert MASKED_PHONE in listing and FULL_PHONE not in listing
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("role", ["officer", "leader"])
def test_officer_and_leader_reveal_and_the_access_is_logged(client, users, cafe, role):
    user = users[role]
    client.force_login(user)
    page = client.get(reverse("businesses:detail", args=[cafe.pk])).content.decode()
    assert "Xem đầy đủ số CCCD và điện thoại" in page
    reveal = reverse("businesses:reveal", args=[cafe.pk])
    # htmx swaps the owner block in place; data-hx-* validates as HTML, hx-* does not.
    assert f'data-hx-post="{reveal}" data-hx-target="#personal-data" data-hx-swap="outerHTML"' in page
    assert " hx-post=" not in page
    response = client.post(reverse("businesses:reveal", args=[cafe.pk]))
    page = response.content.decode()
    assert FULL_ID in page and FULL_PHONE in page
    assert "lượt xem này đã được ghi nhật ký" in page
    assert "no-store" in response["Cache-Control"]
    logged = PersonalDataAccess.objects.order_by("field")
    assert [(a.user, a.business, a.field, a.purpose) for a in logged] == [
        (user, cafe, "owner_id_number", "reveal"),
        (user, cafe, "owner_phone", "reveal"),
    ]


def test_reveal_by_htmx_returns_only_the_owner_block(client, alice, cafe):
    client.force_login(alice)
    response = client.post(
        reverse("businesses:reveal", args=[cafe.pk]), {"field": "owner_phone"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert page.startswith('<section class="card" id="personal-data"')
    assert FULL_PHONE in page and FULL_ID not in page
    assert list(PersonalDataAccess.objects.values_list("field", flat=True)) == ["owner_phone"]


def test_chairman_cannot_reveal(client, charlie, cafe):
    client.force_login(charlie)
    page = client.get(reverse("businesses:detail", args=[cafe.pk])).content.decode()
    assert "Xem đầy đủ số CCCD và điện thoại" not in page
    response = client.post(reverse("businesses:reveal", args=[cafe.pk]))
    assert response.status_code == 403
    assert FULL_ID not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_officer_of_another_ward_cannot_reveal(client, bob, cafe):
    client.force_login(bob)
    assert client.post(reverse("businesses:reveal", args=[cafe.pk])).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_opening_the_edit_form_is_logged_as_an_access(client, alice, cafe):
    client.force_login(alice)
    page = client.get(reverse("businesses:edit", args=[cafe.pk])).content.decode()
    assert FULL_ID in page
    assert set(PersonalDataAccess.objects.values_list("field", "purpose")) == {
        ("owner_id_number", "edit"),
        ("owner_phone", "edit"),
    }


def test_leader_reads_the_access_log_of_the_ward_only(client, alice, lena, bob, cafe, ward_b):
    other = BusinessFactory(ward=ward_b, name="Quán Ngọc Hà")
    client.force_login(alice)
    client.post(reverse("businesses:reveal", args=[cafe.pk]))
    client.force_login(bob)
    client.post(reverse("businesses:reveal", args=[other.pk]))
    client.force_login(lena)
    page = client.get(reverse("businesses:access_log")).content.decode()
    assert "Cà phê Giảng" in page and "alice" in page
    assert "Quán Ngọc Hà" not in page
    assert "Xem đầy đủ trên trang cơ sở" in page


def test_the_access_log_pages_fifty_accesses_at_a_time(client, alice, lena, cafe):
    PersonalDataAccess.objects.bulk_create(
        PersonalDataAccess(
            user=alice,
            user_label="alice",
            business=cafe,
            business_label=cafe.name,
            ward=cafe.ward,
            field="owner_phone",
            purpose="reveal",
        )
        for _ in range(51)
    )
    client.force_login(lena)
    first = client.get(reverse("businesses:access_log")).content.decode()
    assert first.count("<td>alice</td>") == 50
    assert "Trang 1/2" in first and 'href="?page=2" rel="next"' in first
    second = client.get(reverse("businesses:access_log"), {"page": 2}).content.decode()
    assert second.count("<td>alice</td>") == 1
    assert 'href="?page=1" rel="prev"' in second


@pytest.mark.parametrize("role", ["officer", "chairman"])
def test_officers_and_chairman_cannot_read_the_access_log(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("businesses:access_log")).status_code == 403


def test_admin_reads_the_access_log_in_django_admin(client, root, alice, cafe):
    client.force_login(alice)
    client.post(reverse("businesses:reveal", args=[cafe.pk]))
    client.force_login(root)
    page = client.get(reverse("admin:businesses_personaldataaccess_changelist")).content.decode()
    assert "Cà phê Giảng" in page
