"""Violation records generated at bench scale (`seed_demo --inspections N`): one per failed
inspection that cites a violation type (and a share of reminders), consistent with the services'
rules (ward and place, deadline, repeat flag, numbering, legal basis), realistic in distribution,
loaded once."""

from collections import defaultdict

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import User
from businesses.models import Business
from documents.models import RegisterCounter, RegisterEntry
from inspections.models import Inspection
from violations import rules, services
from violations.models import RecordForm, Stage, Status, Violation, ViolationItem, ViolationType
from violations.selectors import ESTABLISHED

pytestmark = pytest.mark.django_db

SCALE = {"wards": 2, "businesses": 1200}


def _seed_city(settings, inspections: int) -> set[int]:
    """Seed without, then with generated inspections; the ids of the records made by the bulk."""
    settings.DEBUG = True
    call_command("seed_demo", **SCALE)
    before = set(Violation.objects.values_list("pk", flat=True))
    call_command("seed_demo", **SCALE, inspections=inspections)
    return set(Violation.objects.values_list("pk", flat=True)) - before


def _types_by_violation() -> dict[int, list[ViolationType]]:
    types = defaultdict(list)
    for item in ViolationItem.objects.select_related("violation_type"):
        types[item.violation_id].append(item.violation_type)
    return types


