from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from violations import services
from violations.models import Stage, Status, Violation

from .factories import ViolationTypeFactory, holiday, local


# --- catalogue in force --------------------------------------------------------------------
def test_a_violation_on_14_december_2025_cites_decree_144(make_draft):
    violation = make_draft(occurred_at=local(date(2025, 12, 14)), fine_amount=400_000)
    (item,) = violation.items.all()
    assert item.violation_type.decree == "144/2021/NĐ-CP"
    assert item.violation_type.legal_basis == "khoản 1 Điều 7 Nghị định 144/2021/NĐ-CP"


def test_a_violation_on_15_december_2025_cites_decree_282(make_draft):
    violation = make_draft(occurred_at=local(date(2025, 12, 15)), fine_amount=600_000)
    (item,) = violation.items.all()
    assert item.violation_type.decree == "282/2025/NĐ-CP"
    assert item.violation_type.article == 8


def test_types_in_force_lists_one_version_per_day(sidewalk):
    assert [t.decree for t in services.violation_types_in_force(on=date(2025, 12, 14))] == ["144/2021/NĐ-CP"]
    assert [
        t.decree for t in services.violation_types_in_force(on=date(2025, 12, 15), domain="urban_order")
    ] == ["282/2025/NĐ-CP"]
    assert not services.violation_types_in_force(on=date(2025, 12, 15), domain="sanitation").exists()


def test_a_type_with_no_version_in_force_that_day_is_refused(make_draft):
    with pytest.raises(ValidationError) as exc:
        make_draft(occurred_at=local(date(2020, 5, 1)))
    assert "Không có quy định nào về “lan-chiem-via-he” có hiệu lực vào ngày 01/05/2020" in str(exc.value)
    assert not Violation.objects.exists()


# --- deadlines, competence ------------------------------------------------------------------
def test_the_due_date_skips_the_weekend_and_holidays(make_draft):
    holiday(date(2025, 9, 1), "Quốc khánh")
    holiday(date(2025, 9, 2), "Quốc khánh")
    violation = make_draft(occurred_at=local(date(2025, 8, 29)), fine_amount=400_000)
    assert violation.due_date == date(2025, 9, 4)


def test_a_fine_above_the_on_the_spot_limit_needs_a_record(make_draft):
    with pytest.raises(ValidationError) as exc:
        make_draft(stage=Stage.REMINDER, fine_amount=600_000)
    assert "MBB01" in str(exc.value)
    assert not Violation.objects.exists()


def test_an_organisation_may_be_fined_500_000_on_the_spot_an_individual_may_not(make_draft):
    ViolationTypeFactory(code="nhe", fine_individual_min=200_000, fine_individual_max=300_000)
    organisation = make_draft(
        types=["nhe"], stage=Stage.COMMITMENT, violator_kind="organisation", fine_amount=500_000
    )
    assert organisation.stage == Stage.COMMITMENT
    with pytest.raises(ValidationError) as exc:
        make_draft(types=["nhe"], stage=Stage.COMMITMENT, violator_kind="individual", fine_amount=300_000)
    assert "250.000đ" in str(exc.value)


def test_the_fine_must_be_within_the_decree_range(make_draft):
    with pytest.raises(ValidationError) as exc:
        make_draft(fine_amount=5_000_000)
    assert "500.000đ" in str(exc.value) and "1.000.000đ" in str(exc.value)


# --- repeat and the ladder -------------------------------------------------------------------
def test_a_signed_reminder_moves_the_ladder_up_but_is_no_repeat_offence(make_draft, lena):
    first = make_draft(
        stage=None, sanction="none", fine_amount=None, occurred_at=timezone.now() - timedelta(days=60)
    )
    assert first.stage == Stage.REMINDER and not first.is_repeat
    services.violation_sign(violation=first, signed_by=lena, violator_signed=True)
    second = make_draft(stage=None, sanction="none", fine_amount=None)
    # Reminders stay in the history and count as neither tái phạm nor vi phạm nhiều lần.
    assert not second.is_repeat and not second.is_multiple
    assert second.stage == Stage.COMMITMENT


def test_drafts_do_not_count_as_earlier_violations(make_draft):
    make_draft(occurred_at=timezone.now() - timedelta(days=60))
    second = make_draft()
    assert not second.is_repeat and not second.is_multiple


def test_a_signed_record_without_decision_makes_the_same_behaviour_violated_several_times(make_draft, lena):
    first = make_draft(occurred_at=timezone.now() - timedelta(days=10))
    services.violation_sign(violation=first, signed_by=lena, violator_signed=True)
    second = make_draft()
    assert second.is_multiple and not second.is_repeat


