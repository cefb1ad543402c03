import factory
from factory.django import DjangoModelFactory

from businesses.models import Business, BusinessCategory
from tests.factories import StreetFactory, WardFactory


class BusinessCategoryFactory(DjangoModelFactory):
    class Meta:
        model = BusinessCategory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"loai-{n}")
    name = factory.Sequence(lambda n: f"Loại hình {n}")


class BusinessFactory(DjangoModelFactory):
    class Meta:
        model = Business

    ward = factory.SubFactory(WardFactory)
    name = factory.Sequence(lambda n: f"Cửa hàng {n}")
    category = factory.SubFactory(BusinessCategoryFactory, code="ca-phe", name="Cà phê, giải khát")
    owner_name = "Trần Văn Bình"
    owner_id_number = "001085012345"
    owner_phone = "0912345689"
    house_number = "12"
    street = factory.SubFactory(StreetFactory, ward=factory.SelfAttribute("..ward"))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As the services do: the folded search column is always current.
        business = model_class(*args, **kwargs)
        business.search_text = business.compute_search_text()
        business.save()
        return business


class FeedbackFactory(DjangoModelFactory):
    class Meta:
        model = "businesses.Feedback"

    business = factory.SubFactory(BusinessFactory)
    ward = factory.SelfAttribute("business.ward")
    category = "noise"
    message = "Quán mở nhạc to sau 23 giờ, ảnh hưởng khu dân cư."
