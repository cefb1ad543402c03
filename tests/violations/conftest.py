from datetime import date, timedelta

import pytest
from django.utils import timezone

from violations import services

from .factories import BusinessFactory, ViolationTypeFactory, local, record_forms


@pytest.fixture
def cafe(ward_a):
    return BusinessFactory(ward=ward_a, name="Cà phê Hoa Sữa")


@pytest.fixture
def other_ward_cafe(ward_b):
    return BusinessFactory(ward=ward_b, name="Cà phê Ngọc Hà")


@pytest.fixture
def sidewalk(db):
    """Encroaching on the sidewalk: 144/2021 Đ7 k1 until 14/12/2025, 282/2025 Đ8 k1 from 15/12/2025."""
    ViolationTypeFactory(
        code="lan-chiem-via-he",
        decree="144/2021/NĐ-CP",
        article=7,
        clause=1,
        point="",
        fine_individual_min=300_000,
        fine_individual_max=500_000,
        valid_from=date(2021, 12, 31),
        valid_to=date(2025, 12, 14),
    )
    return ViolationTypeFactory(
        code="lan-chiem-via-he",
        decree="282/2025/NĐ-CP",
        article=8,
        clause=1,
        point="",
        fine_individual_min=500_000,
        fine_individual_max=1_000_000,
        valid_from=date(2025, 12, 15),
    )


@pytest.fixture
def forms(db):
    record_forms()


@pytest.fixture
def make_draft(alice, cafe, sidewalk, forms):
    def make(**overrides):
        occurred = overrides.pop("occurred_at", timezone.now() - timedelta(hours=2))
        kwargs = {
            "business": cafe,
            "types": ["lan-chiem-via-he"],
            "occurred_at": occurred,
            "discovered_at": occurred,
            "description": "Bày bàn ghế chiếm toàn bộ vỉa hè trước cửa quán.",
            "created_by": alice,
            "stage": "violation_record",
            "sanction": "fine",
            "fine_amount": 600_000,
        }
        kwargs.update(overrides)
        if kwargs["stage"] in ("violation_record", "working_record"):
            # MBB01/MBB02 are signed only with the time and place they were made on site.
            kwargs.setdefault("made_at", kwargs["discovered_at"])
            kwargs.setdefault("made_place", "Trước cửa cơ sở")
        return services.violation_create_draft(**kwargs)

    return make


@pytest.fixture
def signed(make_draft, lena):
    return services.violation_sign(violation=make_draft(), signed_by=lena, violator_signed=True)


@pytest.fixture
def competence(db):
    """The competence limits as the migration seeds them (transactional tests flush them)."""
    from violations.competence import competence_rows
    from violations.models import CompetenceLimit

    for row in competence_rows():
        keys = {k: row.pop(k) for k in ("title", "domain", "valid_from")}
        CompetenceLimit.objects.get_or_create(**keys, defaults=row)


@pytest.fixture
def decide(competence):
    """Draft and sign a fine decision on a signed MBB01, as the ward police head."""
    from violations import decisions

    def make(record, leader, **overrides):
        kwargs = {"sanction": "fine", "fine_amount": record.fine_amount or 600_000}
        kwargs.update(overrides)
        draft = decisions.decision_create_draft(violation=record, actor=leader, **kwargs)
        return decisions.decision_sign(decision=draft, signed_by=leader, signer_title="police_head")

    return make


__all__ = ["local"]
