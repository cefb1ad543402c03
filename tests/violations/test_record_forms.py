"""Forms MBB01 (biên bản vi phạm hành chính) and MBB02 (biên bản làm việc) as printed: rendered
through the documents pipeline and read back with pdftotext, part by part, in the form's order."""

from datetime import date, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from documents.models import DocumentJob
from documents.services import build_document
from tests.documents.helpers import pdftotext
from violations import services
from violations.models import Violation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def officer(alice):
    alice.full_name, alice.rank_title = "Phạm Quốc Huy", "Thiếu tá, Cảnh sát khu vực"
    alice.save()
    return alice


@pytest.fixture
def leader(lena):
    lena.full_name, lena.rank_title = "Đỗ Thị Lan", "Trưởng Công an phường"
    lena.save()
    return lena


def _when(hours_ago: float) -> datetime:
    return (timezone.localtime() - timedelta(hours=hours_ago)).replace(second=0, microsecond=0)


@pytest.fixture
def full_record(make_draft, officer):
    """A violation record with every part of the form filled in, as an officer does on site."""
    occurred = _when(5)
    return make_draft(
        occurred_at=occurred,
        discovered_at=occurred,
        person_name="Trần Văn Bình",
        person_sex="male",
        person_birth_date=date(1980, 3, 7),
        person_nationality="Việt Nam",
        person_occupation="Kinh doanh tự do",
        person_address="Số 12 ngõ Hàng Bột, phường Điện Biên",
        person_id_number="001080012345",
        person_id_issued_on=date(2021, 6, 1),
        person_id_issued_by="Cục Cảnh sát quản lý hành chính về trật tự xã hội",
        witness_name="Lê Thị Hoa",
        witness_role="witness",
        witness_detail="Buôn bán",
        witness_address="Số 14 phố Điện Biên Phủ",
        translator_name="John Smith",
        translator_occupation="Phiên dịch viên",
        translator_address="Số 3 phố Trần Phú",
        injured_party="Bà Ngô Thị Mai, Số 10 phố Điện Biên Phủ",
        violator_statement="Tôi xin nhận lỗi và dọn ngay.",
        witness_statement="Tôi chứng kiến bàn ghế chiếm vỉa hè.",
        injured_statement="Lối đi trước nhà tôi bị chắn.",
        measures_taken="Yêu cầu thu dọn bàn ghế.",
        items_held="Không tạm giữ.",
        explanation_right="applies",
        explanation_to="Trưởng Công an phường Điện Biên",
        summons_at=_when(-48),
        summons_place="Trụ sở Công an phường Điện Biên",
        made_at=_when(4),
        made_place="Trước số 12 phố Điện Biên Phủ",
        finished_at=_when(3.5),
        pages=2,
        copies=3,
        created_by=officer,
    )


@pytest.fixture
def pdf_text(client, django_capture_on_commit_callbacks, tmp_path):
    def text_of(user, violation) -> str:
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("violations:pdf", args=[violation.pk]))
        job = DocumentJob.objects.filter(kind="violation-record", object_id=violation.pk).latest("pk")
        # pdftotext breaks lines where the page does: compare the words, not the lines.
        return " ".join(pdftotext(build_document(job), tmp_path).split())

    return text_of


def assert_in_order(text: str, parts: list[str]) -> None:
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"missing after position {position}: {part!r}"
        position = found + len(part)


