from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from businesses.models import Business, BusinessCategory, BusinessStatus
from criteria import services
from criteria.models import ClassificationThreshold, CriteriaGroup, CriteriaSet, Criterion
from tests.factories import StreetFactory, WardFactory


class BusinessCategoryFactory(DjangoModelFactory):
    class Meta:
        model = BusinessCategory
        django_get_or_create = ("code",)

    code = "karaoke"
    name = "Karaoke"
    requires_security_certificate = True


class BusinessFactory(DjangoModelFactory):
    class Meta:
        model = Business

    ward = factory.SubFactory(WardFactory)
    name = factory.Sequence(lambda n: f"Karaoke Hoàng Gia {n}")
    category = factory.SubFactory(BusinessCategoryFactory)
    street = factory.LazyAttribute(lambda o: StreetFactory(ward=o.ward))
    owner_name = "Trần Văn Bình"
    status = BusinessStatus.ACTIVE
    is_conditional = True
    certificate_number = factory.Sequence(lambda n: f"{n:03d}/GCN-ANTT")
    certificate_expiry = date(2030, 12, 31)


class CriteriaSetFactory(DjangoModelFactory):
    class Meta:
        model = CriteriaSet

    name = factory.Sequence(lambda n: f"Bộ tiêu chí thử {n}")
    decision_reference = "Quyết định thử nghiệm"
    version = 1
    valid_from = date(2024, 1, 1)


class ThresholdFactory(DjangoModelFactory):
    class Meta:
        model = ClassificationThreshold

    criteria_set = factory.SubFactory(CriteriaSetFactory)
    label = "Đạt"
    minimum_total = Decimal(70)
    meets_standard = True


class GroupFactory(DjangoModelFactory):
    class Meta:
        model = CriteriaGroup

    criteria_set = factory.SubFactory(CriteriaSetFactory)
    code = factory.Sequence(lambda n: f"G{n}")
    name = "Bảo đảm an ninh trật tự"


class CriterionFactory(DjangoModelFactory):
    class Meta:
        model = Criterion

    group = factory.SubFactory(GroupFactory)
    code = factory.Sequence(lambda n: f"{n + 1}.1")
    text = "Kiềm chế, kéo giảm tội phạm trên địa bàn"
    max_points = Decimal(10)


def published_set(*, evidence_required: bool = True) -> CriteriaSet:
    """A small published set: one manual points criterion (10), one computed criterion on the
    certificate metric (linear 80..100 %, 10 points), one must-hold pass/fail criterion."""
    criteria_set = CriteriaSetFactory(name="Bộ tiêu chí kiểu mẫu thử")
    ThresholdFactory(criteria_set=criteria_set, label="Đạt kiểu mẫu", minimum_total=Decimal(18))
    ThresholdFactory(criteria_set=criteria_set, label="Đạt", minimum_total=Decimal(10))
    ThresholdFactory(
        criteria_set=criteria_set, label="Chưa đạt", minimum_total=Decimal(0), meets_standard=False
    )
    group = GroupFactory(criteria_set=criteria_set, code="I", name="Bảo đảm an ninh trật tự", order=1)
    CriterionFactory(
        group=group, code="1.1", text="Kiềm chế tội phạm", order=1, evidence_required=evidence_required
    )
    CriterionFactory(
        group=group,
        code="1.2",
        text="Cơ sở kinh doanh có điều kiện có giấy chứng nhận còn hiệu lực",
        order=2,
        method="computed",
        metric_key="conditional_certified",
        mapping="linear",
        lower_bound=Decimal(80),
        upper_bound=Decimal(100),
    )
    must = GroupFactory(criteria_set=criteria_set, code="II", name="An ninh, trật tự đô thị", order=2)
    CriterionFactory(
        group=must,
        code="2.1",
        text="Không có hoạt động chống Đảng, chính quyền",
        max_points=Decimal(0),
        kind="pass_fail",
        must_hold=True,
        evidence_required=False,
    )
    return services.criteria_set_publish(criteria_set=criteria_set)
