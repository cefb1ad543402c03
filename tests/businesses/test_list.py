"""The registry list: Vietnamese search, each filter, sort, pagination, isolation, query budget."""

import re
import unicodedata
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from businesses.models import BusinessStatus, InspectionResult
from tests.factories import ResidentialGroupFactory, StreetFactory

from .factories import BusinessCategoryFactory, BusinessFactory

pytestmark = pytest.mark.django_db

URL = reverse("businesses:list")


@pytest.fixture
def nguyen_thai_hoc(ward_a):
    return StreetFactory(ward=ward_a, name="Nguyễn Thái Học")


@pytest.fixture
def hoang_dieu(ward_a):
    return StreetFactory(ward=ward_a, name="Hoàng Diệu")


def listed(client, user, **params) -> str:
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def names(client, user, **params) -> set[str]:
    """The businesses the list shows (the links in its table), in NFC."""
    page = unicodedata.normalize("NFC", listed(client, user, **params))
    return set(re.findall(r'<a href="/businesses/\d+/">([^<]+)</a>', page))


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_search_without_diacritics_finds_the_vietnamese_street(
    client, alice, ward_a, nguyen_thai_hoc, hoang_dieu
):
    BusinessFactory(ward=ward_a, name="Cà phê Giảng", street=nguyen_thai_hoc)
    BusinessFactory(ward=ward_a, name="Quán phở Thìn", street=hoang_dieu)
    page = listed(client, alice, q="nguyen thai hoc")
    assert "Cà phê Giảng" in page
    assert "Quán phở Thìn" not in page
    assert "1 cơ sở" in page


def test_search_with_diacritics_and_capitals_finds_the_same(client, alice, ward_a, nguyen_thai_hoc):
    BusinessFactory(ward=ward_a, name="Cà phê Giảng", street=nguyen_thai_hoc)
    assert "Cà phê Giảng" in listed(client, alice, q="NGUYỄN Thái học")
    assert "Cà phê Giảng" in listed(client, alice, q="ca phe giang")


def test_search_typed_in_nfd_finds_text_stored_in_nfc(client, alice, ward_a, hoang_dieu):
    BusinessFactory(ward=ward_a, name=unicodedata.normalize("NFC", "Quán phở Thìn"), street=hoang_dieu)
    assert "Quán phở Thìn" in listed(client, alice, q=unicodedata.normalize("NFD", "phở thìn"))


def test_text_stored_in_nfd_is_found_by_an_nfc_query(client, alice, ward_a, hoang_dieu):
    BusinessFactory(ward=ward_a, name=unicodedata.normalize("NFD", "Bún chả Hương Liên"), street=hoang_dieu)
    assert "Hương Liên" in unicodedata.normalize("NFC", listed(client, alice, q="bún chả hương"))


def test_search_matches_d_with_stroke_both_ways(client, alice, ward_a, hoang_dieu):
    BusinessFactory(ward=ward_a, name="Tạp hóa Đức", street=hoang_dieu)
    assert "Tạp hóa Đức" in listed(client, alice, q="duc")
    assert "Tạp hóa Đức" in listed(client, alice, q="ĐỨC")


def test_search_covers_owner_and_house_number(client, alice, ward_a, hoang_dieu):
    BusinessFactory(
        ward=ward_a, name="Karaoke Sao Mai", owner_name="Lê Thị Hồng", house_number="39", street=hoang_dieu
    )
    assert "Karaoke Sao Mai" in listed(client, alice, q="le thi hong")
    assert "Karaoke Sao Mai" in listed(client, alice, q="39 hoang dieu")
    assert "Karaoke Sao Mai" not in listed(client, alice, q="40 hoang dieu")