def test_mbb01_prints_every_part_in_the_forms_order_and_wording(full_record, leader, officer, pdf_text):
    signed = services.violation_sign(violation=full_record, signed_by=leader, violator_signed=True)
    made = timezone.localtime(signed.made_at)
    finished = timezone.localtime(signed.finished_at)
    summons = timezone.localtime(signed.summons_at)
    text = pdf_text(officer, signed)
    assert_in_order(
        text,
        [
            "CÔNG AN PHƯỜNG ĐIỆN BIÊN",
            f"Số: {signed.number:02d}/BB-VPHC",
            f"Điện Biên, ngày {made:%d}",
            "BIÊN BẢN VI PHẠM HÀNH CHÍNH",
            "Về trật tự đô thị",
            f"Hôm nay, hồi {made:%H} giờ {made:%M} phút, ngày {made:%d}",
            "tại Trước số 12 phố Điện Biên Phủ.",
            "Căn cứ: Luật Xử lý vi phạm hành chính; Nghị định số 282/2025/NĐ-CP",
            "Chúng tôi gồm:",
            "1. Người có thẩm quyền lập biên bản:",
            "Họ và tên: Phạm Quốc Huy. Chức vụ: Thiếu tá, Cảnh sát khu vực.",
            "Cơ quan: CÔNG AN PHƯỜNG ĐIỆN BIÊN",
            "2. Với sự chứng kiến của:",
            "Họ và tên: Lê Thị Hoa. Nghề nghiệp: Buôn bán.",
            "Địa chỉ: Số 14 phố Điện Biên Phủ (người chứng kiến).",
            "3. Người phiên dịch:",
            "Họ và tên: John Smith. Nghề nghiệp: Phiên dịch viên.",
            "Tiến hành lập biên bản vi phạm hành chính đối với ông (bà) có tên sau đây:",
            "1. Họ và tên: Trần Văn Bình. Giới tính: Nam",
            "Ngày, tháng, năm sinh: 07/03/1980. Quốc tịch: Việt Nam",
            "Nghề nghiệp: Kinh doanh tự do",
            "Nơi ở hiện tại: Số 12 ngõ Hàng Bột, phường Điện Biên",
            "Số định danh cá nhân/CMND/Hộ chiếu: 001080012345; ngày cấp: 01/06/2021; nơi cấp: Cục Cảnh sát",
            "2. Đã có các hành vi vi phạm hành chính:",
            "Cụ thể:",
            "3. Quy định tại: khoản 1 Điều 8 Nghị định số 282/2025/NĐ-CP.",
            "4. Cá nhân bị thiệt hại (nếu có): Bà Ngô Thị Mai",
            "5. Ý kiến trình bày của cá nhân vi phạm: Tôi xin nhận lỗi và dọn ngay.",
            "6. Ý kiến trình bày của đại diện chính quyền, người chứng kiến (nếu có): Tôi chứng kiến",
            "7. Ý kiến trình bày của cá nhân/tổ chức bị thiệt hại (nếu có): Lối đi trước nhà tôi bị chắn.",
            "8. Chúng tôi đã yêu cầu cá nhân vi phạm chấm dứt ngay hành vi vi phạm.",
            "9. Các biện pháp ngăn chặn và bảo đảm xử lý vi phạm hành chính được áp dụng (nếu có), gồm: "
            "Yêu cầu thu dọn bàn ghế.",
            "Tang vật, phương tiện vi phạm hành chính, giấy phép, chứng chỉ hành nghề bị tạm giữ, gồm: "
            "Không tạm giữ.",
            "10. Quyền và thời hạn giải trình:",
            "Được quyền giải trình (do thuộc trường hợp quy định tại khoản 1 Điều 61 "
            "Luật Xử lý vi phạm hành chính)",
            "Trong thời hạn 02 ngày làm việc, kể từ ngày lập biên bản này",
            "yêu cầu được giải trình trực tiếp đến Trưởng Công an phường Điện Biên",
            "Trong thời hạn 05 ngày làm việc",
            "văn bản giải trình đến Trưởng Công an phường Điện Biên để thực hiện quyền giải trình.",
            f"Yêu cầu ông (bà) Trần Văn Bình là cá nhân vi phạm có mặt vào hồi {summons:%H} giờ "
            f"{summons:%M} phút",
            "tại Trụ sở Công an phường Điện Biên để giải quyết vụ việc.",
            f"Biên bản lập xong hồi {finished:%H} giờ {finished:%M} phút",
            "gồm 02 tờ, được lập thành 03 bản có nội dung và giá trị như nhau; đã đọc lại cho những người "
            "có tên nêu trên cùng nghe",
            "giao cho ông (bà) Trần Văn Bình là cá nhân vi phạm 01 bản, 01 bản lưu hồ sơ.",
            "CÁ NHÂN VI PHẠM",
            "NGƯỜI LẬP BIÊN BẢN",
            "(Ký, ghi rõ chức vụ, họ và tên)",
            "Phạm Quốc Huy",
            # pdftotext reads the blocks row by row: the two roles, then the two names.
            "NGƯỜI CHỨNG KIẾN",
            "NGƯỜI PHIÊN DỊCH",
            "Lê Thị Hoa",
            "John Smith",
            "CÁ NHÂN/NGƯỜI ĐẠI DIỆN CỦA TỔ CHỨC BỊ THIỆT HẠI",
            "NGƯỜI DUYỆT BIÊN BẢN",
            "Đỗ Thị Lan",
            "Biên bản đã giao trực tiếp cho cá nhân vi phạm vào hồi",
            "NGƯỜI NHẬN BIÊN BẢN",
        ],
    )
    # A record proposes no sanction: fines belong to the sanction decision.
    assert "Hình thức xử lý" not in text and "600.000" not in text


