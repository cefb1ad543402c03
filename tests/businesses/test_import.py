"""Import from XLSX and CSV: preview with row errors, all or nothing, re-import updates."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from businesses.columns import IMPORT_HEADERS
from businesses.models import Business, BusinessImport
from tests.factories import ResidentialGroupFactory, StreetFactory

from .factories import BusinessCategoryFactory, BusinessFactory

pytestmark = pytest.mark.django_db

HEADER = ["Số ĐKKD", "Tên cơ sở", "Loại hình", "Số nhà", "Đường/phố", "Tổ dân phố", "Họ tên chủ cơ sở",
          "Số CCCD", "Số điện thoại", "Kinh doanh có điều kiện ANTT", "Số GCN đủ điều kiện ANTT",
          "Ngày hết hạn GCN", "Trạng thái"]  # fmt: skip
GIANG = ["0101000001", "Cà phê Giảng", "Cà phê, giải khát", "39", "Nguyễn Thái Học", "Tổ dân phố số 3",
         "Nguyễn Văn Giảng", "001085012345", "0912 345 678", "Không", "", "", "Đang hoạt động"]  # fmt: skip
THIN = ["", "Quán phở Thìn", "quan an", "13", "Lò Đúc", "", "Nguyễn Văn Thìn", "", "+84 24 3821 2709",
        "", "", "", ""]  # fmt: skip
HOANG_GIA = ["0101000003", "Karaoke Hoàng Gia", "Karaoke", "5", "hoang dieu", "3", "Lê Thị Hoa", "",
             "", "Có", "15/GCN-ANTT", "31/12/2027", "Tạm ngừng"]  # fmt: skip


@pytest.fixture(autouse=True)
def ward_a_lists(ward_a):
    for name in ("Nguyễn Thái Học", "Lò Đúc", "Hoàng Diệu"):
        StreetFactory(ward=ward_a, name=name)
    ResidentialGroupFactory(ward=ward_a, name="Tổ dân phố số 3")
    BusinessCategoryFactory(code="ca-phe", name="Cà phê, giải khát")
    BusinessCategoryFactory(code="quan-an", name="Quán ăn")
    BusinessCategoryFactory(code="karaoke", name="Karaoke", requires_security_certificate=True)


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, *, delimiter=",", bom=False) -> bytes:
    text = "\n".join(delimiter.join(f'"{c}"' if delimiter in str(c) else str(c) for c in row) for row in rows)
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def upload(client, user, content: bytes, name: str):
    client.force_login(user)
    return client.post(reverse("businesses:import"), {"file": SimpleUploadedFile(name, content)})


def upload_and_preview(client, user, content: bytes, name: str = "co-so.xlsx") -> tuple[str, str]:
    response = upload(client, user, content, name)
    assert response.status_code == 302, response.content.decode()[:500]
    preview_url = response["Location"]
    return preview_url, client.get(preview_url).content.decode()


def confirm(client, preview_url: str):
    return client.post(preview_url, follow=True)


def test_good_xlsx_file_is_previewed_then_imported_on_confirmation(client, alice, ward_a):
    url, preview = upload_and_preview(client, alice, xlsx([HEADER, GIANG, THIN, HOANG_GIA]))
    assert "Xem trước khi nhập" in preview
    assert "Cà phê Giảng" in preview and "Quán phở Thìn" in preview
    # Each row to import: its house number and street as read, and what confirming will do.
    assert "<td>Cà phê Giảng</td><td>39 Nguyễn Thái Học</td><td>Thêm mới</td>" in preview
    assert not Business.objects.exists()  # nothing until confirmed

    page = confirm(client, url).content.decode()
    assert "Đã nhập xong: thêm mới 3 cơ sở, cập nhật 0 cơ sở, 0 cơ sở không thay đổi." in page
    giang = Business.objects.get(name="Cà phê Giảng")
    assert giang.ward == ward_a and giang.created_by == alice
    assert giang.owner_phone == "0912345678"
    assert giang.residential_group.name == "Tổ dân phố số 3"
    assert giang.search_text.startswith("ca phe giang | nguyen van giang | 39 nguyen thai hoc")
    thin = Business.objects.get(name="Quán phở Thìn")
    assert thin.category.code == "quan-an" and thin.owner_phone == "02438212709"
    karaoke = Business.objects.get(name="Karaoke Hoàng Gia")
    assert karaoke.is_conditional and karaoke.status == "suspended"
    assert karaoke.certificate_expiry.strftime("%d/%m/%Y") == "31/12/2027"
    assert karaoke.street.name == "Hoàng Diệu" and karaoke.residential_group.name == "Tổ dân phố số 3"
    batch = BusinessImport.objects.get()
    assert batch.status == "applied" and batch.created_count == 3
    assert bytes(batch.content) == b""  # personal data not kept after import


def test_file_with_bad_rows_imports_nothing_and_lists_every_error(client, alice):
    bad_street = [*GIANG[:4], "Phố Không Có", *GIANG[5:]]
    bad_phone_and_id = [*THIN[:7], "12345", "0123", *THIN[9:]]
    bad_category = [*HOANG_GIA[:2], "Sòng bạc", *HOANG_GIA[3:11], "32/13/2027", HOANG_GIA[12]]
    url, preview = upload_and_preview(
        client, alice, xlsx([HEADER, bad_street, bad_phone_and_id, bad_category])
    )
    assert "Dòng 2: Đường/phố “Phố Không Có” không có trong danh sách của phường." in preview
    assert "Dòng 3: Số CCCD “12345” phải gồm đúng 12 chữ số." in preview
    assert "Dòng 3: “0123” không phải số điện thoại Việt Nam hợp lệ." in preview
    assert "Dòng 4: Loại hình “Sòng bạc” không có trong danh mục." in preview
    assert "Dòng 4: Ngày hết hạn “32/13/2027” không đúng dạng dd/mm/yyyy." in preview
    assert "Xác nhận nhập dữ liệu" not in preview

    page = confirm(client, url).content.decode()  # a forged confirmation
    assert "Chưa nhập dữ liệu nào: một số dòng có lỗi." in page
    assert not Business.objects.exists()


def test_one_bad_row_among_good_ones_blocks_the_whole_file(client, alice):
    url, preview = upload_and_preview(client, alice, xlsx([HEADER, GIANG, [*THIN[:1], "", *THIN[2:]]]))
    assert "Dòng 3: Cột “Tên cơ sở” đang để trống." in preview
    confirm(client, url)
    assert not Business.objects.exists()


def test_reimport_updates_existing_businesses_without_duplicates(client, alice, ward_a):
    existing = BusinessFactory(
        ward=ward_a,
        name="Quán phở Thìn",
        house_number="13",
        street=ward_a.streets.get(name="Lò Đúc"),
        owner_name="Người cũ",
    )
    url, _ = upload_and_preview(client, alice, xlsx([HEADER, GIANG, THIN]))
    confirm(client, url)
    assert Business.objects.count() == 2
    existing.refresh_from_db()
    assert existing.owner_name == "Nguyễn Văn Thìn"  # matched by name and address

    changed = [*GIANG[:6], "Trần Thị Mới", *GIANG[7:]]
    url, preview = upload_and_preview(client, alice, xlsx([HEADER, changed, THIN]))
    assert "2" in preview and "cơ sở đã có sẽ cập nhật" in preview
    page = confirm(client, url).content.decode()
    assert "thêm mới 0 cơ sở, cập nhật 1 cơ sở, 1 cơ sở không thay đổi" in page
    assert Business.objects.count() == 2
    assert Business.objects.get(registration_number="0101000001").owner_name == "Trần Thị Mới"


def test_reimporting_the_same_file_changes_nothing(client, alice):
    url, _ = upload_and_preview(client, alice, xlsx([HEADER, GIANG, HOANG_GIA]))
    confirm(client, url)
    stamps = dict(Business.objects.values_list("pk", "updated_at"))
    url, _ = upload_and_preview(client, alice, xlsx([HEADER, GIANG, HOANG_GIA]))
    page = confirm(client, url).content.decode()
    assert "thêm mới 0 cơ sở, cập nhật 0 cơ sở, 2 cơ sở không thay đổi" in page
    assert dict(Business.objects.values_list("pk", "updated_at")) == stamps


def test_csv_with_bom_and_semicolons_is_read(client, alice):
    content = csv_bytes([HEADER, GIANG, THIN], delimiter=";", bom=True)
    url, preview = upload_and_preview(client, alice, content, "co-so.csv")
    assert "Các dòng có lỗi" not in preview
    confirm(client, url)
    assert set(Business.objects.values_list("name", flat=True)) == {"Cà phê Giảng", "Quán phở Thìn"}


def test_csv_with_commas_and_no_bom_is_read(client, alice):
    url, _ = upload_and_preview(client, alice, csv_bytes([HEADER, GIANG, THIN]), "co-so.csv")
    confirm(client, url)
    assert Business.objects.get(name="Quán phở Thìn").owner_phone == "02438212709"


def test_csv_in_a_legacy_encoding_gets_a_clear_message(client, alice):
    url, preview = upload_and_preview(client, alice, "Tên cơ sở;Loại hình".encode("utf-16"), "co-so.csv")
    assert "Tệp CSV không mã hóa UTF-8" in preview
    assert not Business.objects.exists()


def test_missing_required_columns_are_named(client, alice):
    _, preview = upload_and_preview(client, alice, xlsx([["Tên cơ sở", "Ghi chú"], ["Cà phê", "x"]]))
    assert "Tệp thiếu các cột bắt buộc: Loại hình, Đường/phố, Họ tên chủ cơ sở." in preview


def test_duplicate_rows_in_one_file_are_errors(client, alice):
    _, preview = upload_and_preview(client, alice, xlsx([HEADER, GIANG, GIANG]))
    assert "Dòng 3: Số ĐKKD 0101000001 bị trùng với dòng 2." in preview


def test_officer_of_another_ward_cannot_see_or_confirm_the_upload(client, alice, bob):
    url, _ = upload_and_preview(client, alice, xlsx([HEADER, GIANG]))
    client.force_login(bob)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not Business.objects.exists()


def test_import_into_another_ward_cannot_use_ward_a_streets(client, bob):
    _, preview = upload_and_preview(client, bob, xlsx([HEADER, GIANG]))
    assert "Đường/phố “Nguyễn Thái Học” không có trong danh sách của phường." in preview


def test_chairman_cannot_import(client, charlie):
    response = upload(client, charlie, xlsx([HEADER, GIANG]), "co-so.xlsx")
    assert response.status_code == 403
    assert not BusinessImport.objects.exists()


def test_wrong_file_type_is_refused(client, alice):
    response = upload(client, alice, b"%PDF-1.4", "co-so.pdf")
    assert "Chỉ nhập được tệp .xlsx và .csv." in response.content.decode()


def test_export_then_reimport_round_trip_keeps_masked_personal_data(client, alice, ward_a):
    url, _ = upload_and_preview(client, alice, xlsx([HEADER, GIANG]))
    confirm(client, url)
    exported = client.get(reverse("businesses:export"), {"format": "xlsx"}).content
    rows = list(load_workbook(io.BytesIO(exported)).active.iter_rows(values_only=True))
    assert rows[1][7] == "0*********45"  # masked in the export
    url, preview = upload_and_preview(client, alice, exported)
    assert "Các dòng có lỗi" not in preview
    confirm(client, url)
    business = Business.objects.get()
    assert business.owner_id_number == "001085012345"  # a masked cell keeps the stored value


def test_template_file_has_the_import_headers_and_the_ward_lists(client, alice):
    client.force_login(alice)
    response = client.get(reverse("businesses:import_template"))
    workbook = load_workbook(io.BytesIO(response.content))
    header = [c.rstrip("*") for c in next(workbook["Cơ sở kinh doanh"].iter_rows(values_only=True))]
    assert header == IMPORT_HEADERS
    lists = [row[0] for row in workbook["Danh mục"].iter_rows(values_only=True)]
    assert "Nguyễn Thái Học" in lists
