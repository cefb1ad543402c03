import factory
from factory.django import DjangoModelFactory

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_set_role
from wards.models import ResidentialGroup, Street, Ward

TEST_PASSWORD = "Mat-khau-thu-2026"


class WardFactory(DjangoModelFactory):
    class Meta:
        model = Ward
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Phường Thử {n}")
    code = factory.Sequence(lambda n: f"T{n:05d}")
    province = "Thành phố Hà Nội"


class StreetFactory(DjangoModelFactory):
    class Meta:
        model = Street

    ward = factory.SubFactory(WardFactory)
    name = factory.Sequence(lambda n: f"Phố Thử {n}")


class ResidentialGroupFactory(DjangoModelFactory):
    class Meta:
        model = ResidentialGroup

    ward = factory.SubFactory(WardFactory)
    name = factory.Sequence(lambda n: f"Tổ dân phố số {n + 1}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = "Nguyễn Văn Minh"
    ward = factory.SubFactory(WardFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):  # noqa: N805
        obj.save()
        user_set_role(user=obj, role=extracted or Role.OFFICER)