def test_the_record_maker_printed_is_the_drafting_officer_not_the_signer(
    full_record, leader, officer, pdf_text
):
    signed = services.violation_sign(violation=full_record, signed_by=leader, violator_signed=True)
    text = pdf_text(leader, signed)
    assert "Người có thẩm quyền lập biên bản: Họ và tên: Phạm Quốc Huy." in text
    assert "Họ và tên: Đỗ Thị Lan" not in text
    maker_block = text[text.index("NGƯỜI LẬP BIÊN BẢN") : text.index("NGƯỜI CHỨNG KIẾN")]
    assert "Phạm Quốc Huy" in maker_block and "Đỗ Thị Lan" not in maker_block
    approver_block = text[text.index("NGƯỜI DUYỆT BIÊN BẢN") : text.index("NGƯỜI NHẬN BIÊN BẢN")]
    assert "Trưởng Công an phường Đỗ Thị Lan" in approver_block


def test_hom_nay_prints_when_the_record_was_made_never_the_signing_time(
    make_draft, leader, officer, pdf_text
):
    made = timezone.make_aware(datetime(2025, 12, 20, 9, 15))
    draft = make_draft(
        occurred_at=made - timedelta(hours=1),
        discovered_at=made - timedelta(hours=1),
        made_at=made,
        made_place="Trước số 5 phố Lê Trực",
        created_by=officer,
    )
    signed = services.violation_sign(violation=draft, signed_by=leader, violator_signed=True)
    text = pdf_text(officer, signed)
    assert "Hôm nay, hồi 09 giờ 15 phút, ngày 20 tháng 12 năm 2025, tại Trước số 5 phố Lê Trực." in text
    assert "Điện Biên, ngày 20 tháng 12 năm 2025" in text
    signed_at = timezone.localtime(signed.signed_at)
    assert f"hồi {signed_at:%H} giờ {signed_at:%M} phút, ngày {signed_at:%d}" not in text


def test_an_organisation_is_printed_with_its_head_office_code_and_legal_representative(
    make_draft, leader, officer, cafe, pdf_text
):
    draft = make_draft(
        violator_kind="organisation",
        org_head_office="Số 1 phố Hoàng Diệu, phường Ba Đình",
        org_enterprise_code="0101234567",
        org_registration_number="0101234567-DK",
        org_registration_issued_on=date(2019, 3, 15),
        org_registration_issued_by="Phòng Đăng ký kinh doanh, Sở Kế hoạch và Đầu tư Hà Nội",
        org_representative="Vũ Thị Thu",
        org_representative_sex="female",
        org_representative_title="Giám đốc",
        fine_amount=1_200_000,
        made_at=_when(1),
        made_place="Tại cơ sở",
        created_by=officer,
    )
    text = pdf_text(officer, services.violation_sign(violation=draft, signed_by=leader, violator_signed=True))
    assert_in_order(
        text,
        [
            "Tiến hành lập biên bản vi phạm hành chính đối với tổ chức có tên sau đây:",
            "1. Tên của tổ chức: Cà phê Hoa Sữa",
            "Địa chỉ trụ sở chính: Số 1 phố Hoàng Diệu, phường Ba Đình",
            "Mã số doanh nghiệp: 0101234567",
            "Số GCN đăng ký đầu tư/doanh nghiệp hoặc GP thành lập/đăng ký hoạt động: 0101234567-DK; "
            "ngày cấp: 15/03/2019; nơi cấp: Phòng Đăng ký kinh doanh, Sở Kế hoạch và Đầu tư Hà Nội",
            "Người đại diện theo pháp luật: Vũ Thị Thu. Giới tính: Nữ",
            "Chức danh: Giám đốc",
            "8. Chúng tôi đã yêu cầu tổ chức vi phạm chấm dứt ngay hành vi vi phạm.",
            "NGƯỜI ĐẠI DIỆN CỦA TỔ CHỨC VI PHẠM",
        ],
    )


