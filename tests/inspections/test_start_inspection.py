"""#26.2 and #26.3: an inspection is started outside a campaign, from the business page, the
inspection list or the menu, and the business picker searches like the registry does."""

import pytest
from django.urls import reverse

from businesses.models import Business
from businesses.services import business_refresh_search_text
from tests.factories import StreetFactory

from .factories import BusinessFactory

pytestmark = pytest.mark.django_db

NEW = "/inspections/new/"


def _indexed(business: Business) -> Business:
    # As the registry's services store it: the folded search text.
    business_refresh_search_text(queryset=Business.objects.filter(pk=business.pk))
    return business


@pytest.fixture
def nam(ward_a, cafe):
    street = StreetFactory(ward=ward_a, name="Điện Biên Phủ")
    return _indexed(
        BusinessFactory(
            ward=ward_a, name="Cà phê Nắm", house_number="48B", street=street, category=cafe.category
        )
    )


@pytest.fixture
def other_ward_cafe(ward_b, cafe):
    street = StreetFactory(ward=ward_b, name="Điện Biên Phủ")
    return _indexed(
        BusinessFactory(
            ward=ward_b, name="Cà phê Nắm Ngọc Hà", house_number="48B", street=street, category=cafe.category
        )
    )


def test_business_page_has_an_inspect_button_for_an_officer_of_its_ward(client, alice, nam):
    client.force_login(alice)
    page = client.get(reverse("businesses:detail", args=[nam.pk])).content.decode()
    assert f'href="{NEW}?business={nam.pk}"' in page
    assert "Kiểm tra cơ sở" in page


def test_leader_of_the_ward_also_sees_the_button(client, lena, nam):
    client.force_login(lena)
    page = client.get(reverse("businesses:detail", args=[nam.pk])).content.decode()
    assert f'href="{NEW}?business={nam.pk}"' in page


def test_chairman_sees_no_inspect_button(client, charlie, nam):
    client.force_login(charlie)
    page = client.get(reverse("businesses:detail", args=[nam.pk])).content.decode()
    assert f"{NEW}?business=" not in page


def test_inspection_list_and_menu_lead_to_the_picker(client, alice, nam, checklist):
    client.force_login(alice)
    page = client.get(reverse("inspections:list")).content.decode()
    assert f'<a class="btn" href="{NEW}">Kiểm tra cơ sở</a>' in page
    # The menu entry, and on the picker itself the menu marks only it as the current page.
    picker = client.get(NEW).content.decode()
    assert f'<a href="{NEW}" aria-current="page">Kiểm tra cơ sở</a>' in picker
    assert picker.count('aria-current="page"') == 1
    follow = client.get(NEW, {"business": nam.pk})
    assert follow.status_code == 200 and "Cà phê Nắm" in follow.content.decode()


def test_chairman_has_no_menu_entry_to_inspect(client, charlie):
    client.force_login(charlie)
    page = client.get(reverse("inspections:list")).content.decode()
    assert f'href="{NEW}"' not in page


@pytest.mark.parametrize("query", ["ca phe nam", "dien bien phu", "48B", "48b dien bien"])
def test_picker_folds_accents_and_searches_addresses(client, alice, nam, other_ward_cafe, query):
    client.force_login(alice)
    page = client.get(NEW, {"q": query}).content.decode()
    assert f'href="?business={nam.pk}"' in page
    assert "Số 48B Điện Biên Phủ" in page
    # Another ward's business with the same words stays invisible.
    assert f"?business={other_ward_cafe.pk}" not in page and "Ngọc Hà" not in page


def test_picker_says_when_nothing_matches(client, alice, nam):
    client.force_login(alice)
    page = client.get(NEW, {"q": "karaoke"}).content.decode()
    assert "Không có cơ sở nào phù hợp." in page and "?business=" not in page