def test_officer_of_another_ward_never_sees_ward_a_businesses(client, bob, ward_a, nguyen_thai_hoc):
    BusinessFactory(ward=ward_a, name="Cà phê Giảng", street=nguyen_thai_hoc)
    assert "Cà phê Giảng" not in listed(client, bob)
    assert "Cà phê Giảng" not in listed(client, bob, q="giang")
    # Filtering by ward A's street id does not leak either.
    assert "Cà phê Giảng" not in listed(client, bob, street=nguyen_thai_hoc.pk)


def test_filter_by_street(client, alice, ward_a, nguyen_thai_hoc, hoang_dieu):
    BusinessFactory(ward=ward_a, name="Cà phê Giảng", street=nguyen_thai_hoc)
    BusinessFactory(ward=ward_a, name="Quán phở Thìn", street=hoang_dieu)
    assert names(client, alice, street=hoang_dieu.pk) == {"Quán phở Thìn"}


def test_filter_by_residential_group(client, alice, ward_a):
    group = ResidentialGroupFactory(ward=ward_a, name="Tổ dân phố số 3")
    BusinessFactory(ward=ward_a, name="Trong tổ 3", residential_group=group)
    BusinessFactory(ward=ward_a, name="Ngoài tổ")
    assert names(client, alice, group=group.pk) == {"Trong tổ 3"}


def test_filter_by_category(client, alice, ward_a):
    karaoke = BusinessCategoryFactory(code="karaoke", name="Karaoke", requires_security_certificate=True)
    BusinessFactory(ward=ward_a, name="Karaoke Hoàng Gia", category=karaoke)
    BusinessFactory(ward=ward_a, name="Cà phê Lâm")
    assert names(client, alice, category=karaoke.pk) == {"Karaoke Hoàng Gia"}


def test_filter_by_status(client, alice, ward_a):
    BusinessFactory(ward=ward_a, name="Quán mở cửa", status=BusinessStatus.ACTIVE)
    BusinessFactory(ward=ward_a, name="Quán đã đóng", status=BusinessStatus.CLOSED)
    assert names(client, alice, status="closed") == {"Quán đã đóng"}


def test_filter_expired_and_expiring_certificates(client, alice, ward_a):
    today = timezone.localdate()
    BusinessFactory(
        ward=ward_a,
        name="Karaoke A",
        certificate_number="1/GCN",
        certificate_expiry=today - timedelta(days=1),
    )
    BusinessFactory(
        ward=ward_a,
        name="Karaoke B",
        certificate_number="2/GCN",
        certificate_expiry=today + timedelta(days=30),
    )
    BusinessFactory(
        ward=ward_a,
        name="Karaoke C",
        certificate_number="3/GCN",
        certificate_expiry=today + timedelta(days=31),
    )
    BusinessFactory(ward=ward_a, name="Karaoke D", is_conditional=True)
    assert names(client, alice, certificate="expired") == {"Karaoke A"}
    assert names(client, alice, certificate="expiring") == {"Karaoke B"}
    assert names(client, alice, certificate="missing") == {"Karaoke D"}
    page = listed(client, alice, certificate="expired")
    assert "Hết hạn " + (today - timedelta(days=1)).strftime("%d/%m/%Y") in page


def test_filter_by_last_inspection_result(client, alice, ward_a):
    now = timezone.now()
    BusinessFactory(
        ward=ward_a, name="Quán A", last_inspected_at=now, last_inspection_result=InspectionResult.FAILED
    )
    BusinessFactory(
        ward=ward_a, name="Quán B", last_inspected_at=now, last_inspection_result=InspectionResult.PASSED
    )
    BusinessFactory(ward=ward_a, name="Quán C")
    assert names(client, alice, result="failed") == {"Quán A"}
    assert names(client, alice, result="none") == {"Quán C"}
    assert "Phát hiện vi phạm" in listed(client, alice, result="failed")