def test_the_violators_address_never_falls_back_to_the_business_address(make_draft, officer, cafe, pdf_text):
    cafe.house_number = "20"
    cafe.save()
    assert cafe.address.startswith("Số 20")
    draft = make_draft(
        created_by=officer, person_name="Trần Văn Bình", made_at=_when(1), made_place="Tại quán"
    )
    text = pdf_text(officer, draft)
    assert "Nơi ở hiện tại: …" in text
    assert f"Nơi ở hiện tại: {cafe.address}" not in text


def test_a_refusal_prints_its_reason_and_who_confirms_it_without_signing_for_the_violator(
    make_draft, leader, officer, pdf_text
):
    draft = make_draft(
        created_by=officer, person_name="Trần Văn Bình", made_at=_when(1), made_place="Tại quán"
    )
    signed = services.violation_sign(
        violation=draft,
        signed_by=leader,
        violator_signed=False,
        refused_to_sign=True,
        witness_name="Nguyễn Thị Hoa",
        witness_role="ward_representative",
        refusal_reason="Không đồng ý với nội dung biên bản",
    )
    text = pdf_text(officer, signed)
    assert_in_order(
        text,
        [
            "Lý do ông (bà) Trần Văn Bình là cá nhân vi phạm không ký biên bản: "
            "Không đồng ý với nội dung biên bản.",
            "Ông (bà) Nguyễn Thị Hoa, đại diện chính quyền cấp xã, ký xác nhận việc ông (bà) Trần Văn Bình "
            "không ký biên bản.",
            "CÁ NHÂN VI PHẠM",
            "(Không ký biên bản)",
            "ĐẠI DIỆN CHÍNH QUYỀN",
            "Nguyễn Thị Hoa",
        ],
    )


