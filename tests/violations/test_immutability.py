import pytest
from django.db import IntegrityError, connection, transaction

from violations import services
from violations.models import Status, Violation, ViolationItem


def test_a_signed_record_cannot_be_updated_through_the_orm(signed):
    signed.description = "Sửa lén sau khi ký"
    with pytest.raises(IntegrityError), transaction.atomic():
        signed.save()
    assert Violation.objects.get(pk=signed.pk).description.startswith("Bày bàn ghế")


def test_a_signed_record_cannot_be_updated_through_a_queryset(signed):
    with pytest.raises(IntegrityError), transaction.atomic():
        Violation.objects.filter(pk=signed.pk).update(fine_amount=900_000)
    assert Violation.objects.get(pk=signed.pk).fine_amount == 600_000


def test_a_signed_record_cannot_be_deleted_through_the_orm(signed):
    with pytest.raises(IntegrityError), transaction.atomic():
        signed.delete()
    assert Violation.objects.filter(pk=signed.pk).exists()


def test_a_signed_record_cannot_be_updated_or_deleted_with_raw_sql(signed):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE violations_violation SET number = 99 WHERE id = %s", [signed.pk])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM violations_violation WHERE id = %s", [signed.pk])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM violations_violationitem WHERE violation_id = %s", [signed.pk])
    signed.refresh_from_db()
    assert signed.number == 1
    assert signed.items.count() == 1


def test_the_cited_types_of_a_signed_record_are_frozen(signed):
    with pytest.raises(IntegrityError), transaction.atomic():
        ViolationItem.objects.filter(violation=signed).delete()


def test_a_signed_record_cannot_jump_back_to_draft(signed):
    with pytest.raises(IntegrityError), transaction.atomic():
        Violation.objects.filter(pk=signed.pk).update(status=Status.DRAFT)


def test_only_the_status_moves_after_signing(signed, lena):
    services.violation_transfer(violation=signed, actor=lena, transferred_to="Chủ tịch UBND phường Điện Biên")
    services.violation_mark_remedied(violation=signed, actor=lena)
    signed.refresh_from_db()
    assert signed.status == Status.REMEDIED
    assert signed.transferred_to == "Chủ tịch UBND phường Điện Biên"
    assert signed.number == 1


def test_a_status_move_cannot_smuggle_an_edit(signed):
    with pytest.raises(IntegrityError), transaction.atomic():
        Violation.objects.filter(pk=signed.pk).update(status=Status.TRANSFERRED, description="khác")


def test_drafts_stay_editable_and_deletable(make_draft, alice):
    draft = make_draft()
    Violation.objects.filter(pk=draft.pk).update(description="Đã sửa")
    services.violation_delete_draft(violation=draft, actor=alice)
    assert not Violation.objects.filter(pk=draft.pk).exists()


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_the_sqlite_guard_covers_every_column_of_the_record(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'violations_violation_protect_signed_update'"
        )
        (sql,) = cursor.fetchone()
    for field in Violation._meta.local_concrete_fields:
        if field.column != "updated_at":
            assert f'OLD."{field.column}" IS NEW."{field.column}"' in sql, field.column
