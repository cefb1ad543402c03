"""#26.4: a failed critical item that cites no violation in force asks the officer to choose one,
so a "Phát hiện vi phạm" inspection always has a proposed record behind it; the public page
shows the result only once the inspection (and its proposed record) is stored."""

import re

import pytest
from django.urls import reverse

from businesses.models import Business
from inspections.models import ChecklistItem, Inspection
from violations.models import Violation

from .conftest import form_data
from .factories import fire_violation_type, published_checklist

pytestmark = pytest.mark.django_db

FIRE = "Có bình chữa cháy còn hạn sử dụng"
NEW = "/inspections/new/"


@pytest.fixture
def uncited(db):
    """A checklist whose critical item cites no violation (as an administrator may publish one)."""
    fire_violation_type()  # in the catalogue, but not cited by the item
    return published_checklist(code="khong-dan-chieu", cite_critical=False)


def _item(version, question):
    return ChecklistItem.objects.get(section__version=version, question=question)


def test_the_form_offers_a_violation_choice_only_for_a_critical_item_citing_none(
    client, alice, cafe, uncited
):
    client.force_login(alice)
    page = client.get(f"{NEW}?business={cafe.pk}").content.decode()
    fire = _item(uncited, FIRE)
    assert f'name="vtype-{fire.pk}"' in page
    assert "Hành vi vi phạm (khi không đạt)" in page and "— Chọn hành vi vi phạm —" in page
    assert "Trang bị phương tiện chữa cháy thông dụng không bảo đảm theo quy định" in page
    sidewalk = _item(uncited, "Không lấn chiếm vỉa hè")  # not critical: no choice asked
    assert f'name="vtype-{sidewalk.pk}"' not in page


def test_the_errors_at_the_top_link_to_each_field_in_error(client, alice, cafe, uncited):
    client.force_login(alice)
    fire = _item(uncited, FIRE)
    data = form_data(cafe, uncited, alice, statuses={FIRE: "fail"})
    data.pop(f"item-{_item(uncited, 'Không lấn chiếm vỉa hè').pk}")  # an item left unanswered
    page = client.post(f"{NEW}?business={cafe.pk}", data).content.decode()
    summary = page[page.index('id="form-errors"') : page.index("</ul>", page.index('id="form-errors"'))]
    links = re.findall(r'<a href="#([^"]+)">([^<]*)</a>', summary)
    assert links, summary
    # Each link names its field and jumps to an element that is on the page.
    for target, _text in links:
        assert f'id="{target}"' in page, target
    assert any(target == f"id_vtype-{fire.pk}" for target, _text in links), links


def test_a_critical_item_citing_its_type_asks_for_nothing(client, alice, cafe, checklist):
    client.force_login(alice)
    page = client.get(f"{NEW}?business={cafe.pk}").content.decode()
    assert 'name="vtype-' not in page


def test_failing_it_without_a_choice_is_a_clear_error_and_stores_nothing(client, alice, cafe, uncited):
    client.force_login(alice)
    public_before = client.get(f"/p/{cafe.public_token}/").content.decode()
    assert "Chưa được kiểm tra" in public_before
    fire = _item(uncited, FIRE)
    response = client.post(
        f"{NEW}?business={cafe.pk}", form_data(cafe, uncited, alice, statuses={FIRE: "fail"})
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nội dung quan trọng này không đạt: hãy chọn hành vi vi phạm để đề xuất lập biên bản." in page
    assert f'id="item-{fire.pk}"' in page and "insp-item--error" in page
    assert not Inspection.objects.exists() and not Violation.objects.exists()
    client.logout()
    public = client.get(f"/p/{cafe.public_token}/").content.decode()
    assert "Chưa được kiểm tra" in public and "Vi phạm" not in public


def test_the_chosen_violation_is_proposed_and_the_public_page_shows_the_result(client, alice, cafe, uncited):
    client.force_login(alice)
    fire = _item(uncited, FIRE)
    data = form_data(cafe, uncited, alice, statuses={FIRE: "fail"})
    data[f"vtype-{fire.pk}"] = "phuong-tien-chua-chay-khong-bao-dam"
    response = client.post(f"{NEW}?business={cafe.pk}", data)
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.result == "failed"
    violation = inspection.proposed_violation
    assert violation is not None and violation.status == "draft"
    assert [t.code for t in violation.types.all()] == ["phuong-tien-chua-chay-khong-bao-dam"]
    detail = client.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    assert reverse("violations:detail", args=[violation.pk]) in detail
    client.logout()
    public = client.get(f"/p/{Business.objects.get(pk=cafe.pk).public_token}/").content.decode()
    assert "Phát hiện vi phạm" in public


def test_a_type_not_in_the_catalogue_is_refused(client, alice, cafe, uncited):
    client.force_login(alice)
    fire = _item(uncited, FIRE)
    data = form_data(cafe, uncited, alice, statuses={FIRE: "fail"})
    data[f"vtype-{fire.pk}"] = "khong-co-ma-nay"
    response = client.post(f"{NEW}?business={cafe.pk}", data)
    assert response.status_code == 400 and not Inspection.objects.exists()


def test_a_failure_by_score_alone_needs_a_violation_and_takes_the_general_choice(client, alice, cafe, db):
    fire_violation_type()
    version = published_checklist(
        code="diem-thap",
        items=[
            ("urban_order", "Biển hiệu đúng quy định", 2, False),
            ("urban_order", "Không lấn chiếm vỉa hè", 2, False),
        ],
    )
    client.force_login(alice)
    failing = {"Biển hiệu đúng quy định": "fail", "Không lấn chiếm vỉa hè": "fail"}
    response = client.post(f"{NEW}?business={cafe.pk}", form_data(cafe, version, alice, statuses=failing))
    assert response.status_code == 400
    assert "hãy chọn hành vi vi phạm phát hiện được" in response.content.decode()
    assert not Inspection.objects.exists()
    data = form_data(
        cafe, version, alice, statuses=failing, violation_type="phuong-tien-chua-chay-khong-bao-dam"
    )
    assert client.post(f"{NEW}?business={cafe.pk}", data).status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.result == "failed" and inspection.proposed_violation is not None
