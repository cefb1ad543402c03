"""0008_decision25_decisions_in_register: decisions numbered before the register of document
numbers keep their sequence (their lines and counters are written into the register).

The migration's data step runs on today's models (the graph of several branches makes a
migrate-back to the exact state before the join impractical); the step only reads decisions and
writes register rows, whose columns it names."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from documents.models import RegisterCounter, RegisterEntry
from violations import decisions, services
from violations.models import RecordForm, SanctionDecision

join = importlib.import_module("violations.migrations.0008_decision25_decisions_in_register")

pytestmark = pytest.mark.django_db


def test_decisions_numbered_before_the_register_continue_their_sequence(make_draft, lena, competence):
    year = timezone.localdate().year
    for number in (1, 2, 3):
        record = services.violation_sign(
            violation=make_draft(occurred_at=timezone.now() - timedelta(days=number)),
            signed_by=lena,
            violator_signed=True,
        )
        draft = decisions.decision_create_draft(
            violation=record, actor=lena, sanction="fine", fine_amount=600_000
        )
        # Numbered as before the register: by the MQĐ02 counter, with no register line.
        SanctionDecision.objects.filter(pk=draft.pk).update(
            number=number, number_year=year, number_symbol="QĐ-XPHC", signed_at=timezone.now(), signed_by=lena
        )
        SanctionDecision.objects.filter(pk=draft.pk).update(status="signed")
    RecordForm.objects.get_or_create(
        code="MQĐ02", defaults={"name": "Quyết định xử phạt", "symbol": "QĐ-XPHC", "stage": "sanction"}
    )
    assert not RegisterEntry.objects.filter(kind="sanction_decision").exists()

    join.to_register(apps, None)

    entries = RegisterEntry.objects.filter(kind="sanction_decision").order_by("number")
    assert [(e.number, e.symbol, e.year, e.signer) for e in entries] == [
        (n, "QĐ-XPHC", year, lena) for n in (1, 2, 3)
    ]
    assert RegisterCounter.objects.get(kind="sanction_decision", year=year).last_number == 3
    assert not RecordForm.objects.filter(code="MQĐ02").exists()
    # The next decision continues the sequence.
    record = services.violation_sign(violation=make_draft(), signed_by=lena, violator_signed=True)
    draft = decisions.decision_create_draft(
        violation=record, actor=lena, sanction="fine", fine_amount=600_000
    )
    assert decisions.decision_sign(decision=draft, signed_by=lena, signer_title="police_head").number == 4
    # Running it twice writes nothing twice.
    join.to_register(apps, None)
    assert RegisterEntry.objects.filter(kind="sanction_decision").count() == 4
