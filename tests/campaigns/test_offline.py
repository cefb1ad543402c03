"""A campaign's board on an officer's phone without a connection: what the phone is told to keep.

The service worker (static/js/sw.js) keeps the board of an active campaign and the inspection
forms the list endpoint names; the browser side is tested in
tests/browser/test_offline_inspection_browser.py.
"""

import json
import re
from html import unescape

import pytest
from django.urls import reverse

from campaigns import services
from inspections.models import Inspection
from tests.factories import UserFactory
from tests.inspections.factories import record

from .factories import BusinessFactory, active_campaign, plan_campaign

pytestmark = pytest.mark.django_db


def offline_pages(client, campaign):
    response = client.get(reverse("campaigns:offline_pages", args=[campaign.pk]))
    assert response.status_code == 200
    return response.json()


def assign(campaign, officer, *businesses):
    ids = campaign.targets.filter(business__in=businesses).values_list("pk", flat=True)
    services.campaign_targets_assign(campaign=campaign, target_ids=list(ids), officer=officer)


def my_target_links(html: str) -> list[str]:
    mine = html.split('id="mine-h"', 1)[1].split("</section>", 1)[0]
    return [unescape(href) for href in re.findall(r'<a class="btn" href="([^"]+)"', mine)]


@pytest.fixture
def under_way(lena, alice, cafe, pho, karaoke, checklist):
    campaign = active_campaign(leader=lena, officers=[alice], targets=[cafe, pho, karaoke])
    assign(campaign, alice, cafe, pho)
    assign(campaign, UserFactory(ward=lena.ward, role="officer"), karaoke)
    return campaign


def test_the_phone_keeps_the_forms_of_the_officers_own_targets_the_board_links_to(client, alice, under_way):
    client.force_login(alice)

    data = offline_pages(client, under_way)

    assert data["active"] is True
    assert data["campaign"] == f"/campaigns/{under_way.pk}/"
    names = ("Cà phê Lê Trực", "Phở Lê Trực")
    cafe, pho = (under_way.targets.get(business_name=n).business_id for n in names)
    assert data["pages"] == [
        f"/inspections/new/?business={cafe}&campaign={under_way.pk}",
        f"/inspections/new/?business={pho}&campaign={under_way.pk}",
    ]
    assert data["total"] == 2
    # The very URLs the board's "Inspect" buttons open: the phone finds them in its cache.
    board = client.get(reverse("campaigns:detail", args=[under_way.pk])).content.decode()
    assert my_target_links(board) == data["pages"]
    for page in data["pages"]:
        assert client.get(page).status_code == 200


def test_a_target_inspected_meanwhile_is_no_longer_kept(client, alice, under_way, checklist):
    cafe = under_way.targets.get(business_name="Cà phê Lê Trực").business
    record(business=cafe, version=checklist, officer=alice, source=f"campaign:{under_way.pk}")
    client.force_login(alice)

    data = offline_pages(client, under_way)

    assert [p for p in data["pages"] if f"business={cafe.pk}&" in p] == []
    assert data["total"] == 1


def test_the_list_is_capped_but_says_how_many_targets_there_are(client, settings, lena, alice, checklist):
    settings.CAMPAIGNS_OFFLINE_MAX_TARGETS = 3
    shops = [BusinessFactory(ward=lena.ward, name=f"Cửa hàng {n:02d}") for n in range(5)]
    campaign = active_campaign(leader=lena, officers=[alice], targets=shops)
    assign(campaign, alice, *shops)
    client.force_login(alice)

    data = offline_pages(client, campaign)

    assert len(data["pages"]) == 3
    assert data["total"] == 5


def test_nothing_is_kept_for_a_campaign_that_is_not_under_way(client, lena, alice, cafe, checklist):
    planned = plan_campaign(leader=lena, officers=[alice], targets=[cafe])
    assign(planned, alice, cafe)
    closed = active_campaign(leader=lena, officers=[alice], targets=[cafe], name="Ra quân tháng 10")
    assign(closed, alice, cafe)
    services.campaign_close(campaign=closed, user=lena)
    client.force_login(alice)

    for campaign in (planned, closed):
        assert offline_pages(client, campaign) == {
            "campaign": f"/campaigns/{campaign.pk}/",
            "active": False,
            "pages": [],
            "total": 0,
        }


def test_the_chairman_who_does_not_inspect_keeps_nothing(client, charlie, under_way):
    assign(under_way, charlie, *[t.business for t in under_way.targets.all()])
    client.force_login(charlie)

    assert offline_pages(client, under_way)["active"] is False
    board = client.get(reverse("campaigns:detail", args=[under_way.pk])).content.decode()
    assert "js/offline.js" not in board
    assert "data-offline-copy" not in board


def test_the_list_is_never_cached_and_stays_in_the_ward(client, alice, bob, under_way):
    client.force_login(alice)
    response = client.get(reverse("campaigns:offline_pages", args=[under_way.pk]))
    assert "no-cache" in response["Cache-Control"]

    client.force_login(bob)
    assert client.get(reverse("campaigns:offline_pages", args=[under_way.pk])).status_code == 404


def test_the_board_of_an_officer_registers_the_worker_and_carries_the_hidden_offline_notice(
    client, alice, under_way
):
    client.force_login(alice)
    html = client.get(reverse("campaigns:detail", args=[under_way.pk])).content.decode()

    assert 'rel="manifest"' in html
    assert "js/offline.js" in html
    assert 'data-scope="/"' in html
    # Shown only on the copy the worker serves without a connection, with when it was saved.
    notice = re.search(
        r'<div class="offline-copy" role="note" data-offline-copy hidden>(.*?)</div>', html, re.S
    )
    assert notice is not None
    assert re.search(r"Bản lưu ngoại tuyến trên điện thoại lúc \d\d:\d\d \d\d/\d\d/\d{4}\.", notice.group(1))
    assert "bấm “Kiểm tra ngay”" in notice.group(1)
    assert "data-offline-status" in html


def test_the_service_worker_knows_the_board_and_its_list(client):
    from inspections.pwa import _service_worker

    _service_worker.cache_clear()
    source = client.get("/sw.js").content.decode()

    boards = json.loads(re.search(r"var BOARDS = (\[.*?\]);", source).group(1))
    assert {"page": "/campaigns/{pk}/", "list": "/campaigns/{pk}/offline-pages/"} in boards
    assert 'var LOGOUT_URL = "/accounts/logout/";' in source
    assert 'var LOGIN_URL = "/accounts/login/";' in source
    assert re.search(r"var MAX_PAGES = \d+;", source)
    assert json.loads(client.get("/manifest.webmanifest").content)["scope"] == "/"


def test_an_inspection_from_a_kept_form_is_linked_to_the_campaign(client, alice, under_way, checklist):
    """The kept form carries the campaign; what the phone sends later lands in it."""
    from tests.inspections.test_offline_sync import SYNC, queued

    cafe = under_way.targets.get(business_name="Cà phê Lê Trực").business
    client.force_login(alice)
    form = client.get(offline_pages(client, under_way)["pages"][0]).content.decode()
    assert f'name="source" value="campaign:{under_way.pk}"' in form

    response = client.post(SYNC, queued(cafe, checklist, alice, source=f"campaign:{under_way.pk}"))

    assert response.status_code == 201
    assert under_way.targets.get(business=cafe).inspection == Inspection.objects.get()