def test_filter_not_inspected_for_n_months(client, alice, ward_a):
    now = timezone.now()
    BusinessFactory(ward=ward_a, name="Kiểm tra tuần trước", last_inspected_at=now - timedelta(days=7))
    BusinessFactory(ward=ward_a, name="Kiểm tra năm ngoái", last_inspected_at=now - timedelta(days=400))
    BusinessFactory(ward=ward_a, name="Chưa từng kiểm tra")
    assert names(client, alice, not_inspected_months=6) == {"Kiểm tra năm ngoái", "Chưa từng kiểm tra"}


def test_invalid_filter_values_are_ignored_not_an_error(client, alice, ward_a):
    BusinessFactory(ward=ward_a, name="Quán A")
    assert names(client, alice, not_inspected_months="abc", status="bogus", sort="drop") == {"Quán A"}


def test_sort_by_name_descending_and_filters_stay_in_the_links(client, alice, ward_a, hoang_dieu):
    for name in ("An Khang", "Bình An", "Cà phê Lâm"):
        BusinessFactory(ward=ward_a, name=name, street=hoang_dieu)
    page = listed(client, alice, sort="-name", street=hoang_dieu.pk)
    assert page.index("Cà phê Lâm") < page.index("Bình An") < page.index("An Khang")
    # The export link carries the same filters.
    assert f"sort=-name&amp;street={hoang_dieu.pk}&amp;format=csv" in page


def test_list_is_paginated_by_fifty_and_keeps_the_search(client, alice, ward_a, hoang_dieu):
    for n in range(51):
        BusinessFactory(ward=ward_a, name=f"Quán {n:02d}", street=hoang_dieu)
    first = listed(client, alice, q="quan")
    assert "Quán 49" in first and "Quán 50" not in first
    assert "q=quan&amp;page=2" in first
    second = listed(client, alice, q="quan", page=2)
    assert "Quán 50" in second and "Quán 00" not in second


def test_list_query_count_does_not_grow_with_rows(client, alice, ward_a, django_assert_max_num_queries):
    category = BusinessCategoryFactory(code="karaoke", name="Karaoke")
    for n in range(40):
        group = ResidentialGroupFactory(ward=ward_a)
        BusinessFactory(
            ward=ward_a,
            name=f"Cơ sở {n}",
            category=category,
            residential_group=group,
            street=StreetFactory(ward=ward_a),
        )
    client.force_login(alice)
    # session, user, roles; streets + groups + categories in one (wards.places); a search's page
    # with its count (ward_police.pagination)
    with django_assert_max_num_queries(5):
        response = client.get(URL, {"q": "co so", "status": "active", "sort": "street"})
    assert response.status_code == 200
    assert response.content.decode().count("Cơ sở ") >= 40