def test_mbb02_is_its_own_form_without_violator_fine_or_sanction(make_draft, leader, officer, pdf_text):
    draft = make_draft(
        stage="working_record",
        sanction="none",
        fine_amount=None,
        created_by=officer,
        person_name="Trần Văn Bình",
        made_at=_when(1),
        made_place="Tại quán Cà phê Hoa Sữa",
        present_persons="Ông Hoàng Văn Nam, tổ trưởng tổ dân phố số 3\nBà Lý Thị Na, cán bộ đô thị",
        violator_statement="Quán sẽ thu dọn trong ngày.",
        scene="Bàn ghế bày kín vỉa hè trước số 12.",
        related_documents="Giấy chứng nhận đăng ký hộ kinh doanh (bản chụp).",
        conclusions="Cơ sở cam kết không bày bàn ghế ra vỉa hè.",
        witness_name="Lê Thị Hoa",
        witness_role="witness",
        pages=1,
        copies=2,
    )
    signed = services.violation_sign(violation=draft, signed_by=leader, violator_signed=True)
    text = pdf_text(officer, signed)
    assert_in_order(
        text,
        [
            f"Số: {signed.number:02d}/BB-LV",
            "BIÊN BẢN LÀM VIỆC",
            "Ghi nhận sự việc liên quan đến vi phạm hành chính về trật tự đô thị",
            "Hôm nay, hồi",
            "tại Tại quán Cà phê Hoa Sữa.",
            "Chúng tôi gồm có:",
            "1. Người có thẩm quyền lập biên bản:",
            "Họ và tên: Phạm Quốc Huy. Chức vụ: Thiếu tá, Cảnh sát khu vực.",
            "2. Người chứng kiến (nếu có):",
            "Họ và tên: Lê Thị Hoa.",
            "3. Cá nhân/tổ chức bị thiệt hại (nếu có): Không có.",
            "4. Cá nhân/tổ chức có liên quan trực tiếp đến vụ việc:",
            "Họ và tên: Trần Văn Bình. Giới tính:",
            "Ngày, tháng, năm sinh:",
            "Nghề nghiệp:",
            "Nơi ở hiện tại:",
            "Số định danh cá nhân/CMND/Hộ chiếu:",
            "Những người cùng có mặt:",
            "- Ông Hoàng Văn Nam, tổ trưởng tổ dân phố số 3;",
            "- Bà Lý Thị Na, cán bộ đô thị;",
            "Tiến hành lập biên bản làm việc đối với ông (bà) Trần Văn Bình "
            "có liên quan trực tiếp đến vụ việc:",
            "1. Thời gian xảy ra vụ việc:",
            "2. Địa điểm xảy ra vụ việc: cơ sở Cà phê Hoa Sữa",
            "3. Diễn biến của vụ việc: Bày bàn ghế chiếm toàn bộ vỉa hè trước cửa quán.",
            "4. Hiện trường: Bàn ghế bày kín vỉa hè trước số 12.",
            "5. Thiệt hại (nếu có): Không có",
            "6. Ý kiến trình bày của cá nhân/tổ chức bị thiệt hại (nếu có): Không có",
            "7. Lời khai của cá nhân/tổ chức có liên quan trực tiếp đến vụ việc: Quán sẽ thu dọn trong ngày.",
            "8. Ý kiến trình bày của người chứng kiến (nếu có):",
            "9. Các biện pháp xử lý và ngăn chặn hậu quả do sự việc gây ra (nếu có):",
            "10. Giấy tờ có liên quan đến vụ việc (nếu có): "
            "Giấy chứng nhận đăng ký hộ kinh doanh (bản chụp).",
            "Kết luận: Cơ sở cam kết không bày bàn ghế ra vỉa hè.",
            "Biên bản lập xong hồi",
            "gồm 01 tờ, được lập thành 02 bản",
            "NGƯỜI LẬP BIÊN BẢN",
            "Phạm Quốc Huy",
            "NGƯỜI CHỨNG KIẾN",
            "NGƯỜI DUYỆT BIÊN BẢN",
            "Đỗ Thị Lan",
            "NGƯỜI NHẬN BIÊN BẢN",
        ],
    )
    for absent in (
        "BIÊN BẢN VI PHẠM HÀNH CHÍNH",
        "vi phạm:",
        "VI PHẠM\n",
        "CÁ NHÂN VI PHẠM",
        "Hình thức xử lý",
    ):
        assert absent not in text
    assert "phạt" not in text and "đồng" not in text and "Quy định tại" not in text


# --- #26.5: the witness entered when signing ---------------------------------------------------
def test_a_witness_entered_when_signing_is_stored_and_printed(client, make_draft, leader, officer, pdf_text):
    draft = make_draft(created_by=officer, made_at=_when(1), made_place="Tại quán")
    client.force_login(leader)
    response = client.post(
        reverse("violations:sign", args=[draft.pk]),
        {"signature": "signed", "witness_name": "Đặng Văn Tâm", "witness_role": "witness"},
    )
    assert response.status_code == 302
    stored = Violation.objects.get(pk=draft.pk)
    assert (stored.witness_name, stored.witness_role, stored.violator_signed) == (
        "Đặng Văn Tâm",
        "witness",
        True,
    )
    page = client.get(reverse("violations:detail", args=[draft.pk])).content.decode()
    assert "Đặng Văn Tâm" in page
    text = pdf_text(leader, stored)
    assert "2. Với sự chứng kiến của: Họ và tên: Đặng Văn Tâm." in text
    assert "NGƯỜI CHỨNG KIẾN (Ký, ghi rõ họ và tên) Đặng Văn Tâm" in text


