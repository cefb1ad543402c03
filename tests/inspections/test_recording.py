"""Recording an inspection from the phone form: idempotent, all or nothing, errors keep answers."""

import re
import uuid
from unittest import mock

import pytest
from django.urls import reverse

from businesses.models import Business, InspectionResult
from inspections import hooks
from inspections.models import Answer, ChecklistItem, Commitment, Inspection, Photo
from inspections.services import checklist_item_add, checklist_version_create_draft, checklist_version_publish

from .conftest import form_data, stored_files
from .factories import (
    BusinessCategoryFactory,
    BusinessFactory,
    image_bytes,
    published_checklist,
    record,
    signature_data_url,
    template_of,
)

pytestmark = pytest.mark.django_db


def new_url(business, **params):
    query = "&".join(f"{k}={v}" for k, v in {"business": business.pk, **params}.items())
    return f"{reverse('inspections:new')}?{query}"


def test_officer_records_an_inspection_and_sees_the_result_in_vietnamese(client, alice, cafe, checklist):
    client.force_login(alice)
    data = form_data(cafe, checklist, alice, statuses={"Không lấn chiếm vỉa hè": "fail"})
    response = client.post(new_url(cafe), data, follow=True)

    inspection = Inspection.objects.get()
    assert response.redirect_chain == [(reverse("inspections:detail", args=[inspection.pk]), 302)]
    page = response.content.decode()
    assert "Đã lưu kết quả kiểm tra: Đạt, có nhắc nhở." in page
    assert "Không đạt" in page and "Cà phê Lê Trực" in page
    assert (inspection.result, str(inspection.score), inspection.failed_count) == ("reminded", "83.3", 1)
    assert inspection.ward == cafe.ward and list(inspection.inspectors.all()) == [alice]
    assert inspection.partner_forces == "Đoàn thanh niên phường"
    assert Answer.objects.filter(inspection=inspection).count() == 3
    cafe.refresh_from_db()
    assert cafe.last_inspected_at == inspection.finished_at
    assert cafe.last_inspection_result == InspectionResult.REMINDED


def test_the_form_lists_only_items_applicable_to_the_business_category(client, alice, cafe, checklist):
    karaoke = BusinessCategoryFactory(code="karaoke", name="Karaoke")
    draft = checklist_version_create_draft(template=template_of(checklist))
    section = draft.sections.first()
    item = checklist_item_add(
        section=section, question="Phòng hát có cửa kính trong suốt", category_ids=[karaoke.pk]
    )
    checklist_version_publish(version=draft, user=None)
    client.force_login(alice)

    cafe_form = client.get(new_url(cafe)).content.decode()
    assert "Mã QR được niêm yết và khách quét mã" in cafe_form
    assert "Phòng hát có cửa kính trong suốt" not in cafe_form
    assert "Đã trả lời" in cafe_form and "/<strong>3</strong>" in cafe_form

    bar = BusinessFactory(ward=cafe.ward, category=karaoke)
    assert f'name="item-{item.pk}"' in client.get(new_url(bar)).content.decode()


def test_a_replayed_submission_returns_the_stored_inspection_instead_of_a_second(
    client, alice, cafe, checklist
):
    client.force_login(alice)
    data = form_data(cafe, checklist, alice)
    first = client.post(new_url(cafe), data)
    second = client.post(new_url(cafe), data, follow=True)

    inspection = Inspection.objects.get()
    assert (
        first["Location"]
        == second.redirect_chain[0][0]
        == reverse("inspections:detail", args=[inspection.pk])
    )
    assert "đã được lưu trước đó; không tạo bản trùng" in second.content.decode()
    assert Answer.objects.count() == 3


def test_the_service_replays_by_submission_id_even_with_different_answers(alice, cafe, checklist):
    submission_id = uuid.uuid4()
    first = record(business=cafe, version=checklist, officer=alice, submission_id=submission_id)
    again = record(
        business=cafe,
        version=checklist,
        officer=alice,
        submission_id=submission_id,
        statuses={"Có bình chữa cháy còn hạn sử dụng": "fail"},
    )
    assert again == first and again.result == "passed"
    assert Inspection.objects.count() == 1


