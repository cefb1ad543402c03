"""Who sees what: ward isolation, the chairman reads only, anonymous users log in; list filters."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.models import Inspection

from .conftest import form_data
from .factories import BusinessFactory, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspection(alice, cafe, checklist):
    return record(business=cafe, version=checklist, officer=alice)


def test_anonymous_users_are_sent_to_login(client, inspection, cafe):
    for url in (
        reverse("inspections:list"),
        reverse("inspections:detail", args=[inspection.pk]),
        f"{reverse('inspections:new')}?business={cafe.pk}",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_officer_of_other_ward_gets_404_and_sees_none_in_the_list(client, bob, inspection, cafe):
    client.force_login(bob)
    assert client.get(reverse("inspections:detail", args=[inspection.pk])).status_code == 404
    assert client.get(f"{reverse('inspections:new')}?business={cafe.pk}").status_code == 404
    page = client.get(reverse("inspections:list")).content.decode()
    assert "Cà phê Lê Trực" not in page and "Không có lần kiểm tra nào phù hợp." in page


def test_officer_of_other_ward_cannot_post_an_inspection_for_our_business(client, bob, cafe, checklist):
    client.force_login(bob)
    response = client.post(
        f"{reverse('inspections:new')}?business={cafe.pk}", form_data(cafe, checklist, bob)
    )
    assert response.status_code == 404
    assert Inspection.objects.count() == 0


def test_inspectors_must_be_officers_of_the_ward(client, alice, bob, cafe, checklist):
    client.force_login(alice)
    data = form_data(cafe, checklist, alice, inspectors=[bob.pk])
    response = client.post(f"{reverse('inspections:new')}?business={cafe.pk}", data)
    assert response.status_code == 400 and Inspection.objects.count() == 0


def test_chairman_reads_inspections_but_cannot_record_one(client, charlie, inspection, cafe, checklist):
    client.force_login(charlie)
    assert client.get(reverse("inspections:list")).status_code == 200
    detail = client.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    assert "Kết quả" in detail and "Đạt" in detail
    assert "Kiểm tra lại cơ sở này" not in detail
    url = f"{reverse('inspections:new')}?business={cafe.pk}"
    forbidden = client.get(url)
    assert forbidden.status_code == 403 and "Bạn không có quyền" in forbidden.content.decode()
    assert client.post(url, form_data(cafe, checklist, charlie)).status_code == 403
    assert Inspection.objects.count() == 1


def test_the_detail_shows_everything_captured(client, lena, alice, cafe, checklist):
    inspection = record(
        business=cafe,
        version=checklist,
        officer=alice,
        statuses={"Có bình chữa cháy còn hạn sử dụng": "fail"},
        latitude="21.033333",
        longitude="105.839999",
        gps_accuracy_m=12,
        partner_forces="Bảo vệ dân phố",
        remarks="Bình chữa cháy hết hạn từ tháng 3.",
    )
    client.force_login(lena)
    page = client.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    for text in (
        "Phát hiện vi phạm",
        "1 nội dung không đạt",
        "Có bình chữa cháy còn hạn sử dụng",
        "Phòng cháy chữa cháy",
        "21.033333, 105.839999",
        "± 12 m",
        "Bảo vệ dân phố",
        "Bình chữa cháy hết hạn từ tháng 3.",
        "Trần Thị Mai",
        timezone.localtime(inspection.finished_at).strftime("%d/%m/%Y"),
    ):
        assert text in page, text


def test_the_list_filters_by_result_date_officer_and_street(client, alice, lena, cafe, checklist, ward_a):
    other = BusinessFactory(ward=ward_a, name="Karaoke Hoàng Diệu")
    now = timezone.now()
    record(business=cafe, version=checklist, officer=alice)
    record(
        business=other,
        version=checklist,
        officer=lena,
        statuses={"Có bình chữa cháy còn hạn sử dụng": "fail"},
        started_at=now - timedelta(days=40, minutes=30),
        finished_at=now - timedelta(days=40),
    )
    client.force_login(alice)
    url = reverse("inspections:list")

    def names(**params):
        page = client.get(url, params).content.decode()
        return {n for n in ("Cà phê Lê Trực", "Karaoke Hoàng Diệu") if n in page}

    assert names() == {"Cà phê Lê Trực", "Karaoke Hoàng Diệu"}
    assert names(result="failed") == {"Karaoke Hoàng Diệu"}
    assert names(date_from=(now - timedelta(days=7)).date().isoformat()) == {"Cà phê Lê Trực"}
    assert names(date_to=(now - timedelta(days=30)).date().isoformat()) == {"Karaoke Hoàng Diệu"}
    assert names(officer=lena.pk) == {"Karaoke Hoàng Diệu"}
    assert names(street=cafe.street_id) == {"Cà phê Lê Trực"}
    bad = client.get(url, {"date_from": "2025-02-01", "date_to": "2025-01-01"}).content.decode()
    assert "Ngày kết thúc trước ngày bắt đầu." in bad
    # Each row links to its inspection's page (the address is built once per page, not per row).
    listed = client.get(url).content.decode()
    for inspection in Inspection.objects.all():
        assert f'<td><a href="{reverse("inspections:detail", args=[inspection.pk])}">' in listed


def test_the_list_stays_within_its_query_budget(
    client, alice, ward_a, checklist, django_assert_max_num_queries
):
    for n in range(30):
        business = BusinessFactory(ward=ward_a, name=f"Cơ sở {n}")
        record(business=business, version=checklist, officer=alice)
    client.force_login(alice)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("inspections:list"))
    assert response.status_code == 200
    assert "30 lần kiểm tra" in response.content.decode()
