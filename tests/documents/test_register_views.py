"""/register/: the register of document numbers, for the ward's leaders."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from documents.models import RegisterKind
from documents.register import register_issue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/register/"


def issue(user, obj, *, kind=RegisterKind.INSPECTION_RECORD, day=datetime.date(2026, 3, 5), title="Biên bản"):
    return register_issue(
        ward=user.ward, kind=kind, year=day.year, issued_on=day, title=title, signer=user, obj=obj
    )


@pytest.fixture
def entries(lena, bob, alice, charlie):
    return {
        "march": issue(lena, alice, title="Biên bản kiểm tra cơ sở Cà phê Hoa Sữa"),
        "april": issue(
            lena, charlie, kind=RegisterKind.MBB01, day=datetime.date(2026, 4, 20), title="=HYPERLINK()"
        ),
        "last_year": issue(lena, lena, day=datetime.date(2025, 12, 30), title="Biên bản kiểm tra năm cũ"),
        "other_ward": issue(bob, bob, title="Biên bản của phường Ngọc Hà"),
    }


def test_the_url_is_the_contract_one():
    assert reverse("register:list") == URL


def test_a_leader_sees_the_register_of_the_ward_and_not_another_wards(client, lena, entries):
    client.force_login(lena)
    html = client.get(URL).content.decode()
    assert "Sổ đăng ký văn bản" in html
    assert "Biên bản kiểm tra cơ sở Cà phê Hoa Sữa" in html and "01/BB-KT" in html and "05/03/2026" in html
    assert "01/BB-VPHC" in html and "Biên bản kiểm tra năm cũ" in html
    assert "Biên bản của phường Ngọc Hà" not in html


def test_filters_by_kind_year_and_dates(client, lena, entries):
    client.force_login(lena)
    by_kind = client.get(URL, {"kind": RegisterKind.MBB01}).content.decode()
    assert "01/BB-VPHC" in by_kind and "01/BB-KT" not in by_kind
    by_year = client.get(URL, {"year": 2025}).content.decode()
    assert "Biên bản kiểm tra năm cũ" in by_year and "Cà phê Hoa Sữa" not in by_year
    by_dates = client.get(URL, {"date_from": "01/03/2026", "date_to": "31/03/2026"}).content.decode()
    assert "Cà phê Hoa Sữa" in by_dates and "01/BB-VPHC" not in by_dates and "năm cũ" not in by_dates


def test_a_bad_filter_says_why(client, lena, entries):
    client.force_login(lena)
    html = client.get(URL, {"date_from": "31/03/2026", "date_to": "01/03/2026"}).content.decode()
    assert "Ngày bắt đầu sau ngày kết thúc." in html
    html = client.get(URL, {"date_from": "32/13/2026"}).content.decode()
    assert "Nhập một ngày hợp lệ." in html


def test_the_export_is_a_spreadsheet_of_the_filtered_register(client, lena, entries):
    client.force_login(lena)
    response = client.get(URL, {"year": 2026, "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:4] == ("Số, ký hiệu", "Loại văn bản", "Năm", "Ngày ban hành")
    body = {row[0]: row for row in rows[1:]}
    assert set(body) == {"01/BB-KT", "01/BB-VPHC"}
    assert body["01/BB-KT"][3:5] == ("05/03/2026", "Biên bản kiểm tra cơ sở Cà phê Hoa Sữa")
    assert body["01/BB-VPHC"][1] == "Biên bản vi phạm hành chính (MBB01)"
    assert body["01/BB-VPHC"][4] == "'=HYPERLINK()"  # a title never runs as a formula


@pytest.mark.parametrize("role", ["officer", "chairman"])
def test_only_leaders_open_the_register(client, users, role):
    client.force_login(users[role])
    assert client.get(URL).status_code == 403


def test_the_menu_offers_the_register_to_leaders_only(client, lena, alice):
    client.force_login(lena)
    assert f'href="{URL}"' in client.get("/violations/").content.decode()
    client.force_login(alice)
    assert f'href="{URL}"' not in client.get("/violations/").content.decode()


def test_the_register_page_has_a_bounded_number_of_queries(
    client, lena, entries, django_assert_max_num_queries
):
    for n in range(30):
        issue(lena, UserFactory(username=f"u{n}", ward=lena.ward))
    client.force_login(lena)
    with django_assert_max_num_queries(8):
        assert client.get(URL).status_code == 200