def test_a_unique_index_stops_a_racing_duplicate_that_got_past_the_first_check(alice, cafe, checklist):
    submission_id = uuid.uuid4()
    first = record(business=cafe, version=checklist, officer=alice, submission_id=submission_id)
    # Simulate the race: the "already stored?" look-up misses, the insert hits the unique index.
    real_filter = Inspection.objects.filter
    lookups = []

    def filter_once_empty(*args, **kwargs):
        if kwargs.get("submission_id") == submission_id:
            lookups.append(kwargs)
            if len(lookups) == 1:
                return Inspection.objects.none()
        return real_filter(*args, **kwargs)

    with mock.patch.object(Inspection.objects, "filter", side_effect=filter_once_empty):
        again = record(business=cafe, version=checklist, officer=alice, submission_id=submission_id)
    assert again == first
    assert len(lookups) == 2  # the miss, then the look-up after the unique index refused the insert
    assert Inspection.objects.count() == 1 and Answer.objects.count() == 3


def test_a_failure_halfway_keeps_nothing_neither_rows_nor_files(client, alice, cafe, checklist, media):
    client.force_login(alice)
    data = form_data(cafe, checklist, alice, commitment="on", commitment_text="Dọn hàng khỏi vỉa hè")
    data["signature_data"] = signature_data_url()
    data["photos"] = [_upload("mat-tien.jpg", image_bytes())]
    with (
        mock.patch("inspections.services.Commitment.objects.create", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        client.post(new_url(cafe), data)
    assert Inspection.objects.count() == Answer.objects.count() == Photo.objects.count() == 0
    assert Commitment.objects.count() == 0
    assert stored_files(media) == []
    cafe.refresh_from_db()
    assert cafe.last_inspected_at is None


def test_missing_answers_are_refused_in_vietnamese_and_every_entered_answer_is_kept(
    client, alice, cafe, checklist
):
    client.force_login(alice)
    items = {i.question: i for i in ChecklistItem.objects.filter(section__version=checklist)}
    qr, fire = items["Mã QR được niêm yết và khách quét mã"], items["Có bình chữa cháy còn hạn sử dụng"]
    data = form_data(cafe, checklist, alice, statuses={qr.question: "fail"})
    data[f"note-{qr.pk}"] = "Chưa dán mã QR ở cửa"
    del data[f"item-{fire.pk}"]
    data["person_present_name"] = ""

    response = client.post(new_url(cafe), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Chưa lưu được kết quả kiểm tra" in page
    assert "Chọn: Đạt, Không đạt hoặc Không áp dụng." in page
    assert "Nhập họ tên chủ cơ sở hoặc người có mặt." in page
    assert f'value="fail" id="id_item-{qr.pk}_1" checked' in page.replace("required ", "")
    assert "Chưa dán mã QR ở cửa" in page
    assert data["submission_id"] in page  # the retry keeps the same submission id
    # Each item's fieldset: the unanswered critical one is marked, with its own error and badge; the
    # one with a note opens its note; every item offers the three answers and a photo input.
    found = re.findall(r'<fieldset class="([^"]*)" id="item-(\d+)" data-item>', page)
    fieldsets = {int(pk): classes for classes, pk in found}
    assert fieldsets[fire.pk] == "insp-item insp-item--critical insp-item--error"
    assert fieldsets[qr.pk] == "insp-item"
    fire_html = page[page.index(f'id="item-{fire.pk}"') :].split("</fieldset>")[0]
    assert '<span class="badge badge--critical">Quan trọng</span></legend>' in fire_html
    assert '<ul class="errorlist"><li>Chọn: Đạt, Không đạt hoặc Không áp dụng.</li></ul>' in fire_html
    qr_html = page[page.index(f'id="item-{qr.pk}"') :].split("</fieldset>")[0]
    assert '<details class="insp-extra" open>' in qr_html
    for answer in ("pass", "fail", "na"):
        assert f'<label class="insp-choice insp-choice--{answer}" for="id_item-{qr.pk}_' in qr_html
    assert f'<input type="file" id="id_photo-{qr.pk}" name="photo-{qr.pk}"' in qr_html
    assert Inspection.objects.count() == 0


def test_a_commitment_needs_a_signature_or_a_witness(client, alice, cafe, checklist):
    client.force_login(alice)
    data = form_data(cafe, checklist, alice, commitment="on", commitment_text="Khắc phục trong 7 ngày")
    response = client.post(new_url(cafe), data)
    assert "Đề nghị người có mặt ký vào ô chữ ký" in response.content.decode()

    data.update(refused_to_sign="on")
    response = client.post(new_url(cafe), data)
    assert "phải ghi họ tên người chứng kiến" in response.content.decode()
    assert Inspection.objects.count() == 0

    data.update(witness_name="Nguyễn Văn Tư", commitment_deadline="2030-01-15")
    client.post(new_url(cafe), data)
    commitment = Commitment.objects.get()
    assert (commitment.refused_to_sign, commitment.witness_name, commitment.signature.name) == (
        True,
        "Nguyễn Văn Tư",
        "",
    )
    assert commitment.business == cafe and not commitment.is_overdue


def test_the_form_stores_why_the_person_refused_to_sign(client, alice, cafe, checklist):
    client.force_login(alice)
    page = client.get(new_url(cafe)).content.decode()
    assert "Lý do từ chối ký" in page and 'name="refusal_reason"' in page
    data = form_data(cafe, checklist, alice, commitment="on", commitment_text="Khắc phục trong 7 ngày")
    data.update(refused_to_sign="on", witness_name="Nguyễn Văn Tư", refusal_reason="Chủ cơ sở vắng mặt")
    client.post(new_url(cafe), data)
    assert Commitment.objects.get().refusal_reason == "Chủ cơ sở vắng mặt"


def test_a_drawn_signature_is_stored_as_png_and_shown_to_the_ward(client, alice, bob, cafe, checklist):
    client.force_login(alice)
    data = form_data(cafe, checklist, alice, commitment="on", commitment_text="Dọn vỉa hè")
    data["signature_data"] = signature_data_url()
    client.post(new_url(cafe), data)
    inspection = Inspection.objects.get()
    assert inspection.commitment.signature.name.endswith("_signature.png")
    assert inspection.commitment.ward_id == cafe.ward_id == inspection.ward_id  # the ward's open list
    url = reverse("inspections:signature", args=[inspection.pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    client.force_login(bob)
    assert client.get(url).status_code == 404


def test_an_empty_signature_is_refused(client, alice, cafe, checklist):
    import base64
    import io

    from PIL import Image

    blank = io.BytesIO()
    Image.new("RGBA", (300, 120), (0, 0, 0, 0)).save(blank, format="PNG")
    client.force_login(alice)
    data = form_data(cafe, checklist, alice, commitment="on", commitment_text="Dọn vỉa hè")
    data["signature_data"] = "data:image/png;base64," + base64.b64encode(blank.getvalue()).decode()
    response = client.post(new_url(cafe), data)
    assert "Ô chữ ký còn trống" in response.content.decode()
    assert Inspection.objects.count() == 0


def test_an_overdue_commitment_is_flagged_on_the_list(client, alice, cafe, checklist):
    from datetime import date

    client.force_login(alice)
    data = form_data(
        cafe,
        checklist,
        alice,
        commitment="on",
        commitment_text="Dọn vỉa hè",
        refused_to_sign="on",
        witness_name="Nguyễn Văn Tư",
    )
    client.post(new_url(cafe), data)
    Commitment.objects.update(deadline=date(2024, 1, 1))
    assert "Cam kết quá hạn" in client.get(reverse("inspections:list")).content.decode()
    client.post(reverse("inspections:commitment_kept", args=[Inspection.objects.get().pk]))
    assert Commitment.objects.get().fulfilled_at is not None
    assert "Cam kết quá hạn" not in client.get(reverse("inspections:list")).content.decode()


def test_an_older_inspection_synced_late_does_not_overwrite_the_latest_result(alice, cafe, checklist):
    from datetime import timedelta

    from django.utils import timezone

    recent = record(business=cafe, version=checklist, officer=alice)
    record(
        business=cafe,
        version=checklist,
        officer=alice,
        statuses={"Có bình chữa cháy còn hạn sử dụng": "fail"},
        started_at=timezone.now() - timedelta(days=2, minutes=30),
        finished_at=timezone.now() - timedelta(days=2),
    )
    business = Business.objects.get(pk=cafe.pk)
    assert (business.last_inspected_at, business.last_inspection_result) == (recent.finished_at, "passed")


def test_a_campaign_link_is_carried_as_the_source_and_handlers_run_in_the_transaction(
    client, alice, cafe, checklist
):
    seen = []
    handler = hooks.on_inspection_recorded(lambda inspection: seen.append(inspection.source))
    try:
        client.force_login(alice)
        page = client.get(new_url(cafe, campaign=12)).content.decode()
        assert 'name="source" value="campaign:12"' in page
        # Campaign 12 does not exist, and the campaigns app refuses it: another kind shows the pass-through.
        client.post(new_url(cafe), form_data(cafe, checklist, alice, source="survey:12"))
        client.post(new_url(cafe), form_data(cafe, checklist, alice, source="<script>"))
    finally:
        hooks._recorded_handlers.remove(handler)
    assert seen == ["survey:12", ""]


def test_a_draft_version_cannot_be_used_for_an_inspection(alice, cafe, checklist):
    from django.core.exceptions import ValidationError

    draft = checklist_version_create_draft(template=template_of(checklist))
    with pytest.raises(ValidationError):
        record(business=cafe, version=draft, officer=alice)


def test_a_business_with_no_applicable_checklist_gets_a_clear_message(client, alice, cafe):
    published_checklist(code="karaoke", category_ids=[BusinessCategoryFactory(code="karaoke").pk])
    client.force_login(alice)
    page = client.get(new_url(cafe)).content.decode()
    assert "Chưa có bộ câu hỏi kiểm tra nào được ban hành cho loại hình kinh doanh này" in page


def _upload(name, content, content_type="image/jpeg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_checklist_meant_for_another_kind_of_business_is_refused_and_nothing_is_stored(alice, cafe):
    from django.core.exceptions import ValidationError

    hotels = BusinessCategoryFactory(code="khach-san", name="Khách sạn")
    for_hotels = published_checklist(code="luu-tru", name="Kiểm tra lưu trú", category_ids=[hotels.pk])

    with pytest.raises(ValidationError, match="không áp dụng cho loại hình kinh doanh này"):
        record(business=cafe, version=for_hotels, officer=alice)

    assert not Inspection.objects.exists()
    cafe.category = hotels
    cafe.save(update_fields=["category"])
    assert record(business=cafe, version=for_hotels, officer=alice).business == cafe


def test_the_form_offers_the_categorys_own_checklist_first_and_the_others_by_link(
    client, alice, cafe, checklist
):
    own = published_checklist(code="cafe", name="Quán cà phê", category_ids=[cafe.category_id])
    karaoke = BusinessCategoryFactory(code="karaoke", name="Karaoke")
    published_checklist(code="karaoke", name="Karaoke", category_ids=[karaoke.pk])  # not for a café
    template_of(checklist)  # "Kiểm tra chung", for every category
    client.force_login(alice)
    page = client.get(new_url(cafe)).content.decode()
    assert f'name="version" value="{own.pk}"' in page  # the café's own checklist is opened first
    assert '<span aria-current="true">Quán cà phê</span>' in page
    assert f"?business={cafe.pk}&amp;checklist=chung" in page and "checklist=karaoke" not in page
    other = client.get(new_url(cafe, checklist="chung")).content.decode()
    assert f'name="version" value="{checklist.pk}"' in other
    assert client.get(new_url(cafe, checklist="karaoke")).content.decode().count(f'value="{own.pk}"') == 1


def test_the_form_page_keeps_a_fixed_query_budget(
    client, alice, cafe, checklist, django_assert_max_num_queries, committed
):
    with committed():
        pass
    client.force_login(alice)
    assert client.get(new_url(cafe)).status_code == 200  # the reference data is read once
    # session, user, the business (roles, published checklists and their structure, the ward's
    # officers, the catalogue in force: from the cache)
    with django_assert_max_num_queries(3):
        response = client.get(new_url(cafe))
    assert response.status_code == 200
    assert "Không lấn chiếm vỉa hè" in response.content.decode()
