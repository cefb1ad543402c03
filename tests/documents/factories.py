import factory
from factory.django import DjangoModelFactory

from businesses.models import Business, BusinessCategory
from tests.factories import StreetFactory, WardFactory


class BusinessCategoryFactory(DjangoModelFactory):
    class Meta:
        model = BusinessCategory
        django_get_or_create = ("code",)

    code = "quan-an"
    name = "Quán ăn"


class BusinessFactory(DjangoModelFactory):
    class Meta:
        model = Business

    ward = factory.SubFactory(WardFactory)
    name = factory.Sequence(lambda n: f"Quán phở Đức Thìn {n}")
    category = factory.SubFactory(BusinessCategoryFactory)
    owner_name = "Nguyễn Thị Hằng"
    owner_id_number = "001185012345"
    owner_phone = "0912345678"
    house_number = "12"
    street = factory.LazyAttribute(lambda o: StreetFactory(ward=o.ward, name="Nguyễn Thái Học"))
