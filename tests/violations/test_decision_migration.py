"""0008_decision25_decisions_in_register: decisions numbered before the register of document
numbers keep their sequence (their lines and counters are written into the register)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("violations", "0007_decision25_aggravated_index"), ("documents", "0002_register25_register")]


def _leaves(executor: MigrationExecutor) -> list[tuple[str, str]]:
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_decisions_numbered_before_the_register_continue_their_sequence():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        _check_join(executor)
    finally:  # the next tests need the schema of today
        executor = MigrationExecutor(connection)
        executor.migrate(_leaves(executor))


def _check_join(executor: MigrationExecutor) -> None:
    executor.loader.build_graph()
    apps = executor.loader.project_state(BEFORE).apps
    # Wards and users are not migrated back: today's models write them.
    from django.contrib.auth import get_user_model

    from wards.models import Ward

    ward = Ward.objects.create(name="Phường Điện Biên", code="DB-M", province="Hà Nội")
    user = get_user_model().objects.create(username="minh")
    now = timezone.now() - timedelta(days=3)
    violation_model = apps.get_model("violations", "Violation")
    decision_model = apps.get_model("violations", "SanctionDecision")
    for number in (1, 2, 3):
        record = violation_model.objects.create(
            ward_id=ward.pk,
            person_name=f"Người vi phạm {number}",
            occurred_at=now,
            discovered_at=now,
            description="Bày hàng hóa ra vỉa hè.",
            due_date=date.today(),
            created_by_id=user.pk,
            stage="violation_record",
        )
        decision_model.objects.create(
            ward_id=ward.pk,
            violation=record,
            sanction="fine",
            fine_amount=600_000,
            number=number,
            number_year=2026,
            number_symbol="QĐ-XPHC",
            status="draft",
            created_by_id=user.pk,
        )
    # Signed as 0006_decision25 left them (the status last: the guard freezes a signed row).
    decision_model.objects.update(signed_at=now, signed_by_id=user.pk, status="signed")

    executor = MigrationExecutor(connection)
    executor.migrate(_leaves(executor))
    from documents.models import RegisterCounter, RegisterEntry
    from violations.models import RecordForm

    entries = RegisterEntry.objects.filter(kind="sanction_decision", ward_id=ward.pk).order_by("number")
    assert [(e.number, e.symbol, e.year) for e in entries] == [
        (1, "QĐ-XPHC", 2026),
        (2, "QĐ-XPHC", 2026),
        (3, "QĐ-XPHC", 2026),
    ]
    assert RegisterCounter.objects.get(kind="sanction_decision", ward_id=ward.pk, year=2026).last_number == 3
    assert not RecordForm.objects.filter(code="MQĐ02").exists()
