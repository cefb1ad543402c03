"""The progress board: the numbers match the inspections; it polls while under way."""

import pytest
from django.urls import reverse

from campaigns import selectors, services
from campaigns.models import ForceType
from inspections.images import process_signature
from inspections.services import CommitmentInput
from tests.inspections.factories import record, signature_data_url

from .factories import BusinessFactory, active_campaign, plan_campaign

pytestmark = pytest.mark.django_db

QR = "Mã QR được niêm yết và khách quét mã"
EXTINGUISHER = "Có bình chữa cháy còn hạn sử dụng"


@pytest.fixture
def morning(lena, alice, cafe, pho, karaoke, checklist):
    """Three targets: the café reminded (and signs a commitment), the karaoke fails a critical
    item, the phở shop not yet visited."""
    campaign = active_campaign(leader=lena, officers=[alice], targets=[cafe, pho, karaoke])
    source = f"campaign:{campaign.pk}"
    record(
        business=cafe,
        version=checklist,
        officer=alice,
        statuses={QR: "fail"},
        source=source,
        commitment=CommitmentInput(
            text="Nhắc khách quét mã QR", signature_png=process_signature(signature_data_url())
        ),
    )
    record(business=karaoke, version=checklist, officer=alice, statuses={EXTINGUISHER: "fail"}, source=source)
    services.campaign_force_set(campaign=campaign, force_type=ForceType.YOUTH_UNION, head_count=12)
    return campaign


def test_progress_counts_match_the_inspections(morning):
    results = selectors.campaign_results(morning)
    assert results["totals"] == {
        "targets": 3,
        "inspected": 2,
        "passed": 0,
        "reminded": 1,
        "failed": 1,
        # The karaoke's failed critical item proposes its record (#26.4: its type is cited).
        "records": 1,
        "commitments": 1,
    }
    streets = {row["name"]: (row["targets"], row["inspected"]) for row in results["streets"]}
    assert streets == {"Lê Trực": (2, 1), "Hoàng Diệu": (1, 1)}
    domains = {d["code"]: d["failed"] for d in results["domains"]}
    assert domains == {"security_order": 0, "epidemic": 1, "fire_safety": 1}


def test_board_shows_the_numbers_and_polls_while_under_way(client, charlie, morning):
    client.force_login(charlie)
    page = client.get(reverse("campaigns:detail", args=[morning.pk])).content.decode()
    # htmx reads data-hx-* too, and those validate as HTML.
    progress = reverse("campaigns:progress", args=[morning.pk])
    assert f'data-hx-get="{progress}" data-hx-trigger="every 15s" data-hx-swap="outerHTML"' in page
    board = page[page.index('<section id="campaign-progress"') :]
    assert " hx-" not in board[: board.index(">")]
    assert "Theo từng tuyến phố" in page and "Lê Trực" in page
    # An inspected target links to its inspection's page.
    inspected = list(morning.targets.exclude(inspection=None).values_list("inspection_id", flat=True))
    assert len(inspected) == 2
    for pk in inspected:
        assert f'<a href="{reverse("inspections:detail", args=[pk])}"><span class="badge' in page
    assert "<svg" in page and "Ký cam kết" in page
    assert "<script>" not in page and 'style="' not in page
    # The chairman reads only: no inspect button, no status action.
    assert "Kiểm tra ngay" not in page and reverse("campaigns:close", args=[morning.pk]) not in page


def test_the_board_counts_the_violations_it_found_and_never_says_none(client, lena, charlie, morning):
    client.force_login(charlie)
    closed = services.campaign_close(campaign=morning, user=lena)
    page = client.get(reverse("campaigns:detail", args=[closed.pk])).content.decode()
    assert "Số cơ sở có vi phạm: 1; số biên bản đề xuất lập: 1." in page
    assert "Không phát hiện vi phạm." not in page
    # A summary frozen before its list of records was kept: the figures still count one.
    closed.summary.pop("violations")
    closed.save(update_fields=["summary"])
    page = client.get(reverse("campaigns:detail", args=[closed.pk])).content.decode()
    assert "Số cơ sở có vi phạm: 1; số biên bản đề xuất lập: 1." in page
    assert "Không phát hiện vi phạm." not in page


def test_a_board_without_violations_says_so(client, charlie, lena, cafe):
    campaign = services.campaign_close(campaign=active_campaign(leader=lena, targets=[cafe]), user=lena)
    client.force_login(charlie)
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "Không phát hiện vi phạm." in page and "Số cơ sở có vi phạm" not in page


def test_progress_fragment_is_only_the_board_part(client, alice, morning):
    client.force_login(alice)
    fragment = client.get(
        reverse("campaigns:progress", args=[morning.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert fragment.lstrip().startswith("<section") and "<html" not in fragment


def test_officer_sees_my_targets_first(client, lena, alice, morning, pho):
    target = morning.targets.get(business=pho)
    services.campaign_targets_assign(campaign=morning, target_ids=[target.pk], officer=alice)
    client.force_login(alice)
    page = client.get(reverse("campaigns:detail", args=[morning.pk])).content.decode()
    assert page.index("Cơ sở được giao cho tôi") < page.index("Tiến độ") < page.index("Tất cả cơ sở")


def test_closed_campaign_shows_the_frozen_summary_and_stops_polling(
    client, lena, alice, morning, pho, checklist
):
    services.campaign_close(campaign=morning, user=lena)
    # Registry and later inspections change nothing on the closed page.
    record(business=pho, version=checklist, officer=alice)
    client.force_login(lena)
    page = client.get(reverse("campaigns:detail", args=[morning.pk])).content.decode()
    # The board's progress no longer polls (the header's own htmx triggers are not the board's).
    assert reverse("campaigns:progress", args=[morning.pk]) not in page and 'hx-trigger="every' not in page
    assert "Tổng kết đợt ra quân" in page and "Theo lực lượng" in page and "Đoàn thanh niên" in page
    morning.refresh_from_db()
    assert morning.summary["totals"]["inspected"] == 2 and morning.summary["people"] == 12


def test_list_and_board_stay_within_a_query_budget(
    client, lena, ward_a, alice, checklist, django_assert_max_num_queries
):
    for n in range(3):
        businesses = [BusinessFactory(ward=ward_a) for _ in range(4)]
        campaign = active_campaign(leader=lena, officers=[alice], targets=businesses, name=f"Đợt {n}")
        for business in businesses[:2]:
            record(business=business, version=checklist, officer=alice, source=f"campaign:{campaign.pk}")
    client.force_login(lena)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("campaigns:list"))
    assert response.content.decode().count("2/4") == 3
    # Each row links to its campaign's board (the address is built once per page, not per row).
    assert f'<a href="{reverse("campaigns:detail", args=[campaign.pk])}">{campaign.name}</a>' in (
        response.content.decode()
    )
    with django_assert_max_num_queries(20):
        client.get(reverse("campaigns:detail", args=[campaign.pk]))
    with django_assert_max_num_queries(14):
        client.get(reverse("campaigns:progress", args=[campaign.pk]))


def test_another_ward_sees_neither_the_list_entry_nor_the_board(client, lena, bob, cafe):
    campaign = plan_campaign(leader=lena, targets=[cafe])
    client.force_login(bob)
    assert campaign.name not in client.get(reverse("campaigns:list")).content.decode()
    assert client.get(reverse("campaigns:detail", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("campaigns:progress", args=[campaign.pk])).status_code == 404