def test_another_type_of_the_same_domain_moves_the_ladder_but_is_not_the_same_behaviour(make_draft, lena):
    ViolationTypeFactory(code="bay-hang-hoa", title="Bày hàng hóa ra vỉa hè", domain="urban_order")
    first = make_draft(occurred_at=timezone.now() - timedelta(days=10))
    services.violation_sign(violation=first, signed_by=lena, violator_signed=True)
    second = make_draft(types=["bay-hang-hoa"], stage=None, sanction="none", fine_amount=None)
    assert not second.is_repeat and not second.is_multiple
    assert second.suggested_stage == Stage.SANCTION


# --- signing and numbering ---------------------------------------------------------------------
def test_signing_numbers_records_per_form(make_draft, lena):
    a = services.violation_sign(violation=make_draft(), signed_by=lena, violator_signed=True)
    b = services.violation_sign(violation=make_draft(), signed_by=lena, violator_signed=True)
    lv = services.violation_sign(
        violation=make_draft(stage=Stage.WORKING_RECORD), signed_by=lena, violator_signed=True
    )
    assert (a.number_display, b.number_display) == ("Số: 01/BB-VPHC", "Số: 02/BB-VPHC")
    assert lv.number_display == "Số: 01/BB-LV"
    assert a.number_year == timezone.localdate().year
    assert "khoản 1 Điều 8 Nghị định 282/2025/NĐ-CP" in a.legal_basis_snapshot


def test_numbers_are_per_ward(make_draft, lena, other_ward_cafe, ward_b):
    from tests.factories import UserFactory

    leader_b = UserFactory(username="leader_b", ward=ward_b, role="leader")
    mine = services.violation_sign(violation=make_draft(), signed_by=lena, violator_signed=True)
    theirs = services.violation_sign(
        violation=make_draft(business=other_ward_cafe), signed_by=leader_b, violator_signed=True
    )
    assert mine.number == theirs.number == 1


def test_commitment_stage_records_have_no_number_and_reminders_their_notice_number(make_draft, lena):
    commitment = make_draft(stage=Stage.COMMITMENT, sanction="none", fine_amount=None)
    signed = services.violation_sign(violation=commitment, signed_by=lena, violator_signed=True)
    assert signed.status == Status.SIGNED and signed.number is None
    # #25.8: a signed reminder is a notice numbered from the register ("Số: 01/TB-NN").
    reminder = make_draft(stage=Stage.REMINDER, sanction="none", fine_amount=None)
    signed = services.violation_sign(violation=reminder, signed_by=lena, violator_signed=True)
    assert (signed.number, signed.number_symbol, signed.number_display) == (1, "TB-NN", "Số: 01/TB-NN")


def test_a_refusal_to_sign_needs_a_witness(make_draft, lena):
    draft = make_draft()
    with pytest.raises(ValidationError) as exc:
        services.violation_sign(violation=draft, signed_by=lena, violator_signed=False, refused_to_sign=True)
    assert "người chứng kiến" in str(exc.value)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.number is None
    signed = services.violation_sign(
        violation=draft,
        signed_by=lena,
        violator_signed=False,
        refused_to_sign=True,
        witness_name="Nguyễn Văn Tổ",
        witness_role="ward_representative",
    )
    assert signed.refused_to_sign and signed.witness_name == "Nguyễn Văn Tổ"


def test_an_officer_cannot_sign(make_draft, alice):
    with pytest.raises(PermissionDenied):
        services.violation_sign(violation=make_draft(), signed_by=alice, violator_signed=True)


# --- amendments ---------------------------------------------------------------------------
def test_an_amendment_keeps_both_records(signed, lena):
    amendment = services.violation_amend(violation=signed, actor=lena, reason="Ghi sai thời điểm phát hiện.")
    assert amendment.status == Status.DRAFT and amendment.supersedes == signed
    assert amendment.created_by == lena and amendment.amendment_reason == "Ghi sai thời điểm phát hiện."
    services.violation_update_draft(
        violation=amendment, actor=lena, types=["lan-chiem-via-he"], description="Mô tả đã đính chính."
    )
    services.violation_sign(violation=amendment, signed_by=lena, violator_signed=True)
    signed.refresh_from_db()
    amendment.refresh_from_db()
    assert signed.status == Status.SUPERSEDED
    assert signed.description.startswith("Bày bàn ghế")  # the original text is untouched
    assert amendment.description == "Mô tả đã đính chính."
    assert (signed.number, amendment.number) == (1, 2)
    assert Violation.objects.count() == 2


def test_a_record_is_amended_only_once(signed, lena):
    services.violation_amend(violation=signed, actor=lena, reason="Lần một")
    with pytest.raises(ValidationError):
        services.violation_amend(violation=signed, actor=lena, reason="Lần hai")


def test_a_signed_record_cannot_be_edited_through_the_service(signed, lena):
    with pytest.raises(ValidationError):
        services.violation_update_draft(
            violation=signed, actor=lena, types=["lan-chiem-via-he"], description="x"
        )