def test_failed_inspections_get_their_records_with_the_business_place_and_the_services_rules(settings):
    bulk_ids = _seed_city(settings, inspections=3000)
    bulk = list(Violation.objects.filter(pk__in=bulk_ids).order_by("pk"))
    types = _types_by_violation()
    businesses = Business.objects.in_bulk()
    assert len(bulk) > 60

    for v in bulk:
        business = businesses[v.business_id]
        assert (v.ward_id, v.street_id, v.residential_group_id) == (
            business.ward_id,
            business.street_id,
            business.residential_group_id,
        )
        assert v.discovered_at == v.occurred_at <= timezone.now()
        day = timezone.localdate(v.occurred_at)
        assert types[v.pk] and all(t.is_in_force(day) for t in types[v.pk])
        assert v.due_date == services.record_due_date(
            discovered_at=v.discovered_at, complex_case=v.is_complex
        )

    # Every failed generated inspection that cites a type proposes its record, as the inspection
    # service does; reminders never propose one. A ward where no one may sign records (the demo's
    # second ward has one officer) gets none: its drafts would all end up overdue.
    signers = User.objects.filter(groups__permissions__codename="sign_violation")
    signing_wards = set(signers.values_list("ward_id", flat=True))
    assert Violation.objects.filter(pk__in=bulk_ids).exclude(ward_id__in=signing_wards).count() == 0
    failed = Inspection.objects.filter(
        result="failed", person_present_name="Chủ cơ sở", ward_id__in=signing_wards
    )
    proposing = failed.filter(answers__status="fail", answers__item__violation_types__isnull=False).distinct()
    assert proposing.count() > 40
    assert not proposing.filter(proposed_violation__isnull=True).exists()
    for inspection in proposing.select_related("proposed_violation"):
        record = inspection.proposed_violation
        assert record.pk in bulk_ids
        assert (record.business_id, record.occurred_at) == (inspection.business_id, inspection.finished_at)
        cited = set(
            inspection.answers.filter(status="fail").values_list("item__violation_types__code", flat=True)
        )
        assert {t.code for t in types[record.pk]} <= cited
    assert not Inspection.objects.filter(result="reminded", proposed_violation__isnull=False).exists()
    # A share of the reminders still got a (reminder) record.
    assert any(not Inspection.objects.filter(proposed_violation=v).exists() for v in bulk)

    # Signed records: a signer of their ward, the legal basis frozen, numbers only for the numbered
    # forms, and per ward, form and year exactly 1..n (with the demo stories' records).
    for v in bulk:
        if v.status == Status.DRAFT:
            assert v.signed_at is None and v.number is None and not v.legal_basis_snapshot
            continue
        assert v.occurred_at < v.signed_at <= timezone.now()
        assert signers.filter(pk=v.signed_by_id, ward_id=v.ward_id).exists()
        assert v.legal_basis_snapshot == services.legal_basis_text(types[v.pk])
        # Records and (#25.8) reminder notices are numbered; commitment-stage records are not.
        assert (v.number is not None) == (v.stage in services.STAGE_REGISTER_KINDS)
        if v.refused_to_sign:
            assert v.witness_name and not v.violator_signed
    # #25.8: every commitment (the demo stories' and the generated ones) has its CK number,
    # per ward and year exactly 1..n.
    from inspections.models import Commitment

    commitment_ids = set(Commitment.objects.values_list("pk", flat=True))
    assert len(commitment_ids) > 100
    ck = RegisterEntry.objects.filter(kind="commitment")
    assert set(ck.values_list("object_id", flat=True)) == commitment_ids
    ck_numbers = defaultdict(list)
    for ward_id, year, number, symbol in ck.values_list("ward_id", "year", "number", "symbol"):
        assert symbol == "CK"
        ck_numbers[(ward_id, year)].append(number)
    for (ward_id, year), issued in ck_numbers.items():
        assert sorted(issued) == list(range(1, len(issued) + 1))
        assert RegisterCounter.objects.get(ward_id=ward_id, kind="commitment", year=year).last_number == len(
            issued
        )

    numbers = defaultdict(list)
    for v in Violation.objects.filter(number__isnull=False).select_related("record_form"):
        assert v.number_symbol == (v.record_form.symbol if v.record_form else "TB-NN")
        assert v.number_year == timezone.localtime(v.signed_at).year
        numbers[(v.ward_id, v.stage, v.number_year)].append(v.number)
    assert len(numbers) > 3
    assert any(stage == "reminder" for _ward, stage, _year in numbers)
    for (ward_id, stage, year), issued in numbers.items():
        assert sorted(issued) == list(range(1, len(issued) + 1))
        kind = services.STAGE_REGISTER_KINDS[stage]
        counter = RegisterCounter.objects.get(ward_id=ward_id, kind=kind, year=year)
        assert counter.last_number == len(issued)
        entries = RegisterEntry.objects.filter(ward_id=ward_id, kind=kind, year=year)
        assert sorted(entries.values_list("number", flat=True)) == sorted(issued)

    # The repeat flag is the rule over the business's earlier established records.
    by_business = defaultdict(list)
    for v in Violation.objects.filter(business__isnull=False):
        by_business[v.business_id].append(v)
    for v in bulk:
        history = [
            rules.PastViolation(
                occurred_on=timezone.localdate(w.occurred_at),
                type_codes=frozenset(t.code for t in types[w.pk]),
                domains=frozenset(t.domain for t in types[w.pk]),
                stage=w.stage,
            )
            for w in by_business[v.business_id]
            if w.status in ESTABLISHED and w.occurred_at < v.occurred_at
        ]
        codes, domains = {t.code for t in types[v.pk]}, {t.domain for t in types[v.pk]}
        day = timezone.localdate(v.occurred_at)
        matches = rules.matching_past_violations(history, occurred_on=day, type_codes=codes, domains=domains)
        # Tái phạm and vi phạm nhiều lần as the law defines them: the bulk demo makes no decision,
        # so no record is a repeat offence; earlier violation records (never reminders) of the same
        # behaviour make "vi phạm nhiều lần".
        records = [
            rules.PastRecord(occurred_on=p.occurred_on, type_codes=p.type_codes, decided=False)
            for p in history
            if p.stage in (Stage.VIOLATION_RECORD, Stage.SANCTION)
        ]
        assert not v.is_repeat, v.pk
        assert v.is_multiple == any(
            r.type_codes & codes and day <= rules.months_after(r.occurred_on, 12) for r in records
        ), v.pk
        ladder = rules.suggest_next_stage(previous_stages=[m.stage for m in matches])
        assert rules.stage_rank(v.stage) >= rules.stage_rank(ladder)

    # Realistic shares: repeat violators a small minority of businesses; reminders the most
    # common stage, violation records fewer than commitments; most records signed and after;
    # some drafts overdue, a minority.
    repeaters = {v.business_id for v in bulk if v.is_repeat or v.is_multiple}
    assert len(repeaters) < 0.05 * Business.objects.count()
    stages = defaultdict(int)
    for v in bulk:
        stages[v.stage] += 1
    assert stages[Stage.REMINDER] == max(stages.values())
    assert 0 < stages[Stage.VIOLATION_RECORD] < stages[Stage.COMMITMENT]
    established = [v for v in bulk if v.status in ESTABLISHED]
    assert len(established) > 0.8 * len(bulk)
    assert {v.status for v in established} == {Status.SIGNED, Status.TRANSFERRED, Status.REMEDIED}
    overdue = [v for v in bulk if v.is_overdue]
    assert 0 < len(overdue) < 0.2 * len(bulk)

    # A second run adds nothing; the next signing through the services takes the next number.
    counts = (Violation.objects.count(), ViolationItem.objects.count())
    counters = list(RegisterCounter.objects.order_by("pk").values_list("last_number", flat=True))
    call_command("seed_demo", **SCALE, inspections=3000)
    assert (Violation.objects.count(), ViolationItem.objects.count()) == counts
    assert list(RegisterCounter.objects.order_by("pk").values_list("last_number", flat=True)) == counters

    leader = User.objects.get(username="leader1")
    business = Business.objects.filter(ward=leader.ward).first()
    draft = services.violation_create_draft(
        business=business,
        types=["de-vat-lan-chiem-duong-via-he"],
        occurred_at=(made := timezone.now()),
        discovered_at=made,
        made_at=made,
        made_place="Trước cửa cơ sở",
        description="Bày bàn ghế ra vỉa hè.",
        created_by=User.objects.get(username="officer1"),
        stage=Stage.VIOLATION_RECORD,
        sanction="fine",
        fine_amount=800_000,
    )
    signed = services.violation_sign(violation=draft, signed_by=leader, violator_signed=True)
    key = (leader.ward_id, signed.stage, signed.number_year)
    assert signed.number == len(numbers[key]) + 1


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_generated_records_have_their_insert_events_and_the_guards_are_back_on(settings):
    bulk_ids = _seed_city(settings, inspections=1500)
    event = apps.get_model("violations", "ViolationEvent")
    events = {e.pgh_obj_id: e for e in event.objects.filter(pgh_obj_id__in=bulk_ids)}
    assert event.objects.filter(pgh_obj_id__in=bulk_ids).count() == len(bulk_ids) > 20
    for v in Violation.objects.filter(pk__in=bulk_ids):
        e = events[v.pk]
        assert e.pgh_label == "insert" and e.pgh_created_at is not None
        assert (e.status, e.stage, e.number, e.business_id, e.is_repeat) == (
            v.status,
            v.stage,
            v.number,
            v.business_id,
            v.is_repeat,
        )
    # The triggers skipped while loading work again: a signed record's types are frozen, and a
    # new record gets its event from the trigger.
    signed = Violation.objects.filter(pk__in=bulk_ids).exclude(status=Status.DRAFT).first()
    other = ViolationType.objects.exclude(violations=signed).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ViolationItem.objects.create(violation=signed, violation_type=other)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    leader = User.objects.get(username="leader1")
    draft = services.violation_create_draft(
        business=Business.objects.filter(ward=leader.ward).first(),
        types=["xa-rac-nuoc-thai-noi-cong-cong"],
        occurred_at=timezone.now(),
        description="Xả nước thải ra vỉa hè.",
        created_by=leader,
    )
    assert list(event.objects.filter(pgh_obj_id=draft.pk).values_list("pgh_label", flat=True)) == ["insert"]


def test_seed_demo_puts_back_the_reference_rows_a_flushed_database_lost(settings):
    """A database flushed after migrating (transactional tests, an emptied database) has lost the
    competence limits and the decision form that migrations load; the demo signs a decision and
    needs them, so seeding puts them back."""
    from violations.models import CompetenceLimit, SanctionDecision

    CompetenceLimit.objects.all().delete()
    RecordForm.objects.all().delete()
    settings.DEBUG = True
    call_command("seed_demo")
    assert CompetenceLimit.objects.filter(title="police_head").exists()
    assert RecordForm.objects.filter(symbol="QĐ-XPHC").exists()
    assert SanctionDecision.objects.exclude(signed_at=None).exists()
