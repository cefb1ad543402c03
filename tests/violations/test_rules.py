"""The pure rules, without the database."""

from datetime import date

import pytest

from violations import rules
from violations.holidays import VIETNAMESE_PUBLIC_HOLIDAYS
from violations.rules import PastViolation, RuleVersion

HOLIDAYS = {day for day, _name in VIETNAMESE_PUBLIC_HOLIDAYS}


# --- deadline ------------------------------------------------------------------------------
def test_a_record_discovered_on_monday_is_due_on_wednesday():
    assert rules.record_due_date(date(2025, 10, 6), complex_case=False, holidays=set()) == date(2025, 10, 8)


def test_the_weekend_does_not_count():
    friday = date(2025, 10, 10)
    assert rules.record_due_date(friday, complex_case=False, holidays=set()) == date(2025, 10, 14)


def test_a_discovery_on_saturday_counts_from_monday():
    assert rules.record_due_date(date(2025, 10, 11), complex_case=False, holidays=set()) == date(2025, 10, 14)


def test_a_complex_case_has_five_working_days():
    monday = date(2025, 10, 6)
    assert rules.record_due_date(monday, complex_case=True, holidays=set()) == date(2025, 10, 13)


def test_national_day_holidays_do_not_count():
    # Friday 29/8/2025; 1 and 2/9 are National Day holidays: Wednesday 3/9 and Thursday 4/9.
    assert rules.record_due_date(date(2025, 8, 29), complex_case=False, holidays=HOLIDAYS) == date(2025, 9, 4)


def test_tet_holidays_do_not_count():
    # Friday 13/2/2026, then Tết Bính Ngọ from 16 to 20/2: due on Tuesday 24/2.
    assert rules.record_due_date(date(2026, 2, 13), complex_case=False, holidays=HOLIDAYS) == date(
        2026, 2, 24
    )
    assert rules.record_due_date(date(2026, 2, 13), complex_case=True, holidays=HOLIDAYS) == date(2026, 2, 27)


def test_a_record_is_overdue_only_after_its_due_day():
    assert not rules.is_overdue(date(2025, 10, 8), date(2025, 10, 8))
    assert rules.is_overdue(date(2025, 10, 8), date(2025, 10, 9))


# --- the ladder -----------------------------------------------------------------------------
def test_a_first_violation_starts_with_a_reminder():
    assert rules.suggest_next_stage(previous_stages=[]) == rules.REMINDER


def test_a_repeat_goes_one_step_above_the_highest_stage_reached():
    assert rules.suggest_next_stage(previous_stages=[rules.REMINDER]) == rules.COMMITMENT
    assert (
        rules.suggest_next_stage(previous_stages=[rules.REMINDER, rules.COMMITMENT]) == rules.WORKING_RECORD
    )


def test_a_deliberate_violation_goes_one_more_step():
    assert rules.suggest_next_stage(previous_stages=[], deliberate=True) == rules.COMMITMENT
    assert (
        rules.suggest_next_stage(previous_stages=[rules.COMMITMENT], deliberate=True)
        == rules.VIOLATION_RECORD
    )


def test_the_ladder_stops_at_the_sanction_decision():
    assert rules.suggest_next_stage(previous_stages=[rules.SANCTION], deliberate=True) == rules.SANCTION


def test_a_sanction_above_the_limit_needs_at_least_the_violation_record():
    assert rules.suggest_next_stage(previous_stages=[], record_required=True) == rules.VIOLATION_RECORD


# --- repeat detection ---------------------------------------------------------------------
def past(day: date, code: str = "lan-chiem-via-he", domain: str = "urban_order") -> PastViolation:
    return PastViolation(occurred_on=day, type_codes=frozenset({code}), domains=frozenset({domain}))


def test_the_same_type_within_twelve_months_is_a_repeat():
    history = [past(date(2025, 3, 1))]
    assert rules.is_ladder_repeat(
        history, occurred_on=date(2026, 3, 1), type_codes={"lan-chiem-via-he"}, domains=set()
    )


def test_the_same_type_more_than_twelve_months_ago_is_not_a_repeat():
    history = [past(date(2025, 2, 28))]
    assert not rules.is_ladder_repeat(
        history, occurred_on=date(2026, 3, 1), type_codes={"lan-chiem-via-he"}, domains=set()
    )


def test_another_type_of_the_same_domain_is_a_repeat():
    history = [past(date(2026, 1, 5), code="bay-hang-hoa", domain="urban_order")]
    assert rules.is_ladder_repeat(
        history, occurred_on=date(2026, 2, 1), type_codes={"x"}, domains={"urban_order"}
    )


def test_another_domain_is_not_a_repeat():
    history = [past(date(2026, 1, 5), code="xa-rac", domain="sanitation")]
    assert not rules.is_ladder_repeat(
        history, occurred_on=date(2026, 2, 1), type_codes={"x"}, domains={"urban_order"}
    )


def test_twelve_months_before_the_last_day_of_february_in_a_leap_year():
    assert rules.months_before(date(2028, 2, 29), 12) == date(2027, 2, 28)
    assert rules.months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)


# --- on-the-spot competence -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sanction", "amount", "kind", "allowed"),
    [
        ("warning", None, "individual", True),
        ("fine", 250_000, "individual", True),
        ("fine", 250_001, "individual", False),
        ("fine", 500_000, "organisation", True),
        ("fine", 500_001, "organisation", False),
        ("none", None, "organisation", True),
    ],
)
def test_the_on_the_spot_limit(sanction, amount, kind, allowed):
    assert rules.on_the_spot_allowed(sanction=sanction, fine_amount=amount, violator_kind=kind) is allowed
    assert rules.record_required(sanction=sanction, fine_amount=amount, violator_kind=kind) is not allowed


