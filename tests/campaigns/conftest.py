import pytest

from tests.factories import ResidentialGroupFactory, StreetFactory
from tests.inspections.factories import published_checklist

from .factories import BusinessCategoryFactory, BusinessFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def checklist(db):
    return published_checklist()


@pytest.fixture
def le_truc(ward_a):
    return StreetFactory(ward=ward_a, name="Lê Trực")


@pytest.fixture
def hoang_dieu(ward_a):
    return StreetFactory(ward=ward_a, name="Hoàng Diệu")


@pytest.fixture
def group_3(ward_a):
    return ResidentialGroupFactory(ward=ward_a, name="Tổ dân phố số 3")


@pytest.fixture
def cafe_category(db):
    return BusinessCategoryFactory(code="ca-phe", name="Quán cà phê")


@pytest.fixture
def karaoke_category(db):
    return BusinessCategoryFactory(code="karaoke", name="Karaoke")


@pytest.fixture
def cafe(ward_a, le_truc, group_3, cafe_category):
    return BusinessFactory(
        ward=ward_a,
        name="Cà phê Lê Trực",
        street=le_truc,
        residential_group=group_3,
        category=cafe_category,
        house_number="7",
    )


@pytest.fixture
def karaoke(ward_a, hoang_dieu, karaoke_category):
    return BusinessFactory(
        ward=ward_a,
        name="Karaoke Hoàng Diệu",
        street=hoang_dieu,
        category=karaoke_category,
        house_number="25",
    )


@pytest.fixture
def pho(ward_a, le_truc, cafe_category):
    return BusinessFactory(
        ward=ward_a, name="Phở Lê Trực", street=le_truc, category=cafe_category, house_number="9"
    )
