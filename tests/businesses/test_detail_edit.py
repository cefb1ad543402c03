"""Business page, create and edit: roles, ward isolation, Vietnamese validation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from businesses.models import Business, BusinessStatus
from businesses.services import business_rotate_token
from tests.factories import TEST_PASSWORD, ResidentialGroupFactory, StreetFactory

from .factories import BusinessCategoryFactory, BusinessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def street_a(ward_a):
    return StreetFactory(ward=ward_a, name="Nguyễn Thái Học")


@pytest.fixture
def cafe(ward_a, street_a):
    return BusinessFactory(ward=ward_a, name="Cà phê Giảng", street=street_a, house_number="39")


@pytest.fixture
def category():
    return BusinessCategoryFactory(code="ca-phe", name="Cà phê, giải khát")


def form_data(street, category, **overrides) -> dict:
    data = {
        "name": "Quán phở Thìn",
        "category": category.pk,
        "status": BusinessStatus.ACTIVE,
        "house_number": "13",
        "street": street.pk,
        "residential_group": "",
        "owner_name": "Nguyễn Văn Thìn",
        "owner_id_number": "001 085 012 345",
        "owner_phone": "+84 912 345 678",
        "registration_number": "01A8009999",
        "certificate_number": "",
        "certificate_expiry": "",
        "latitude": "",
        "longitude": "",
    }
    data.update(overrides)
    return data


def test_every_role_of_the_ward_reads_the_business_page(client, users, cafe):
    for role in ("officer", "leader", "chairman", "admin"):
        client.force_login(users[role])
        page = client.get(reverse("businesses:detail", args=[cafe.pk])).content.decode()
        assert "Cà phê Giảng" in page
        assert "Số 39 Nguyễn Thái Học" in page
        assert "Chưa có hoạt động nào được ghi nhận với cơ sở này." in page


def test_officer_of_another_ward_gets_404_on_detail_and_edit(client, bob, cafe):
    client.force_login(bob)
    assert client.get(reverse("businesses:detail", args=[cafe.pk])).status_code == 404
    assert client.get(reverse("businesses:edit", args=[cafe.pk])).status_code == 404
    response = client.post(reverse("businesses:edit", args=[cafe.pk]), {"name": "Bị sửa"})
    assert response.status_code == 404
    cafe.refresh_from_db()
    assert cafe.name == "Cà phê Giảng"


def test_anonymous_visitor_is_sent_to_login_from_detail(client, alice, cafe):
    url = reverse("businesses:detail", args=[cafe.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"
    assert "Cà phê Giảng" not in response.content.decode()
    # After logging in there, the visitor lands on the business they asked for.
    response = client.post(
        response["Location"], {"username": "alice", "password": TEST_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == url
    assert "Cà phê Giảng" in response.content.decode()


def test_detail_shows_the_next_due_actions(client, alice, ward_a):
    expired = timezone.localdate() - timedelta(days=3)
    business = BusinessFactory(
        ward=ward_a, is_conditional=True, certificate_number="9/GCN", certificate_expiry=expired
    )
    client.force_login(alice)
    page = client.get(reverse("businesses:detail", args=[business.pk])).content.decode()
    assert f"đã hết hạn ngày {expired:%d/%m/%Y}" in page
    assert "Chưa kiểm tra lần nào: cần lên kế hoạch kiểm tra." in page


def test_officer_adds_a_business_with_normalised_phone_and_id(client, alice, ward_a, street_a, category):
    client.force_login(alice)
    response = client.post(reverse("businesses:create"), form_data(street_a, category), follow=True)
    business = Business.objects.get(name="Quán phở Thìn")
    assert business.ward == ward_a
    assert business.owner_phone == "0912345678"
    assert business.owner_id_number == "001085012345"
    assert business.created_by == alice and business.updated_by == alice
    assert business.search_text == "quan pho thin | nguyen van thin | 13 nguyen thai hoc | 01a8009999"
    assert "Đã thêm cơ sở “Quán phở Thìn”." in response.content.decode()


def test_wrong_phone_and_id_are_refused_in_vietnamese_and_nothing_is_saved(client, alice, street_a, category):
    client.force_login(alice)
    response = client.post(
        reverse("businesses:create"),
        form_data(street_a, category, owner_phone="12345", owner_id_number="12345"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nhập số điện thoại Việt Nam" in page
    assert "Số CCCD phải gồm đúng 12 chữ số." in page
    assert not Business.objects.exists()


def test_forged_street_of_another_ward_is_refused(client, alice, ward_b, category):
    foreign_street = StreetFactory(ward=ward_b, name="Đội Cấn")
    client.force_login(alice)
    response = client.post(reverse("businesses:create"), form_data(foreign_street, category))
    assert "Đường/phố này không thuộc phường của đồng chí." in response.content.decode()
    assert not Business.objects.exists()


def test_forged_residential_group_of_another_ward_is_refused(client, alice, ward_b, street_a, category):
    foreign_group = ResidentialGroupFactory(ward=ward_b)
    client.force_login(alice)
    response = client.post(
        reverse("businesses:create"), form_data(street_a, category, residential_group=foreign_group.pk)
    )
    assert "Tổ dân phố này không thuộc phường của đồng chí." in response.content.decode()
    assert not Business.objects.exists()


def test_registration_number_is_unique_within_the_ward(client, alice, cafe, street_a, category):
    cafe.registration_number = "01A8000001"
    cafe.save()
    client.force_login(alice)
    response = client.post(
        reverse("businesses:create"), form_data(street_a, category, registration_number="01A8000001")
    )
    assert "Số đăng ký kinh doanh này đã có ở một cơ sở khác trong phường." in response.content.decode()
    assert Business.objects.count() == 1


def test_category_needing_a_certificate_makes_the_business_conditional(client, lena, street_a):
    karaoke = BusinessCategoryFactory(code="karaoke", name="Karaoke", requires_security_certificate=True)
    client.force_login(lena)
    client.post(
        reverse("businesses:create"),
        form_data(street_a, karaoke, certificate_number="12/GCN", certificate_expiry="31/12/2027"),
    )
    business = Business.objects.get()
    assert business.is_conditional
    assert business.certificate_expiry.strftime("%d/%m/%Y") == "31/12/2027"


def test_leader_edits_a_business_and_search_text_follows(client, lena, cafe, category):
    client.force_login(lena)
    data = form_data(cafe.street, category, name="Cà phê Giảng (cơ sở 2)", registration_number="")
    response = client.post(reverse("businesses:edit", args=[cafe.pk]), data)
    assert response.status_code == 302
    cafe.refresh_from_db()
    assert cafe.name == "Cà phê Giảng (cơ sở 2)"
    assert cafe.updated_by == lena
    assert cafe.search_text.startswith("ca phe giang (co so 2)")


def test_chairman_reads_but_cannot_create_or_edit(client, charlie, cafe, street_a, category):
    client.force_login(charlie)
    assert client.get(reverse("businesses:create")).status_code == 403
    assert client.get(reverse("businesses:edit", args=[cafe.pk])).status_code == 403
    response = client.post(reverse("businesses:create"), form_data(street_a, category))
    assert response.status_code == 403
    assert "Bạn không có quyền" in response.content.decode()
    assert Business.objects.count() == 1
    page = client.get(reverse("businesses:detail", args=[cafe.pk])).content.decode()
    assert reverse("businesses:edit", args=[cafe.pk]) not in page


def test_rotating_the_public_token_makes_a_new_unguessable_one(alice, cafe):
    old = cafe.public_token
    business_rotate_token(business=cafe, user=alice)
    cafe.refresh_from_db()
    assert cafe.public_token != old
    assert len(cafe.public_token) >= 40


def test_business_page_needs_a_fixed_number_of_queries(client, alice, cafe, django_assert_max_num_queries):
    client.force_login(alice)
    # 6 for the page itself + 2 per app adding timeline entries and due actions (inspections,
    # violations): one for the entries, one for what is due.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("businesses:detail", args=[cafe.pk]))
    assert response.status_code == 200


def test_admin_lists_and_searches_businesses_without_accents(client, root, cafe):
    client.force_login(root)
    page = client.get(reverse("admin:businesses_business_changelist"), {"q": "ca phe giang"}).content.decode()
    assert "Cà phê Giảng" in page
    assert client.get(reverse("admin:businesses_businesscategory_changelist")).status_code == 200
