"""Every headline figure of the dashboard opens its own filtered list, and that list counts what
the figure counted (issue #26.13)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, CampaignStatus
from tests.businesses.factories import BusinessFactory
from tests.campaigns.factories import active_campaign, plan_campaign
from tests.dashboards.factories import commitment, inspection, local
from tests.dashboards.test_ward_dashboard import NOVEMBER, town  # noqa: F401
from tests.factories import UserFactory
from tests.page_reading import figures, linked_pks, table_bodies

pytestmark = pytest.mark.django_db


def _figures(client, user, **params) -> dict:
    client.force_login(user)
    return figures(client.get(reverse("dashboards:home"), params))


def test_no_figure_only_jumps_within_the_dashboard(client, charlie, town):  # noqa: F811
    for key, figure in _figures(client, charlie, **NOVEMBER).items():
        assert figure.url and not figure.url.startswith("#"), key
        assert client.get(figure.url).status_code == 200, key


def test_campaigns_under_way_open_the_list_of_campaigns_under_way_with_the_same_count(
    client, charlie, lena, bob
):
    shop = BusinessFactory(ward=lena.ward)
    for n in range(11):  # more than the ten rows of the dashboard's table
        active_campaign(leader=lena, targets=[shop], name=f"Ra quân đợt {n + 1}")
    plan_campaign(leader=lena, targets=[shop], name="Ra quân chưa bắt đầu")
    other_leader = UserFactory(username="leo", ward=bob.ward, role="leader")
    active_campaign(leader=other_leader, targets=[BusinessFactory(ward=bob.ward)], name="Ra quân Ngọc Hà")

    figure = _figures(client, charlie)["active_campaigns"]
    assert figure.value == "11"
    assert figure.url == f"{reverse('campaigns:list')}?status=active"

    listed = client.get(figure.url)
    page = listed.content.decode()
    assert "11 đợt ra quân" in page
    active = Campaign.objects.filter(ward=lena.ward, status=CampaignStatus.ACTIVE)
    assert set(linked_pks(listed, reverse("campaigns:list"))) == set(active.values_list("pk", flat=True))
    assert active.count() == 11
    assert "Ra quân chưa bắt đầu" not in page and "Ra quân Ngọc Hà" not in page


def test_overdue_commitments_open_their_own_list_with_the_same_count(client, charlie, town):  # noqa: F811
    figure = _figures(client, charlie, **NOVEMBER)["overdue_commitments"]
    assert figure.value == "1"
    assert figure.url == f"{reverse('dashboards:overdue_commitments')}?ward={charlie.ward_id}"

    listed = client.get(figure.url)
    page = listed.content.decode()
    assert listed.status_code == 200 and table_bodies(listed).count("<tr>") == 1
    today = timezone.localdate()
    assert f"1 cam kết quá hạn chưa thực hiện tính đến ngày {today:%d/%m/%Y}." in page
    assert "Quán cà phê Hạnh" in page and f"{today - timedelta(days=3):%d/%m/%Y}" in page
    # Kept commitments and another ward's overdue ones are not on it.
    assert "Karaoke Ánh Sao" not in page and "Nhà nghỉ Ngọc Hà" not in page


def test_the_overdue_list_counts_beyond_the_dashboards_ten_rows(
    client, charlie, alice, django_assert_max_num_queries
):
    today = timezone.localdate()
    for n in range(12):
        shop = BusinessFactory(ward=charlie.ward, name=f"Cửa hàng số {n + 1}")
        commitment(
            inspection(shop, alice, at=local(today - timedelta(days=30))),
            deadline=today - timedelta(days=n + 1),
        )
    figure = _figures(client, charlie)["overdue_commitments"]
    assert figure.value == "12"
    with django_assert_max_num_queries(12):
        listed = client.get(figure.url)
    assert f"12 cam kết quá hạn chưa thực hiện tính đến ngày {today:%d/%m/%Y}." in listed.content.decode()
    assert table_bodies(listed).count("<tr>") == 12
    assert listed.content.decode().count("Cam kết không lấn chiếm vỉa hè") == 12


def test_another_wards_overdue_commitments_are_a_404(client, charlie, bob):
    client.force_login(charlie)
    response = client.get(reverse("dashboards:overdue_commitments"), {"ward": bob.ward_id})
    assert response.status_code == 404
