"""Factories for inspections. Checklists are built through the services, as an admin would."""

import io
import uuid
from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from PIL import Image, ImageDraw

from businesses.models import Business, BusinessCategory
from inspections.models import ChecklistTemplate, ChecklistVersion
from inspections.services import (
    AnswerInput,
    applicable_items,
    checklist_item_add,
    checklist_section_add,
    checklist_template_create,
    checklist_version_publish,
    inspection_record,
)
from tests.factories import StreetFactory, WardFactory
from violations.domains import Domain
from violations.models import ViolationType


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
    name = factory.Sequence(lambda n: f"Quán cà phê số {n}")
    category = factory.SubFactory(BusinessCategoryFactory)
    owner_name = "Trần Thị Mai"
    house_number = "7"
    street = factory.LazyAttribute(lambda o: StreetFactory(ward=o.ward))


DEFAULT_ITEMS = [
    # domain, question, points, critical
    (Domain.EPIDEMIC, "Mã QR được niêm yết và khách quét mã", 2, False),
    (Domain.FIRE_SAFETY, "Có bình chữa cháy còn hạn sử dụng", 3, True),
    (Domain.URBAN_ORDER, "Không lấn chiếm vỉa hè", 1, False),
]


def fire_violation_type() -> ViolationType:
    """The catalogue entry a failed critical fire-safety item cites (in force since 2022)."""
    violation_type, _created = ViolationType.objects.get_or_create(
        code="phuong-tien-chua-chay-khong-bao-dam",
        valid_from=date(2022, 1, 1),
        defaults={
            "domain": Domain.FIRE_SAFETY,
            "title": "Trang bị phương tiện chữa cháy thông dụng không bảo đảm theo quy định",
            "decree": "106/2025/NĐ-CP",
            "article": 20,
            "clause": 1,
            "fine_individual_min": 1_000_000,
            "fine_individual_max": 2_000_000,
        },
    )
    return violation_type


def published_checklist(
    *,
    code: str = "chung",
    name: str = "Kiểm tra chung",
    items=DEFAULT_ITEMS,
    category_ids=(),
    cite_critical: bool = True,
) -> ChecklistVersion:
    """A published checklist; its critical items cite a violation type unless `cite_critical` is
    False (as the seeded checklists do: a failed critical item proposes a record)."""
    template = checklist_template_create(code=code, name=name, category_ids=category_ids)
    draft = template.versions.get()
    sections = {}
    for domain, question, points, critical in items:
        if domain not in sections:
            sections[domain] = checklist_section_add(version=draft, domain=domain)
        item = checklist_item_add(
            section=sections[domain], question=question, points=points, is_critical=critical
        )
        if critical and cite_critical:
            item.violation_types.add(fire_violation_type())
    return checklist_version_publish(version=draft, user=None)


def template_of(version: ChecklistVersion) -> ChecklistTemplate:
    return ChecklistTemplate.objects.get(pk=version.template_id)


def record(*, business, version, officer, statuses=None, submission_id=None, **kwargs):
    """Record an inspection through the service; `statuses` maps question -> pass/fail/na."""
    statuses = statuses or {}
    items = applicable_items(version, business.category_id)
    answers = [AnswerInput(item_id=i.pk, status=statuses.get(i.question, "pass")) for i in items]
    now = timezone.now()
    defaults = {
        "person_present_name": business.owner_name,
        "person_present_role": "owner",
        "started_at": now - timedelta(minutes=20),
        "finished_at": now,
    }
    defaults.update(kwargs)
    inspection, _created = inspection_record(
        submission_id=submission_id or uuid.uuid4(),
        business=business,
        version=version,
        recorded_by=officer,
        answers=answers,
        **{"inspectors": [officer], **defaults},
    )
    return inspection


def image_bytes(fmt: str = "JPEG", size=(64, 48), color=(200, 30, 30), **save_kwargs) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt, **save_kwargs)
    return out.getvalue()


def signature_data_url() -> str:
    import base64

    image = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(10, 100), (150, 20), (290, 90)], fill="#0a2a6b", width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
