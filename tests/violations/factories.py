from datetime import date, datetime, time

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from businesses.models import Business, BusinessCategory
from tests.factories import StreetFactory, WardFactory
from violations.domains import Domain
from violations.models import PublicHoliday, RecordForm, ViolationType


class NamedStreetFactory(StreetFactory):
    class Meta:
        django_get_or_create = ("ward", "name")


class BusinessCategoryFactory(DjangoModelFactory):
    class Meta:
        model = BusinessCategory
        django_get_or_create = ("code",)

    code = "cafe"
    name = "Cà phê"


class BusinessFactory(DjangoModelFactory):
    class Meta:
        model = Business

    ward = factory.SubFactory(WardFactory)
    name = factory.Sequence(lambda n: f"Quán cà phê số {n + 1}")
    category = factory.SubFactory(BusinessCategoryFactory)
    owner_name = "Trần Văn Bình"
    house_number = factory.Sequence(lambda n: str(n + 1))
    street = factory.SubFactory(
        NamedStreetFactory, ward=factory.SelfAttribute("..ward"), name="Nguyễn Thái Học"
    )


class ViolationTypeFactory(DjangoModelFactory):
    class Meta:
        model = ViolationType

    code = factory.Sequence(lambda n: f"vi-pham-{n}")
    domain = Domain.URBAN_ORDER
    title = "Để vật chiếm dụng lòng đường, vỉa hè"
    decree = "144/2021/NĐ-CP"
    article = 7
    clause = 1
    point = "a"
    fine_individual_min = 300_000
    fine_individual_max = 500_000
    valid_from = date(2021, 12, 31)
    valid_to = None
    # Confirmed against the official text, so records citing it can be signed; tests of the
    # "to be checked" rule set it to True.
    needs_verification = False


def record_forms() -> None:
    """The numbered forms (also loaded by a migration, but transactional tests flush them)."""
    RecordForm.objects.get_or_create(
        code="MBB01",
        defaults={"name": "Biên bản vi phạm hành chính", "symbol": "BB-VPHC", "stage": "violation_record"},
    )
    RecordForm.objects.get_or_create(
        code="MBB02", defaults={"name": "Biên bản làm việc", "symbol": "BB-LV", "stage": "working_record"}
    )


def holiday(day: date, name: str = "Ngày lễ") -> PublicHoliday:
    return PublicHoliday.objects.get_or_create(date=day, defaults={"name": name})[0]


def local(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))
