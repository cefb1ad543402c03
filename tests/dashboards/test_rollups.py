"""Rollups (#28): what the writes keep incrementally equals what rebuild_rollups recomputes.

The property test applies random sequences of writes through the services (violations: create a
draft, sign, amend, transfer, remedy, delete a draft; a decision closing a record and its fine paid,
saved as the decisions service saves them) and the ORM paths the services use
(inspections submitted and removed, commitments made and kept, feedback received and answered, a
business moved to another street, group or category), then compares every rollup row with a
rebuild from the records.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from businesses.models import Feedback, InspectionResult
from dashboards import rollups
from dashboards.rollup_models import CommitmentDay, FeedbackDay, InspectionDay, InspectionMonth, ViolationDay
from inspections.models import Commitment, Inspection
from tests.businesses.factories import FeedbackFactory
from tests.violations.factories import (
    BusinessCategoryFactory,
    BusinessFactory,
    ViolationTypeFactory,
    record_forms,
)
from violations import services
from violations.models import SanctionDecision, Status, Violation
from wards.models import ResidentialGroup, Street

from .factories import commitment, inspection

BASE = date(2024, 11, 20)  # 120 days from here cross a month, a quarter and a year


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Local time; 23:30 and 00:15 check that a record falls on its local day."""
    return timezone.make_aware(datetime.combine(BASE + timedelta(days=day), time(hour, minute)))


@pytest.fixture
def world(ward_a, ward_b, alice, lena):
    record_forms()
    ViolationTypeFactory(
        code="lan-chiem-via-he",
        domain="urban_order",
        fine_individual_min=300_000,
        fine_individual_max=500_000,
        valid_from=date(2021, 12, 31),
    )
    ViolationTypeFactory(
        code="pccc",
        domain="fire_safety",
        fine_individual_min=300_000,
        fine_individual_max=500_000,
        valid_from=date(2021, 12, 31),
    )
    streets = [Street.objects.create(ward=ward_a, name=f"Phố {n}") for n in range(3)]
    groups = [ResidentialGroup.objects.create(ward=ward_a, name=f"Tổ {n}") for n in range(2)]
    categories = [BusinessCategoryFactory(), BusinessCategoryFactory()]
    shops = [
        BusinessFactory(
            ward=ward_a, street=streets[n % 3], residential_group=groups[n % 2], category=categories[0]
        )
        for n in range(3)
    ]
    return {
        "streets": streets,
        "groups": groups,
        "categories": categories,
        "shops": shops,
        "ward_a": ward_a,
        "alice": alice,
        "lena": lena,
    }


OPS = st.sampled_from(
    [
        "inspect",
        "inspect",
        "inspect",
        "remove_inspection",
        "draft",
        "draft",
        "sign",
        "amend",
        "transfer",
        "remedy",
        "delete_draft",
        "move",
        "commit",
        "keep",
        "feedback",
        "answer",
    ]
)
STEP = st.tuples(OPS, st.integers(0, 2), st.integers(0, 120), st.sampled_from([0, 9, 23]), st.integers(0, 9))


def _pick(queryset, n: int):
    rows = list(queryset.order_by("pk"))
    return rows[n % len(rows)] if rows else None


def apply(world, op: str, b: int, day: int, hour: int, n: int) -> None:
    shop = world["shops"][b]
    shop.refresh_from_db()
    lena, alice = world["lena"], world["alice"]
    minute = 30 if hour == 23 else 15
    if op == "inspect":
        result = [InspectionResult.PASSED, InspectionResult.REMINDED, InspectionResult.FAILED][n % 3]
        inspection(shop, alice, at=at(day, hour, minute), result=result)
    elif op == "remove_inspection":
        found = _pick(Inspection.objects.filter(commitment__isnull=True), n)
        if found:
            found.delete()
    elif op == "draft":
        types = [["lan-chiem-via-he"], ["pccc"], ["lan-chiem-via-he", "pccc"]][n % 3]
        stage = {"stage": "violation_record", "sanction": "fine", "fine_amount": 600_000}
        if n % 2:
            stage = {"stage": "commitment", "sanction": "none"}
        street = world["streets"][n % 3] if n % 4 == 0 else None
        services.violation_create_draft(
            business=shop,
            types=types,
            occurred_at=at(day, hour, minute),
            discovered_at=at(day, hour, minute),
            description="Bày hàng lấn chiếm vỉa hè.",
            created_by=alice,
            street=street,
            **stage,
        )
    elif op == "sign":
        draft = _pick(Violation.objects.filter(status=Status.DRAFT), n)
        if draft:
            services.violation_sign(violation=draft, signed_by=lena, violator_signed=True)
    elif op == "amend":
        signed = _pick(Violation.objects.filter(status=Status.SIGNED, superseded_by__isnull=True), n)
        if signed:
            services.violation_amend(violation=signed, actor=lena, reason="Ghi sai giờ.")
    elif op == "transfer":
        signed = _pick(Violation.objects.filter(status=Status.SIGNED), n)
        if signed:
            services.violation_transfer(violation=signed, actor=lena, transferred_to="Chủ tịch UBND phường")
    elif op == "remedy":
        record = _pick(Violation.objects.filter(status__in=[Status.SIGNED, Status.TRANSFERRED]), n)
        if record:
            services.violation_mark_remedied(violation=record, actor=lena)
    elif op == "close":  # a decision signed on the record closes it, as decisions.decision_sign does
        record = _pick(Violation.objects.filter(status=Status.SIGNED, decision__isnull=True), n)
        if record:
            SanctionDecision.objects.create(
                ward=record.ward,
                violation=record,
                kind="sanction",
                status="signed",
                sanction="fine",
                fine_amount=600_000,
                signed_at=at(day, hour, minute),
                created_by=lena,
            )
            record.status = Status.DECIDED
            record.save(update_fields=["status", "updated_at"])
    elif op == "pay":
        decision = _pick(SanctionDecision.objects.filter(status="signed"), n)
        if decision:
            decision.status, decision.paid_on, decision.paid_amount = (
                "paid",
                BASE + timedelta(days=day),
                600_000,
            )
            decision.save()
    elif op == "delete_draft":
        draft = _pick(Violation.objects.filter(status=Status.DRAFT), n)
        if draft:
            services.violation_delete_draft(violation=draft, actor=lena)
    elif op == "move":
        shop.street = world["streets"][n % 3]
        shop.residential_group = world["groups"][n % 2] if n % 3 else None
        shop.category = world["categories"][n % 2]
        shop.save()
    elif op == "commit":
        found = _pick(Inspection.objects.filter(commitment__isnull=True), n)
        if found:
            commitment(found, deadline=BASE + timedelta(days=day))
    elif op == "keep":
        open_one = _pick(Commitment.objects.filter(fulfilled_at__isnull=True), n)
        if open_one:
            open_one.fulfilled_at = at(day, hour)
            open_one.save()
    elif op == "feedback":
        FeedbackFactory(business=shop, ward=shop.ward, created_at=at(day, hour, minute))
    elif op == "answer":
        waiting = _pick(Feedback.objects.filter(first_response_at__isnull=True), n)
        if waiting:
            waiting.first_response_at = waiting.created_at + timedelta(hours=n + 1)
            waiting.save()


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=25))
def test_rebuilt_rollups_equal_the_incremental_ones(world, steps):
    with transaction.atomic():
        for step in steps:
            try:
                with transaction.atomic():
                    apply(world, *step)
            except ValidationError:
                pass  # a write the rules refuse changes nothing (e.g. remedying an MBB01 with no decision)
        incremental = rollups.snapshot()
        rollups.rebuild()
        rebuilt = rollups.snapshot()
        transaction.set_rollback(True)
    assert incremental == rebuilt