def test_a_refusal_without_its_reason_is_refused_by_the_sign_form(client, make_draft, leader):
    draft = make_draft(made_at=_when(1), made_place="Tại quán")
    client.force_login(leader)
    response = client.post(
        reverse("violations:sign", args=[draft.pk]),
        {"signature": "refused", "witness_name": "Đặng Văn Tâm", "witness_role": "witness"},
    )
    assert response.status_code == 400
    assert "Biên bản phải ghi rõ lý do người vi phạm không ký." in response.content.decode()
    assert Violation.objects.get(pk=draft.pk).status == "draft"


# --- the draft form -----------------------------------------------------------------------------
def _post_data(cafe, **extra):
    now = _when(2)
    data = {
        "business": cafe.pk,
        "violator_kind": "individual",
        "person_name": "Trần Văn Bình",
        "types": ["lan-chiem-via-he"],
        "occurred_at": now.strftime("%Y-%m-%dT%H:%M"),
        "discovered_at": now.strftime("%Y-%m-%dT%H:%M"),
        "description": "Bày bàn ghế trên vỉa hè.",
        "stage": "violation_record",
        "sanction": "fine",
        "fine_amount": "600000",
        "made_at": _when(1).strftime("%Y-%m-%dT%H:%M"),
        "made_place": "Trước số 12 phố Điện Biên Phủ",
    }
    data.update(extra)
    return data


def test_an_officer_drafts_a_record_with_the_forms_parts(client, officer, cafe, sidewalk, forms):
    client.force_login(officer)
    response = client.post(
        reverse("violations:create"),
        _post_data(
            cafe,
            person_sex="female",
            person_birth_date="1990-01-02",
            person_id_number="001190012345",
            person_id_issued_on="2022-05-06",
            person_id_issued_by="Cục Cảnh sát quản lý hành chính về trật tự xã hội",
            translator_name="John Smith",
            explanation_right="applies",
            explanation_to="Trưởng Công an phường Điện Biên",
            pages="2",
            copies="3",
        ),
    )
    assert response.status_code == 302
    v = Violation.objects.get()
    assert (v.person_sex, v.person_birth_date, v.person_id_issued_on) == (
        "female",
        date(1990, 1, 2),
        date(2022, 5, 6),
    )
    assert v.translator_name == "John Smith" and v.explanation_to == "Trưởng Công an phường Điện Biên"
    assert (v.pages, v.copies, v.made_place) == (2, 3, "Trước số 12 phố Điện Biên Phủ")
    assert v.witness_name == "" and v.summons_at is None


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"made_at": "", "made_place": ""}, "Nhập thời điểm lập biên bản tại chỗ."),
        ({"person_birth_date": "2999-01-01"}, "Ngày sinh ở tương lai."),
        ({"org_enterprise_code": "12AB"}, "Mã số doanh nghiệp gồm 10 chữ số"),
        ({"explanation_right": "applies"}, "Nhập nơi người vi phạm gửi yêu cầu giải trình"),
        ({"witness_name": "Lê Thị Hoa"}, "Ghi rõ là người chứng kiến hay đại diện chính quyền cấp xã."),
        ({"person_id_issued_on": "2022-05-06"}, "Nhập số định danh"),
        ({"org_registration_issued_on": "2999-01-01"}, "Ngày cấp giấy chứng nhận đăng ký ở tương lai."),
        ({"org_registration_issued_by": "Sở Kế hoạch và Đầu tư"}, "Nhập số giấy chứng nhận hoặc giấy phép"),
    ],
)
def test_bad_record_details_get_a_clear_error_and_nothing_is_saved(
    client, officer, cafe, sidewalk, forms, extra, message
):
    client.force_login(officer)
    response = client.post(reverse("violations:create"), _post_data(cafe, **extra))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Violation.objects.exists()


