"""The business page shows inspections, commitments and violations, and what is due from them."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.models import Commitment
from inspections.services import CommitmentInput
from tests.inspections.factories import BusinessFactory, published_checklist, record
from tests.violations.factories import ViolationTypeFactory, record_forms
from violations import services as violation_services
from violations.models import Violation

pytestmark = pytest.mark.django_db


@pytest.fixture
def karaoke(ward_a):
    return BusinessFactory(ward=ward_a, name="Karaoke Ánh Dương")


@pytest.fixture
def checklist(db):
    return published_checklist()


def inspect(
    business, checklist, officer, *, days_ago=0, commitment=None, failed="Có bình chữa cháy còn hạn sử dụng"
):
    finished = timezone.now() - timedelta(days=days_ago)
    return record(
        business=business,
        version=checklist,
        officer=officer,
        started_at=finished - timedelta(minutes=20),
        finished_at=finished,
        commitment=commitment,
        statuses={failed: "fail"} if commitment else None,
    )


def violate(business, officer, *, days_ago=0, description="Bày bàn ghế chiếm vỉa hè."):
    record_forms()
    if not ViolationTypeFactory._meta.model.objects.filter(code="lan-chiem-via-he").exists():
        ViolationTypeFactory(code="lan-chiem-via-he")
    occurred = timezone.now() - timedelta(days=days_ago)
    return violation_services.violation_create_draft(
        business=business,
        types=["lan-chiem-via-he"],
        occurred_at=occurred,
        discovered_at=occurred,
        made_at=occurred,
        made_place="Trước cửa cơ sở",
        description=description,
        created_by=officer,
        stage="violation_record",
        sanction="fine",
        fine_amount=400_000,
    )


def witnessed(text, deadline):
    return CommitmentInput(text=text, deadline=deadline, refused_to_sign=True, witness_name="Tổ trưởng Lan")


def test_the_timeline_lists_inspections_commitments_and_violations_newest_first(
    client, alice, karaoke, checklist
):
    inspect(karaoke, checklist, alice, days_ago=30)
    inspect(
        karaoke,
        checklist,
        alice,
        days_ago=10,
        commitment=witnessed("Cam kết mua bình chữa cháy mới", timezone.localdate() + timedelta(days=5)),
    )
    violation = violate(karaoke, alice, days_ago=1, description="Mở nhạc quá giờ quy định.")
    client.force_login(alice)
    html = client.get(reverse("businesses:detail", args=[karaoke.pk])).content.decode()
    timeline = html[html.index('<ol class="timeline">') :]
    assert timeline.count("timeline__item--inspection") == 2
    assert timeline.count("timeline__item--commitment") == 1
    # The failed fire-safety item (critical) proposed a draft record; the signed record makes two.
    assert timeline.count("timeline__item--violation") == 2
    assert timeline.index("Mở nhạc quá giờ quy định.") < timeline.index("Cam kết mua bình chữa cháy mới")
    assert reverse("violations:detail", args=[violation.pk]) in timeline
    assert "Biên bản vi phạm hành chính (MBB01)" in timeline
    # Each entry's machine-readable time is a valid HTML date-time (whole seconds, the ward's
    # offset: the Nu Html Checker refuses ISO 8601's six-digit fractions), its visible date local.
    stamps = re.findall(r'<time datetime="([^"]+)">([^<]+)</time>', timeline)
    assert len(stamps) == 5
    for stamp, shown in stamps:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0700", stamp), stamp
        assert shown == f"{stamp[8:10]}/{stamp[5:7]}/{stamp[:4]}"


def test_another_businesss_records_stay_off_its_timeline(client, alice, ward_a, karaoke, checklist):
    other = BusinessFactory(ward=ward_a, name="Nhà nghỉ Hoa Hồng")
    inspect(other, checklist, alice)
    violate(other, alice, description="Không khai báo lưu trú.")
    client.force_login(alice)
    html = client.get(reverse("businesses:detail", args=[karaoke.pk])).content.decode()
    assert "timeline__item--inspection" not in html and "Không khai báo lưu trú." not in html


def test_overdue_commitments_and_records_due_are_next_actions(client, alice, karaoke, checklist):
    yesterday = timezone.localdate() - timedelta(days=1)
    inspect(karaoke, checklist, alice, days_ago=20, commitment=witnessed("Cam kết dọn vỉa hè", yesterday))
    draft = violate(karaoke, alice, days_ago=10)
    fresh = violate(karaoke, alice, days_ago=0)
    client.force_login(alice)
    html = client.get(reverse("businesses:detail", args=[karaoke.pk])).content.decode()
    assert f"Cam kết “Cam kết dọn vỉa hè” đã quá hạn ngày {yesterday:%d/%m/%Y}" in html
    assert f"phải lập xong trước ngày {draft.due_date:%d/%m/%Y} nhưng chưa được ký" in html
    assert f"cần ký trước ngày {fresh.due_date:%d/%m/%Y}" in html


def test_kept_commitments_and_signed_records_are_no_longer_due(client, alice, lena, karaoke, checklist):
    yesterday = timezone.localdate() - timedelta(days=1)
    inspect(
        karaoke,
        checklist,
        alice,
        days_ago=20,
        commitment=witnessed("Cam kết dọn vỉa hè", yesterday),
        failed="Không lấn chiếm vỉa hè",  # not critical: no record is proposed
    )
    Commitment.objects.update(fulfilled_at=timezone.now())
    violation_services.violation_sign(
        violation=violate(karaoke, alice, days_ago=10), signed_by=lena, violator_signed=True
    )
    client.force_login(alice)
    html = client.get(reverse("businesses:detail", args=[karaoke.pk])).content.decode()
    assert "Cam kết dọn vỉa hè” đã quá hạn" not in html
    assert "chưa được ký" not in html and "cần ký trước ngày" not in html
    assert Violation.objects.get().status == "signed"


def test_the_detail_page_query_count_does_not_grow_with_the_timeline(
    client, alice, karaoke, checklist, django_assert_max_num_queries
):
    def page_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("businesses:detail", args=[karaoke.pk])).status_code == 200
        return len(ctx)

    client.force_login(alice)
    inspect(karaoke, checklist, alice, days_ago=40, commitment=witnessed("Cam kết 1", timezone.localdate()))
    violate(karaoke, alice, days_ago=30)
    few = page_queries()
    for days in range(1, 6):
        inspect(karaoke, checklist, alice, days_ago=days, commitment=witnessed(f"Cam kết {days + 1}", None))
        violate(karaoke, alice, days_ago=days)
    assert page_queries() == few
    with django_assert_max_num_queries(10):
        client.get(reverse("businesses:detail", args=[karaoke.pk]))