# --- rule in force --------------------------------------------------------------------------
def test_decree_144_judges_until_14_december_2025_and_282_from_the_15th():
    assert rules.public_order_decree_on(date(2025, 12, 14)) == "144/2021/NĐ-CP"
    assert rules.public_order_decree_on(date(2025, 12, 15)) == "282/2025/NĐ-CP"


def test_the_version_in_force_is_chosen_on_either_side_of_the_switch():
    old = RuleVersion(valid_from=date(2022, 1, 1), valid_to=date(2025, 12, 14))
    new = RuleVersion(valid_from=date(2025, 12, 15), valid_to=None)
    assert rules.rule_in_force([old, new], date(2025, 12, 14)) is old
    assert rules.rule_in_force([old, new], date(2025, 12, 15)) is new
    assert rules.rule_in_force([old, new], date(2021, 6, 1)) is None


# --- sanction decisions: deadlines, competence, amounts (#25.3) ------------------------------------
def test_the_decision_is_due_seven_working_days_after_the_record():
    # Monday 6/10/2025: seven working days later is Wednesday 15/10.
    assert rules.decision_due_date(date(2025, 10, 6), extended=False, holidays=set()) == date(2025, 10, 15)


def test_national_day_holidays_do_not_count_toward_the_decision_deadline():
    # Friday 29/8/2025; 1 and 2/9 are off: 7 working days end on Thursday 11/9.
    assert rules.decision_due_date(date(2025, 8, 29), extended=False, holidays=HOLIDAYS) == date(2025, 9, 11)


def test_an_explanation_or_verification_gives_one_month():
    assert rules.decision_due_date(date(2026, 1, 31), extended=True, holidays=HOLIDAYS) == date(2026, 2, 28)


def test_a_fine_is_paid_within_ten_days_of_receiving_the_decision():
    assert rules.payment_due_date(date(2026, 12, 25)) == date(2027, 1, 4)


def test_an_organisation_may_be_fined_twice_the_individual_competence():
    assert rules.within_competence(
        fine_amount=40_000_000, limit_individual=20_000_000, violator_kind="organisation"
    )
    assert not rules.within_competence(
        fine_amount=20_000_001, limit_individual=20_000_000, violator_kind="individual"
    )


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (600_000, "Sáu trăm nghìn đồng"),
        (1_500_000, "Một triệu năm trăm nghìn đồng"),
        (305_000, "Ba trăm linh năm nghìn đồng"),
        (21_000_000, "Hai mươi mốt triệu đồng"),
        (115_500_000, "Một trăm mười lăm triệu năm trăm nghìn đồng"),
    ],
)
def test_amounts_print_in_words(amount, words):
    assert rules.amount_in_words(amount) == words


# --- tái phạm and vi phạm nhiều lần (#25.4) --------------------------------------------------------
SIDEWALK = frozenset({"lan-chiem-via-he"})


def fine_decision(
    signed_on: date, carried_out_on: date | None = None, sanction: str = "fine"
) -> rules.PastDecision:
    return rules.PastDecision(
        type_codes=SIDEWALK, signed_on=signed_on, sanction=sanction, carried_out_on=carried_out_on
    )


def aggravation(decisions=(), records=(), on=date(2026, 6, 1), codes=SIDEWALK) -> rules.Aggravation:
    return rules.aggravating_circumstances(
        decisions=decisions, records=records, occurred_on=on, type_codes=codes
    )


def test_without_a_decision_there_is_no_repeat_offence():
    assert not aggravation().repeat_offence
    assert not aggravation(
        records=[rules.PastRecord(date(2026, 5, 1), SIDEWALK, decided=False)]
    ).repeat_offence


def test_a_fine_not_yet_paid_still_counts():
    assert aggravation(decisions=[fine_decision(date(2024, 1, 10))]).repeat_offence


def test_a_fine_counts_one_year_after_it_was_paid():
    assert aggravation(
        decisions=[fine_decision(date(2025, 5, 1), carried_out_on=date(2025, 6, 1))]
    ).repeat_offence
    assert not aggravation(
        decisions=[fine_decision(date(2025, 5, 1), carried_out_on=date(2025, 5, 31))]
    ).repeat_offence


def test_a_warning_counts_six_months_after_it_was_carried_out():
    warned = fine_decision(date(2025, 11, 20), carried_out_on=date(2025, 12, 1), sanction="warning")
    assert aggravation(decisions=[warned], on=date(2026, 6, 1)).repeat_offence
    assert not aggravation(decisions=[warned], on=date(2026, 6, 2)).repeat_offence


def test_a_decision_on_another_behaviour_is_no_repeat_offence():
    assert not aggravation(decisions=[fine_decision(date(2026, 1, 10))], codes={"xa-rac"}).repeat_offence


def test_the_same_behaviour_recorded_before_without_decision_is_violated_several_times():
    earlier = rules.PastRecord(date(2026, 3, 1), SIDEWALK, decided=False)
    assert aggravation(records=[earlier]).multiple
    decided = rules.PastRecord(date(2026, 3, 1), SIDEWALK, decided=True)
    assert not aggravation(records=[decided]).multiple
    too_old = rules.PastRecord(date(2025, 5, 31), SIDEWALK, decided=False)
    assert not aggravation(records=[too_old]).multiple


def test_both_circumstances_print_in_the_law_s_words():
    assert rules.Aggravation(repeat_offence=True, multiple=True).labels() == [
        "Vi phạm hành chính nhiều lần",
        "Tái phạm",
    ]