def test_the_rollups_count_what_was_written(world):
    """Not only equal to the rebuild: the figures themselves, on a small hand-made case."""
    shop, other = world["shops"][0], world["shops"][1]
    alice = world["alice"]
    inspection(shop, alice, at=at(0, 23, 30), result=InspectionResult.FAILED)  # 20/11 local, 16:30 UTC
    inspection(shop, alice, at=at(15, 9), result=InspectionResult.PASSED)  # 05/12: first of December
    inspection(other, alice, at=at(15, 10), result=InspectionResult.REMINDED)
    later = inspection(shop, alice, at=at(45, 8), result=InspectionResult.PASSED)  # 04/01/2025: new year
    commitment(later, deadline=BASE + timedelta(days=50))
    ward = world["ward_a"].pk

    rows = {
        (r.day, r.street_id): (
            r.n,
            r.passed,
            r.reminded,
            r.failed,
            r.first_month,
            r.first_quarter,
            r.first_year,
        )
        for r in InspectionDay.objects.filter(ward_id=ward)
    }
    assert rows == {
        (date(2024, 11, 20), shop.street_id): (1, 0, 0, 1, 1, 1, 1),
        (date(2024, 12, 5), shop.street_id): (1, 1, 0, 0, 1, 0, 0),
        (date(2024, 12, 5), other.street_id): (1, 0, 1, 0, 1, 1, 1),
        (date(2025, 1, 4), shop.street_id): (1, 1, 0, 0, 1, 1, 1),
    }
    december = InspectionMonth.objects.get(ward_id=ward, month=date(2024, 12, 1), street_id=shop.street_id)
    assert (december.n, december.first_month, december.first_quarter) == (1, 1, 0)
    assert CommitmentDay.objects.get(ward_id=ward).open == 1

    # Moving the business moves its four months of counts, first-of-period flags included.
    shop.street = world["streets"][2] if shop.street != world["streets"][2] else world["streets"][1]
    shop.save()
    assert not InspectionDay.objects.filter(ward_id=ward, street_id=world["streets"][0].pk, n__gt=0).exists()
    assert InspectionDay.objects.filter(ward_id=ward, street_id=shop.street_id).count() == 3

    # Removing the earliest December inspection makes no other the first (there is none left).
    Inspection.objects.get(finished_at=at(15, 9)).delete()
    assert not InspectionDay.objects.filter(
        ward_id=ward, day=date(2024, 12, 5), street_id=shop.street_id, n__gt=0
    ).exists()

    v = services.violation_create_draft(
        business=shop,
        types=["lan-chiem-via-he", "pccc"],
        occurred_at=at(1, 0, 15),
        discovered_at=at(1, 0, 15),
        description="Lấn chiếm vỉa hè, thiếu bình chữa cháy.",
        created_by=alice,
        stage="commitment",
        sanction="none",
    )
    counted = {
        (r.domain, r.status): r.n for r in ViolationDay.objects.filter(ward_id=ward, day=date(2024, 11, 21))
    }
    assert counted == {("", "draft"): 1, ("urban_order", "draft"): 1, ("fire_safety", "draft"): 1}
    services.violation_delete_draft(violation=v, actor=world["lena"])
    assert not ViolationDay.objects.exists()
    FeedbackFactory(business=shop, ward=shop.ward, created_at=at(3, 9), first_response_at=at(3, 11))
    fb = FeedbackDay.objects.get(ward_id=ward)
    assert (fb.day, fb.received, fb.answered, fb.response_seconds) == (date(2024, 11, 23), 1, 1, 7200)
