"""Export of the filtered list: formulas escaped, personal data masked, ward isolation."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from .factories import BusinessFactory

pytestmark = pytest.mark.django_db

URL = reverse("businesses:export")


@pytest.fixture
def tricky(ward_a):
    return BusinessFactory(
        ward=ward_a,
        name='=HYPERLINK("http://evil.example","Nhấn vào đây")',
        owner_name="+84 Trần Văn Bình",
        house_number="-5",
        registration_number="@SUM(A1)",
        owner_phone="0912345689",
    )


def csv_rows(client, user, **params) -> list[list[str]]:
    client.force_login(user)
    response = client.get(URL, {"format": "csv", **params})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel needs the BOM to show Vietnamese letters
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_csv_export_escapes_formulas(client, alice, tricky):
    header, row = csv_rows(client, alice)
    assert header[1] == "Tên cơ sở"
    assert row[1] == "'" + tricky.name
    assert row[0] == "'@SUM(A1)"
    assert row[3] == "'-5"
    assert row[6] == "'+84 Trần Văn Bình"


def test_xlsx_export_escapes_formulas_so_no_cell_is_a_formula(client, alice, tricky):
    client.force_login(alice)
    response = client.get(URL, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert sheet["B2"].value == "'" + tricky.name


def test_export_masks_personal_data(client, alice, tricky):
    _header, row = csv_rows(client, alice)
    assert row[7] == "0*********45" and row[8] == "0*******89"
    assert "0912345689" not in ",".join(row)


def test_export_follows_the_list_filters(client, alice, ward_a):
    BusinessFactory(ward=ward_a, name="Karaoke Hoàng Gia", status="closed")
    BusinessFactory(ward=ward_a, name="Cà phê Lâm")
    rows = csv_rows(client, alice, status="closed")
    assert [r[1] for r in rows[1:]] == ["Karaoke Hoàng Gia"]
    rows = csv_rows(client, alice, q="ca phe lam")
    assert [r[1] for r in rows[1:]] == ["Cà phê Lâm"]


def test_export_of_another_ward_contains_nothing_of_ward_a(client, bob, tricky):
    rows = csv_rows(client, bob)
    assert len(rows) == 1  # the header only


def test_chairman_may_export_the_masked_list(client, charlie, tricky):
    assert len(csv_rows(client, charlie)) == 2