def test_each_row_shows_its_cells_with_vietnamese_column_names_and_escaped_text(
    client, alice, ward_a, nguyen_thai_hoc
):
    group = ResidentialGroupFactory(ward=ward_a, name="Tổ dân phố số 3")
    today = timezone.localdate()
    # 23:30 on the 2nd in UTC is already the 3rd in Hà Nội: the list shows the local date.
    inspected = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    shown = BusinessFactory(
        ward=ward_a,
        name='Quán <b>"Ông Bảy"</b> & con',
        street=nguyen_thai_hoc,
        residential_group=group,
        certificate_number="9/GCN",
        certificate_expiry=today + timedelta(days=90),
        status=BusinessStatus.SUSPENDED,
        last_inspected_at=inspected,
        last_inspection_result=InspectionResult.FAILED,
    )
    BusinessFactory(ward=ward_a, name="Tiệm không cần giấy", street=nguyen_thai_hoc, owner_phone="")
    page = unicodedata.normalize("NFC", listed(client, alice, q="nguyen thai hoc"))
    rows = re.findall(r"<tr>\s*(<td.*?)</tr>", page, flags=re.S)
    assert len(rows) == 2
    first = next(r for r in rows if "Ông Bảy" in r)
    cells = re.findall(r'<td data-label="([^"]+)">(.*?)</td>', first, flags=re.S)
    # The phone layout stacks the cells under these names: the columns' own headings.
    headings = re.findall(r'<th scope="col">([^<]+)</th>', page)
    assert [label for label, _ in cells] == headings
    assert headings[1:] == ["Địa chỉ", "Chủ cơ sở", "Trạng thái", "Giấy chứng nhận", "Lần kiểm tra gần nhất"]
    html = dict(zip(["Cơ sở", *headings[1:]], [cell for _, cell in cells], strict=True))
    # Jinja2 (markupsafe) writes a double quote as &#34;, Django's escape wrote &quot;: the same text.
    assert (
        f'<a href="{reverse("businesses:detail", args=[shown.pk])}">'
        "Quán &lt;b&gt;&#34;Ông Bảy&#34;&lt;/b&gt; &amp; con</a>" in html["Cơ sở"]
    )
    assert "Cà phê, giải khát" in html["Cơ sở"]
    assert html["Địa chỉ"] == 'Số 12 Nguyễn Thái Học<br><span class="help">Tổ dân phố số 3</span>'
    assert html["Chủ cơ sở"] == 'Trần Văn Bình<br><span class="help">0*******89</span>'
    assert "0912345689" not in page
    assert 'class="tag tag-suspended"' in html["Trạng thái"]
    expiry = (today + timedelta(days=90)).strftime("%d/%m/%Y")
    assert html["Giấy chứng nhận"] == f'<span class="tag tag-valid">Còn hạn đến {expiry}</span>'
    assert html["Lần kiểm tra gần nhất"].startswith("03/03/2026<br>")
    other_cells = re.findall(
        r'<td data-label="[^"]+">(.*?)</td>', next(r for r in rows if r is not first), re.S
    )
    other = dict(zip(["Cơ sở", *headings[1:]], other_cells, strict=True))
    assert other["Chủ cơ sở"] == "Trần Văn Bình"
    assert other["Giấy chứng nhận"] == '<span class="help">Không yêu cầu</span>'
    assert other["Lần kiểm tra gần nhất"] == '<span class="help">Chưa kiểm tra lần nào</span>'


def test_the_search_box_is_one_search_input_with_one_type(client, alice):
    page = listed(client, alice, q="phở")
    search = re.search(r'<input[^>]*name="q"[^>]*>', page).group(0)
    assert search.count("type=") == 1  # the Nu Html Checker refuses a duplicate attribute
    assert 'type="search"' in search and 'value="phở"' in search
    assert 'placeholder="Tên cơ sở, chủ cơ sở, đường phố…"' in search


def test_rows_name_the_status_and_result_in_vietnamese_and_link_to_the_business(client, alice, ward_a):
    today = timezone.localdate()
    closed = BusinessFactory(
        ward=ward_a,
        name="Quán đã đóng",
        status=BusinessStatus.CLOSED,
        certificate_expiry=today - timedelta(days=1),
        last_inspected_at=timezone.now(),
        last_inspection_result=InspectionResult.REMINDED,
    )
    BusinessFactory(ward=ward_a, name="Karaoke chưa có giấy", is_conditional=True)
    page = unicodedata.normalize("NFC", listed(client, alice))
    row = re.search(r"<tr>\s*(<td[^>]*><a href=\"([^\"]+)\">Quán đã đóng</a>.*?)</tr>", page, re.S)
    assert row.group(2) == reverse("businesses:detail", args=[closed.pk])
    assert '<span class="tag tag-closed">Đã đóng cửa</span>' in row.group(1)
    expired = (today - timedelta(days=1)).strftime("%d/%m/%Y")
    assert f'<span class="tag tag-expired">Hết hạn {expired}</span>' in row.group(1)
    assert '<span class="help">Đạt, có nhắc nhở</span>' in row.group(1)
    missing = re.search(r"<tr>\s*(<td[^>]*><a href=\"[^\"]+\">Karaoke chưa có giấy</a>.*?)</tr>", page, re.S)
    assert '<span class="tag tag-expired">Cần có, chưa ghi nhận</span>' in missing.group(1)