def test_the_new_parts_of_a_signed_record_are_frozen_by_the_database(full_record, leader):
    signed = services.violation_sign(violation=full_record, signed_by=leader, violator_signed=True)
    for column, value in (
        ("made_place", "Nơi khác"),
        ("witness_name", "Người khác"),
        ("pages", 9),
        ("org_registration_number", "0000000000"),
        ("scene", "Khác"),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Violation.objects.filter(pk=signed.pk).update(**{column: value})
    assert Violation.objects.get(pk=signed.pk).made_place == "Trước số 12 phố Điện Biên Phủ"


# --- signatures drawn on the phone --------------------------------------------------------------
def _drawn_signature() -> str:
    import base64
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (600, 240), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(40, 200), (300, 40), (560, 180)], fill=(10, 42, 107, 255), width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _pdf_images(client, django_capture_on_commit_callbacks, tmp_path, user, violation) -> list[str]:
    import shutil
    import subprocess

    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("violations:pdf", args=[violation.pk]))
    job = DocumentJob.objects.filter(kind="violation-record", object_id=violation.pk).latest("pk")
    path = tmp_path / "record.pdf"
    path.write_bytes(build_document(job))
    exe = shutil.which("pdfimages")
    assert exe, "pdfimages (poppler-utils) is missing"
    listing = subprocess.run([exe, "-list", str(path)], capture_output=True, text=True, check=True)
    # One row per image and one per its transparency mask: count the images.
    return [row for row in listing.stdout.splitlines()[2:] if row.split()[2] == "image"]


def test_signatures_drawn_on_the_phone_are_stored_and_printed_in_their_blocks(
    client, django_capture_on_commit_callbacks, tmp_path, make_draft, leader, officer
):
    draft = make_draft(created_by=officer, made_at=_when(1), made_place="Tại quán")
    assert _pdf_images(client, django_capture_on_commit_callbacks, tmp_path, officer, draft) == []
    client.force_login(leader)
    response = client.post(
        reverse("violations:sign", args=[draft.pk]),
        {
            "signature": "signed",
            "witness_name": "Đặng Văn Tâm",
            "witness_role": "witness",
            "violator_signature_data": _drawn_signature(),
            "witness_signature_data": _drawn_signature(),
        },
    )
    assert response.status_code == 302
    signed = Violation.objects.get(pk=draft.pk)
    assert signed.violator_signature.name.endswith(".png") and signed.witness_signature.name.endswith(".png")
    assert signed.violator_signature.open("rb").read(8) == b"\x89PNG\r\n\x1a\n"
    images = _pdf_images(client, django_capture_on_commit_callbacks, tmp_path, officer, signed)
    assert len(images) == 2  # one in the violator's block, one in the witness's


def test_a_drawn_signature_that_is_not_an_image_is_refused_and_nothing_is_signed(client, make_draft, leader):
    draft = make_draft(made_at=_when(1), made_place="Tại quán")
    client.force_login(leader)
    response = client.post(
        reverse("violations:sign", args=[draft.pk]),
        {"signature": "signed", "violator_signature_data": "data:image/png;base64,bm90IGEgcG5n"},
    )
    assert response.status_code == 400
    assert "Không đọc được chữ ký; đề nghị ký lại." in response.content.decode()
    stored = Violation.objects.get(pk=draft.pk)
    assert stored.status == "draft" and not stored.violator_signature


def test_a_violator_who_refused_cannot_have_a_drawn_signature(make_draft, leader):
    from django.core.exceptions import ValidationError

    draft = make_draft(made_at=_when(1), made_place="Tại quán")
    with pytest.raises(ValidationError):
        services.violation_sign(
            violation=draft,
            signed_by=leader,
            violator_signed=False,
            refused_to_sign=True,
            witness_name="Đặng Văn Tâm",
            witness_role="witness",
            violator_signature_png=b"\x89PNG",
        )
    assert Violation.objects.get(pk=draft.pk).status == "draft"


def test_an_organisations_record_takes_the_registration_number_the_registry_has(make_draft, cafe, officer):
    type(cafe).objects.filter(pk=cafe.pk).update(registration_number="01A8012345")
    cafe.refresh_from_db()
    organisation = make_draft(violator_kind="organisation", fine_amount=1_200_000, created_by=officer)
    assert organisation.org_registration_number == "01A8012345"
    # The officer's own entry wins, and an individual's record never gets one.
    entered = make_draft(
        violator_kind="organisation", fine_amount=1_200_000, org_registration_number="0101234567-DK"
    )
    assert entered.org_registration_number == "0101234567-DK"
    assert make_draft().org_registration_number == ""
