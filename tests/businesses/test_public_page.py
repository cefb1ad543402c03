"""The public page behind a poster's QR code: what anyone may see, and what they never see."""

import base64
import re
import secrets
from unittest import mock

import pytest
from django.urls import reverse

from businesses.models import BusinessStatus, InspectionResult
from businesses.public import TOKEN_PREFIX_LENGTH, public_url, short_code, token_prefix_for_code
from businesses.services import business_rotate_token
from tests.businesses.factories import BusinessCategoryFactory, BusinessFactory
from tests.factories import ResidentialGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def karaoke(ward_a):
    import datetime

    from django.utils import timezone

    category = BusinessCategoryFactory(code="karaoke", name="Karaoke", requires_security_certificate=True)
    return BusinessFactory(
        ward=ward_a,
        name="Karaoke Hoa Sen",
        category=category,
        is_conditional=True,
        certificate_number="12/GCN-ANTT",
        certificate_expiry=timezone.localdate() + datetime.timedelta(days=200),
        owner_name="Nguyễn Thị Hồng Nhung",
        owner_id_number="001190045678",
        owner_phone="0987654321",
        registration_number="0101234567",
        residential_group=ResidentialGroupFactory(ward=ward_a, name="Tổ dân phố số 7"),
        last_inspected_at=timezone.make_aware(datetime.datetime(2026, 3, 14, 9, 30)),
        last_inspection_result=InspectionResult.REMINDED,
    )


def test_anyone_sees_the_business_without_logging_in(client, karaoke):
    response = client.get(f"/p/{karaoke.public_token}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Karaoke Hoa Sen" in html
    assert "Đã đăng ký với Công an phường" in html
    assert "14/03/2026" in html and "Đạt, có nhắc nhở" in html
    assert "Còn hạn đến" in html
    assert short_code(karaoke.public_token) in html
    # The public base: no staff navigation, no logout form.
    assert "main-nav" not in html and reverse("accounts:logout") not in html


def test_the_public_page_shows_none_of_the_owners_personal_data(client, karaoke):
    html = client.get(f"/p/{karaoke.public_token}/").content.decode()
    for secret in ("Nguyễn Thị Hồng Nhung", "001190045678", "0987654321", "5678", "4321", "0101234567"):
        assert secret not in html
    # No internal ids either: no link to a staff page of this business.
    assert f"/businesses/{karaoke.pk}/" not in html


def test_a_closed_business_says_so(client, ward_a):
    business = BusinessFactory(ward=ward_a, status=BusinessStatus.CLOSED)
    html = client.get(f"/p/{business.public_token}/").content.decode()
    assert "Đã đóng cửa" in html


def test_an_unknown_token_is_not_found_and_says_the_poster_may_be_fake(client, db):
    response = client.get("/p/khong-co-ma-nay-abcdefghijklmnop/")
    assert response.status_code == 404
    assert "Không tìm thấy mã" in response.content.decode()


def test_a_rotated_tokens_old_url_says_withdrawn(client, karaoke, lena, django_capture_on_commit_callbacks):
    old = karaoke.public_token
    assert client.get(f"/p/{old}/").status_code == 200  # cached as "ok" for a while
    with django_capture_on_commit_callbacks(execute=True):
        business_rotate_token(business=karaoke, user=lena, reason="Áp phích bị làm giả")
    response = client.get(f"/p/{old}/")
    assert response.status_code == 410
    assert "Mã này đã bị thu hồi" in response.content.decode()
    assert client.get(f"/p/{karaoke.public_token}/").status_code == 200
    withdrawn = karaoke.withdrawn_tokens.get()
    assert withdrawn.token == old and withdrawn.withdrawn_by == lena


def test_the_short_code_is_typeable_and_leads_to_the_page(client, karaoke):
    code = short_code(karaoke.public_token)
    assert len(code) == 11 and code[5] == "-"
    # People type lower case, drop the dash and confuse O with 0.
    typed = code.replace("-", " ").lower().replace("o", "0")
    response = client.get(reverse("public:code"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/p/{karaoke.public_token}/"


def test_an_old_short_code_says_withdrawn(client, karaoke, lena):
    code = short_code(karaoke.public_token)
    business_rotate_token(business=karaoke, user=lena)
    response = client.get(reverse("public:code"), {"code": code})
    assert response.status_code == 410


def test_a_wrong_short_code_gets_a_clear_message(client, db):
    response = client.get(reverse("public:code"), {"code": "ABCDE-FGHIJ"})
    assert response.status_code == 200
    assert "Không có áp phích nào mang mã này" in response.content.decode()
    assert token_prefix_for_code("not a code!") is None


def test_the_qr_url_is_absolute_on_the_public_base_url(settings, karaoke):
    settings.PUBLIC_BASE_URL = "https://anninh.example.gov.vn/"
    assert public_url(karaoke.public_token) == f"https://anninh.example.gov.vn/p/{karaoke.public_token}/"


def test_the_token_is_at_least_128_bits_from_the_os_random_source_and_never_repeats(ward_a, lena):
    from businesses.models import new_public_token

    drawn: list[tuple[int | None, str]] = []
    real_token_urlsafe = secrets.token_urlsafe

    def spy(nbytes=None):
        token = real_token_urlsafe(nbytes)
        drawn.append((nbytes, token))
        return token

    with mock.patch("secrets.token_urlsafe", side_effect=spy):
        business = BusinessFactory(ward=ward_a)
        first = business.public_token
        business_rotate_token(business=business, user=lena)
        tokens = [new_public_token() for _ in range(20_000)]

    # Both the new business's token and its replacement come from `secrets` (the OS's CSPRNG),
    # asked for at least 16 bytes (128 bits), and are used as drawn.
    assert len(drawn) == 2 + len(tokens)
    assert [token for _n, token in drawn[:2]] == [first, business.public_token]
    assert all(nbytes is not None and nbytes >= 16 for nbytes, _token in drawn)
    for token in (first, business.public_token, *tokens[:100]):
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
        assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) >= 16
    assert len(set(tokens) | {first, business.public_token}) == len(tokens) + 2
    # Not even the prefix a poster's short code is looked up by repeats over these draws.
    assert len({token[:TOKEN_PREFIX_LENGTH] for token in tokens}) == len(tokens)


def test_too_many_page_views_from_one_address_are_refused(client, karaoke, settings):
    from businesses import feedback

    url = f"/p/{karaoke.public_token}/"
    for _ in range(feedback.PAGE_VIEWS_PER_ADDRESS_PER_MINUTE):
        assert client.get(url).status_code == 200
    response = client.get(url)
    assert response.status_code == 429
    assert "Quá nhiều yêu cầu" in response.content.decode()


def test_the_public_page_is_fast(client, karaoke, django_assert_max_num_queries):
    url = f"/p/{karaoke.public_token}/"
    client.get(url)
    with django_assert_max_num_queries(0):
        assert client.get(url).status_code == 200
